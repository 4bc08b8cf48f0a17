package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Fixed;
import ballast.core.Side;
import ballast.core.policy.Action;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Taking σ from another policy's engine changes nothing: an engine replaying a path through quiet runs with a
 * {@link VolatilityMemo} that an engine of another policy filled on the same path decides exactly as one that works
 * every σ out itself (the same steps, levels and policy inputs), and so does one whose state differs from the filler's
 * (a warm-up of its own), which must find no slot of the filler's to reuse.
 */
class VolatilityMemoProperties {

    static final String BTC = EngineQuietProperties.BTC;
    static final Instant T0 = EngineQuietProperties.T0;

    /** One path of events: marks, closed candles, the opening position. */
    static List<EngineEvent> path(long seed, Side side, int leverage) {
        Random random = new Random(seed);
        List<EngineEvent> events = new ArrayList<>();
        BigDecimal price = new BigDecimal("60000");
        BigDecimal high = price;
        BigDecimal low = price;
        Instant time = T0;
        for (int i = 0; i < 300; i++) {
            time = MonitorAgreementProperties.later(random, time);
            price = MonitorAgreementProperties.moved(random, price, 25, 500, 100);
            high = high.max(price);
            low = low.min(price);
            if (i % 12 == 11) {
                events.add(new EngineEvent.CandleClosed(time, BTC, high, low, Duration.ofHours(1)));
                high = price;
                low = price;
            }
            events.add(new EngineEvent.MarkUpdated(time, BTC, price, price));
        }
        return events;
    }

    /** What one engine decided along the path: every step and what its policy was asked. */
    record Run(
            List<Step> steps,
            List<?> inputs,
            int taken,
            int closesInRuns,
            int longest,
            int jumped,
            java.util.Optional<BigDecimal> minDistance) {}

    static Run run(
            String policy,
            Side side,
            int leverage,
            List<EngineEvent> warmUp,
            List<EngineEvent> path,
            VolatilityMemo memo) {
        return run(policy, side, leverage, warmUp, path, memo, false);
    }

    /**
     * {@link #run}, and with {@code jumps} each mark a run takes is followed by the stretch of marks {@link
     * Engine.QuietRun#jump} takes at once, as a replay's quiet runs do.
     */
    static Run run(
            String policy,
            Side side,
            int leverage,
            List<EngineEvent> warmUp,
            List<EngineEvent> path,
            VolatilityMemo memo,
            boolean jumps) {
        // The path as a replay's numbers: each step's time and mark (10⁻⁸; a close is no mark).
        long[] nanos = new long[path.size()];
        long[] marks = new long[path.size()];
        for (int i = 0; i < path.size(); i++) {
            nanos[i] = Engine.epochNanos(path.get(i).time());
            marks[i] = path.get(i) instanceof EngineEvent.MarkUpdated m ? Fixed.of(m.mark(), 8) : Long.MIN_VALUE;
        }
        int jumped = 0;
        EngineQuietProperties.Counted counted = new EngineQuietProperties.Counted(EngineQuietProperties.policy(policy));
        Engine engine = EngineQuietProperties.engine(counted);
        warmUp.forEach(engine::step);
        EngineQuietProperties.Venue venue = EngineQuietProperties.Venue.opening(side, leverage);
        engine.step(new EngineEvent.BalanceUpdated(T0, new BigDecimal("20000")));
        engine.step(new EngineEvent.PositionUpdated(T0, venue.snapshot()));
        List<Step> steps = new ArrayList<>();
        int taken = 0;
        int closesInRuns = 0;
        int longest = 0;
        // A quiet run stays open as long as it lasts, as a replay keeps it: its marks and closes one after the other,
        // each mark's σ from the memo where a slot serves (compared in full, or trusted along another run's chain).
        Engine.QuietRun open = null;
        EngineEvent.MarkUpdated openLast = null;
        Instant openTime = null;
        for (int index = 0; index < path.size() && venue.qty.signum() > 0; index++) {
            EngineEvent event = path.get(index);
            boolean inRun = false;
            if (event instanceof EngineEvent.MarkUpdated || event instanceof EngineEvent.CandleClosed) {
                if (open == null) {
                    open = engine.quietRun(BTC);
                }
                if (open != null && event instanceof EngineEvent.CandleClosed c) {
                    if (Engine.QuietRun.counts(c.high(), c.low(), c.interval())) {
                        open.candle(
                                Fixed.of(c.high(), 8),
                                Fixed.of(c.low(), 8),
                                c.interval().toSeconds(),
                                memo,
                                index);
                        closesInRuns++;
                    }
                    inRun = true;
                    openTime = c.time();
                } else if (open != null) {
                    EngineEvent.MarkUpdated m = (EngineEvent.MarkUpdated) event;
                    inRun = open.take(Engine.epochNanos(m.time()), Fixed.of(m.mark(), 8), memo, index);
                    if (inRun) {
                        if (jumps) {
                            int next = open.jump(
                                    index + 1, path.size(), nanos, marks, 1, Long.MAX_VALUE, Long.MAX_VALUE, memo);
                            jumped += next - index - 1;
                            taken += next - index - 1;
                            index = next - 1;
                            m = (EngineEvent.MarkUpdated) path.get(index);
                        }
                        openLast = m;
                        openTime = m.time();
                        taken++;
                        longest = Math.max(longest, open.taken());
                    }
                }
            }
            if (inRun) {
                continue;
            }
            closeRun(open, openLast, openTime, steps);
            open = null;
            openLast = null;
            openTime = null;
            Step step = engine.step(event);
            steps.add(step);
            BigDecimal mark = event instanceof EngineEvent.MarkUpdated m ? m.mark() : null;
            for (Intent intent : step.intents()) {
                if (!(intent.action() instanceof Action.Alert) && mark != null) {
                    for (EngineEvent reported : venue.carryOut(event.time(), intent, mark)) {
                        steps.add(engine.step(reported));
                    }
                }
            }
        }
        closeRun(open, openLast, openTime, steps);
        return new Run(steps, counted.inputs, taken, closesInRuns, longest, jumped, engine.minDistance(BTC, side));
    }

