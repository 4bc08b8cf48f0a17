package ballast.app.cli;

import ballast.app.config.Settings;
import ballast.app.config.SettingsFile;
import ballast.app.format.Figures;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.ReplayTable;
import ballast.app.replay.Scenario;
import ballast.app.replay.ScenarioFile;
import ballast.app.run.AlertTargets;
import ballast.app.run.Alerter;
import ballast.app.run.DemoRun;
import ballast.app.run.InstanceLock;
import ballast.app.run.LiveRun;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast run}: the unattended bot. */
@Command(
        name = "run",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "The unattended bot: watches leveraged positions and keeps them inside their budget.",
            "--profile demo runs the whole bot (inbox, engine thread, journal, executor with its rate limit, alerts)"
                    + " on the paper venue, fed the FTX collapse (2022-11-07 to 11-11) as its market, in about a"
                    + " minute; no account, no network.",
            "--profile testnet and --profile live keep a Binance USD-M account (config/application-<profile>.yaml:"
                    + " symbols, hosts, the variables holding the API key and secret; live needs confirmLive: true)."
                    + " They run until SIGTERM or Ctrl-C.",
            "--profile paper runs the whole bot on a paper account (config/application-paper.yaml: run.paper) fed"
                    + " Binance's live public mark prices: no key, nothing is sent to any venue; the account is kept in"
                    + " run/paper/paper-account.json and continues after a restart.",
            "Exit codes: 0 stopped by a signal; 2 a mistake in the flags or settings; 3 the account is not fit"
                    + " (see 'ballast check'); 4 the venue could not be reached or read; 1 anything else.",
        })
