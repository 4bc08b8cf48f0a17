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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A warm-up taken as numbers ({@link Engine#watchRun}, as a replay takes a window's warm-up from its walk) leaves the
 * engine exactly as hearing each of its events does: the gate as it was (a warm-up mark rolls no day: no position is
 * held), and every later step, every policy input and the smallest distance the same once the position opens.
 */
class EngineWatchRunProperties {

    static final String BTC = EngineQuietProperties.BTC;
    static final Instant T0 = EngineQuietProperties.T0;

    /**
     * A day of marks and closes before {@link #T0}: some marks beyond the fixed point (nine decimals), some at the time
     * of the mark before, some closes with no range (they move nothing).
     */
    static List<EngineEvent> warmUp(long seed) {
        Random random = new Random(seed);
        List<EngineEvent> events = new ArrayList<>();
        BigDecimal price = new BigDecimal("60000");
        BigDecimal high = price;
        BigDecimal low = price;
        Instant time = T0.minus(Duration.ofDays(1));
        for (int i = 0; i < 200 && time.isBefore(T0.minusSeconds(3600)); i++) {
            if (random.nextInt(15) != 0) {
                time = MonitorAgreementProperties.later(random, time);
            }
            price = MonitorAgreementProperties.moved(random, price, 25, 500, 100);
            BigDecimal mark = random.nextInt(20) == 0 ? price.add(new BigDecimal("0.000000001")) : price;
            high = high.max(price);
            low = low.min(price);
            if (i % 12 == 11) {
                boolean flat = random.nextInt(6) == 0;
                events.add(new EngineEvent.CandleClosed(
                        time, BTC, flat ? price : high, flat ? price : low, Duration.ofHours(1)));
                high = price;
                low = price;
            }
            events.add(new EngineEvent.MarkUpdated(time, BTC, mark, price));
        }
        return events;
    }

    /** Has {@code engine} hear {@code warmUp} as a replay plays a walked warm-up: in runs where it can, else in full. */
    static int play(Engine engine, List<EngineEvent> warmUp) {
        int k = 0;
        int taken = 0;
        while (k < warmUp.size()) {
            Engine.QuietRun run = engine.watchRun(BTC);
            if (run != null) {
                int j = k;
                EngineEvent.MarkUpdated last = null;
                int lastAt = -1;
                while (j < warmUp.size()) {
                    EngineEvent event = warmUp.get(j);
                    if (event instanceof EngineEvent.CandleClosed c) {
                        if (Engine.QuietRun.counts(c.high(), c.low(), c.interval())) {
                            run.candle(
                                    Fixed.of(c.high(), 8),
                                    Fixed.of(c.low(), 8),
                                    c.interval().toSeconds());
                        }
                        j++;
                        continue;
                    }
                    EngineEvent.MarkUpdated m = (EngineEvent.MarkUpdated) event;
                    if (m.mark().scale() > 8 || !run.take(Engine.epochNanos(m.time()), Fixed.of(m.mark(), 8))) {
                        break;
                    }
                    last = m;
                    lastAt = j;
                    taken++;
                    j++;
                }
                if (last != null) {
                    run.finish(last);
                }
                if (j > k && j - 1 != lastAt) {
                    run.end(warmUp.get(j - 1).time());
                } else if (j == k) {
                    run.abandon();
                }
                k = j;
                if (k >= warmUp.size()) {
                    break;
                }
            }
            engine.step(warmUp.get(k));
            k++;
        }
        return taken;
    }

    /** Everything an engine decided after its warm-up, and its gate's memory at the opening. */
    record Run(Gate.Memory gateAtOpening, List<Step> steps, List<?> inputs, java.util.Optional<BigDecimal> least) {}

    static Run run(String policy, Side side, int leverage, List<EngineEvent> warmUp, boolean asNumbers, long seed) {
        EngineQuietProperties.Counted counted = new EngineQuietProperties.Counted(EngineQuietProperties.policy(policy));
        Gate gate = new Gate(Gate.Params.defaults());
        Engine engine = engineWith(counted, gate);
        if (asNumbers) {
            Statistics.label("taken as numbers").collect(play(engine, warmUp) > warmUp.size() / 2 ? "most" : "few");
        } else {
            warmUp.forEach(engine::step);
        }
        EngineQuietProperties.Venue venue = EngineQuietProperties.Venue.opening(side, leverage);
        List<Step> steps = new ArrayList<>();
        steps.add(engine.step(new EngineEvent.BalanceUpdated(T0, new BigDecimal("20000"))));
        steps.add(engine.step(new EngineEvent.PositionUpdated(T0, venue.snapshot())));
        Gate.Memory atOpening = gate.memory();
        for (EngineEvent event : VolatilityMemoProperties.path(seed, side, leverage)) {
            if (venue.qty.signum() <= 0) {
                break;
            }
            Step step = engine.step(event);
            steps.add(step);
            if (event instanceof EngineEvent.MarkUpdated m) {
                for (Intent intent : step.intents()) {
                    if (!(intent.action() instanceof Action.Alert)) {
                        for (EngineEvent reported : venue.carryOut(event.time(), intent, m.mark())) {
                            steps.add(engine.step(reported));
                        }
                    }
                }
            }
        }
        return new Run(atOpening, steps, counted.inputs, engine.minDistance(BTC, side));
    }

    @Property(tries = 80)
    void a_warm_up_taken_as_numbers_leaves_the_engine_as_its_events_do(
            @ForAll long seed,
            @ForAll Side side,
            @ForAll @IntRange(min = 2, max = 25) int leverage,
            @ForAll("policies") String policy) {
        List<EngineEvent> warmUp = warmUp(seed);
        Run events = run(policy, side, leverage, warmUp, false, seed);
        Run numbers = run(policy, side, leverage, warmUp, true, seed);
        assertThat(numbers.gateAtOpening()).isEqualTo(events.gateAtOpening());
        assertThat(numbers.steps()).isEqualTo(events.steps());
        assertThat(numbers.inputs()).isEqualTo(events.inputs());
        assertThat(numbers.least()).isEqualTo(events.least());
    }

    /**
     * A quiet run rolls the gate's day once per UTC day it reaches: over a path of two days and more, an engine that
     * takes what it can in runs leaves the gate as one that steps every mark, at the path's end and after a new balance.
     */
    @Property(tries = 40)
    void runs_leave_the_gate_as_steps_do_across_days(
            @ForAll long seed, @ForAll Side side, @ForAll("policies") String policy) {
        List<EngineEvent> path = VolatilityMemoProperties.path(seed, side, 10);
        Gate stepped = new Gate(Gate.Params.defaults());
        Gate ran = new Gate(Gate.Params.defaults());
        Engine stepping = engineWith(EngineQuietProperties.policy(policy), stepped);
        Engine running = engineWith(EngineQuietProperties.policy(policy), ran);
        EngineQuietProperties.Venue venue = EngineQuietProperties.Venue.opening(side, 10);
        for (Engine e : new Engine[] {stepping, running}) {
            e.step(new EngineEvent.BalanceUpdated(T0, new BigDecimal("20000")));
            e.step(new EngineEvent.PositionUpdated(T0, venue.snapshot()));
        }
        Engine.QuietRun open = null;
        EngineEvent.MarkUpdated last = null;
        int taken = 0;
        for (EngineEvent event : path) {
            if (!(event instanceof EngineEvent.MarkUpdated m)) {
                continue; // the closes move only the volatility, which EngineQuietProperties compares
            }
            if (!stepping.step(event).intents().isEmpty()) {
                // The venue would act: both hear this mark in full, and the comparison stops before a venue is needed.
                end(open, last);
                open = null;
                running.step(event);
                break;
            }
            if (open == null) {
                open = running.quietRun(BTC);
            }
            if (open != null && open.take(Engine.epochNanos(m.time()), Fixed.of(m.mark(), 8))) {
                last = m;
                taken++;
                continue;
            }
            end(open, last);
            open = null;
            last = null;
            running.step(event);
        }
        end(open, last);
        Statistics.label("marks in runs").collect(taken > 100 ? "many" : taken > 0 ? "some" : "none");
        assertThat(ran.memory()).isEqualTo(stepped.memory());
        Instant after = path.getLast().time().plusSeconds(1);
        stepping.step(new EngineEvent.BalanceUpdated(after, new BigDecimal("21000")));
        running.step(new EngineEvent.BalanceUpdated(after, new BigDecimal("21000")));
        assertThat(ran.budgetLeft("any", after)).isEqualTo(stepped.budgetLeft("any", after));
        assertThat(ran.memory()).isEqualTo(stepped.memory());
    }

    /** Ends a run of marks only (none open: nothing), at its last mark, or taking nothing where it took none. */
    private static void end(Engine.QuietRun open, EngineEvent.MarkUpdated last) {
        if (open == null) {
            return;
        }
        if (last != null) {
            open.finish(last);
        } else {
            open.abandon();
        }
    }

    /** An engine of {@code policy} on Binance's rules and BTC's tiers, with {@code gate}. */
    static Engine engineWith(ballast.core.policy.ScalingPolicy policy, Gate gate) {
        return new Engine(
                ballast.core.margin.MarginRules.binance(),
                java.util.Map.of(BTC, MonitorAgreementProperties.TIERS),
                policy,
                gate,
                Engine.Params.defaults());
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of("budget", "ladder", "none", "buffer-exit");
    }
}