    /** Ends an open run as a replay does: at its last mark, then at its last event when that was a close. */
    private static void closeRun(
            Engine.QuietRun open, EngineEvent.MarkUpdated last, Instant lastTime, List<Step> steps) {
        if (open == null || lastTime == null) {
            return;
        }
        if (last != null) {
            steps.add(open.finish(last));
        }
        if (last == null || lastTime.isAfter(last.time())) {
            steps.add(open.end(lastTime));
        }
    }

    @Property(tries = 60)
    void sigma_from_another_policys_engine_changes_nothing(
            @ForAll long seed,
            @ForAll Side side,
            @ForAll @IntRange(min = 2, max = 25) int leverage,
            @ForAll("policies") String filler,
            @ForAll("policies") String policy) {
        List<EngineEvent> path = path(seed, side, leverage);
        VolatilityMemo memo = new VolatilityMemo();
        memo.reset(path.size());
        run(filler, side, leverage, List.of(), path, memo);
        long before = memo.reused();
        Run shared = run(policy, side, leverage, List.of(), path, memo);
        Run own = run(policy, side, leverage, List.of(), path, null);
        assertThat(shared.steps()).isEqualTo(own.steps());
        assertThat(shared.inputs()).isEqualTo(own.inputs());
        Statistics.label("reused")
                .collect(memo.reused() == before ? "none" : memo.reused() - before < 50 ? "some" : "many");

        // The same, its runs' stretches of the filler's marks taken at once (Engine.QuietRun#jump): every step, every
        // input and the smallest distance as before.
        VolatilityMemo again = new VolatilityMemo();
        again.reset(path.size());
        run(filler, side, leverage, List.of(), path, again);
        Run jumping = run(policy, side, leverage, List.of(), path, again, true);
        assertThat(jumping.steps()).isEqualTo(own.steps());
        assertThat(jumping.inputs()).isEqualTo(own.inputs());
        assertThat(jumping.taken()).isEqualTo(shared.taken());
        assertThat(jumping.minDistance()).isEqualTo(own.minDistance());
        Statistics.label("marks taken at once")
                .collect(jumping.jumped() == 0 ? "none" : jumping.jumped() < 50 ? "some" : "many");
        Statistics.label("marks taken at once")
                .coverage(cov -> cov.check("many").count(n -> n > 0));
        // Stretches under σ's and z's bounds too: the budget's and the ladder's quiets, the ladder's z trail.
        Statistics.label("budget's or ladder's marks taken at once")
                .collect(
                        policy.equals("budget") || policy.equals("ladder")
                                ? String.valueOf(jumping.jumped() > 0)
                                : "hold or exit");
        Statistics.label("budget's or ladder's marks taken at once")
                .coverage(cov -> cov.check("true").count(n -> n > 0));
        Statistics.label("closes in runs").collect(shared.closesInRuns() > 0);
        Statistics.label("longest run").collect(shared.longest() < 5 ? "< 5" : shared.longest() < 50 ? "5-49" : "50+");

        // Another warm-up: another state at every step until a gap longer than the volatility's memory makes the
        // states meet again (the variance restarts from the last move alone); the filler's slots serve only from there.
        List<EngineEvent> warmUp = List.of(
                new EngineEvent.MarkUpdated(
                        T0.minusSeconds(3600), BTC, new BigDecimal("59000"), new BigDecimal("59000")),
                new EngineEvent.MarkUpdated(T0.minusSeconds(60), BTC, new BigDecimal("61000"), new BigDecimal("61000")),
                // and a candle of its own: another ranges' variance, until a close longer than the memory replaces it.
                new EngineEvent.CandleClosed(
                        T0.minusSeconds(30),
                        BTC,
                        new BigDecimal("61500"),
                        new BigDecimal("58500"),
                        Duration.ofMinutes(15)));
        assertThat(run(policy, side, leverage, warmUp, path, memo).steps())
                .isEqualTo(run(policy, side, leverage, warmUp, path, null).steps());
    }

