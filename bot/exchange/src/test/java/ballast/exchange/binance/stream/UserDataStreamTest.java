package ballast.exchange.binance.stream;

import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.CLOSED;
import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.CONNECTED;
import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.RECONNECTING;
import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.STALE;
import static ballast.exchange.binance.stream.StreamFixture.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.margin.MarginMode;
import ballast.exchange.binance.stream.BinanceStreamEvent.AccountConfigUpdate;
import ballast.exchange.binance.stream.BinanceStreamEvent.AccountUpdate;
import ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus;
import ballast.exchange.binance.stream.BinanceStreamEvent.ListenKeyExpired;
import ballast.exchange.binance.stream.BinanceStreamEvent.MarginCall;
import ballast.exchange.binance.stream.BinanceStreamEvent.OrderTradeUpdate;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserDataStreamTest {

    static final String EVENTS =
            "&events=ACCOUNT_UPDATE/ORDER_TRADE_UPDATE/MARGIN_CALL/ACCOUNT_CONFIG_UPDATE/listenKeyExpired";

    /** Shaped like a real key (64 characters), so a leak would be visible in any string. */
    static String key(int n) {
        return "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a" + n;
    }

    static String target(String key) {
        return "/private/ws?listenKey=" + key + EVENTS;
    }

    /** The REST client's stand-in: hands out key(1), key(2), … and records every call. */
    static final class FakeListenKeys implements ListenKeyService {
        final AtomicInteger created = new AtomicInteger();
        final List<String> keptAlive = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        /** Scripted keepalive outcomes, consumed one per call; empty means success. */
        final ConcurrentLinkedQueue<Consumer<String>> keepAliveScript = new ConcurrentLinkedQueue<>();

        @Override
        public String create() {
            return key(created.incrementAndGet());
        }

        @Override
        public void keepAlive(String key) {
            keptAlive.add(key);
            Consumer<String> step = keepAliveScript.poll();
            if (step != null) {
                step.accept(key);
            }
        }

        @Override
        public void close(String key) {
            closed.add(key);
        }
    }

    StreamFixture f;
    FakeListenKeys keys;
    UserDataStream stream;

    @BeforeEach
    void setUp() throws Exception {
        f = new StreamFixture();
        keys = new FakeListenKeys();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stream != null) {
            stream.close();
        }
        f.close();
        // Whatever happened in the test, the key never left through a status or a skipped-frame reason.
        for (int n = 1; n <= keys.created.get(); n++) {
            String k = key(n);
            assertThat(f.sink.ofType(FeedStatus.class))
                    .noneMatch(s -> s.reason().contains(k));
            assertThat(f.skipped).noneMatch(p -> p.toString().contains(k));
        }
    }

    UserDataStream start(Duration keepAlive, FeedTiming timing) {
        stream = new UserDataStream(f.server.baseUrl(), keys, keepAlive, f.sink, timing, f.runtime);
        stream.start();
        return stream;
    }

    UserDataStream start() {
        return start(Duration.ofMinutes(30), StreamFixture.fastTiming());
    }

    @Test
    void connects_on_the_private_route_with_a_new_key_and_delivers_every_event_type() {
        start();

        ScriptedServer.Connection c = f.server.nextOpenConnection();
        assertThat(c.target()).isEqualTo(target(key(1)));
        c.send(fixture("account-update.json"));
        c.send(fixture("order-trade-update.json"));
        c.send(fixture("margin-call.json"));
        c.send(fixture("account-config-update-leverage.json"));

        f.sink.await(AccountConfigUpdate.class, 1);
        List<BinanceStreamEvent> events = f.sink.events();
        assertThat(events)
                .hasExactlyElementsOfTypes(
                        FeedStatus.class,
                        AccountUpdate.class,
                        OrderTradeUpdate.class,
                        MarginCall.class,
                        AccountConfigUpdate.class);
        AccountUpdate account = (AccountUpdate) events.get(1);
        assertThat(account.positions().get(0).isolatedWallet()).isEqualTo(new BigDecimal("60.00000000"));
        assertThat(account.positions().get(0).marginMode()).isEqualTo(MarginMode.ISOLATED);
        OrderTradeUpdate order = (OrderTradeUpdate) events.get(2);
        assertThat(order.clientOrderId()).isEqualTo("ballast-cut-BTCUSDT-0001");
        assertThat(order.averagePrice()).isEqualTo(new BigDecimal("59498.70"));
        MarginCall call = (MarginCall) events.get(3);
        assertThat(call.positions().get(0).maintenanceMargin()).isEqualTo(new BigDecimal("1.614445"));
        assertThat(keys.created).hasValue(1);
        assertThat(stream.name()).isEqualTo("binance.userData");
    }

    @Test
    void listen_key_expiry_brings_a_new_key_and_a_new_connection_with_it() {
        start();
        ScriptedServer.Connection first = f.server.nextOpenConnection();
        assertThat(first.target()).isEqualTo(target(key(1)));

        first.send(fixture("listen-key-expired.json").replace("LISTEN_KEY", key(1)));

        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(target(key(2)));
        assertThat(first.awaitEnded()).isEqualTo("client closed 1000");
        f.sink.awaitStatuses(CONNECTED, RECONNECTING, CONNECTED);
        assertThat(f.sink.events())
                .extracting(e -> e instanceof FeedStatus s
                        ? s.status().name()
                        : e.getClass().getSimpleName())
                .containsExactly("CONNECTED", "ListenKeyExpired", "RECONNECTING", "CONNECTED");
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).isEqualTo("listen key expired");
        assertThat(keys.created).hasValue(2);

        second.send(fixture("order-trade-update.json"));
        f.sink.await(OrderTradeUpdate.class, 1);
        assertThat(f.sink.ofType(ListenKeyExpired.class)).hasSize(1);
    }

    @Test
    void keepalive_extends_the_current_key_on_schedule() {
        start(Duration.ofMillis(20), StreamFixture.fastTiming());
        f.server.nextOpenConnection();

        Await.until(() -> keys.keptAlive.size() >= 3, () -> "3 keepalives, got " + keys.keptAlive);

        assertThat(keys.keptAlive).allMatch(key(1)::equals);
        assertThat(keys.created).hasValue(1);
        assertThat(f.server.requestCount()).isEqualTo(1);
    }

    @Test
    void keepalive_finding_the_key_gone_renews_it_and_reconnects() {
        // Hold the failing keepalive until the first connection is up, so the test knows which connection is which
        // (a handshake cancelled mid-way can reach the server after its successor).
        CountDownLatch firstIsUp = new CountDownLatch(1);
        keys.keepAliveScript.add(k -> {
            try {
                firstIsUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new ListenKeyGoneException("-1125 This listenKey does not exist.");
        });
        start(Duration.ofMillis(20), StreamFixture.fastTiming());
        ScriptedServer.Connection first = f.server.nextOpenConnection();
        assertThat(first.target()).isEqualTo(target(key(1)));
        f.sink.awaitStatuses(CONNECTED);
        firstIsUp.countDown();

        ScriptedServer.Connection second = f.server.nextOpenConnection();

        assertThat(second.target()).isEqualTo(target(key(2)));
        assertThat(first.awaitEnded()).isEqualTo("client closed 1000");
        f.sink.awaitStatuses(CONNECTED, RECONNECTING, CONNECTED);
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).isEqualTo("listen key no longer exists at the venue");
        Await.until(() -> keys.keptAlive.contains(key(2)), () -> "keepalive of the new key, got " + keys.keptAlive);
    }

    @Test
    void transient_keepalive_failure_is_retried_without_dropping_the_connection() {
        keys.keepAliveScript.add(k -> {
            throw new IllegalStateException("HTTP 503 for key " + k);
        });
        start(Duration.ofMillis(20), StreamFixture.fastTiming());
        f.server.nextOpenConnection();
        f.sink.awaitStatuses(CONNECTED);

        Await.until(() -> keys.keptAlive.size() >= 3, () -> "retried keepalives, got " + keys.keptAlive);

        assertThat(keys.keptAlive).allMatch(key(1)::equals);
        assertThat(f.server.requestCount()).isEqualTo(1);
        assertThat(f.sink.statuses()).containsExactly(CONNECTED);
    }

    @Test
    void dropped_connection_reconnects_with_the_same_key() {
        start();
        ScriptedServer.Connection first = f.server.nextOpenConnection();

        first.close(1001, "going away");

        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(target(key(1)));
        f.sink.awaitStatuses(CONNECTED, RECONNECTING, CONNECTED);
        assertThat(keys.created).hasValue(1);
    }

    @Test
    void handshake_refused_with_a_client_error_gets_a_new_key() {
        f.server.refuseNext(400);
        start();

        ScriptedServer.Connection refused = f.server.nextConnection();
        assertThat(refused.refused).isTrue();
        assertThat(refused.target()).isEqualTo(target(key(1)));

        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(target(key(2)));
        f.sink.awaitStatuses(RECONNECTING, CONNECTED);
    }

    @Test
    void silence_is_stale_and_the_next_event_clears_it() {
        start();
        ScriptedServer.Connection c = f.server.nextOpenConnection();
        f.sink.awaitStatuses(CONNECTED);

        f.clock.advance(Duration.ofSeconds(3));
        f.sink.awaitStatuses(CONNECTED, STALE);
        c.send(fixture("account-update.json"));

        f.sink.awaitStatuses(CONNECTED, STALE, CONNECTED);
        f.sink.await(AccountUpdate.class, 1);
        assertThat(f.server.requestCount()).isEqualTo(1);
    }

    @Test
    void malformed_user_frame_is_skipped_and_the_stream_goes_on() {
        start();
        ScriptedServer.Connection c = f.server.nextOpenConnection();

        c.send(fixture("account-update.json").replace("\"mt\": \"isolated\"", "\"mt\": \"portfolio\""));
        c.send("{\"stream\":\"" + key(1) + "\",\"data\":{\"e\":\"MARGIN_CALL\",\"E\":1,\"p\":[{\"s\":\"" + key(1)
                + "\"}]}}");
        c.send(fixture("account-update.json"));

        f.sink.await(AccountUpdate.class, 1);
        Await.until(() -> f.skipped.size() == 2, () -> "2 skipped frames, got " + f.skipped);
        assertThat(f.skipped.get(0))
                .isEqualTo(new ParsedFrame.Malformed(
                        "ACCOUNT_UPDATE: a.P[0].mt must be isolated or cross, was \"portfolio\""));
        assertThat(f.skipped.get(1)).isInstanceOf(ParsedFrame.Malformed.class);
        assertThat(f.sink.ofType(AccountUpdate.class).get(0).positions().get(0).marginMode())
                .isEqualTo(MarginMode.ISOLATED);
        assertThat(f.sink.statuses()).containsExactly(CONNECTED);
    }

    @Test
    void close_invalidates_the_key_and_emits_closed() throws Exception {
        start();
        ScriptedServer.Connection c = f.server.nextOpenConnection();
        f.sink.awaitStatuses(CONNECTED);

        stream.close();

        assertThat(c.awaitEnded()).isEqualTo("client closed 1000");
        assertThat(keys.closed).containsExactly(key(1));
        assertThat(f.sink.statuses()).containsExactly(CONNECTED, CLOSED);
        assertThat(f.server.noConnectionWithin(100)).isTrue();
    }

    @Test
    void keys_are_masked_to_their_last_four_characters() {
        assertThat(UserDataStream.mask(key(1))).isEqualTo("****65a1");
        assertThat(UserDataStream.mask("short")).isEqualTo("****");
        assertThat(UserDataStream.mask(null)).isEqualTo("<none>");
    }

    @Test
    void bad_keepalive_interval_is_refused() {
        assertThatThrownBy(() -> new UserDataStream(
                        f.server.baseUrl(),
                        keys,
                        Duration.ofMinutes(61),
                        f.sink,
                        StreamFixture.fastTiming(),
                        f.runtime))
                .hasMessageContaining("at most 55 min");
    }
}
