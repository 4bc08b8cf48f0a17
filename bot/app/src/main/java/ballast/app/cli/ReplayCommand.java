package ballast.app.cli;

import ballast.app.config.Settings;
import ballast.app.config.SettingsFile;
import ballast.app.replay.ReplayJson;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.ReplayTable;
import ballast.app.replay.Scenario;
import ballast.app.replay.ScenarioFile;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ballast replay}: a scenario through real history, with the chosen policy and the baselines side by side. */
@Command(
        name = "replay",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Replays a scenario (YAML) through real history, against the usual baselines.",
            "The paper venue simulates fills, fees, funding, tier-exact maintenance margin and liquidation on the mark;",
            "the engine runs the policy as it would live.",
        })
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO.yaml", description = "The scenario file.")
    Path scenarioFile;

    @Option(
            names = "--policy",
            paramLabel = "NAME",
            description = "Policy to run: budget, ladder, none, buffer-exit, exchange-auto-add (default: the"
                    + " profile's policy.name, budget unless changed).")
    String policy;

    @Option(
            names = "--compare",
            paramLabel = "LIST",
            description =
                    "Baselines to run beside it, comma-separated (default: none,buffer-exit,exchange-auto-add; '-' for none).")
    String compare;

    @Option(
            names = "--react-every",
            paramLabel = "DURATION",
            description = "Stress: the bot sees a mark and may act only this often (e.g. 1h), while the paper venue"
                    + " still liquidates on every mark (as 'ballast study --react-every').")
    String reactEvery;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Settings profile: config/application.yaml overlaid with config/application-NAME.yaml.")
    String profile;

    @Option(
            names = "--json",
            paramLabel = "FILE",
            description = "Write the report as JSON to FILE ('-' for standard output).")
    String json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report to FILE.")
    Path html;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    private final Supplier<ShippedRiskTiers> shippedTiers;
    private final Path configDir;

    public ReplayCommand(Supplier<ShippedRiskTiers> shippedTiers, Path configDir) {
        this.shippedTiers = shippedTiers;
        this.configDir = configDir;
    }

    @Override
    public Integer call() {
        Optional<java.time.Duration> react =
                Optional.ofNullable(reactEvery).map(r -> Flags.positiveDuration("--react-every", r));
        if (json != null
                && !json.equals("-")
                && html != null
                && Path.of(json)
                        .toAbsolutePath()
                        .normalize()
                        .equals(html.toAbsolutePath().normalize())) {
            throw new UsageException("--json and --html name the same file (" + html + "): one would overwrite the"
                    + " other; give them different names");
        }
        if (html != null && html.toString().equals("-")) {
            throw new UsageException("--html takes a file name (the HTML report is a page to open; '-' is only for"
                    + " --json, to print it)");
        }
        // Where the reports go is checked before the replay, not after it.
        if (json != null && !json.equals("-")) {
            writable("--json", Path.of(json));
        }
        if (html != null) {
            writable("--html", html);
        }
        Scenario scenario = ScenarioFile.load(scenarioFile);
        // A report never replaces what the replay reads.
        java.util.Set<Path> inputs = new java.util.HashSet<>();
        inputs.add(scenarioFile.toAbsolutePath().normalize());
        for (Scenario.PositionSpec p : scenario.positions()) {
            inputs.add(p.candles().toAbsolutePath().normalize());
            p.mark().ifPresent(m -> inputs.add(m.toAbsolutePath().normalize()));
            p.funding().ifPresent(f -> inputs.add(f.toAbsolutePath().normalize()));
        }
        if (json != null
                && !json.equals("-")
                && inputs.contains(Path.of(json).toAbsolutePath().normalize())) {
            throw new UsageException("--json " + json + " is one of the replay's own inputs; name another file");
        }
        if (html != null && inputs.contains(html.toAbsolutePath().normalize())) {
            throw new UsageException("--html " + html + " is one of the replay's own inputs; name another file");
        }
        Settings settings = SettingsFile.load(
                configDir,
                Optional.ofNullable(profile),
                scenario.policySettings().stream().toList());
        List<String> policies = policies(scenario, settings);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReplayReport report = run(scenario, settings, policies, react, err);
        if ("-".equals(json)) {
            out.print(ReplayJson.render(report));
        } else {
            out.print(ReplayTable.render(report));
            if (react.isPresent()) {
                out.println("stress: the bot saw a mark and could act only every "
                        + ballast.app.format.Figures.duration(react.get())
                        + "; the paper venue liquidated on every mark");
            }
            if (json != null) {
                String created = write(Path.of(json), ReplayJson.render(report));
                out.println("JSON report: " + Path.of(json).toAbsolutePath() + created);
            }
        }
        if (html != null) {
            String created = write(html, ballast.app.replay.HtmlReport.render(report));
            if (!"-".equals(json)) {
                out.println("HTML report: " + html.toAbsolutePath() + created);
            }
        }
        out.flush();
        return 0;
    }

    ReplayReport run(
            Scenario scenario,
            Settings settings,
            List<String> policies,
            Optional<java.time.Duration> react,
            PrintWriter err) {
        boolean terminal = Terminal.attached();
        ProgressBar bar = new ProgressBar(err, terminal, policies.size());
        // The policies replay side by side, one per core.
        ReplayRunner runner = new ReplayRunner(shippedTiers.get(), settings)
                .parallel(Runtime.getRuntime().availableProcessors());
        if (react.isPresent()) {
            runner = runner.reactingEvery(react.get());
        }
        ReplayReport report = runner.run(scenario, policies, bar::tick);
        bar.finish();
        return report;
    }

    private List<String> policies(Scenario scenario, Settings settings) {
        String chosen = policy != null ? policy : settings.policy();
        if (!ReplayRunner.POLICIES.contains(chosen)) {
            throw new UsageException(
                    "--policy must be one of " + String.join(", ", ReplayRunner.POLICIES) + ", was '" + chosen + "'");
        }
        List<String> policies = new ArrayList<>(List.of(chosen));
        String list = compare == null ? "none,buffer-exit,exchange-auto-add" : compare;
        if (!list.equals("-")) {
            for (String name : Arrays.stream(list.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList()) {
                if (!ReplayRunner.POLICIES.contains(name)) {
                    throw new UsageException("--compare takes policies from " + String.join(", ", ReplayRunner.POLICIES)
                            + ", was '" + name + "'");
                }
                if (!policies.contains(name)) {
                    policies.add(name);
                }
            }
        }
        return policies;
    }

    /** Writes a report, creating its folder; a failure is the user's to fix (a path they gave), so it is one line. */
    /**
     * Writes a report, creating its folder; returns {@code " (folder X created)"} when it had to, else "". A failure is
     * the user's to fix (a path they gave), so it is one line with the reason.
     */
    static String write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            String created = "";
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                created = " (folder " + parent + " created)";
            }
            Files.writeString(file, content);
            return created;
        } catch (IOException e) {
            throw new UsageException("cannot write " + file + ": " + ballast.app.history.HistoryDownload.reason(e));
        }
    }

    /** A report path that cannot be written is found before the replay: not a folder, not under a file. */
    static void writable(String flag, Path file) {
        if (file.toString().isBlank()) {
            throw new UsageException(flag + " needs a file name, was empty");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException(flag + " " + file + " is a folder; name a file in it");
        }
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UsageException(flag + " " + file + ": " + p + " is a file, not a folder");
                }
                if (!Files.isWritable(p)) {
                    throw new UsageException(flag + " " + file + ": cannot write in " + p);
                }
                return;
            }
        }
    }

    /** A one-line bar on a terminal; silent when output is piped. */
    static final class ProgressBar {
        private final PrintWriter err;
        private final boolean enabled;
        private final int runs;
        private long lastPrinted;

        ProgressBar(PrintWriter err, boolean enabled, int runs) {
            this.err = err;
            this.enabled = enabled;
            this.runs = runs;
        }

        /** {@code events}: replayed so far by all runs together. */
        void tick(long events) {
            if (!enabled) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastPrinted > 100_000_000L) {
                lastPrinted = now;
                err.print("\rreplaying " + runs + (runs == 1 ? " run: " : " runs: ") + events + " events");
                err.flush();
            }
        }

        void finish() {
            if (enabled) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }
}
