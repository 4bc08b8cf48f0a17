package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.Side;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.policy.RiskLevel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * The gate against its own model: random sequences of free-balance updates, episodes, top-ups at increasing instants
 * over several UTC days, refunds, trading-state switches and restarts (the gate replaced by a new one restored from its
 * memory). After every step the budgets hold (per position per episode, per UTC day, never more than the free balance)
 * and the trading state lets through exactly what it should.
 */
class GateProperties {

    static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    static final Instant START = Instant.parse("2024-03-01T20:00:00Z");
    static final String SYMBOL = "BTCUSDT";

    // ---------------------------------------------------------------- operations

    sealed interface Op {
        /** Minutes the clock moves forward before the operation. */
        long advance();
    }

    record SetFree(long advance, BigDecimal amount) implements Op {}

    record StartEpisode(long advance, int pos) implements Op {}

    record EndEpisode(long advance, int pos) implements Op {}

    enum Amount {
        /** The generated amount. */
        RANDOM,
        /** Exactly what the gate says is left (must pass). */
        EXACTLY_LEFT,
        /** A cent more than what is left (must be refused). */
        JUST_OVER
    }

    record TopUp(long advance, int pos, BigDecimal amount, Amount how) implements Op {}

    /** Refunds one of the outstanding admitted top-ups, chosen by {@code pick} modulo how many may be refunded. */
    record Refund(long advance, int pick) implements Op {}

    record SwitchState(long advance, TradingState state) implements Op {}

    enum Kind {
        ALERT,
        RELEASE,
        REDUCE,
        CLOSE,
        CANCEL
    }

    /** Any action that is not a top-up. */
    record Other(long advance, int pos, Kind kind) implements Op {}

    /** Asks the gate what is left (this is a budget check: it may start the day). */
    record Query(long advance, int pos) implements Op {}

    /** The bot restarts: a new gate takes up the old one's memory, as the journal hands it back. */
    record Restart(long advance) implements Op {}

    record Run(int positions, BigDecimal episodePct, BigDecimal dayPct, BigDecimal initialFree, List<Op> ops) {}

    // ---------------------------------------------------------------- generators

    static Arbitrary<BigDecimal> money(String max) {
        return Arbitraries.bigDecimals()
                .between(BigDecimal.ZERO, new BigDecimal(max))
                .ofScale(2)
                .withDistribution(RandomDistribution.uniform());
    }

