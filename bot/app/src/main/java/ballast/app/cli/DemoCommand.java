package ballast.app.cli;

import ballast.app.config.SettingsFile;
import ballast.app.replay.HtmlReport;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.ReplayTable;
import ballast.app.replay.Scenario;
import ballast.app.replay.ScenarioFile;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast demo}: the FTX collapse replayed from data shipped inside Ballast, Ballast against the baselines. */
@Command(
        name = "demo",
        usageHelpAutoWidth = true,
        description = {
            "Replays the FTX collapse (2022-11-07 to 11-11) for a 10x BTCUSDT long and a 10x ETHUSDT long on Binance,",
            "from real data shipped inside Ballast: the default ladder against none, buffer-exit and exchange-auto-add.",
        })
public final class DemoCommand implements Callable<Integer> {

    static final String FOLDER = "ballast/demo/ftx-2022-11/";
    static final List<String> FILES = List.of(
            "scenario.yaml",
            "BTCUSDT-5m.json",
            "BTCUSDT-8h-mark.json",
            "BTCUSDT-funding.json",
            "ETHUSDT-5m.json",
            "ETHUSDT-1h-mark.csv",
            "ETHUSDT-funding.csv");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Where to write the HTML report (default: reports/demo-ftx-2022-11.html).")
    Path html = Path.of("reports", "demo-ftx-2022-11.html");

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    private final Supplier<ShippedRiskTiers> shippedTiers;
    private final Path configDir;

    public DemoCommand(Supplier<ShippedRiskTiers> shippedTiers, Path configDir) {
        this.shippedTiers = shippedTiers;
        this.configDir = configDir;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("ballast-demo");
        try {
            for (String file : FILES) {
                try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
                    if (in == null) {
                        throw new IllegalStateException("demo file " + file + " is missing from the build");
                    }
                    Files.copy(in, dir.resolve(file));
                }
            }
            Scenario scenario = ScenarioFile.load(dir.resolve("scenario.yaml"));
            out.println(
                    "Replaying the FTX collapse: a 10x BTCUSDT long and a 10x ETHUSDT long, 1,000 USDT margin each,");
            out.println("10,000 USDT free beside them, real Binance prices, liquidation on the mark price.");
            out.println();
            out.flush();
            ReplayReport report = new ReplayRunner(
                            shippedTiers.get(),
                            SettingsFile.load(
                                    configDir,
                                    Optional.empty(),
                                    scenario.policySettings().stream().toList()))
                    .run(scenario, ReplayRunner.POLICIES, e -> {});
            out.print(ReplayTable.render(report));
            out.println();
            out.println(verdict(report));
            ReplayCommand.write(html, HtmlReport.render(report));
            out.println("HTML report (opens offline): " + html.toAbsolutePath());
            out.flush();
            return 0;
        } finally {
            delete(dir);
        }
    }

    static String verdict(ReplayReport report) {
        ReplayReport.PolicyRun chosen = report.results().get(0);
        StringBuilder line = new StringBuilder();
        long liquidatedBaselines = report.results().stream()
                .skip(1)
                .filter(r -> r.summary().liquidations() > 0)
                .count();
        line.append(
                        chosen.summary().liquidations() == 0
                                ? "Ballast's ladder: no liquidation"
                                : "Ballast's ladder: LIQUIDATED")
                .append(", ")
                .append(chosen.summary().actions())
                .append(" actions, margin added ")
                .append(chosen.summary()
                        .marginAdded()
                        .setScale(2, RoundingMode.HALF_UP)
                        .toPlainString())
                .append(" and released ")
                .append(chosen.summary()
                        .marginReleased()
                        .setScale(2, RoundingMode.HALF_UP)
                        .toPlainString())
                .append(", final equity ")
                .append(chosen.summary()
                        .finalEquity()
                        .setScale(2, RoundingMode.HALF_UP)
                        .toPlainString())
                .append(" USDT. ")
                .append(liquidatedBaselines)
                .append(" of ")
                .append(report.results().size() - 1)
                .append(" baselines were liquidated.");
        return line.toString();
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
