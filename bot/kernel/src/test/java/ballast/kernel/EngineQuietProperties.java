package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.Quiet;
import ballast.core.policy.ScalingPolicy;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.strategies.BudgetParams;
import ballast.strategies.BudgetPolicy;
import ballast.strategies.HoldPolicy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Skipping the policy where it proved its decision holds ({@link Quiet}) changes nothing: two engines fed the same
 * events, one whose policy's quiet is honoured and one whose policy is asked on every mark, give the same intents (the
 * same actions, amounts and reasons) and the same level after every event; a third takes every mark it can in fixed
 * point ({@link Engine#quietRun}, as a replay does) and is asked the very same inputs as the second, σ, distance, z and
 * z's speed to the last digit; a fourth takes the marks in runs as long as they last, and ends each with the same
 * smallest distance and level as the first (a policy that reads no speed has its distance measured only where a mark
 * leaves the marks that keep it in the quiet's band, and its smallest distance at the run's most adverse mark). The paths move the state under the quiet: marks a second to an hour apart with moves up
 * to 1.5 % and jumps of 6 %, closed candles, conviction changes, stale marks, size the trader adds by hand, and actions
 * the venue carries out (the position updates follow), on either side at leverage 2–25.
 */
class EngineQuietProperties {

    static final String BTC = MonitorAgreementProperties.BTC;
    static final Instant T0 = MonitorAgreementProperties.T0;

    /** The policy as it is, but proving nothing: asked on every mark. */
    static final class Asked implements ScalingPolicy {
        final ScalingPolicy policy;
        int asked;

        Asked(ScalingPolicy policy) {
            this.policy = policy;
        }

        @Override
        public String name() {
            return policy.name();
        }

        @Override
        public boolean readsSpeed() {
            return policy.readsSpeed();
        }

        @Override
        public Decision decide(PolicyInput input) {
            asked++;
            Decision decision = policy.decide(input);
            return new Decision(decision.level(), decision.actions());
        }
    }

    /** Counts how often the policy is asked, quiet kept, and keeps what it was asked with. */
    static final class Counted implements ScalingPolicy {
        final ScalingPolicy policy;
        final List<PolicyInput> inputs = new ArrayList<>();
        int asked;

        Counted(ScalingPolicy policy) {
            this.policy = policy;
        }

        @Override
        public String name() {
            return policy.name();
        }

        @Override
        public boolean readsSpeed() {
            return policy.readsSpeed();
        }

        @Override
        public Decision decide(PolicyInput input) {
            asked++;
            inputs.add(input);
            return policy.decide(input);
        }
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of(
                "budget",
                "budget",
                "budget-pct",
                "budget-any-release",
                "ladder",
                "ladder",
                "ladder-floors",
                "ladder-floors",
                "buffer-exit",
                "none");
    }

    static ScalingPolicy policy(String name) {
        BudgetParams d = BudgetParams.defaults();
        return switch (name) {
            case "budget" -> new BudgetPolicy(d);
            case "budget-pct" -> new BudgetPolicy(d.withBudget(Optional.empty(), Optional.of(new BigDecimal("3"))));
            case "budget-any-release" ->
                new BudgetPolicy(
                        d.withBudget(Optional.empty(), Optional.empty()).withReleaseMinPct(BigDecimal.ZERO));
            case "ladder" -> new ballast.strategies.LadderPolicy(ballast.strategies.LadderParams.defaults());
            case "ladder-floors" ->
                new ballast.strategies.LadderPolicy(floors(ballast.strategies.LadderParams.defaults()));
            case "buffer-exit" -> new ballast.strategies.BufferExitPolicy(new BigDecimal("0.05"));
            default -> new HoldPolicy(name);
        };
    }

    /** The ladder with percent floors that bind while z is still high: 8 % to close, 12 % to cut. */
    static ballast.strategies.LadderParams floors(ballast.strategies.LadderParams d) {
        return new ballast.strategies.LadderParams(
                d.warnZ(),
                d.topUpZ(),
                d.cutZ(),
                d.closeZ(),
                d.hysteresis(),
                d.targetZ(),
                d.minTargetPct(),
                new BigDecimal("12"),
                new BigDecimal("8"),
                d.releaseZ(),
                d.releaseTargetZ(),
                d.releaseMinPct(),
                d.cascadeZPerMinute(),
                d.cooldown(),
                d.cutCooldown(),
                d.maxCutShare(),
                d.maxTopUpsPerEpisode(),
                d.staleAfter());
    }

    static Engine engine(ScalingPolicy policy) {
        return new Engine(
                MarginRules.binance(),
                Map.of(BTC, MonitorAgreementProperties.TIERS),
                policy,
                new Gate(Gate.Params.defaults()),
                Engine.Params.defaults());
    }

    /** The venue's side of it, as simply as the engine needs it: what the position is after each accepted action. */
    static final class Venue {
        final Side side;
        BigDecimal qty;
        final BigDecimal entry;
        BigDecimal wallet;
        final BigDecimal leverage;

        Venue(Side side, BigDecimal qty, BigDecimal entry, BigDecimal wallet, BigDecimal leverage) {
            this.side = side;
            this.qty = qty;
            this.entry = entry;
            this.wallet = wallet;
            this.leverage = leverage;
        }

        /**
         * A {@code side} of 0.5 BTC at 60,000, {@code leverage}x, in isolated margin with 1.6 times its initial margin:
         * the position the properties open.
         */
        static Venue opening(Side side, int leverage) {
            BigDecimal entry = new BigDecimal("60000");
            BigDecimal qty = new BigDecimal("0.5");
            BigDecimal wallet = qty.multiply(entry)
                    .divide(BigDecimal.valueOf(leverage), MathContext.DECIMAL64)
                    .multiply(new BigDecimal("1.6"))
                    .setScale(2, RoundingMode.HALF_UP);
            return new Venue(side, qty, entry, wallet, BigDecimal.valueOf(leverage));
        }

        /** The events that report what {@code action} did, or none when the venue refused it. */
        List<EngineEvent> carryOut(Instant time, Intent intent, BigDecimal mark) {
            Action action = intent.action();
            List<EngineEvent> events = new ArrayList<>();
            Outcome outcome;
            switch (action) {
                case Action.ReleaseMargin r -> {
                    wallet = wallet.subtract(r.amount());
                    outcome = new Outcome.Accepted(r.amount(), Optional.empty(), Optional.empty());
                }
                case Action.TopUpMargin t -> {
                    wallet = wallet.add(t.amount());
                    outcome = new Outcome.Accepted(t.amount(), Optional.empty(), Optional.empty());
                }
                case Action.ReducePosition r -> {
                    BigDecimal sold = r.qty().min(qty);
                    // Keeps its margin, net of the cut's loss.
                    BigDecimal pnl = side.sign().multiply(sold).multiply(mark.subtract(entry));
                    wallet = wallet.add(pnl.min(BigDecimal.ZERO));
                    qty = qty.subtract(sold);
                    outcome = new Outcome.Accepted(sold, Optional.of(mark), Optional.of(BigDecimal.ZERO));
                }
                case Action.ClosePosition c -> {
                    outcome = new Outcome.Accepted(qty, Optional.of(mark), Optional.of(BigDecimal.ZERO));
                    qty = BigDecimal.ZERO;
                }
                default -> {
                    return events;
                }
            }
            events.add(new EngineEvent.OutcomeReported(time, intent, outcome));
            events.add(
                    qty.signum() == 0
                            ? new EngineEvent.PositionClosed(time, BTC, side, false)
                            : new EngineEvent.PositionUpdated(time, snapshot()));
            return events;
        }

        PositionSnapshot snapshot() {
            return new PositionSnapshot(BTC, side, MarginMode.ISOLATED, qty, entry, wallet, leverage, Optional.empty());
        }
    }

    @Property(tries = 200)
    void skipping_a_quiet_policy_changes_nothing(
            @ForAll long seed,
            @ForAll Side side,
            @ForAll @IntRange(min = 2, max = 25) int leverage,
            @ForAll("policies") String policy) {
        Counted quiet = new Counted(policy(policy));
        Asked asked = new Asked(policy(policy));
        Engine skipping = engine(quiet);
        // A third engine takes every mark it can in fixed point (Engine.quietRun), as a replay does.
        Counted running = new Counted(policy(policy));
        Engine runner = engine(running);
        int ran = 0;
        // A fourth keeps a run open while the marks keep coming and it takes them, as a replay does.
        Counted batching = new Counted(policy(policy));
        Engine batcher = engine(batching);
        Engine.QuietRun open = null;
        EngineEvent.MarkUpdated openLast = null;
        int longest = 0;
        Engine every = engine(asked);
        Venue venue = Venue.opening(side, leverage);
        BigDecimal entry = venue.entry;
        List<EngineEvent> events = new ArrayList<>(List.of(
                new EngineEvent.BalanceUpdated(T0, new BigDecimal("20000")),
                new EngineEvent.PositionUpdated(T0, venue.snapshot())));
        Random random = new Random(seed);
        BigDecimal price = entry;
        BigDecimal high = price;
        BigDecimal low = price;
        Instant time = T0;
        int actions = 0;
        int funded = 0;
        for (int i = 0; i < 400 && venue.qty.signum() > 0; i++) {
            time = MonitorAgreementProperties.later(random, time);
            price = MonitorAgreementProperties.moved(random, price, 25, 600, 150);
            high = high.max(price);
            low = low.min(price);
            if (i % 12 == 11) {
                events.add(new EngineEvent.CandleClosed(time, BTC, high, low, Duration.ofHours(1)));
                high = price;
                low = price;
            }
            if (random.nextInt(60) == 0) {
                events.add(new EngineEvent.ConvictionSet(
                        time, BTC, new BigDecimal(List.of("1", "0.8", "0.5").get(random.nextInt(3)))));
            }
            if (random.nextInt(40) == 0) {
                events.add(new EngineEvent.TimerFired(time.plusSeconds(45)));
            }
            if (random.nextInt(50) == 0) {
                // The trader doubles the position by hand: a new size on the same wallet.
                venue.qty = venue.qty.add(venue.qty);
                events.add(new EngineEvent.PositionUpdated(time, venue.snapshot()));
            }
            if (random.nextInt(10) == 0) {
                // A funding settlement: the isolated wallet alone moves, by 0.001 % to 9 % of the notional either way
                // (a quiet proved for a band of wallets stays across it when the wallet lands inside; any other is
                // asked again). The larger moves reach the edges of what a policy proves.
                BigDecimal rate = BigDecimal.valueOf(random.nextInt(1, 10), 5 - random.nextInt(4))
                        .multiply(random.nextBoolean() ? BigDecimal.ONE : BigDecimal.ONE.negate());
                BigDecimal paid = venue.qty.multiply(price).multiply(rate).setScale(8, RoundingMode.DOWN);
                venue.wallet = venue.wallet.subtract(paid).max(BigDecimal.ONE);
                events.add(new EngineEvent.PositionUpdated(time, venue.snapshot()));
                funded++;
            }
            if (random.nextInt(150) == 0) {
                // The trader adds the whole notional by hand: a long has no liquidation price any more (a quiet that
                // bounded its distance and z proves nothing without them), a short keeps one further away.
                venue.wallet = venue.wallet.add(venue.qty.multiply(price)).setScale(2, RoundingMode.UP);
                events.add(new EngineEvent.PositionUpdated(time, venue.snapshot()));
            }
            events.add(new EngineEvent.MarkUpdated(time, BTC, price, price));
            while (!events.isEmpty()) {
                EngineEvent event = events.remove(0);
                Step stepA = every.step(event);
                Step stepB = skipping.step(event);
                Step stepC;
                Engine.QuietRun run = event instanceof EngineEvent.MarkUpdated ? runner.quietRun(BTC) : null;
                if (run != null
                        && run.take(
                                Engine.epochNanos(event.time()),
                                ballast.core.Fixed.of(((EngineEvent.MarkUpdated) event).mark(), 8))) {
                    stepC = run.finish((EngineEvent.MarkUpdated) event);
                    ran++;
                } else {
                    stepC = runner.step(event);
                }
                List<Intent> d = List.of();
                boolean inRun = false;
                if (event instanceof EngineEvent.MarkUpdated mark) {
                    if (open == null) {
                        open = batcher.quietRun(BTC);
                    }
                    inRun = open != null
                            && open.take(Engine.epochNanos(mark.time()), ballast.core.Fixed.of(mark.mark(), 8));
                    if (inRun) {
                        openLast = mark;
                        longest = Math.max(longest, open.taken());
                    }
                }
                if (!inRun) {
                    if (open != null && openLast != null) {
                        open.finish(openLast);
                    }
                    open = null;
                    openLast = null;
                    d = batcher.step(event).intents();
                }
                assertThat(d.stream().map(Intent::action).toList())
                        .as("intents of the long run at %s after %s", time, event)
                        .isEqualTo(stepA.intents().stream().map(Intent::action).toList());
                // Everything decided, not only the intents: refusals, level and trading-state moves are the same
                // whether the policy was asked on every mark, skipped while quiet, or the marks taken as a run.
                assertThat(stepB)
                        .as("what was decided at %s after %s", time, event)
                        .isEqualTo(stepA);
                assertThat(stepC)
                        .as("what the run decided at %s after %s", time, event)
                        .isEqualTo(stepB);
                List<Intent> a = stepA.intents();
                List<Intent> b = stepB.intents();
                List<Intent> c = stepC.intents();
                assertThat(c.stream().map(Intent::action).toList())
                        .as("intents of the run at %s after %s", time, event)
                        .isEqualTo(b.stream().map(Intent::action).toList());
                assertThat(runner.level(BTC, side)).isEqualTo(skipping.level(BTC, side));
                assertThat(b.stream().map(Intent::action).toList())
                        .as("intents at %s after %s", time, event)
                        .isEqualTo(a.stream().map(Intent::action).toList());
                assertThat(skipping.level(BTC, side))
                        .as("level at %s after %s", time, event)
                        .isEqualTo(every.level(BTC, side));
                for (Intent intent : a) {
                    if (!(intent.action() instanceof Action.Alert)) {
                        actions++;
                        List<EngineEvent> reported = venue.carryOut(time, intent, price);
                        // Both engines hear the outcome of their own intent (the same action under its own id).
                        Intent mine = b.get(a.indexOf(intent));
                        for (EngineEvent r : reported) {
                            if (r instanceof EngineEvent.OutcomeReported o) {
                                every.step(o);
                                skipping.step(new EngineEvent.OutcomeReported(o.time(), mine, o.outcome()));
                                runner.step(new EngineEvent.OutcomeReported(
                                        o.time(), c.get(a.indexOf(intent)), o.outcome()));
                                batcher.step(new EngineEvent.OutcomeReported(
                                        o.time(), d.get(a.indexOf(intent)), o.outcome()));
                            } else {
                                events.add(0, r);
                            }
                        }
                    }
                }
            }
            assertThat(skipping.minDistance(BTC, side)).isEqualTo(every.minDistance(BTC, side));
            assertThat(runner.minDistance(BTC, side)).isEqualTo(every.minDistance(BTC, side));
            if (open == null) {
                assertThat(batcher.minDistance(BTC, side))
                        .as("smallest distance after the long runs, at %s", time)
                        .isEqualTo(every.minDistance(BTC, side));
                assertThat(batcher.level(BTC, side)).isEqualTo(every.level(BTC, side));
            }
        }
        if (open != null && openLast != null) {
            open.finish(openLast);
        }
        assertThat(batcher.minDistance(BTC, side)).isEqualTo(every.minDistance(BTC, side));
        assertThat(batcher.level(BTC, side)).isEqualTo(every.level(BTC, side));
        assertThat(batching.inputs).isEqualTo(quiet.inputs);
        Statistics.label("longest run").collect(longest < 2 ? "under 2" : longest < 20 ? "2-19" : "20 or more");
        // The policy was asked the same questions, σ, distance, z and z's speed included, to the last digit.
        assertThat(running.inputs).isEqualTo(quiet.inputs);
        Statistics.label("taken in fixed point").collect(ran == 0 ? "none" : ran < 50 ? "some" : "many");
        Statistics.label("actions").collect(actions == 0 ? "none" : actions < 5 ? "some" : "many");
        Statistics.label("funding settlements").collect(funded == 0 ? "none" : funded < 20 ? "some" : "many");
        Statistics.label("asked")
                .collect(
                        quiet.asked * 2 < asked.asked
                                ? "under half the marks"
                                : quiet.asked < asked.asked ? "fewer" : "as often");
    }
}
