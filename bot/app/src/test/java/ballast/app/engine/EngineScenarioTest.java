package ballast.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine on hand-written event sequences with a hand-advanced clock: what it asks for, and what it refuses to ask
 * for, when the mark falls, when an outcome is unknown, and when the mark goes silent.
 */
class EngineScenarioTest {

    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final String BTC = "BTCUSDT";

    /** An engine with one isolated 10x long (margin-math.md D-1) and a venue simulated by hand. */
    static final class Desk {
        final Gate gate = new Gate(Gate.Params.defaults());
        final Engine engine = new Engine(
                MarginRules.binance(),
                Map.of(
                        BTC,
                        ShippedRiskTiers.load()
                                .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                                .table()),
                new LadderPolicy(LadderParams.defaults()),
                gate,
                Engine.Params.defaults());
        BigDecimal qty = new BigDecimal("0.5");
        BigDecimal wallet = new BigDecimal("3000");
        BigDecimal free = new BigDecimal("5000");
        final List<Intent> issued = new ArrayList<>();

        Desk() {
            engine.step(new EngineEvent.BalanceUpdated(T0, free));
            publish(T0);
        }

        void publish(Instant t) {
            engine.step(new EngineEvent.PositionUpdated(
                    t,
                    new PositionSnapshot(
                            BTC,
                            Side.LONG,
                            MarginMode.ISOLATED,
                            qty,
                            new BigDecimal("60000"),
                            wallet,
                            BigDecimal.TEN,
                            Optional.empty())));
        }

        /** A mark at {@code minutes} after T0; the venue carries out what the engine asks, unless told otherwise. */
        List<Intent> mark(long minutes, String price, boolean venueAnswers) {
            Instant t = T0.plus(Duration.ofMinutes(minutes));
            List<Intent> intents =
                    engine.step(new EngineEvent.MarkUpdated(t, BTC, new BigDecimal(price), new BigDecimal(price)));
            issued.addAll(intents);
            for (Intent intent : intents) {
                if (!venueAnswers) {
                    engine.step(new EngineEvent.OutcomeReported(t, intent, new Outcome.Unknown("read timeout")));
                    continue;
                }
                switch (intent.action()) {
                    case Action.TopUpMargin top -> {
                        wallet = wallet.add(top.amount());
                        free = free.subtract(top.amount());
                    }
                    case Action.ReducePosition cut -> qty = qty.subtract(cut.qty());
                    case Action.ReleaseMargin release -> {
                        wallet = wallet.subtract(release.amount());
                        free = free.add(release.amount());
                    }
                    default -> {}
                }
                engine.step(new EngineEvent.OutcomeReported(t, intent, new Outcome.Accepted(BigDecimal.ONE)));
                publish(t);
                engine.step(new EngineEvent.BalanceUpdated(t, free));
            }
            return intents;
        }

        List<Action> actions() {
            return issued.stream()
                    .map(Intent::action)
                    .filter(a -> !(a instanceof Action.Alert))
                    .toList();
        }
    }

    @Test
    void mark_falls_eight_percent_top_up_then_cut_within_budget() {
        Desk desk = new Desk();
        // 60,000 -> 55,200 (−8 %) while the liquidation price sits at 54,216.87.
        desk.mark(0, "60000", true);
        desk.mark(30, "58800", true);
        desk.mark(60, "57600", true);
        desk.mark(90, "56400", true);
        desk.mark(120, "55200", true);

        List<Action> actions = desk.actions();
        assertThat(actions).first().isInstanceOf(Action.TopUpMargin.class);
        assertThat(actions).anySatisfy(a -> assertThat(a).isInstanceOf(Action.ReducePosition.class));
        int firstCut = actions.indexOf(actions.stream()
                .filter(a -> a instanceof Action.ReducePosition)
                .findFirst()
                .orElseThrow());
        assertThat(firstCut).isPositive();
        BigDecimal toppedUp = actions.stream()
                .filter(a -> a instanceof Action.TopUpMargin)
                .map(a -> ((Action.TopUpMargin) a).amount())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        // The episode budget is 20 % of the 5,000 free when the episode began.
        assertThat(toppedUp).isPositive().isLessThanOrEqualTo(new BigDecimal("1000"));
        assertThat(desk.gate.episodeSpent(BTC + ":long")).isEqualByComparingTo(toppedUp);
        // Alive, and measured: the engine's liquidation price is below the last mark.
        assertThat(desk.engine.minDistance(BTC, Side.LONG).orElseThrow()).isPositive();
    }

