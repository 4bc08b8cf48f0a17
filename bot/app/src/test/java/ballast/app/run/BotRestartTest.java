package ballast.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.venue.Dispatcher;
import ballast.app.venue.PaperDispatcher;
import ballast.app.venue.PaperTruth;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.kernel.Intent;
import ballast.kernel.IntentIds;
import ballast.kernel.Monitor;
import ballast.kernel.TradingState;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bot killed in the middle of a top-up, then started again on the same journal: whatever the venue did, the new
 * process never repeats the top-up before a reconcile has read what happened, its budget counts exactly what was
 * spent, and it never gives a client id twice.
 */
class BotRestartTest {
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final String BTC = "BTCUSDT";

    /** Where the process dies. */
    enum Death {
        /** After the intent was journalled and marked sent, before the venue had it. */
        BEFORE_THE_VENUE,
        /** After the venue applied it, before its answer was journalled. */
        AFTER_THE_VENUE
    }

    final PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8015"));
    final PaperDispatcher exchange = new PaperDispatcher(venue);
    final SimClock clock = new SimClock(T0);

    BotRestartTest() {
        venue.open(
                BTC,
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                ShippedRiskTiers.load()
                        .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                        .table()
                        .tiers());
    }

    Bot bot(Journal journal, Gate gate, Dispatcher dispatcher) {
        Engine engine = new Engine(
                MarginRules.binance(),
                Map.of(
                        BTC,
                        ShippedRiskTiers.load()
                                .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                                .table()),
                new LadderPolicy(LadderParams.defaults()),
                gate,
                Engine.Params.defaults(),
                Monitor.FIXED,
                new IntentIds(journal.idPrefix(), 1));
        return new Bot(
                engine,
                journal,
                dispatcher,
                intent -> PaperTruth.afterAction(venue, BTC, Side.LONG, clock.instant()),
                clock,
                new Bot.Listener() {},
                Bot.Config.defaults());
    }

    void truth(Bot bot, Instant at) {
        clock.set(at);
        bot.put(PaperTruth.position(venue, BTC, Side.LONG, at));
        PaperTruth.balance(venue, at).forEach(bot::put);
    }

    void mark(Bot bot, long minutes, String price) {
        Instant at = T0.plus(Duration.ofMinutes(minutes));
        clock.set(at);
        venue.onPrice(BTC, at, new BigDecimal(price), new BigDecimal(price));
        bot.put(new EngineEvent.MarkUpdated(at, BTC, new BigDecimal(price), new BigDecimal(price)));
    }

    @ParameterizedTest
    @EnumSource(Death.class)
    void a_restart_never_repeats_a_top_up_and_never_forgets_money_spent(Death death, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("journal.sqlite");
        BigDecimal walletBefore = venue.holding(BTC, Side.LONG).orElseThrow().isolatedWallet();
        CountDownLatch never = new CountDownLatch(1);
        // The first process: its top-up never comes back.
        Dispatcher dying = new Dispatcher() {
            @Override
            public Outcome dispatch(Intent intent) {
                if (intent.action() instanceof Action.TopUpMargin) {
                    if (death == Death.AFTER_THE_VENUE) {
                        exchange.dispatch(intent);
                    }
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Outcome.Unknown("the process died");
                }
                return exchange.dispatch(intent);
            }

            @Override
            public Outcome reconcile(Intent intent, Instant since) {
                return exchange.reconcile(intent, since);
            }
        };
        Journal first = Journal.open(file);
        Bot before = bot(first, new Gate(Gate.Params.defaults()), dying);
        before.start();
        truth(before, T0);
        mark(before, 0, "60000");
        before.awaitIdle();
        mark(before, 30, "58800");
        before.awaitIdle();
        mark(before, 60, "57600");
        Journal.Unsettled sent = awaitSent(first);
        assertThat(sent.intent().action()).isInstanceOf(Action.TopUpMargin.class);
        BigDecimal amount = ((Action.TopUpMargin) sent.intent().action()).amount();
        assertThat(before.stop(Duration.ZERO))
                .as("the top-up is still in flight when it dies")
                .isFalse();
        first.close();
        BigDecimal applied = death == Death.AFTER_THE_VENUE ? amount : BigDecimal.ZERO;
        assertThat(venue.holding(BTC, Side.LONG).orElseThrow().isolatedWallet())
                .isEqualByComparingTo(walletBefore.add(applied));

        // The second process, on the same journal: it reconciles before it decides anything for the position.
        try (Journal second = Journal.open(file)) {
            Gate gate = new Gate(Gate.Params.defaults());
            Bot after = bot(second, gate, exchange);
            after.start();
            truth(after, T0.plus(Duration.ofMinutes(61)));
            after.awaitIdle();
            assertThat(second.unsettled()).isEmpty();
            assertThat(gate.charged(sent.intent().clientId())).isFalse();
            assertThat(gate.episodeSpent(BTC + ":long")).isEqualByComparingTo(applied);

            // The mark keeps falling: whatever the policy asks now, the venue shows at most the one top-up.
            mark(after, 62, "57500");
            after.awaitIdle();
            mark(after, 90, "56400");
            after.awaitIdle();
            after.stop(Duration.ofSeconds(5));
            List<Journal.Sent> intents = second.intents();
            long appliedTopUps = intents.stream()
                    .filter(i -> i.action() instanceof Action.TopUpMargin)
                    .filter(i -> i.outcome().orElse(null) instanceof Outcome.Accepted)
                    .count();
            assertThat(appliedTopUps).isLessThanOrEqualTo(1);
            if (death == Death.AFTER_THE_VENUE) {
                // The restored top-up counts as this episode's: the ladder's one top-up is spent.
                assertThat(intents)
                        .filteredOn(i -> i.action() instanceof Action.TopUpMargin)
                        .singleElement()
                        .satisfies(i ->
                                assertThat(i.clientId()).isEqualTo(sent.intent().clientId()));
            }
            // Client ids continue where the first process stopped: none is given twice.
            assertThat(intents.stream().map(Journal.Sent::clientId).distinct().count())
                    .isEqualTo(intents.size());
            assertThat(gate.tradingState()).isNotEqualTo(TradingState.HALTED);
        }
        never.countDown();
    }

    private static Journal.Unsettled awaitSent(Journal journal) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Journal.Unsettled u : journal.unsettled()) {
                if (u.sentAt().isPresent()) {
                    return u;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the top-up was never sent");
    }
}
