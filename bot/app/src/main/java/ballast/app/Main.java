package ballast.app;

import ballast.app.cli.BallastCommand;
import ballast.app.cli.CheckCommand;
import ballast.app.cli.DataCommand;
import ballast.app.cli.DemoCommand;
import ballast.app.cli.JournalCommand;
import ballast.app.cli.LiqCommand;
import ballast.app.cli.PlanCommand;
import ballast.app.cli.ReplayCommand;
import ballast.app.cli.RunCommand;
import ballast.app.cli.StatusCommand;
import ballast.app.cli.StudyCommand;
import ballast.app.cli.SweepCommand;
import ballast.app.cli.UsageException;
import ballast.app.config.SettingsFile;
import ballast.app.history.HistoryDownload;
import ballast.app.marketdata.MarketDataFiles;
import ballast.app.replay.ScenarioFile;
import ballast.app.run.InstanceLock;
import ballast.app.run.Journal;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/** The composition root: builds every part by hand and runs the command line. */
public final class Main {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code: 0 done, 2 a user mistake, 1 anything else. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv(), java.time.Clock.systemUTC());
    }

    /** Runs one command line with the given environment (secrets are read from it, by name) and clock. */
    public static int run(
            String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env, java.time.Clock clock) {
        Supplier<ShippedRiskTiers> shippedTiers = memoize(ShippedRiskTiers::load);
        // The launcher says where Ballast lives; run by hand, the current folder's config/ is used.
        Path configDir = Path.of(System.getProperty("ballast.home", ".")).resolve("config");
        CommandLine cli = new CommandLine(new BallastCommand());
        cli.addSubcommand("liq", new LiqCommand(shippedTiers));
        cli.addSubcommand("replay", new ReplayCommand(shippedTiers, configDir));
        cli.addSubcommand("demo", new DemoCommand(shippedTiers, configDir));
        cli.addSubcommand("study", new StudyCommand(shippedTiers, configDir));
        cli.addSubcommand("sweep", new SweepCommand(shippedTiers, configDir));
        cli.addSubcommand("plan", new PlanCommand(shippedTiers, configDir));
        cli.addSubcommand("check", new CheckCommand(env, clock));
        CommandLine data = new CommandLine(new DataCommand());
        data.addSubcommand("download", new DataCommand.Download(DataCommand.World.real(clock)));
        data.addSubcommand("list", new DataCommand.ListData());
        data.addSubcommand("scenario", new DataCommand.Scenario(clock));
        cli.addSubcommand("data", data);
        cli.addSubcommand("run", new RunCommand(shippedTiers, configDir, env));
        cli.addSubcommand("journal", new JournalCommand(clock));
        cli.addSubcommand("status", new StatusCommand());
        cli.addSubcommand("halt", new ballast.app.cli.TradingCommands.Halt());
        cli.addSubcommand("resume", new ballast.app.cli.TradingCommands.Resume());
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            String command = qualified(e.getCommandLine());
            if (e instanceof CommandLine.UnmatchedArgumentException u
                    && !e.getCommandLine().getSubcommands().isEmpty()
                    && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().getFirst().startsWith("-")) {
                err.println(command + ": unknown command '" + u.getUnmatched().getFirst() + "'; commands: "
                        + String.join(", ", e.getCommandLine().getSubcommands().keySet()) + " (see '" + command
                        + " --help')");
                return USAGE;
            }
            if (e instanceof CommandLine.UnmatchedArgumentException u
                    && !u.isUnknownOption()
                    && !u.getUnmatched().isEmpty()
                    && !u.getUnmatched().getFirst().startsWith("-")) {
                err.println(command + ": unexpected argument '"
                        + u.getUnmatched().getFirst() + "' (see '" + command + " --help')");
                return USAGE;
            }
            if (e instanceof CommandLine.UnmatchedArgumentException u
                    && u.isUnknownOption()
                    && !u.getUnmatched().isEmpty()) {
                // The option alone (what follows it was meant as its value), and the nearest names it may have meant.
                List<String> like = u.getSuggestions();
                err.println(command + ": unknown option '" + u.getUnmatched().getFirst() + "'"
                        + (like.isEmpty()
                                ? ""
                                : "; did you mean " + String.join(" or ", like.subList(0, Math.min(3, like.size())))
                                        + "?")
                        + " (see '" + command + " --help')");
                return USAGE;
            }
            // picocli names Java's types ("'abc' is not an int"): a trader reads a whole number.
            String message = e.getMessage()
                    .replace(" is not an int", " is not a whole number")
                    .replace(" is not a long", " is not a whole number");
            err.println(command + ": " + message + " (see '" + command + " --help')");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            String command = qualified(commandLine);
            if (e instanceof UsageException || e instanceof IllegalArgumentException) {
                err.println(command + ": " + e.getMessage());
                return USAGE;
            }
            if (e instanceof ScenarioFile.ScenarioException
                    || e instanceof MarketDataFiles.DataFileException
                    || e instanceof SettingsFile.SettingsException) {
                err.println(command + ": " + e.getMessage());
                return USAGE;
            }
            if (e instanceof HistoryDownload.DownloadException d) {
                err.println(command + ": " + e.getMessage());
                return d.usage() ? USAGE : FAILURE;
            }
            if (e instanceof ballast.app.run.LiveRun.CannotStart c) {
                err.println(command + ": cannot start: " + e.getMessage());
                return c.exit();
            }
            if (e instanceof Journal.JournalException || e instanceof InstanceLock.HeldException) {
                err.println(command + ": " + e.getMessage());
                return FAILURE;
            }
            if (e instanceof PayloadException) {
                err.println(command + ": bad data: " + e.getMessage());
                return FAILURE;
            }
            err.println(command + ": unexpected error: " + e);
            if (System.getenv("BALLAST_DEBUG") != null) {
                e.printStackTrace(err);
            } else {
                err.println("(set BALLAST_DEBUG=1 for the stack trace, and please report it)");
            }
            return FAILURE;
        });
        return cli.execute(args);
    }

    private static String qualified(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName();
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
