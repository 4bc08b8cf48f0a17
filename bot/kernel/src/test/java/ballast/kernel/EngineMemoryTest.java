package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.kernel.EngineScenarioTest.Desk;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A restart: the engine's memory handed to a new engine, as the journal will hand it back. Budgets, top-up counts,
 * cooldowns, client ids and intents still waiting for the venue continue where they were.
 */
class EngineMemoryTest {

    static final Instant T0 = EngineScenarioTest.T0;

    /** A desk whose engine tops up once at 57,600 and hears it applied. */
    static Desk toppedUp() {
        Desk desk = new Desk(new IntentIds("acct7-", 1), null, T0);
        desk.mark(0, "60000", true);
        desk.mark(30, "58800", true);
        desk.mark(60, "57600", true);
        assertThat(desk.actions()).hasSize(1).first().isInstanceOf(Action.TopUpMargin.class);
        return desk;
    }

    @Test
    void a_restart_takes_up_the_budgets_the_episode_and_the_client_ids_where_they_were() {
        Desk before = toppedUp();
        Engine.Memory memory = before.engine.memory();
        Instant restart = T0.plus(Duration.ofMinutes(61));

        Desk after = new Desk(new IntentIds("acct7-", 1), memory, restart);
        // The venue as the old process left it.
        after.wallet = before.wallet;
        after.free = before.free;
        after.publish(restart);
        after.engine.step(new EngineEvent.BalanceUpdated(restart, before.free));

        // Nothing was lost: the same episode, the same money spent, the same top-up count and cooldown.
        Engine.Memory taken = after.engine.memory();
        assertThat(taken.gate().episodes()).isEqualTo(memory.gate().episodes());
        assertThat(taken.gate().daySpent()).isEqualByComparingTo(memory.gate().daySpent());
        assertThat(taken.books()).hasSize(1);
        Engine.BookMemory book = taken.books().get(0);
        Engine.BookMemory was = memory.books().get(0);
        assertThat(book.topUpsThisEpisode()).isEqualTo(1);
        assertThat(book.lastActionAt()).isEqualTo(was.lastActionAt());
        assertThat(book.level()).isEqualTo(was.level());
        assertThat(book.netAdded()).isEqualByComparingTo(was.netAdded());
        assertThat(book.openingEquity()).isEqualByComparingTo(was.openingEquity());
        assertThat(after.gate.episodeSpent("BTCUSDT:long"))
                .isEqualByComparingTo(before.gate.episodeSpent("BTCUSDT:long"));

        // Client ids continue: the next intent is not a second acct7-1 or acct7-2.
        after.mark(90, "56400", true);
        after.mark(91, "55600", true);
        after.mark(92, "55000", true);
        assertThat(after.issued)
                .isNotEmpty()
                .allSatisfy(i -> assertThat(i.clientId())
                        .startsWith("acct7-")
                        .isNotIn(before.issued.stream().map(Intent::clientId).toList()));
    }

    @Test
    void a_restart_with_an_unknown_top_up_does_not_repeat_it_before_a_reconcile() {
        Desk before = new Desk(new IntentIds("acct7-", 1), null, T0);
        before.mark(0, "60000", true);
        before.mark(30, "58800", true);
        before.mark(60, "57600", false); // the top-up timed out; then the process was killed
        Intent timedOut = before.issued.stream()
                .filter(i -> i.action() instanceof Action.TopUpMargin)
                .findFirst()
                .orElseThrow();
        Engine.Memory memory = before.engine.memory();
        assertThat(memory.books().get(0).unknown()).containsExactly(timedOut.clientId());

        Instant restart = T0.plus(Duration.ofMinutes(62));
        Desk after = new Desk(new IntentIds("acct7-", 1), memory, restart);
        // The venue's positions alone do not settle it; the mark keeps falling; nothing but alerts goes out.
        after.mark(63, "56400", true);
        after.mark(64, "56300", true);
        assertThat(after.actions()).isEmpty();
        assertThat(after.gate.charged(timedOut.clientId())).isTrue();
        assertThat(after.gate.tradingState()).isEqualTo(TradingState.REDUCING);

        // The reconcile finds the top-up in the margin history: applied. Its charge is final, the position free.
        after.engine.step(new EngineEvent.OutcomeReported(
                restart.plusSeconds(300), timedOut, new Outcome.Accepted(new BigDecimal("600"))));
        assertThat(after.gate.charged(timedOut.clientId())).isFalse();
        assertThat(after.gate.episodeSpent("BTCUSDT:long"))
                .isEqualByComparingTo(((Action.TopUpMargin) timedOut.action()).amount());
        after.publish(restart.plusSeconds(301));
        assertThat(after.gate.tradingState()).isEqualTo(TradingState.REDUCING); // the marks are minutes old
        after.mark(70, "56300", true);
        assertThat(after.gate.tradingState()).isEqualTo(TradingState.ACTIVE);
    }