public final class RunCommand implements Callable<Integer> {
    static final List<String> PROFILES = List.of("demo", "paper", "testnet", "live");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--profile",
            required = true,
            paramLabel = "NAME",
            description = "demo (built in: the paper venue and a shipped crash), paper, testnet or live.")
    String profile;

    @Option(
            names = "--policy",
            paramLabel = "NAME",
            description = "Policy to run: budget, ladder, none, buffer-exit, exchange-auto-add (default: the profile's"
                    + " policy.name, budget unless changed).")
    String policy;

    @Option(
            names = "--speed",
            paramLabel = "N|max",
            description = "demo: market time per second of wall time, e.g. 7200 (two hours a second, the default:"
                    + " about a minute for the window), or max.")
    String speed = "7200";

    @Option(
            names = "--journal",
            paramLabel = "FILE",
            description = "The account's journal (default: run/<profile>/journal.sqlite). The demo starts a fresh"
                    + " account each time: its journal is replaced.")
    Path journal;

    @Option(
            names = "--status-every",
            paramLabel = "DURATION",
            description = "Market time between two status lines per position (default: 6h).")
    String statusEvery = "6h";

    @Option(
            names = "--status-port",
            paramLabel = "PORT",
            description = "Where /status, /health and /metrics are served, on 127.0.0.1 only (default: any free"
                    + " port, written to run/<profile>/status.port for 'ballast status').")
    Integer statusPort;

    @Option(
            names = "--config-dir",
            paramLabel = "DIR",
            description = "Where application.yaml and application-<profile>.yaml are (default: Ballast's config/).")
    Path configDir;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    private final Supplier<ShippedRiskTiers> shippedTiers;
    private final Path defaultConfigDir;
    private final Map<String, String> env;

    /** @param env where the secrets the settings name are read from (the process's environment) */
    public RunCommand(Supplier<ShippedRiskTiers> shippedTiers, Path configDir, Map<String, String> env) {
        this.shippedTiers = shippedTiers;
        this.defaultConfigDir = configDir;
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        if (!PROFILES.contains(profile)) {
            throw new UsageException(
                    "--profile must be one of " + String.join(", ", PROFILES) + ", was '" + profile + "'");
        }
        long marketPerSecond = speed(speed);
        if (statusPort != null && (statusPort < 0 || statusPort > 65_535)) {
            throw new UsageException("--status-port must be from 0 (any free port) to 65535, was " + statusPort);
        }
        Duration every = SettingsFile.parseDuration(statusEvery);
        if (every.isZero() || every.isNegative()) {
            throw new UsageException("--status-every must be positive, was " + statusEvery);
        }
        Path config = configDir == null ? defaultConfigDir : configDir;
        if (configDir != null && !Files.isDirectory(configDir)) {
            throw new UsageException("--config-dir " + configDir + " is not a folder");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!profile.equals("demo")) {
            return venue(config, every, out, err);
        }
        Path data = DemoCommand.unpack();
        try {
            Scenario scenario = ScenarioFile.load(data.resolve("scenario.yaml"));
            // The demo's own overlay is optional: a folder with only application.yaml (or none) runs it as it is.
            boolean overlay = Files.isRegularFile(config.resolve("application-" + profile + ".yaml"));
            SettingsFile.Loaded loaded = SettingsFile.loadAll(
                    config,
                    overlay ? Optional.of(profile) : Optional.empty(),
                    scenario.policySettings().stream().toList());
            Path journalFile = journal == null ? Path.of(loaded.run().dir(), profile, "journal.sqlite") : journal;
            List<Alerter.Target> external = AlertTargets.from(loaded.run().alerts(), env, profile);
            try (InstanceLock lock = InstanceLock.take(sibling(journalFile, ".lock"), "the demo account")) {
                return demo(loaded, scenario, journalFile, external, marketPerSecond, every, out, err);
            }
        } finally {
            DemoCommand.delete(data);
        }
    }

    private int demo(
            SettingsFile.Loaded loaded,
            Scenario scenario,
            Path journalFile,
            List<Alerter.Target> external,
            long marketPerSecond,
            Duration every,
            PrintWriter out,
            PrintWriter err)
            throws IOException {
        {
            Settings settings = loaded.settings();
            String chosen = policy == null ? settings.policy() : policy;
            if (!ReplayRunner.POLICIES.contains(chosen)) {
                throw new UsageException("--policy must be one of " + String.join(", ", ReplayRunner.POLICIES)
                        + ", was '" + chosen + "'");
            }
            freshAccount(journalFile);
            Path alertFile = journalFile.resolveSibling("alerts.log");
            out.println("Ballast demo: the whole bot on the paper venue, fed the FTX collapse as its market.");
            out.println("A 10x BTCUSDT long and a 10x ETHUSDT long, 1,000 USDT margin each, 10,000 USDT free; policy "
                    + chosen + "; "
                    + (marketPerSecond == 0
                            ? "as fast as it runs"
                            : Figures.count(marketPerSecond) + " s of market time a second")
                    + ".");
            out.println("Journal: " + journalFile.toAbsolutePath() + "   alerts: " + alertFile.toAbsolutePath()
                    + (external.isEmpty()
                            ? ""
                            : " and "
                                    + String.join(
                                            ", ",
                                            external.stream()
                                                    .map(Alerter.Target::name)
                                                    .toList())));
            out.println();
            out.flush();
            DemoRun.Result result;
            try (Signals signals = Signals.onStop(err);
                    PrintWriter alertLines = new PrintWriter(
                            Files.newBufferedWriter(
                                    alertFile,
                                    StandardCharsets.UTF_8,
                                    StandardOpenOption.CREATE,
                                    StandardOpenOption.TRUNCATE_EXISTING),
                            true)) {
                List<Alerter.Target> targets = new java.util.ArrayList<>();
                targets.add(AlertTargets.file(alertLines));
                targets.addAll(external);
                result = DemoRun.run(
                        shippedTiers.get(),
                        settings.withPolicy(chosen),
                        scenario,
                        new DemoRun.Options(
                                chosen,
                                marketPerSecond,
                                journalFile,
                                every,
                                statusPort == null ? loaded.run().statusPort() : statusPort,
                                journalFile.resolveSibling("status.port")),
                        loaded.run(),
                        out,
                        targets,
                        d -> Thread.sleep(d));
            } catch (InterruptedException e) {
                out.println();
                out.println("Stopped by a signal: nothing new was decided after it; what was in flight settled. The"
                        + " journal keeps everything: ballast journal --file " + journalFile);
                out.flush();
                return 0;
            }
            out.println();
            out.println("The replay of the same window under the same policy ('ballast replay'), for comparison:");
            out.print(ReplayTable.render(result.report()));
            out.println();
            if (result.same()) {
                out.println("The running bot took the same " + result.runtime().size()
                        + " actions as 'ballast replay' of this window under " + chosen
                        + ": the runtime adds no behaviour of its own.");
            } else {
                out.println("MISMATCH: the running bot took " + result.runtime().size() + " actions, the replay "
                        + result.replay().size() + ". This is a bug; please report it with the journal "
                        + journalFile.toAbsolutePath());
            }
            if (marketPerSecond == 0 && result.nanos() > 0) {
                out.println("The bot took " + Figures.count(result.events()) + " market events in "
                        + java.math.BigDecimal.valueOf(result.nanos(), 9)
                                .setScale(1, java.math.RoundingMode.HALF_UP)
                                .toPlainString()
                        + " s ("
                        + Figures.count(result.events() * 1_000_000_000L / result.nanos())
                        + " a second, each settled, journal and executor included, before the next).");
            }
            out.println("Inbox: deepest " + result.bot().deepestInbox() + " events, "
                    + result.bot().inboxOverflows()
                    + " over capacity. What the bot did and why: ballast journal --file " + journalFile);
            out.flush();
            return result.same() ? 0 : 1;
        }
    }

    /** paper, testnet and live: the bot beside an account, until a signal stops it. */
    private int venue(Path config, Duration every, PrintWriter out, PrintWriter err) {
        if (!Files.isRegularFile(config.resolve("application-" + profile + ".yaml"))) {
            throw new UsageException(
                    "--profile " + profile + " needs " + config.resolve("application-" + profile + ".yaml")
                            + " (Ballast ships one in config/; --config-dir names another folder)");
        }
        SettingsFile.Loaded loaded = SettingsFile.loadAll(config, Optional.of(profile), List.of());
        Settings settings = loaded.settings();
        String chosen = policy == null ? settings.policy() : policy;
        if (!ReplayRunner.POLICIES.contains(chosen)) {
            throw new UsageException(
                    "--policy must be one of " + String.join(", ", ReplayRunner.POLICIES) + ", was '" + chosen + "'");
        }
        if (!profile.equals("paper")) {
            // Before any file is made: the credentials must be there.
            ballast.app.binance.BinanceVenue.credentials(loaded.run().venue(), env);
        }
        Path journalFile = journal == null ? Path.of(loaded.run().dir(), profile, "journal.sqlite") : journal;
        List<Alerter.Target> targets = new java.util.ArrayList<>();
        Path alertFile = journalFile.resolveSibling("alerts.log");
        try {
            Path parent = alertFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UsageException("cannot create " + alertFile.getParent() + ": " + e.getMessage());
        }
        try (Signals signals = Signals.onStop(err);
                PrintWriter alertLines = new PrintWriter(
                        Files.newBufferedWriter(
                                alertFile,
                                StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND),
                        true)) {
            targets.add(AlertTargets.file(alertLines));
            targets.addAll(AlertTargets.from(loaded.run().alerts(), env, profile));
            return LiveRun.run(
                    settings.withPolicy(chosen),
                    loaded.run(),
                    new LiveRun.Options(
                            profile,
                            chosen,
                            journalFile,
                            statusPort == null ? loaded.run().statusPort() : statusPort,
                            journalFile.resolveSibling("status.port"),
                            every),
                    o -> profile.equals("paper")
                            ? ballast.app.binance.BinancePaperVenue.connect(
                                    loaded.run(),
                                    ReplayRunner.venueConfig(ballast.core.Venue.BINANCE, settings.paper()),
                                    shippedTiers.get(),
                                    journalFile.resolveSibling("paper-account.json"),
                                    java.time.Clock.systemUTC(),
                                    o)
                            : ballast.app.binance.BinanceVenue.connect(
                                    profile,
                                    loaded.run().venue(),
                                    loaded.run().protectiveReservePct(),
                                    env,
                                    java.time.Clock.systemUTC(),
                                    o),
                    out,
                    targets,
                    java.time.Clock.systemUTC());
        } catch (IOException e) {
            throw new UsageException("cannot write " + alertFile + ": " + e.getMessage());
        }
    }

    static long speed(String text) {
        if (text.equals("max")) {
            return 0;
        }
        try {
            long n = Long.parseLong(text.replace("_", "").replace(",", ""));
            if (n < 1) {
                throw new UsageException("--speed must be at least 1 (or max), was " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(
                    "--speed takes a whole number (market seconds per second) or max, was '" + text + "'");
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** The demo's account starts over each run: the last demo's journal goes. */
    private static void freshAccount(Path journalFile) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(sibling(journalFile, suffix));
        }
    }
}
