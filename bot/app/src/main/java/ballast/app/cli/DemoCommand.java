package ballast.app.cli;

import ballast.app.config.Settings;
import ballast.app.config.SettingsFile;
import ballast.app.format.Figures;
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
import java.math.BigDecimal;
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
            "The FTX collapse, replayed: Ballast's loss budget against the ladder and the usual baselines.",
            "A 10x BTCUSDT long and a 10x ETHUSDT long on Binance, 2022-11-07 to 11-11, from real data shipped inside"
                    + " Ballast: the default loss budget against the ladder, none, buffer-exit and exchange-auto-add,"
                    + " with an HTML report.",
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
        if (html.toString().equals("-")) {
            throw new UsageException("--html takes a file name (the HTML report is a page to open)");
        }
        ReplayCommand.writable("--html", html);
        PrintWriter out = spec.commandLine().getOut();
        Path dir = unpack();
        try {
            Scenario scenario = ScenarioFile.load(dir.resolve("scenario.yaml"));
            out.println(
                    "Replaying the FTX collapse: a 10x BTCUSDT long and a 10x ETHUSDT long, 1,000 USDT margin each,");
            out.println("10,000 USDT free beside them, real Binance prices, liquidation on the mark price.");
            out.println();
            out.flush();
            Settings settings = SettingsFile.load(
                    configDir,
                    Optional.empty(),
                    scenario.policySettings().stream().toList());
            List<String> policies = new java.util.ArrayList<>(List.of(settings.policy()));
            ReplayRunner.POLICIES.stream()
                    .filter(p -> !p.equals(settings.policy()))
                    .forEach(policies::add);
            ReplayReport report = new ReplayRunner(shippedTiers.get(), settings)
                    .parallel(Runtime.getRuntime().availableProcessors())
                    .run(scenario, policies, e -> {});
            out.print(ReplayTable.render(report));
            out.println();
            boolean automatic = settings.budget().budgetAmount().isEmpty()
                    && settings.budget().budgetPct().isEmpty();
            out.println(verdict(report, automatic));
            String created = ReplayCommand.write(html, HtmlReport.render(report));
            out.println("HTML report (opens offline): " + html.toAbsolutePath() + created);
            out.flush();
            return 0;
        } finally {
            delete(dir);
        }
    }

    /**
     * What a trader wants from the table: did it survive, what did it lose against what it promised, how does that
     * compare with a stop near the liquidation price and with doing nothing, and what does it still hold.
     */
    static String verdict(ReplayReport report, boolean automaticBudget) {
        ReplayReport.PolicyRun chosen = report.results().get(0);
        ReplayReport.Summary s = chosen.summary();
        BigDecimal lost = report.startEquity().subtract(s.finalEquity());
        StringBuilder line = new StringBuilder("Ballast (" + chosen.policy() + ") ");
        line.append(s.liquidations() == 0 ? "kept every position out of liquidation" : "was LIQUIDATED")
                .append(" and ")
                .append(lost.signum() > 0 ? "lost " + Figures.amount(lost) + " USDT" : "lost nothing");
        chosen.lossBudget()
                .ifPresent(b -> line.append(" of the ")
                        .append(Figures.amount(b))
                        .append(" USDT loss budget it declared (its worst case")
                        .append(
                                automaticBudget
                                        ? "; automatic: what a stop 5 % before the liquidation price would lose from"
                                                + " the entry)"
                                        : ", from the settings)"));
        for (String baseline : List.of("buffer-exit", "none")) {
            report.results().stream()
                    .filter(r -> r.policy().equals(baseline) && r != chosen)
                    .findFirst()
                    .ifPresent(r -> {
                        BigDecimal diff = s.finalEquity().subtract(r.summary().finalEquity());
                        line.append(", ")
                                .append(Figures.amount(diff.abs()))
                                .append(diff.signum() >= 0 ? " USDT better than " : " USDT worse than ")
                                .append(baseline.equals("none") ? "doing nothing" : "the buffered exit")
                                .append(
                                        r.summary().liquidations() > 0
                                                ? " (liquidated " + r.summary().liquidations() + "x)"
                                                : "");
                    });
        }
        line.append(". ").append(s.actions()).append(" actions");
        if (s.marginAdded().signum() > 0) {
            line.append(", ").append(Figures.amount(s.marginAdded())).append(" USDT margin added");
        }
        if (s.marginReleased().signum() > 0) {
            line.append(", ").append(Figures.amount(s.marginReleased())).append(" USDT margin released");
        }
        List<String> held = chosen.positions().stream()
                .filter(p -> p.qtyAtEnd().signum() > 0)
                .map(p -> p.qtyAtEnd().stripTrailingZeros().toPlainString() + " " + p.symbol())
                .toList();
        line.append(
                held.isEmpty() ? "; nothing is still held." : "; it still holds " + String.join(" and ", held) + ".");
        line.append(System.lineSeparator()).append("Final equity ").append(Figures.amount(s.finalEquity()));
        line.append(" USDT against ");
        List<String> others = new java.util.ArrayList<>();
        for (ReplayReport.PolicyRun run :
                report.results().subList(1, report.results().size())) {
            int liquidations = run.summary().liquidations();
            others.add(run.policy() + " " + Figures.amount(run.summary().finalEquity())
                    + (liquidations > 0 ? " (liquidated " + liquidations + "x)" : ""));
        }
        line.append(String.join(", ", others))
                .append(
                        ". Equity counts what is still held at the last mark: staying alive keeps exposure to where the price goes next.");
        return line.toString();
    }

    /** The FTX window's scenario and data, shipped inside Ballast, copied to a new temporary folder. */
    public static Path unpack() throws IOException {
        Path dir = Files.createTempDirectory("ballast-demo");
        for (String file : FILES) {
            try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
                if (in == null) {
                    throw new IllegalStateException("demo file " + file + " is missing from the build");
                }
                Files.copy(in, dir.resolve(file));
            }
        }
        return dir;
    }

    public static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
