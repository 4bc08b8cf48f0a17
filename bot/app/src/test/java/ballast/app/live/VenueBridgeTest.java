package ballast.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.Capability;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.FeedEvent;
import ballast.core.venue.Outcome;
import ballast.exchange.binance.stream.BinanceFeeds;
import ballast.exchange.binance.stream.BinanceStreamParser;
import ballast.exchange.binance.stream.ParsedFrame;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.EngineEvent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Stream frames in Binance's format, through the parser, the venue-neutral translation and the bridge, with the paper
 * venue as the REST truth: marks go straight to the inbox, REST reads happen on the bridge's own thread.
 */
class VenueBridgeTest {

    static final Instant T = Instant.parse("2024-10-24T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
    final BinanceStreamParser parser = new BinanceStreamParser(CLOCK);
    final LinkedBlockingQueue<EngineEvent> inbox = new LinkedBlockingQueue<>();

    static PaperVenue venue() {
        var tiers = ShippedRiskTiers.load()
                .find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
                .table();
        PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8015"));
        venue.open(
                "BTCUSDT",
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                tiers.tiers());
        return venue;
    }

    FeedEvent frame(String json) {
        return BinanceFeeds.translate(((ParsedFrame.Event) parser.parse(json)).event());
    }

    static FeedEvent.Status status(String feed, FeedEvent.Status.State state) {
        return new FeedEvent.Status(feed, state, "test", T, T);
    }

    EngineEvent next() throws InterruptedException {
        EngineEvent e = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    /** A gateway whose reads record the thread they ran on, and may be held until released. */
    static class Watched implements ExchangeGateway {
        final ExchangeGateway truth;
        final List<String> threads = new ArrayList<>();
        CountDownLatch hold = new CountDownLatch(0);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger reads = new AtomicInteger();

        Watched(ExchangeGateway truth) {
            this.truth = truth;
        }

        @Override
        public AccountSnapshot snapshot() {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            entered.countDown();
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reads.incrementAndGet();
            return truth.snapshot();
        }

        @Override
        public Set<Capability> capabilities() {
            return truth.capabilities();
        }

        @Override
        public Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Outcome closePosition(String symbol, Side side, String clientId) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void marks_pass_through_and_a_reconnect_reads_the_rest_truth_whole_on_the_bridges_own_thread() throws Exception {
        PaperVenue venue = venue();
        Watched gateway = new Watched(venue);
        try (VenueBridge bridge = new VenueBridge(gateway, inbox::add, CLOCK)) {
            // Before the first connection the engine knows nothing: CONNECTED has the REST truth read.
            bridge.accept(status("user-data", FeedEvent.Status.State.CONNECTED));
            assertThat(next()).isInstanceOfSatisfying(EngineEvent.PositionUpdated.class, p -> {
                assertThat(p.position().qty()).isEqualByComparingTo("0.5");
                assertThat(p.position().wallet()).isEqualByComparingTo("3000");
            });
            assertThat(next())
                    .isInstanceOfSatisfying(
                            EngineEvent.BalanceUpdated.class,
                            b -> assertThat(b.freeBalance()).isEqualByComparingTo("5000"));
            assertThat(gateway.threads).containsExactly("ballast-reconcile");

            bridge.accept(frame("{\"e\":\"markPriceUpdate\",\"E\":1729728000000,\"s\":\"BTCUSDT\",\"p\":\"59500.10\","
                    + "\"i\":\"59490\",\"r\":\"0.0001\",\"T\":1729756800000}"));
            // Put by the calling (feed) thread itself: nothing to wait for.
            assertThat(inbox.poll()).isInstanceOfSatisfying(EngineEvent.MarkUpdated.class, m -> {
                assertThat(m.mark()).isEqualByComparingTo("59500.10");
                assertThat(m.time()).isEqualTo(T); // our receive time: staleness is measured from it
            });

            // A drop interrupts at once and has the truth read at once (the engine waits for it); reconnecting reads
            // again; a position closed meanwhile is reported closed.
            bridge.accept(status("user-data", FeedEvent.Status.State.RECONNECTING));
            assertThat(inbox.poll()).isInstanceOf(EngineEvent.FeedInterrupted.class);
            assertThat(next()).isInstanceOf(EngineEvent.PositionUpdated.class);
            assertThat(next()).isInstanceOf(EngineEvent.BalanceUpdated.class);
            venue.closePosition("BTCUSDT", Side.LONG, "bl-1");
            bridge.accept(status("user-data", FeedEvent.Status.State.CONNECTED));
            assertThat(next())
                    .isInstanceOfSatisfying(
                            EngineEvent.PositionClosed.class,
                            c -> assertThat(c.symbol()).isEqualTo("BTCUSDT"));
            assertThat(next()).isInstanceOf(EngineEvent.BalanceUpdated.class);
            // A CONNECTED with no gap before it reads nothing.
            int before = gateway.reads.get();
            bridge.accept(status("mark", FeedEvent.Status.State.CONNECTED));
            assertThat(inbox.poll(50, TimeUnit.MILLISECONDS)).isNull();
            assertThat(gateway.reads.get()).isEqualTo(before);
        }
    }

    @Test
    void an_account_push_never_blocks_the_feed_and_pushes_during_a_read_make_one_more_read() throws Exception {
        Watched gateway = new Watched(venue());
        gateway.hold = new CountDownLatch(1);
        try (VenueBridge bridge = new VenueBridge(gateway, inbox::add, CLOCK)) {
            FeedEvent push = frame("{\"e\":\"ACCOUNT_UPDATE\",\"E\":1729728000000,\"T\":1729728000000,"
                    + "\"a\":{\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"8000\",\"cw\":\"5000\",\"bc\":\"0\"}],"
                    + "\"P\":[{\"s\":\"BTCUSDT\",\"pa\":\"0.4\",\"ep\":\"60000\",\"bep\":\"60000\",\"cr\":\"0\",\"up\":\"0\","
                    + "\"mt\":\"isolated\",\"iw\":\"2400\",\"ps\":\"BOTH\"}]}}");
            // The REST read is held: the feed thread still returns at once, however many pushes come.
            bridge.accept(push);
            assertThat(gateway.entered.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 4; i++) {
                bridge.accept(push);
            }
            assertThat(inbox).isEmpty();
            gateway.hold.countDown();
            // The paper venue (the REST truth here) still holds 0.5: the push is a reason to look, not the answer.
            assertThat(next())
                    .isInstanceOfSatisfying(
                            EngineEvent.PositionUpdated.class,
                            p -> assertThat(p.position().qty()).isEqualByComparingTo("0.5"));
            assertThat(next()).isInstanceOf(EngineEvent.BalanceUpdated.class);
            // The first push started a read; the four during it asked for one more, not four.
            assertThat(next()).isInstanceOf(EngineEvent.PositionUpdated.class);
            assertThat(next()).isInstanceOf(EngineEvent.BalanceUpdated.class);
            assertThat(inbox.poll(100, TimeUnit.MILLISECONDS)).isNull();
            assertThat(gateway.reads.get()).isEqualTo(2);
        }
    }

    @Test
    void a_failed_read_says_the_account_is_unknown_and_the_next_request_reads_again() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        PaperVenue venue = venue();
        ExchangeGateway flaky = new Watched(venue) {
            @Override
            public AccountSnapshot snapshot() {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("HTTP 503");
                }
                return venue.snapshot();
            }
        };
        try (VenueBridge bridge = new VenueBridge(flaky, inbox::add, CLOCK)) {
            bridge.request();
            assertThat(next())
                    .isInstanceOfSatisfying(
                            EngineEvent.FeedInterrupted.class,
                            f -> assertThat(f.feed()).isEqualTo("REST snapshot failed: HTTP 503"));
            bridge.request();
            assertThat(next()).isInstanceOf(EngineEvent.PositionUpdated.class);
        }
    }
}
