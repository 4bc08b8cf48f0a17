package ballast.exchange.binance.stream;

import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.CLOSED;
import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.CONNECTED;
import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.RECONNECTING;
import static ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status.STALE;
import static ballast.exchange.binance.stream.StreamFixture.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus;
import ballast.exchange.binance.stream.BinanceStreamEvent.MarkPrice;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarkPriceStreamTest {

    static final String BTC_AND_ETH = "/market/stream?streams=btcusdt@markPrice@1s/ethusdt@markPrice@1s";

    StreamFixture f;
    MarkPriceStream stream;

    @BeforeEach
    void setUp() throws Exception {
        f = new StreamFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stream != null) {
            stream.close();
        }
        f.close();
    }

    MarkPriceStream start(List<String> symbols, FeedTiming timing) {
        stream = new MarkPriceStream(f.server.baseUrl(), symbols, f.sink, timing, f.runtime);
        stream.start();
        return stream;
    }

    static String markFrame(String symbol, String mark, long eventTime) {
        return "{\"stream\":\"" + symbol.toLowerCase() + "@markPrice@1s\",\"data\":{\"e\":\"markPriceUpdate\",\"E\":"
                + eventTime + ",\"s\":\"" + symbol + "\",\"p\":\"" + mark
                + "\",\"i\":\"100.0\",\"r\":\"0.00010000\",\"T\":1700006400000}}";
    }

    @Test
    void many_symbols_share_one_connection_on_the_market_route() {
        start(List.of("BTCUSDT", "ethusdt", "BTCUSDT", "SOLUSDT"), StreamFixture.fastTiming());

        ScriptedServer.Connection c = f.server.nextOpenConnection();
        assertThat(c.target())
                .isEqualTo("/market/stream?streams=btcusdt@markPrice@1s/ethusdt@markPrice@1s/solusdt@markPrice@1s");
        assertThat(stream.url()).isEqualTo(f.server.baseUrl() + c.target());
        assertThat(stream.symbols()).containsExactly("btcusdt", "ethusdt", "solusdt");

        c.send(fixture("mark-price-update.json"));
        c.send(fixture("mark-price-update-combined.json"));
        c.send(markFrame("SOLUSDT", "142.3310", 1700000002000L));

        List<MarkPrice> marks = f.sink.await(MarkPrice.class, 3);
        assertThat(marks)
                .extracting(MarkPrice::symbol, MarkPrice::mark)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("BTCUSDT", new BigDecimal("59500.00000000")),
                        org.assertj.core.groups.Tuple.tuple("ETHUSDT", new BigDecimal("3012.45000000")),
                        org.assertj.core.groups.Tuple.tuple("SOLUSDT", new BigDecimal("142.3310")));
        assertThat(marks.get(1).fundingRate()).isEqualTo(new BigDecimal("-0.00003125"));
        assertThat(marks).allSatisfy(m -> assertThat(m.tsInit()).isEqualTo(StreamFixture.T0));
        // CONNECTED reaches the sink before the first event of the connection it describes.
        assertThat(f.sink.events().get(0)).isInstanceOf(FeedStatus.class);
        assertThat(f.sink.statuses()).containsExactly(CONNECTED);
        assertThat(f.server.requestCount()).isEqualTo(1);
        assertThat(stream.name()).isEqualTo("binance.markPrice[BTCUSDT, ETHUSDT, SOLUSDT]");
    }

    @Test
    void server_close_is_followed_by_reconnect_and_the_same_subscription() {
        start(List.of("BTCUSDT", "ETHUSDT"), StreamFixture.fastTiming());
        ScriptedServer.Connection first = f.server.nextOpenConnection();
        first.send(markFrame("BTCUSDT", "59500.1", 1L));
        f.sink.await(MarkPrice.class, 1);

        first.close(1001, "going away");

        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(BTC_AND_ETH);
        f.sink.awaitStatuses(CONNECTED, RECONNECTING, CONNECTED);
        second.send(markFrame("ETHUSDT", "3000.2", 2L));

        f.sink.await(MarkPrice.class, 2);
        List<BinanceStreamEvent> events = f.sink.events();
        assertThat(events)
                .extracting(e -> e instanceof FeedStatus s
                        ? s.status().name()
                        : ((MarkPrice) e).mark().toPlainString())
                .containsExactly("CONNECTED", "59500.1", "RECONNECTING", "CONNECTED", "3000.2");
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).contains("1001", "going away");
    }

    @Test
    void abrupt_loss_is_followed_by_reconnect() {
        f.server.cutAbruptlyNext();
        start(List.of("BTCUSDT", "ETHUSDT"), StreamFixture.fastTiming());
        ScriptedServer.Connection first = f.server.nextOpenConnection();
        first.send(markFrame("BTCUSDT", "59500.1", 1L));
        f.sink.await(MarkPrice.class, 1);

        first.cancel();

        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(BTC_AND_ETH);
        f.sink.awaitStatuses(CONNECTED, RECONNECTING, CONNECTED);
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).startsWith("connection failed");
    }

    @Test
    void refused_handshakes_are_retried_with_one_reconnecting_status() {
        f.server.refuseNext(503);
        f.server.refuseNext(503);
        f.server.refuseNext(503);
        start(List.of("BTCUSDT"), StreamFixture.fastTiming());

        for (int i = 0; i < 3; i++) {
            assertThat(f.server.nextConnection().refused).isTrue();
        }
        f.server.nextOpenConnection();

        f.sink.awaitStatuses(RECONNECTING, CONNECTED);
        assertThat(f.sink.statuses()).containsExactly(RECONNECTING, CONNECTED);
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).contains("HTTP 503");
    }

    @Test
    void silence_is_stale_then_data_recovers_then_longer_silence_reconnects() {
        start(List.of("BTCUSDT", "ETHUSDT"), StreamFixture.fastTiming()); // stale after 3 s, reconnect after 10 s
        ScriptedServer.Connection first = f.server.nextOpenConnection();
        f.sink.awaitStatuses(CONNECTED);

        f.clock.advance(Duration.ofSeconds(3));
        f.sink.awaitStatuses(CONNECTED, STALE);
        assertThat(f.sink.lastStatus(STALE).reason()).isEqualTo("no data for 3000 ms");

        first.send(markFrame("BTCUSDT", "59500.1", 1L));
        f.sink.awaitStatuses(CONNECTED, STALE, CONNECTED);
        assertThat(f.sink.lastStatus(CONNECTED).reason()).contains("resumed");

        f.clock.advance(Duration.ofSeconds(4));
        f.sink.awaitStatuses(CONNECTED, STALE, CONNECTED, STALE);
        f.clock.advance(Duration.ofSeconds(6));

        // The silent socket is dropped without waiting for a close handshake, and the same streams come back.
        assertThat(first.awaitEnded()).startsWith("failed");
        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(BTC_AND_ETH);
        f.sink.awaitStatuses(CONNECTED, STALE, CONNECTED, STALE, RECONNECTING, CONNECTED);
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).isEqualTo("no data for 10000 ms");
        second.send(markFrame("ETHUSDT", "3000.2", 2L));
        f.sink.await(MarkPrice.class, 2);
    }

    @Test
    void connection_is_rotated_before_the_venue_age_limit() {
        // Silence thresholds beyond the age limit, so only age can trigger.
        FeedTiming fast = StreamFixture.fastTiming();
        FeedTiming timing = new FeedTiming(
                Duration.ofHours(2),
                Duration.ofHours(3),
                fast.watchdogPeriod(),
                Duration.ofHours(1),
                fast.backoffBase(),
                fast.backoffMax(),
                Duration.ZERO);
        start(List.of("BTCUSDT", "ETHUSDT"), timing);
        ScriptedServer.Connection first = f.server.nextOpenConnection();
        f.sink.awaitStatuses(CONNECTED);

        f.clock.advance(Duration.ofMinutes(59));
        first.send(markFrame("BTCUSDT", "59500.1", 1L));
        f.sink.await(MarkPrice.class, 1);
        assertThat(f.server.requestCount()).isEqualTo(1);
        f.clock.advance(Duration.ofMinutes(1));

        assertThat(first.awaitEnded()).isEqualTo("client closed 1000");
        ScriptedServer.Connection second = f.server.nextOpenConnection();
        assertThat(second.target()).isEqualTo(BTC_AND_ETH);
        f.sink.awaitStatuses(CONNECTED, RECONNECTING, CONNECTED);
        assertThat(f.sink.lastStatus(RECONNECTING).reason()).startsWith("rotating the connection at age PT1H");
    }

    @Test
    void malformed_frames_are_skipped_with_a_reason_and_the_next_good_frame_arrives() {
        start(List.of("BTCUSDT"), StreamFixture.fastTiming());
        ScriptedServer.Connection c = f.server.nextOpenConnection();

        c.send("{\"e\":\"markPriceUpdate\",\"p\":");
        c.send(fixture("mark-price-update.json").replace("\"p\":\"59500.00000000\",", ""));
        c.send(fixture("mark-price-update.json").replace("\"p\":\"59500.00000000\"", "\"p\":\"\""));
        c.send("{\"e\":\"someNewEvent\",\"E\":1700000000000}");
        c.send(fixture("mark-price-update.json"));

        List<MarkPrice> marks = f.sink.await(MarkPrice.class, 1);
        assertThat(marks.get(0).mark()).isEqualTo(new BigDecimal("59500.00000000"));
        Await.until(() -> f.skipped.size() == 4, () -> "4 skipped frames, got " + f.skipped);
        assertThat(f.skipped.subList(0, 3)).allMatch(ParsedFrame.Malformed.class::isInstance);
        assertThat(f.skipped)
                .extracting(p -> p instanceof ParsedFrame.Malformed m ? m.reason() : ((ParsedFrame.Ignored) p).reason())
                .satisfiesExactly(
                        r -> assertThat(r).contains("not valid JSON"),
                        r -> assertThat(r).isEqualTo("markPriceUpdate: p is missing"),
                        r -> assertThat(r).isEqualTo("markPriceUpdate: p must be a decimal number, was \"\""),
                        r -> assertThat(r).contains("unknown event type \"someNewEvent\""));
        // Nothing but the good frame reached the engine, on the same connection.
        assertThat(f.sink.events()).hasSize(2);
        assertThat(f.sink.statuses()).containsExactly(CONNECTED);
        assertThat(f.server.requestCount()).isEqualTo(1);
    }

    @Test
    void close_emits_closed_and_does_not_reconnect() throws Exception {
        start(List.of("BTCUSDT"), StreamFixture.fastTiming());
        ScriptedServer.Connection c = f.server.nextOpenConnection();
        f.sink.awaitStatuses(CONNECTED);

        stream.close();

        assertThat(c.awaitEnded()).isEqualTo("client closed 1000");
        assertThat(f.sink.statuses()).containsExactly(CONNECTED, CLOSED);
        assertThat(f.server.noConnectionWithin(100)).isTrue();
    }

    @Test
    void route_is_appended_to_the_base_url_whatever_its_form() {
        List<String> symbols = List.of("btcusdt", "ethusdt");
        assertThat(MarkPriceStream.url("wss://fstream.binance.com", symbols))
                .hasToString("https://fstream.binance.com" + BTC_AND_ETH);
        assertThat(MarkPriceStream.url("wss://fstream.binance.com/", symbols))
                .hasToString("https://fstream.binance.com" + BTC_AND_ETH);
        assertThat(MarkPriceStream.url("ws://127.0.0.1:8080/prefix", symbols))
                .hasToString("http://127.0.0.1:8080/prefix" + BTC_AND_ETH);
    }

    @Test
    void bad_configuration_is_refused_at_construction() {
        FeedTiming t = StreamFixture.fastTiming();
        assertThatThrownBy(() -> new MarkPriceStream(f.server.baseUrl(), List.of(), f.sink, t, f.runtime))
                .hasMessageContaining("at least one symbol");
        assertThatThrownBy(() -> new MarkPriceStream(f.server.baseUrl(), List.of("BTC/USDT"), f.sink, t, f.runtime))
                .hasMessageContaining("BTC/USDT");
        assertThatThrownBy(() -> new MarkPriceStream("ftp://x", List.of("BTCUSDT"), f.sink, t, f.runtime))
                .hasMessageContaining("must start with ws://");
    }
}
