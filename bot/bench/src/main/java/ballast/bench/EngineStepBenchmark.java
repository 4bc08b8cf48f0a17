package ballast.bench;

import ballast.app.engine.Engine;
import ballast.app.engine.EngineEvent;
import ballast.app.engine.Gate;
import ballast.app.engine.Intent;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Engine.step} for one mark update of one isolated position under the default ladder: volatility update, risk
 * measure (liquidation price cached per position state), the ladder's decision and the gate. The marks wander within
 * ±0.5 % so the position stays at WATCH, the level a monitored position spends nearly all its time in.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class EngineStepBenchmark {

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
                new LadderPolicy(LadderParams.defaults()),
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
        for (int i = 0; i < marks.length; i++) {
            // A deterministic wander of ±0.5 % around 60,000, one mark a second.
            BigDecimal offset = BigDecimal.valueOf((i * 37L) % 601 - 300);
            BigDecimal price = new BigDecimal("60000").add(offset);
            marks[i] = new EngineEvent.MarkUpdated(time.plusSeconds(i + 1L), "BTCUSDT", price, price);
        }
    }

    @Benchmark
    public List<Intent> markUpdate() {
        EngineEvent.MarkUpdated m = marks[next];
        next = (next + 1) & (marks.length - 1);
        // Keep time moving forward across the ring of prices.
        time = time.plusSeconds(1);
        return engine.step(new EngineEvent.MarkUpdated(time, m.symbol(), m.mark(), m.last()));
    }
}
