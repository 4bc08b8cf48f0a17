package ballast.bench;

import ballast.app.run.Journal;
import ballast.core.PositionKey;
import ballast.core.Side;
import ballast.core.policy.Action;
import ballast.core.policy.RiskLevel;
import ballast.kernel.Book;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.kernel.Intent;
import ballast.kernel.Step;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One journalled step as the running bot writes it before its intents leave: a level move, an issued top-up, and the
 * engine's memory (two books and the gate), in one SQLite transaction with WAL and {@code synchronous=FULL}, so one
 * fsync each. Sample mode gives the percentiles (p50, p99, max) of the write a protective action waits for.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalBenchmark {
    private Path dir;
    private Journal journal;
    private long n;
    private final Book book = Book.of(new PositionKey("BTCUSDT", Side.LONG));
    private final Instant t0 = Instant.parse("2024-10-24T00:00:00Z");

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("ballast.bench.dir", ".")), "journal-bench");
        journal = Journal.open(dir.resolve("journal.sqlite"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void step() {
        long i = ++n;
        Instant t = t0.plusSeconds(i);
        Engine.BookMemory memory = new Engine.BookMemory(
                book,
                RiskLevel.WARN,
                t,
                1,
                true,
                t,
                List.of(),
                null,
                null,
                new BigDecimal("3000"),
                new BigDecimal("0.5"),
                new BigDecimal("30000"),
                new BigDecimal("0.0964"),
                new BigDecimal("8000"),
                new BigDecimal("120.5"),
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                new BigDecimal("54495.1"));
        Engine.Memory engine = new Engine.Memory(
                i + 1,
                null,
                null,
                null,
                List.of(memory, memory),
                new Gate.Memory(
                        List.of(),
                        List.of(),
                        1,
                        LocalDate.parse("2024-10-24"),
                        BigDecimal.TEN,
                        BigDecimal.ONE,
                        BigDecimal.TEN));
        Step step = new Step(List.of(
                new Decided.LevelMoved(t, book, RiskLevel.WATCH, RiskLevel.WARN),
                new Decided.Issued(
                        t,
                        book,
                        new Intent(
                                "blbench-" + i,
                                new Action.TopUpMargin("BTCUSDT", Side.LONG, BigDecimal.TEN, "benchmark")))));
        journal.stepped(new EngineEvent.MarkUpdated(t, "BTCUSDT", BigDecimal.ONE, BigDecimal.ONE), step, engine);
    }
}