    @Test
    void an_intent_journalled_but_never_answered_blocks_its_position_after_a_restart_until_it_is_settled() {
        Desk before = toppedUp();
        Engine.Memory memory = before.engine.memory();
        // The process journalled a cut and died before the venue answered: the engine never heard an outcome.
        Intent cut = new Intent(
                "acct7-9",
                new Action.ReducePosition(
                        "BTCUSDT",
                        ballast.core.Side.LONG,
                        new BigDecimal("0.1"),
                        ballast.core.margin.PartialCloseRelease.KEEP_NET,
                        "guard"));
        Desk restarted = new Desk(new IntentIds("acct7-", 1), memory, java.util.List.of(cut), T0.plusSeconds(3700));
        restarted.mark(62, "57500", true);
        assertThat(restarted.actions()).isEmpty();
        assertThat(restarted.gate.tradingState()).isEqualTo(TradingState.REDUCING);
        assertThat(restarted.decided)
                .filteredOn(d -> d instanceof Decided.Refused)
                .allSatisfy(d -> assertThat(((Decided.Refused) d).reason()).contains("acct7-9"));
        restarted.engine.step(new EngineEvent.OutcomeReported(
                T0.plusSeconds(3800), cut, new Outcome.Rejected("reconcile", "never arrived")));
        restarted.mark(64, "57500", true);
        assertThat(restarted.gate.tradingState()).isEqualTo(TradingState.ACTIVE);
    }

    @Test
    void a_reconcile_answered_before_the_position_is_heard_of_again_still_reaches_its_book_and_budget() {
        Desk before = new Desk(new IntentIds("acct7-", 1), null, T0);
        before.mark(0, "60000", true);
        before.mark(30, "58800", true);
        before.mark(60, "57600", false); // the top-up timed out, then the process died
        Intent timedOut = before.issued.stream()
                .filter(i -> i.action() instanceof Action.TopUpMargin)
                .findFirst()
                .orElseThrow();
        BigDecimal amount = ((Action.TopUpMargin) timedOut.action()).amount();
        Engine.Memory memory = before.engine.memory();
        BigDecimal addedBefore = memory.books().get(0).netAdded();

        Gate gate = new Gate(Gate.Params.defaults());
        Engine engine = new Engine(
                ballast.core.margin.MarginRules.binance(),
                java.util.Map.of(
                        "BTCUSDT",
                        ballast.exchange.tiers.ShippedRiskTiers.load()
                                .find(
                                        ballast.core.Venue.BINANCE,
                                        "BTCUSDT",
                                        java.util.Optional.of(java.time.LocalDate.parse("2024-10-24")))
                                .table()),
                new ballast.strategies.LadderPolicy(ballast.strategies.LadderParams.defaults()),
                gate,
                Engine.Params.defaults(),
                Monitor.FIXED,
                new IntentIds("acct7-", 1));
        engine.restore(memory, java.util.List.of(timedOut));
        // The reconcile answers first: the venue did apply it.
        Instant restart = T0.plus(Duration.ofMinutes(62));
        engine.step(new EngineEvent.OutcomeReported(restart, timedOut, new Outcome.Accepted(amount)));
        // Then the venue's positions: the book takes up the top-up it had not heard of.
        engine.step(new EngineEvent.PositionUpdated(
                restart.plusSeconds(1),
                new ballast.core.venue.PositionSnapshot(
                        "BTCUSDT",
                        ballast.core.Side.LONG,
                        ballast.core.margin.MarginMode.ISOLATED,
                        new BigDecimal("0.5"),
                        new BigDecimal("60000"),
                        new BigDecimal("3000").add(amount),
                        BigDecimal.TEN,
                        java.util.Optional.empty())));
        Engine.BookMemory book = engine.memory().books().get(0);
        assertThat(book.netAdded()).isEqualByComparingTo(addedBefore.add(amount));
        assertThat(book.unknown()).isEmpty();
        assertThat(gate.charged(timedOut.clientId())).isFalse();
        assertThat(gate.episodeSpent("BTCUSDT:long")).isEqualByComparingTo(amount);
    }

    @Test
    void a_memory_is_restored_only_into_an_engine_that_has_heard_nothing_and_ids_never_go_back() {
        Desk running = toppedUp();
        Engine.Memory memory = running.engine.memory();
        assertThatThrownBy(() -> running.engine.restore(memory))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before its first position update");

        IntentIds ids = new IntentIds("acct7-", 10);
        assertThatThrownBy(() -> ids.continueFrom(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 10 to 3");
        assertThatThrownBy(() -> new IntentIds("has space", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'has space'");
        assertThatThrownBy(() -> new IntentIds("a-prefix-that-is-far-too-long", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
