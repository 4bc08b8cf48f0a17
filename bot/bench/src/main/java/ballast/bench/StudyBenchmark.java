package ballast.bench;

import ballast.app.config.Settings;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.Scenario;
import ballast.app.study.Study;
import ballast.app.study.StudyData;
import ballast.app.study.StudySpec;
import ballast.core.Side;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * A study's steady state, warm, on one thread: {@code entries} entries of the study ({@code ballast study}'s
 * defaults but {@code --horizons 30d --seed 2024}: BTCUSDT and ETHUSDT 1h with mark and funding, long and short, 10x,
 * 30 days, the four policies) over data read and walked once in {@code @Setup}. The score divided by {@code entries} is one entry's cost on one core: what a
 * 10,000-entry study pays 10,000 times, without the JVM's start, the files' parse and the whole-file walks that it pays
 * once. The data is the shared real history ({@code -Dballast.data}, default {@code ../shared/data}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx4g"})
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 5, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class StudyBenchmark {

    @Param({"200"})
    public int entries;

    /**
     * {@code all}: the study as {@code ballast study} runs it (the four policies and the path classes); or a comma list
     * of policies run alone on the same entries (no classes), to see what each one costs.
     */
    @Param({"all"})
    public String policies;

    private Study study;
    private StudySpec spec;

    @Setup
    public void setup() {
        Path dir = Path.of(System.getProperty("ballast.data", "../shared/data")).toAbsolutePath();
        List<StudyData.SymbolFiles> files = StudyData.find(dir, List.of("BTCUSDT", "ETHUSDT"), "1h");
        Settings settings = Settings.defaults();
        study = new Study(new ReplayRunner(ShippedRiskTiers.load(), settings), settings.bufferExit());
        Duration warmUp = Scenario.DEFAULT_WARM_UP;
        Instant[] covered = study.coverage(files, warmUp, Runtime.getRuntime().availableProcessors());
        spec = new StudySpec(
                files,
                List.of(Side.LONG, Side.SHORT),
                List.of(BigDecimal.TEN),
                List.of(Duration.ofDays(30)),
                covered[0],
                covered[1],
                entries,
                2024,
                new BigDecimal("1000"),
                new BigDecimal("5000"),
                policies.equals("all")
                        ? List.of("budget", "ladder", "none", "buffer-exit")
                        : List.of(policies.split(",")),
                Optional.empty(),
                warmUp);
        study.run(spec, 1, done -> {}); // reads and walks every file the entries touch
    }

    @Benchmark
    public Object study() {
        return policies.equals("all") ? study.run(spec, 1, done -> {}) : study.outcomes(spec, 1, done -> {});
    }
}
