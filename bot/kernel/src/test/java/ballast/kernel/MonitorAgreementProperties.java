package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.RiskTierTable;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.ScalingPolicy;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.strategies.BudgetParams;
import ballast.strategies.BudgetPolicy;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
 * The monitor's fixed-point arithmetic ({@link Monitor#FIXED}, what the engine runs) agrees with the exact one
 * ({@link Monitor#EXACT}) on random paths: two engines fed the same events (marks a second to an hour apart, moves up to
 * 1.5 % and jumps of 6 %, closed candles, either side, leverage 2–25, the budget and the ladder policy) reach the same
 * level after every mark and propose the same actions (their amounts to within the venue's rounding step), with σ, distance, z and z's speed equal to within 10⁻⁸ of
 * themselves. On real paths {@code ShippedReplayGoldenTest} compares whole reports.
 */
class MonitorAgreementProperties {

    static final String BTC = "BTCUSDT";
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final RiskTierTable TIERS = ShippedRiskTiers.load()
            .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
            .table();
    static final BigDecimal RELATIVE = new BigDecimal("1e-7");
    static final List<Long> GAPS = List.of(1L, 1L, 5L, 60L, 60L, 300L, 3600L);

    /** The next mark's time on a random path: one of {@link #GAPS} seconds later, and up to a second more. */
    static Instant later(Random random, Instant time) {
        return time.plusSeconds(GAPS.get(random.nextInt(GAPS.size()))).plusMillis(random.nextInt(1000));
    }

    /**
     * The next mark on a random path: one time in {@code jumpOneIn} a jump of {@code jumpBps} basis points either way,
     * else a move of at most {@code moveBps} either way, to the cent.
     */
    static BigDecimal moved(Random random, BigDecimal price, int jumpOneIn, int jumpBps, int moveBps) {
        long basisPoints = random.nextInt(jumpOneIn) == 0
                ? (random.nextBoolean() ? jumpBps : -jumpBps)
                : random.nextInt(2 * moveBps + 1) - moveBps;
        return price.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(basisPoints, 4)))
                .setScale(2, RoundingMode.HALF_EVEN);
    }

    /** A long of 0.5 BTC at 60,000, 10x, in isolated margin with {@code wallet} USDT. */
    static PositionSnapshot btcLong(String wallet) {
        return new PositionSnapshot(
                BTC,
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal(wallet),
                BigDecimal.TEN,
                Optional.empty());
    }

    /** Hands every input to the policy and keeps what it was measured to be. */
    static final class Recording implements ScalingPolicy {
        final ScalingPolicy policy;
        final List<PositionRisk> risks = new ArrayList<>();

        Recording(ScalingPolicy policy) {
            this.policy = policy;
        }

        @Override
        public String name() {
            return policy.name();
        }

        @Override
        public Decision decide(PolicyInput input) {
            risks.add(input.risk());
            // Without its quiet, so that every mark reaches it and both engines record the same inputs.
            Decision decision = policy.decide(input);
            return new Decision(decision.level(), decision.actions());
        }
    }

    record Run(Engine engine, Recording policy) {}

    static Run engine(Monitor monitor, String policy) {
        Recording recording = new Recording(
                policy.equals("budget")
                        ? new BudgetPolicy(BudgetParams.defaults())
                        : new LadderPolicy(LadderParams.defaults()));
        Engine engine = new Engine(
                MarginRules.binance(),
                Map.of(BTC, TIERS),
                recording,
                new Gate(Gate.Params.defaults()),
                Engine.Params.defaults(),
                monitor);
        return new Run(engine, recording);
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of("budget", "ladder");
    }

    @Property(tries = 150)
    void the_fixed_monitor_decides_as_the_exact_one(
            @ForAll long seed,
            @ForAll Side side,
            @ForAll @IntRange(min = 2, max = 25) int leverage,
            @ForAll("policies") String policy) {
        Run exact = engine(Monitor.EXACT, policy);
        Run fixed = engine(Monitor.FIXED, policy);
        BigDecimal entry = new BigDecimal("60000");
        BigDecimal qty = new BigDecimal("0.5");
        BigDecimal wallet = qty.multiply(entry)
                .divide(BigDecimal.valueOf(leverage), MathContext.DECIMAL64)
                .setScale(2, RoundingMode.HALF_UP);
        List<EngineEvent> opening = List.of(
                new EngineEvent.BalanceUpdated(T0, new BigDecimal("20000")),
                new EngineEvent.PositionUpdated(
                        T0,
                        new PositionSnapshot(
                                BTC,
                                side,
                                MarginMode.ISOLATED,
                                qty,
                                entry,
                                wallet,
                                BigDecimal.valueOf(leverage),
                                Optional.empty())));
        for (EngineEvent event : opening) {
            exact.engine().step(event);
            fixed.engine().step(event);
        }
        Random random = new Random(seed);
        BigDecimal price = entry;
        BigDecimal high = price;
        BigDecimal low = price;
        Instant time = T0;
        int above = 0;
        for (int i = 0; i < 300; i++) {
            time = later(random, time);
            price = moved(random, price, 20, 600, 150);
            high = high.max(price);
            low = low.min(price);
            List<EngineEvent> events = new ArrayList<>();
            if (i % 12 == 11) {
                events.add(new EngineEvent.CandleClosed(time, BTC, high, low, Duration.ofHours(1)));
                high = price;
                low = price;
            }
            events.add(new EngineEvent.MarkUpdated(time, BTC, price, price));
            for (EngineEvent event : events) {
                List<Intent> a = exact.engine().step(event).intents();
                List<Intent> b = fixed.engine().step(event).intents();
                assertThat(kinds(b)).as("actions at %s, mark %s", time, price).isEqualTo(kinds(a));
                for (int k = 0; k < a.size(); k++) {
                    // The same amount to within the one step the venue rounds it to (a cent, a thousandth of BTC):
                    // a difference of 10⁻⁷ in σ can land the exact amount on the other side of a rounding boundary.
                    Action action = a.get(k).action();
                    BigDecimal step =
                            action instanceof Action.ReducePosition ? new BigDecimal("0.001") : new BigDecimal("0.01");
                    assertClose(amount(b.get(k).action()), amount(action), step);
                }
                // The venue refuses them all: both books stay as they were, the gate refunds what it charged.
                Instant at = time;
                a.forEach(intent -> exact.engine()
                        .step(new EngineEvent.OutcomeReported(at, intent, new Outcome.Rejected("-2019", "test"))));
                b.forEach(intent -> fixed.engine()
                        .step(new EngineEvent.OutcomeReported(at, intent, new Outcome.Rejected("-2019", "test"))));
            }
            assertThat(fixed.engine().level(BTC, side))
                    .as("level at %s, mark %s", time, price)
                    .isEqualTo(exact.engine().level(BTC, side));
            if (exact.engine().level(BTC, side).orElseThrow().isAbove(ballast.core.policy.RiskLevel.WATCH)) {
                above++;
            }
        }
        assertThat(fixed.policy().risks).hasSameSizeAs(exact.policy().risks);
        for (int i = 0; i < exact.policy().risks.size(); i++) {
            PositionRisk e = exact.policy().risks.get(i);
            PositionRisk f = fixed.policy().risks.get(i);
            assertRelative(f.sigma(), e.sigma());
            assertRelative(f.distance().orElseThrow(), e.distance().orElseThrow());
            assertRelative(f.z().orElseThrow(), e.z().orElseThrow());
            assertClose(f.speed().orElseThrow(), e.speed().orElseThrow(), new BigDecimal("1e-6"));
        }
        Statistics.label("marks above WATCH").collect(above == 0 ? "none" : above < 30 ? "some" : "many");
    }

    static List<String> kinds(List<Intent> intents) {
        return intents.stream().map(i -> i.action().getClass().getSimpleName()).toList();
    }

    static BigDecimal amount(Action action) {
        return switch (action) {
            case Action.TopUpMargin t -> t.amount();
            case Action.ReleaseMargin r -> r.amount();
            case Action.ReducePosition r -> r.qty();
            default -> BigDecimal.ZERO;
        };
    }

    static void assertRelative(BigDecimal actual, BigDecimal expected) {
        BigDecimal tolerance = expected.abs().multiply(RELATIVE).max(new BigDecimal("1e-9"));
        assertClose(actual, expected, tolerance);
    }

    static void assertClose(BigDecimal actual, BigDecimal expected, BigDecimal tolerance) {
        assertThat(actual.subtract(expected).abs())
                .as("%s against %s", actual, expected)
                .isLessThanOrEqualTo(tolerance);
    }
}
