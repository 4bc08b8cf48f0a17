package ballast.kernel;

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
        final Engine engine;
        BigDecimal qty = new BigDecimal("0.5");
        BigDecimal wallet = new BigDecimal("3000");
        BigDecimal free = new BigDecimal("5000");
        final List<Intent> issued = new ArrayList<>();
        /** Everything the engine decided on the marks, in order. */
        final List<Decided> decided = new ArrayList<>();
        /** Live: the venue accepts, but its position update comes only when {@link #publish} is called by hand. */
        boolean updatesLate;

        Desk() {
            this(IntentIds.replay(), null, T0);
        }

        /**
         * A desk whose engine gives client ids from {@code ids} and, when {@code memory} is given, takes up where an
         * earlier process left off before it hears the venue's truth at {@code start}.
         */
        Desk(IntentIds ids, Engine.Memory memory, Instant start) {
            this(ids, memory, List.of(), start);
        }

        /** As above, with {@code unsettled} intents the last process journalled and never saw answered. */
        Desk(IntentIds ids, Engine.Memory memory, List<Intent> unsettled, Instant start) {
            engine = new Engine(
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
                    ids);
            if (memory != null) {
                engine.restore(memory, unsettled);
            }
            engine.step(new EngineEvent.BalanceUpdated(start, free));
            publish(start);
        }

        void publish(Instant t) {
            publish(t, wallet);
        }

        void publish(Instant t, BigDecimal wallet) {
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
            Step step = engine.step(new EngineEvent.MarkUpdated(t, BTC, new BigDecimal(price), new BigDecimal(price)));
            decided.addAll(step.decided());
            List<Intent> intents = step.intents();
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
                if (!updatesLate) {
                    publish(t);
                    engine.step(new EngineEvent.BalanceUpdated(t, free));
                }
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

        assertThat(desk.decided)
                .filteredOn(d -> d instanceof Decided.Refused)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(((Decided.Refused) d).reason())
                        .isEqualTo("the outcome of bl-2 is unknown until a reconcile reads it"));

        // A position read alone does not say whether the request applied: still blocked.
        Instant read = T0.plus(Duration.ofMinutes(90)).plusSeconds(10);
        desk.publish(read);
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        assertThat(desk.gate.charged("bl-2")).isTrue();

        // The reconcile reads the margin history: the top-up did not happen. Its money comes back; the position may
        // be protected again.
        Intent timedOut = desk.issued.stream()
                .filter(i -> i.action() instanceof Action.TopUpMargin)
                .findFirst()
                .orElseThrow();
        Step reconciled = desk.engine.step(new EngineEvent.OutcomeReported(
                read.plusSeconds(1), timedOut, new Outcome.Rejected("reconcile", "not in the margin history")));
        assertThat(reconciled.decided())
                .containsExactly(new Decided.TradingStateMoved(
                        read.plusSeconds(1),
                        TradingState.REDUCING,
                        TradingState.ACTIVE,
                        "marks are fresh and every position's truth is known"));
        assertThat(desk.gate.charged("bl-2")).isFalse();
        assertThat(desk.gate.episodeSpent(BTC + ":long")).isZero();
        desk.mark(100, "56000", true);
        assertThat(desk.actions().size()).isGreaterThan(1);
    }

    @Test
    void an_action_on_its_way_to_the_venue_blocks_the_next_until_its_answer_whatever_the_cooldown() {
        Desk desk = new Desk();
        desk.mark(0, "60000", true);
        desk.mark(30, "58800", true);
        // The top-up is issued; its answer has not come back yet (a slow venue, a request timing out).
        Instant sent = T0.plus(Duration.ofMinutes(60));
        Step first = desk.engine.step(
                new EngineEvent.MarkUpdated(sent, BTC, new BigDecimal("57600"), new BigDecimal("57600")));
        assertThat(first.intents()).hasSize(1);
        Intent topUp = first.intents().get(0);
        assertThat(topUp.action()).isInstanceOf(Action.TopUpMargin.class);

        // Past the ladder's cooldown and deeper: measured on the old margin, the policy would act again. It may not.
        Step second = desk.engine.step(new EngineEvent.MarkUpdated(
                sent.plus(Duration.ofMinutes(10)), BTC, new BigDecimal("56300"), new BigDecimal("56300")));
        assertThat(second.intents()).isEmpty();
        assertThat(second.decided())
                .filteredOn(d -> d instanceof Decided.Refused)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(((Decided.Refused) d).reason())
                        .isEqualTo(topUp.clientId() + " is on its way to the venue; waiting for its answer"));

        // Its answer comes: from then on the pending rule holds until the venue's position shows it.
        desk.engine.step(new EngineEvent.OutcomeReported(
                sent.plus(Duration.ofMinutes(10)),
                topUp,
                new Outcome.Accepted(((Action.TopUpMargin) topUp.action()).amount())));
        Step third = desk.engine.step(new EngineEvent.MarkUpdated(
                sent.plus(Duration.ofMinutes(11)), BTC, new BigDecimal("56300"), new BigDecimal("56300")));
        assertThat(third.intents()).isEmpty();
        assertThat(third.decided())
                .filteredOn(d -> d instanceof Decided.Refused)
                .allSatisfy(d -> assertThat(((Decided.Refused) d).reason()).contains("was accepted; waiting for"));
    }

    @Test
    void accepted_is_not_applied_until_a_position_update_shows_it() {
        Desk desk = new Desk();
        desk.updatesLate = true; // live: the venue's ACCOUNT_UPDATE and the REST read come later
        BigDecimal walletBefore = desk.wallet;
        desk.mark(0, "60000", true);
        desk.mark(30, "58800", true);
        desk.mark(60, "57600", true); // the top-up is accepted, but the engine has not seen the new margin
        assertThat(desk.actions()).hasSize(1).first().isInstanceOf(Action.TopUpMargin.class);

        // The mark keeps falling: measured on the old margin the policy would act again; the position is pending.
        desk.decided.clear();
        desk.mark(90, "56400", true);
        desk.mark(95, "56300", true);
        assertThat(desk.actions()).hasSize(1);
        assertThat(desk.decided)
                .filteredOn(d -> d instanceof Decided.Refused)
                .isNotEmpty()
                .allSatisfy(d -> assertThat(((Decided.Refused) d).reason())
                        .isEqualTo("bl-2 was accepted; waiting for the position update that shows it"));

        // An update older than the outcome shows the position before the top-up: still pending.
        desk.publish(T0.plus(Duration.ofMinutes(59)), walletBefore);
        desk.decided.clear();
        desk.mark(96, "56300", true);
        assertThat(desk.actions()).hasSize(1);
        assertThat(desk.decided).anySatisfy(d -> assertThat(d).isInstanceOf(Decided.Refused.class));

        // The venue's update after the outcome: the engine measures the new margin and may act again.
        desk.publish(T0.plus(Duration.ofMinutes(96)).plusSeconds(1));
        desk.decided.clear();
        desk.mark(97, "56200", true);
        assertThat(desk.decided).noneSatisfy(d -> assertThat(d).isInstanceOf(Decided.Refused.class));
    }

    @Test
    void a_ban_holds_reducing_until_it_ends_and_a_halt_holds_until_an_operator_resumes() {
        Desk desk = new Desk();
        desk.mark(0, "60000", true);
        Instant banned = T0.plus(Duration.ofMinutes(1));
        Instant until = banned.plus(Duration.ofMinutes(10));
        assertThat(desk.engine.step(new EngineEvent.VenueBanned(banned, until, "HTTP 418: IP banned")))
                .isEqualTo(new Step(List.of(new Decided.TradingStateMoved(
                        banned,
                        TradingState.ACTIVE,
                        TradingState.REDUCING,
                        "HTTP 418: IP banned until 2024-10-24T00:11:00Z"))));
        // Fresh marks do not lift it: the ban stands until it ends.
        desk.mark(5, "60000", true);
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        desk.decided.clear();
        desk.mark(11, "60000", true);
        assertThat(desk.decided)
                .containsExactly(new Decided.TradingStateMoved(
                        until,
                        TradingState.REDUCING,
                        TradingState.ACTIVE,
                        "marks are fresh and every position's truth is known"));

        Instant halt = T0.plus(Duration.ofMinutes(12));
        assertThat(desk.engine
                        .step(new EngineEvent.OperatorCommand(
                                halt, EngineEvent.OperatorCommand.Command.HALT, "checking the account by hand"))
                        .decided())
                .containsExactly(new Decided.TradingStateMoved(
                        halt,
                        TradingState.ACTIVE,
                        TradingState.HALTED,
                        "an operator halted trading: checking the account by hand"));
        // The mark falls into the ladder's top-up zone: only alerts pass, and the refusal says why.
        desk.decided.clear();
        desk.mark(30, "58800", true);
        desk.mark(60, "57600", true);
        assertThat(desk.actions()).isEmpty();
        assertThat(desk.decided)
                .filteredOn(d -> d instanceof Decided.Refused)
                .isNotEmpty()
                .allSatisfy(d ->
                        assertThat(((Decided.Refused) d).reason()).isEqualTo("trading is HALTED: only alerts pass"));
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.HALTED);

        desk.engine.step(new EngineEvent.OperatorCommand(
                T0.plus(Duration.ofMinutes(61)), EngineEvent.OperatorCommand.Command.RESUME, "looked"));
        // The last mark is a minute old by now: stale, so REDUCING until a fresh one.
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        desk.mark(62, "57600", true);
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.ACTIVE);
        assertThat(desk.actions()).isNotEmpty();

        // A fault a human must fix halts trading until an operator resumes it, whatever the marks say.
        Intent next = desk.issued.get(desk.issued.size() - 1);
        desk.engine.step(new EngineEvent.OutcomeReported(
                T0.plus(Duration.ofMinutes(63)), next, new Outcome.Fatal("-2015: invalid API key")));
        desk.mark(64, "57600", true);
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.HALTED);
    }

    @Test
    void a_step_says_everything_it_decided() {
        Desk desk = new Desk();
        desk.mark(0, "60000", true);
        desk.mark(30, "58800", true);
        desk.mark(60, "57600", true);
        desk.mark(90, "56400", true);
        // Every level move is told, and every intent issued carries the id it was admitted under, in order.
        List<String> told = desk.decided.stream()
                .map(d -> switch (d) {
                    case Decided.LevelMoved l -> "level " + l.from() + "->" + l.to();
                    case Decided.Issued i ->
                        "issued " + i.intent().clientId() + " "
                                + i.intent().action().getClass().getSimpleName();
                    case Decided.Refused r -> "refused " + r.action().getClass().getSimpleName();
                    case Decided.TradingStateMoved t -> "trading " + t.to();
                })
                .toList();
        assertThat(told)
                .containsExactly(
                        "level WATCH->WARN",
                        "issued bl-1 Alert",
                        "level WARN->TOP_UP",
                        "issued bl-2 TopUpMargin",
                        "issued bl-3 ReducePosition");
    }

    @Test
    void stale_mark_alerts_and_allows_only_protective_actions() {
        Desk desk = new Desk();
        desk.wallet = new BigDecimal("9000"); // far more margin than needed: the ladder would release some
        desk.publish(T0);
        desk.mark(0, "60000", true);
        int before = desk.issued.size();

        List<Intent> onTimer = desk.engine
                .step(new EngineEvent.TimerFired(T0.plus(Duration.ofMinutes(10))))
                .intents();
        assertThat(desk.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        assertThat(onTimer).isNotEmpty().allSatisfy(i -> assertThat(i.action()).isInstanceOf(Action.Alert.class));
        assertThat(((Action.Alert) onTimer.get(0).action()).reason()).contains("no mark for 600 s");
        assertThat(desk.gate.admit(
                        BTC + ":long",
                        "t-release",
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
