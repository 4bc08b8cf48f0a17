package ballast.bench;

import ballast.app.config.Settings;
import ballast.app.marketdata.MarketDataFiles;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.ScenarioFile;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Warm replay throughput: one policy over a whole scenario, the data loaded and walked once in {@code @Setup}, so an
 * operation is exactly the per-event work (paper venue, engine, policy, gate, the report's trace). Events per second
 * are the scenario's events divided by the score. The data is the shared real history ({@code -Dballast.data}, default
 * {@code ../shared/data}):
 *
 * <ul>
 *   <li>{@code 5m}: BTCUSDT perpetual 5m candles 2022-06-01 to 2022-11-24 with the 8h mark and funding, a 3x short that
 *       never comes near liquidation, so every event is measured in full;
 *   <li>{@code 1m}: BTCUSDT perpetual 1m candles 2025-05-25 to 2025-06-24 (no mark file: last price stands in), the
 *       same short.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ReplayBenchmark {

    @Param({"5m", "1m"})
    public String data;

    @Param({"none", "budget"})
    public String policy;

    private ReplayRunner.Prepared prepared;
    private java.util.List<Path> files;

    @Setup
    public void setup() throws IOException {
        Path dir = Path.of(System.getProperty("ballast.data", "../shared/data")).toAbsolutePath();
        String yaml = switch (data) {
            case "5m" ->
                scenario(
                        "2022-06-01T00:00:00Z",
                        "2022-11-24T00:00:00Z",
                        "candles: " + dir.resolve("binance_um_BTCUSDT_5m_2022-06-01_2022-11-24.json") + "\n"
                                + "      mark: " + dir.resolve("binance_um_BTCUSDT_8h_mark_2022-06-01_2022-11-24.json")
                                + "\n" + "      funding: "
                                + dir.resolve("binance_um_BTCUSDT_funding_2022-06-01_2022-11-24.json"));
            case "1m" ->
                scenario(
                        "2025-05-26T00:00:00Z",
                        "2025-06-24T00:00:00Z",
                        "candles: " + dir.resolve("binance_um_BTCUSDT_1m_2025-05-25_2025-06-24.csv") + "\n"
                                + "      funding: " + dir.resolve("binance_um_BTCUSDT_funding.csv"));
            default -> throw new IllegalArgumentException("data is 5m or 1m, was " + data);
        };
        files = data.equals("5m")
                ? java.util.List.of(
                        dir.resolve("binance_um_BTCUSDT_5m_2022-06-01_2022-11-24.json"),
                        dir.resolve("binance_um_BTCUSDT_8h_mark_2022-06-01_2022-11-24.json"))
                : java.util.List.of(dir.resolve("binance_um_BTCUSDT_1m_2025-05-25_2025-06-24.csv"));
        Path file = Files.createTempFile("ballast-bench-", ".yaml");
        Files.writeString(file, yaml);
        try {
            prepared = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).prepare(ScenarioFile.load(file));
        } finally {
            Files.delete(file);
        }
        System.out.println("\n" + data + ": " + prepared.events() + " events per operation");
    }

    private static String scenario(String from, String to, String data) {
        return """
                name: throughput
                exchange: binance
                from: %s
                to: %s
                warmUp: 1d
                account:
                  wallet: 20000
                positions:
                  - symbol: BTCUSDT
                    side: short
                    leverage: 3
                    margin: 10000
                    data:
                      %s
                """.formatted(from, to, data);
    }

    @Benchmark
    public ReplayReport.PolicyRun replay() {
        return prepared.runPolicy(policy);
    }

    /**
     * Parsing the same data (the candle files, and the mark file where there is one): what the replay's time is
     * compared with. Funding files are a few hundred rows and left out.
     */
    @Benchmark
    public long parse() {
        long candles = 0;
        for (Path file : files) {
            candles += MarketDataFiles.loadCandles(file).candles().size();
        }
        return candles;
    }

    /** For a profiler: replays {@code data policy} for {@code seconds} in a loop. */
    public static void main(String[] args) {
        ReplayBenchmark b = new ReplayBenchmark();
        b.data = args[0];
        b.policy = args[1];
        try {
            b.setup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long until = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        long runs = 0;
        long started = System.nanoTime();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        while (System.nanoTime() < until) {
            b.replay();
            runs++;
            if (runs % 5 == 0) {
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                long events = runs * b.prepared.events();
                System.out.println(runs + " runs, " + events * 1_000_000_000L / cpu + " events/s thread CPU, "
                        + events * 1_000_000_000L / (System.nanoTime() - started) + " wall");
            }
        }
    }
}