    @org.junit.jupiter.api.Test
    void a_slot_serves_only_the_state_it_was_worked_out_from() {
        VolatilityMemo memo = new VolatilityMemo();
        memo.reset(4);
        long[] state = {
            5_000,
            6_000_000_000_000L,
            1_000,
            7_000,
            60_000_000_000L,
            1_800_000,
            3_600_000,
            100,
            2_000,
            6_000_100_000_000L,
            1_500
        };
        long chain = memo.newChain();
        memo.keep(2, state, 5_100, 42, 41, chain);
        long[] out = new long[3];
        assertThat(memo.find(2, state, out)).isTrue();
        assertThat(out).containsExactly(5_100, 42, 41);
        assertThat(memo.find(1, state, out)).as("another step").isFalse();
        for (int k = 0; k < state.length; k++) {
            long[] other = state.clone();
            other[k]++;
            assertThat(memo.find(2, other, out)).as("state word %d changed", k).isFalse();
        }
        assertThat(memo.chain(2)).isEqualTo(chain);
        assertThat(memo.trusted(2, chain, out)).as("the chain that kept it").isTrue();
        assertThat(out).containsExactly(5_100, 42, 41);
        assertThat(memo.trusted(2, memo.newChain(), out)).as("another chain").isFalse();
        assertThat(memo.trusted(2, 0, out)).as("no chain").isFalse();
        assertThat(memo.trusted(1, chain, out))
                .as("a slot the chain never kept")
                .isFalse();
        memo.reset(4);
        assertThat(memo.find(2, state, out)).as("after a reset").isFalse();
        assertThat(memo.trusted(2, chain, out)).as("trusted after a reset").isFalse();
        long again = memo.newChain();
        memo.keep(2, state, 5_100, 42, 41, again);
        assertThat(again).as("chains are never handed out twice").isNotEqualTo(chain);
        assertThat(memo.trusted(2, chain, out))
                .as("a chain from before the reset")
                .isFalse();
    }

    @org.junit.jupiter.api.Test
    void a_close_slot_serves_only_the_close_and_the_variance_before_it() {
        VolatilityMemo memo = new VolatilityMemo();
        memo.reset(4);
        long[] close = {7_000, 6_010_000_000_000L, 5_990_000_000_000L, 3_600, 3_600};
        memo.keepRange(1, close[0], close[1], close[2], close[3], close[4], 7_500);
        assertThat(memo.findRange(1, close[0], close[1], close[2], close[3], close[4]))
                .isEqualTo(7_500);
        assertThat(memo.findRange(2, close[0], close[1], close[2], close[3], close[4]))
                .as("another step")
                .isEqualTo(VolatilityMemo.NOT_FOUND);
        for (int k = 0; k < close.length; k++) {
            long[] other = close.clone();
            other[k]++;
            assertThat(memo.findRange(1, other[0], other[1], other[2], other[3], other[4]))
                    .as("input %d changed", k)
                    .isEqualTo(VolatilityMemo.NOT_FOUND);
        }
        long[] out = new long[3];
        assertThat(memo.find(1, new long[] {-2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, out))
                .as("a close's slot never serves a mark")
                .isFalse();
        memo.keep(3, new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 1, 2, 3, memo.newChain());
        assertThat(memo.findRange(3, 0, 0, 0, 0, 0))
                .as("a mark's slot never serves a close")
                .isEqualTo(VolatilityMemo.NOT_FOUND);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> policies() {
        return net.jqwik.api.Arbitraries.of("budget", "ladder", "buffer-exit", "none");
    }
}