    @Test
    void a_cut_that_keeps_its_margin_is_charged_to_the_gate_as_the_top_up_it_is() {
        Desk desk = new Desk();
        desk.mark(0, "60000", true);
        BigDecimal before = desk.gate.daySpent();
        // 0.1 BTC sold at 57,000 (entry 60,000): the free balance pays the 300 realised and the 2.85 fee to keep the
        // released margin in the position.
        Intent cut = new Intent(
                "t-1",
                new Action.ReducePosition(
                        BTC, Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.KEEP_MARGIN, "test"));
        desk.engine.step(new EngineEvent.OutcomeReported(
                T0.plusSeconds(60),
                cut,
                new Outcome.Accepted(
                        new BigDecimal("0.1"),
                        Optional.of(new BigDecimal("57000")),
                        Optional.of(new BigDecimal("2.85")))));
        assertThat(desk.gate.daySpent().subtract(before)).isEqualByComparingTo("302.85");

        // A cut that lets its margin go, or one in profit, spends nothing.
        Intent plain = new Intent(
                "t-2",
                new Action.ReducePosition(BTC, Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.PRO_RATA, "test"));
        desk.engine.step(new EngineEvent.OutcomeReported(
                T0.plusSeconds(61),
                plain,
                new Outcome.Accepted(
                        new BigDecimal("0.1"),
                        Optional.of(new BigDecimal("57000")),
                        Optional.of(new BigDecimal("2.85")))));
        assertThat(desk.gate.daySpent().subtract(before)).isEqualByComparingTo("302.85");
    }

    @Test
    void unknown_outcome_blocks_a_second_top_up_until_reconciled() {
        Desk desk = new Desk();
        desk.mark(0, "60000", true);
        desk.mark(30, "58800", true);
        desk.mark(60, "57600", false); // the top-up request timed out: did it happen?
        long firstWrites = desk.actions().size();
        assertThat(firstWrites).isEqualTo(1);
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);

        // Danger grows, but nothing more is asked for while the outcome is unknown (alerts only).
        List<Intent> meanwhile = desk.mark(90, "56400", true);
        assertThat(meanwhile).allSatisfy(i -> assertThat(i.action()).isInstanceOf(Action.Alert.class));
        assertThat(desk.actions()).hasSize(1);

        // The venue's truth arrives (the top-up did not happen): the position may be protected again.
        desk.publish(T0.plus(Duration.ofMinutes(90)).plusSeconds(10));
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.ACTIVE);
        desk.mark(100, "56000", true);
        assertThat(desk.actions().size()).isGreaterThan(1);
    }

    @Test
    void stale_mark_alerts_and_allows_only_protective_actions() {
        Desk desk = new Desk();
        desk.wallet = new BigDecimal("9000"); // far more margin than needed: the ladder would release some
        desk.publish(T0);
        desk.mark(0, "60000", true);
        int before = desk.issued.size();

        List<Intent> onTimer = desk.engine.step(new EngineEvent.TimerFired(T0.plus(Duration.ofMinutes(10))));
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        assertThat(onTimer).isNotEmpty().allSatisfy(i -> assertThat(i.action()).isInstanceOf(Action.Alert.class));
        assertThat(((Action.Alert) onTimer.get(0).action()).reason()).contains("no mark for 600 s");
        assertThat(desk.gate.admit(
                        BTC + ":long",
                        new Action.ReleaseMargin(BTC, Side.LONG, BigDecimal.TEN, "test"),
                        T0.plus(Duration.ofMinutes(10))))
                .isInstanceOf(Gate.Verdict.Refused.class);
        assertThat(desk.issued).hasSize(before);

        // A fresh mark ends it.
        desk.mark(11, "60000", true);
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.ACTIVE);
    }

    @Test
    void after_a_feed_gap_nothing_is_sent_until_the_rest_truth_is_read_again() {
        Desk desk = new Desk();
        desk.mark(0, "60000", true);
        desk.engine.step(new EngineEvent.FeedInterrupted(T0.plus(Duration.ofMinutes(29)), "user-data"));
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        List<Intent> blind = desk.mark(30, "56400", true);
        assertThat(blind).allSatisfy(i -> assertThat(i.action()).isInstanceOf(Action.Alert.class));

        desk.publish(T0.plus(Duration.ofMinutes(30)).plusSeconds(5)); // REST positionRisk read again
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.ACTIVE);
        assertThat(desk.mark(31, "56300", true))
                .anySatisfy(i -> assertThat(i.action()).isNotInstanceOf(Action.Alert.class));
    }
}