    static Arbitrary<BigDecimal> pct() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        8,
                        Arbitraries.bigDecimals()
                                .between(BigDecimal.ZERO, HUNDRED)
                                .ofScale(1)
                                .withDistribution(RandomDistribution.uniform())),
                Tuple.of(1, Arbitraries.of(BigDecimal.ZERO, HUNDRED)));
    }

    static Arbitrary<Long> advance() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(0L)),
                Tuple.of(4, Arbitraries.longs().between(1, 120)),
                Tuple.of(2, Arbitraries.longs().between(121, 1440)));
    }

    static Arbitrary<Op> op() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, 2);
        Arbitrary<BigDecimal> topUpAmount = Arbitraries.frequencyOf(
                Tuple.of(
                        3,
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("0.01"), new BigDecimal("200"))
                                .ofScale(2)
                                .withDistribution(RandomDistribution.uniform())),
                Tuple.of(
                        1,
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("0.01"), new BigDecimal("5000"))
                                .ofScale(2)
                                .withDistribution(RandomDistribution.uniform())));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Combinators.combine(advance(), money("10000")).as(SetFree::new)),
                Tuple.of(2, Combinators.combine(advance(), pos).as(StartEpisode::new)),
                Tuple.of(1, Combinators.combine(advance(), pos).as(EndEpisode::new)),
                Tuple.of(
                        8,
                        Combinators.combine(
                                        advance(),
                                        pos,
                                        topUpAmount,
                                        Arbitraries.frequency(
                                                Tuple.of(4, Amount.RANDOM),
                                                Tuple.of(2, Amount.EXACTLY_LEFT),
                                                Tuple.of(1, Amount.JUST_OVER)))
                                .as(TopUp::new)),
                Tuple.of(
                        3,
                        Combinators.combine(advance(), Arbitraries.integers().between(0, 1000))
                                .as(Refund::new)),
                Tuple.of(
                        2,
                        Combinators.combine(
                                        advance(),
                                        Arbitraries.frequency(
                                                Tuple.of(3, TradingState.ACTIVE),
                                                Tuple.of(2, TradingState.REDUCING),
                                                Tuple.of(1, TradingState.HALTED)))
                                .as(SwitchState::new)),
                Tuple.of(
                        2,
                        Combinators.combine(advance(), pos, Arbitraries.of(Kind.class))
                                .as(Other::new)),
                Tuple.of(1, Combinators.combine(advance(), pos).as(Query::new)),
                Tuple.of(1, advance().map(Restart::new)));
    }

    @Provide
    Arbitrary<Run> runs() {
        return Combinators.combine(
                        Arbitraries.integers().between(1, 3),
                        pct(),
                        pct(),
                        money("10000"),
                        op().list().ofMinSize(20).ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform()))
                .as(Run::new);
    }

    // ---------------------------------------------------------------- the model

    /** One episode of one position: its budget, fixed at its start, and what was admitted minus refunded in it. */
    static final class EpisodeModel {
        final String position;
        final BigDecimal budget;
        BigDecimal net = BigDecimal.ZERO;

        EpisodeModel(String position, BigDecimal budget) {
            this.position = position;
            this.budget = budget;
        }
    }

    /** One UTC day: its budget, fixed at the first budget check of the day, and what was admitted minus refunded. */
    static final class DayModel {
        final BigDecimal budget;
        BigDecimal net = BigDecimal.ZERO;

        DayModel(BigDecimal budget) {
            this.budget = budget;
        }
    }

    record Admitted(String position, String clientId, Action.TopUpMargin topUp, EpisodeModel episode, LocalDate day) {}

    /**
     * Runs the operations against a gate and a model of it. With {@code strict}, a refund only gives back a top-up
     * admitted in the same episode and the same UTC day (the case the gate's books attribute unambiguously), and every
     * top-up verdict must match the model exactly; otherwise any outstanding top-up may be refunded later, and only the
     * invariants are checked.
     */
    static final class Harness {
        final Gate.Params params;
        Gate gate;
        final boolean strict;
        final Map<String, EpisodeModel> open = new HashMap<>();
        final List<EpisodeModel> allEpisodes = new ArrayList<>();
        final Map<LocalDate, DayModel> days = new LinkedHashMap<>();
        final List<Admitted> outstanding = new ArrayList<>();
        TradingState state = TradingState.ACTIVE;
        BigDecimal free;
        Instant now = START;
        int step;

        Harness(Gate.Params params, BigDecimal initialFree, boolean strict) {
            this.params = params;
            this.gate = new Gate(params);
            this.strict = strict;
            this.free = initialFree;
            gate.freeBalance(initialFree);
        }

        /**
         * The gate's share: 16 significant digits (DECIMAL64). Amounts that are exactly what is left carry many digits
         * into the free balance, so the model must round as the gate does to agree to the last digit.
         */
        static BigDecimal share(BigDecimal amount, BigDecimal pct) {
            return amount.max(BigDecimal.ZERO).multiply(pct).divide(HUNDRED, MathContext.DECIMAL64);
        }

        LocalDate today() {
            return now.atZone(ZoneOffset.UTC).toLocalDate();
        }

        /** A budget check: the first one of a UTC day fixes that day's budget from the free balance now. */
        DayModel budgetCheck() {
            return days.computeIfAbsent(today(), d -> new DayModel(share(free, params.daySharePct())));
        }

        BigDecimal expectedLeft(String position) {
            DayModel day = budgetCheck();
            EpisodeModel episode = open.get(position);
            BigDecimal episodeLeft = episode == null ? BigDecimal.ZERO : episode.budget.subtract(episode.net);
            return episodeLeft.min(day.budget.subtract(day.net)).min(free).max(BigDecimal.ZERO);
        }

        void apply(Op op) {
            step++;
            now = now.plus(Duration.ofMinutes(op.advance()));
            switch (op) {
                case SetFree s -> {
                    free = s.amount();
                    gate.freeBalance(s.amount());
                }
                case StartEpisode s -> {
                    String position = "P" + s.pos();
                    EpisodeModel episode = new EpisodeModel(position, share(free, params.episodeSharePct()));
                    open.put(position, episode);
                    allEpisodes.add(episode);
                    gate.startEpisode(position);
                    assertThat(gate.episodeBudget(position))
                            .as("step %d: episode budget of %s", step, position)
                            .isEqualByComparingTo(episode.budget);
                }
                case EndEpisode e -> {
                    open.remove("P" + e.pos());
                    gate.endEpisode("P" + e.pos());
                }
                case TopUp t -> topUp(t);
                case Refund r -> refund(r);
                case SwitchState s -> {
                    state = s.state();
                    gate.tradingState(s.state());
                    assertThat(gate.tradingState()).isEqualTo(s.state());
                }
                case Other o -> other(o);
                case Query q -> {
                    String position = "P" + q.pos();
                    BigDecimal expected = expectedLeft(position);
                    BigDecimal left = gate.budgetLeft(position, now);
                    if (strict) {
                        assertThat(left)
                                .as("step %d: budget left for %s", step, position)
                                .isEqualByComparingTo(expected);
                    }
                }
                case Restart r -> {
                    Gate.Memory memory = gate.memory();
                    Gate restarted = new Gate(params);
                    restarted.restore(memory);
                    restarted.tradingState(state); // the engine's to hold, not the gate's
                    assertThat(restarted.memory())
                            .as("step %d: a restored gate's memory", step)
                            .isEqualTo(memory);
                    gate = restarted;
                }
            }
            checkInvariants(op);
        }

        void topUp(TopUp t) {
            String position = "P" + t.pos();
            BigDecimal amount = t.amount();
            if (t.how() != Amount.RANDOM) {
                if (state == TradingState.HALTED) {
                    return; // asking for what is left would be a budget check the gate does not make when HALTED
                }
                BigDecimal left = gate.budgetLeft(position, now);
                BigDecimal modelLeft = expectedLeft(position);
                if (strict) {
                    assertThat(left)
                            .as("step %d: budget left for %s", step, position)
                            .isEqualByComparingTo(modelLeft);
                }
                amount = t.how() == Amount.EXACTLY_LEFT ? left : left.add(new BigDecimal("0.01"));
                if (amount.signum() <= 0) {
                    return;
                }
            }
            Action.TopUpMargin action = new Action.TopUpMargin(SYMBOL, Side.LONG, amount, "property");
            BigDecimal freeKnown = gate.freeBalance();
            EpisodeModel episode = open.get(position);
            // The gate checks the budgets (and so may start the day) only when the state lets a top-up through.
            BigDecimal expectedLeft = state == TradingState.HALTED ? null : expectedLeft(position);

            String clientId = "c" + step;
            Gate.Verdict verdict = gate.admit(position, clientId, action, now);

            if (state == TradingState.HALTED) {
                assertThat(verdict).as("step %d: top-up while HALTED", step).isInstanceOf(Gate.Verdict.Refused.class);
                return;
            }
            if (episode == null) {
                assertThat(verdict)
                        .as("step %d: top-up for %s with no open episode", step, position)
                        .isInstanceOf(Gate.Verdict.Refused.class);
            }
            if (verdict instanceof Gate.Verdict.Admitted) {
                assertThat(amount)
                        .as("step %d: admitted top-up vs the free balance the gate knew", step)
                        .isLessThanOrEqualTo(freeKnown);
                assertThat(episode)
                        .as("step %d: admitted top-up without an episode", step)
                        .isNotNull();
                episode.net = episode.net.add(amount);
                DayModel day = days.get(today());
                day.net = day.net.add(amount);
                free = free.subtract(amount);
                outstanding.add(new Admitted(position, clientId, action, episode, today()));
                assertThat(gate.charged(clientId)).isTrue();
            }
            if (strict) {
                // Judged only by the budgets, in ACTIVE and REDUCING alike.
                boolean fits = amount.compareTo(expectedLeft) <= 0;
                assertThat(verdict)
                        .as("step %d: top-up %s for %s with %s left (%s)", step, amount, position, expectedLeft, state)
                        .isInstanceOf(fits ? Gate.Verdict.Admitted.class : Gate.Verdict.Refused.class);
            }
            if (t.how() == Amount.JUST_OVER) {
                assertThat(verdict)
                        .as("step %d: a cent over what is left", step)
                        .isInstanceOf(Gate.Verdict.Refused.class);
            }
        }

        void refund(Refund r) {
            List<Admitted> candidates = outstanding.stream()
                    .filter(a -> !strict
                            || (open.get(a.position()) == a.episode() && a.day().equals(today())))
                    .toList();
            if (candidates.isEmpty()) {
                return;
            }
            Admitted a = candidates.get(r.pick() % candidates.size());
            // By client id: two top-ups of the same amount are equal records but different requests.
            outstanding.removeIf(x -> x.clientId().equals(a.clientId()));
            budgetCheck(); // the gate rolls the day before giving the money back
            gate.refund(a.clientId(), now);
            assertThat(gate.charged(a.clientId())).isFalse();
            BigDecimal amount = a.topUp().amount();
            a.episode().net = a.episode().net.subtract(amount);
            days.get(a.day()).net = days.get(a.day()).net.subtract(amount);
            free = free.add(amount);
        }

        void other(Other o) {
            Action action = switch (o.kind()) {
                case ALERT -> new Action.Alert(SYMBOL, Side.LONG, RiskLevel.WARN, "property");
                case RELEASE -> new Action.ReleaseMargin(SYMBOL, Side.LONG, BigDecimal.ONE, "property");
                case REDUCE ->
                    new Action.ReducePosition(
                            SYMBOL, Side.LONG, BigDecimal.ONE, PartialCloseRelease.KEEP_MARGIN, "property");
                case CLOSE -> new Action.ClosePosition(SYMBOL, Side.LONG, "property");
                case CANCEL -> new Action.CancelRiskAddingOrders(SYMBOL, Side.LONG, "property");
            };
            BigDecimal freeBefore = gate.freeBalance();
            BigDecimal daySpentBefore = gate.daySpent();
            Gate.Verdict verdict = gate.admit("P" + o.pos(), "o" + step, action, now);
            boolean admitted;
            if (o.kind() == Kind.ALERT) {
                admitted = true;
            } else if (state == TradingState.HALTED) {
                admitted = false;
            } else if (state == TradingState.REDUCING) {
                admitted = o.kind() != Kind.RELEASE;
            } else {
                admitted = true;
            }
            assertThat(verdict)
                    .as("step %d: %s while %s", step, o.kind(), state)
                    .isInstanceOf(admitted ? Gate.Verdict.Admitted.class : Gate.Verdict.Refused.class);
            // Only top-ups spend money.
            assertThat(gate.freeBalance()).isEqualByComparingTo(freeBefore);
            assertThat(gate.daySpent()).isEqualByComparingTo(daySpentBefore);
        }

        void checkInvariants(Op op) {
            for (EpisodeModel episode : allEpisodes) {
                assertThat(episode.net)
                        .as(
                                "after step %d (%s): admitted minus refunded in an episode of %s vs its budget",
                                step, op, episode.position)
                        .isLessThanOrEqualTo(episode.budget);
            }
            days.forEach((date, day) -> assertThat(day.net)
                    .as("after step %d (%s): admitted minus refunded on %s vs the day's budget", step, op, date)
                    .isLessThanOrEqualTo(day.budget));
            assertThat(gate.freeBalance())
                    .as("after step %d: free balance", step)
                    .isEqualByComparingTo(free);
            assertThat(gate.tradingState()).isEqualTo(state);
            if (strict) {
                for (int p = 0; p < 3; p++) {
                    EpisodeModel episode = open.get("P" + p);
                    assertThat(gate.episodeSpent("P" + p))
                            .as("after step %d: episode spent of P%d", step, p)
                            .isEqualByComparingTo(episode == null ? BigDecimal.ZERO : episode.net);
                }
                DayModel day = days.get(today());
                if (day != null) {
                    assertThat(gate.daySpent())
                            .as("after step %d: day spent", step)
                            .isEqualByComparingTo(day.net);
                    assertThat(gate.dayBudget())
                            .as("after step %d: day budget", step)
                            .isEqualByComparingTo(day.budget);
                }
            }
        }
    }

    static Harness run(Run run, boolean strict) {
        Harness harness = new Harness(new Gate.Params(run.episodePct(), run.dayPct()), run.initialFree(), strict);
        for (Op op : run.ops()) {
            harness.apply(restrict(op, run.positions()));
        }
        return harness;
    }

    /** Folds position indexes onto the run's 1–3 positions. */
    static Op restrict(Op op, int positions) {
        return switch (op) {
            case StartEpisode s -> new StartEpisode(s.advance(), s.pos() % positions);
            case EndEpisode e -> new EndEpisode(e.advance(), e.pos() % positions);
            case TopUp t -> new TopUp(t.advance(), t.pos() % positions, t.amount(), t.how());
            case Other o -> new Other(o.advance(), o.pos() % positions, o.kind());
            case Query q -> new Query(q.advance(), q.pos() % positions);
            default -> op;
        };
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 300)
    void budgets_and_trading_state_hold_after_every_operation(@ForAll("runs") Run run) {
        run(run, true);
    }

    @Property(tries = 300)
    void budgets_hold_when_refunds_arrive_after_the_episode_or_day_changed(@ForAll("runs") Run run) {
        run(run, false);
    }

    @Example
    void a_top_up_without_an_open_episode_is_refused() {
        Gate gate = new Gate(new Gate.Params(HUNDRED, HUNDRED));
        gate.freeBalance(new BigDecimal("1000"));

        assertThat(gate.admit("P0", "c1", topUp("0.01"), START)).isInstanceOf(Gate.Verdict.Refused.class);
        assertThat(gate.budgetLeft("P0", START)).isZero();
        gate.startEpisode("P0");
        gate.endEpisode("P0");
        assertThat(gate.admit("P0", "c2", topUp("0.01"), START)).isInstanceOf(Gate.Verdict.Refused.class);
        assertThat(gate.freeBalance()).isEqualByComparingTo("1000");
    }

    @Example
    void a_refund_from_an_earlier_episode_does_not_enlarge_the_new_one() {
        Gate gate = new Gate(new Gate.Params(new BigDecimal("10"), HUNDRED));
        gate.freeBalance(new BigDecimal("1000"));
        gate.startEpisode("P0"); // budget 100
        Action.TopUpMargin first = topUp("100");
        assertThat(gate.admit("P0", "first", first, START)).isInstanceOf(Gate.Verdict.Admitted.class);
        gate.endEpisode("P0");
        gate.startEpisode("P0"); // budget 10 % of 900 = 90
        gate.refund("first", START); // the first episode's top-up did not happen

        // The new episode has spent nothing: it may spend its 90, not 190.
        assertThat(gate.budgetLeft("P0", START)).isEqualByComparingTo("90");
        assertThat(gate.admit("P0", "c2", topUp("190"), START)).isInstanceOf(Gate.Verdict.Refused.class);
    }

    @Example
    void a_refund_of_yesterdays_top_up_does_not_enlarge_today() {
        Gate gate = new Gate(new Gate.Params(HUNDRED, new BigDecimal("50")));
        gate.freeBalance(new BigDecimal("100"));
        gate.startEpisode("P0");
        Instant day1 = Instant.parse("2024-03-01T23:00:00Z");
        Action.TopUpMargin yesterday = topUp("50");
        assertThat(gate.admit("P0", "yesterday", yesterday, day1))
                .isInstanceOf(Gate.Verdict.Admitted.class); // day 1: 50 of 50

        Instant day2 = Instant.parse("2024-03-02T01:00:00Z"); // day 2 budget: 50 % of 50 = 25
        assertThat(gate.admit("P0", "c2", topUp("20"), day2)).isInstanceOf(Gate.Verdict.Admitted.class);
        gate.refund("yesterday", day2.plusSeconds(60)); // day 1's top-up did not happen after all

        // Day 2 has spent 20 of its 25: 5 left, however day 1 ended.
        assertThat(gate.budgetLeft("P0", day2.plusSeconds(120))).isEqualByComparingTo("5");
        assertThat(gate.admit("P0", "c3", topUp("25"), day2.plusSeconds(120))).isInstanceOf(Gate.Verdict.Refused.class);
    }

    @Example
    void the_gate_caps_the_number_of_top_ups_per_episode_whatever_the_money_left() {
        Gate gate = new Gate(new Gate.Params(HUNDRED, HUNDRED, 2));
        gate.freeBalance(new BigDecimal("1000"));
        gate.startEpisode("P0");
        assertThat(gate.admit("P0", "c1", topUp("1"), START)).isInstanceOf(Gate.Verdict.Admitted.class);
        Action.TopUpMargin second = topUp("1");
        assertThat(gate.admit("P0", "second", second, START)).isInstanceOf(Gate.Verdict.Admitted.class);
        assertThat(gate.admit("P0", "c3", topUp("1"), START)).isInstanceOf(Gate.Verdict.Refused.class);
        // One that did not happen does not count.
        gate.refund("second", START);
        assertThat(gate.admit("P0", "c4", topUp("1"), START)).isInstanceOf(Gate.Verdict.Admitted.class);
        // A new episode starts counting again.
        gate.endEpisode("P0");
        gate.startEpisode("P0");
        assertThat(gate.admit("P0", "c5", topUp("1"), START)).isInstanceOf(Gate.Verdict.Admitted.class);
    }

    @Example
    void a_client_id_is_charged_once_and_a_restored_gate_refunds_what_the_last_one_charged() {
        Gate gate = new Gate(new Gate.Params(HUNDRED, HUNDRED));
        gate.freeBalance(new BigDecimal("1000"));
        gate.startEpisode("P0");
        assertThat(gate.admit("P0", "bl7-1", topUp("100"), START)).isInstanceOf(Gate.Verdict.Admitted.class);
        assertThatThrownBy(() -> gate.admit("P0", "bl7-1", topUp("1"), START))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bl7-1");

        // The process dies; the next one restores the journalled memory and hears that bl7-1 did not happen.
        Gate next = new Gate(new Gate.Params(HUNDRED, HUNDRED));
        next.restore(gate.memory());
        assertThat(next.episodeSpent("P0")).isEqualByComparingTo("100");
        assertThat(next.freeBalance()).isEqualByComparingTo("900");
        next.refund("bl7-1", START.plusSeconds(5));
        assertThat(next.episodeSpent("P0")).isZero();
        assertThat(next.freeBalance()).isEqualByComparingTo("1000");
        assertThat(next.daySpent()).isZero();
    }

    static Action.TopUpMargin topUp(String amount) {
        return new Action.TopUpMargin(SYMBOL, Side.LONG, new BigDecimal(amount), "example");
    }
}
