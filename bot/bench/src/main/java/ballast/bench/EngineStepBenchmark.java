package ballast.bench;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.kernel.Step;
import ballast.strategies.BudgetParams;
import ballast.strategies.BudgetPolicy;
import ballast.strategies.HoldPolicy;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Engine.step} for one mark update of one isolated position: volatility update, risk measure (liquidation price
 * cached per position state), the policy's decision and the gate, under {@code none} (the monitor alone), the default
 * {@code budget} and the {@code ladder}. The marks wander within ±0.5 % so the position stays at WATCH, the level a
 * monitored position spends nearly all its time in. Run with {@code -prof gc} for the bytes allocated per update.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class EngineStepBenchmark {

    @Param({"none", "budget", "ladder"})
    public String policy;

    private Engine engine;
    private EngineEvent.MarkUpdated[] marks;
    private int next;
    private Instant time;

    @Setup
    public void setup() {
        var tiers = ShippedRiskTiers.load()
                .find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
                .table();
        Gate gate = new Gate(Gate.Params.defaults());
        engine = new Engine(
                MarginRules.binance(),
                Map.of("BTCUSDT", tiers),
                switch (policy) {
                    case "none" -> new HoldPolicy("none");
                    case "budget" -> new BudgetPolicy(BudgetParams.defaults());
                    default -> new LadderPolicy(LadderParams.defaults());
                },
                gate,
                Engine.Params.defaults());
        time = Instant.parse("2024-10-24T00:00:00Z");
        engine.step(new EngineEvent.BalanceUpdated(time, new BigDecimal("5000")));
        engine.step(new EngineEvent.PositionUpdated(
                time,
                new PositionSnapshot(
                        "BTCUSDT",
                        Side.LONG,
                        MarginMode.ISOLATED,
                        new BigDecimal("0.5"),
                        new BigDecimal("60000"),
                        new BigDecimal("3000"),
                        BigDecimal.TEN,
                        Optional.empty())));
        marks = new EngineEvent.MarkUpdated[1024];
        // A quiet market, one mark a second: a walk of 1 to 6 USDT a step that stays within ±0.5 % of 60,000 and comes
        // back along the same path, so the ring of marks has no jump where it wraps (σ stays at its 1 % floor).
        java.util.Random random = new java.util.Random(42);
        long[] cents = new long[marks.length];
        long price = 6_000_000;
        for (int i = 0; i < marks.length / 2; i++) {
            long step = (1 + random.nextInt(6)) * 100L;
            price = Math.abs(price + step - 6_000_000) > 30_000 ? price - step : price + step;
            cents[i] = price;
            cents[marks.length - 1 - i] = price;
        }
        for (int i = 0; i < marks.length; i++) {
            BigDecimal mark = BigDecimal.valueOf(cents[i], 2);
            marks[i] = new EngineEvent.MarkUpdated(time.plusSeconds(i + 1L), "BTCUSDT", mark, mark);
        }
    }

    @Benchmark
    public Step markUpdate() {
        EngineEvent.MarkUpdated m = marks[next];
        next = (next + 1) & (marks.length - 1);
        // Keep time moving forward across the ring of prices.
        time = time.plusSeconds(1);
        return engine.step(new EngineEvent.MarkUpdated(time, m.symbol(), m.mark(), m.last()));
    }
}
