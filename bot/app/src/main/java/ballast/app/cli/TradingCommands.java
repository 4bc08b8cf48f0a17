package ballast.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast halt} and {@code ballast resume}: an operator's command to a running bot, through its loopback status
 * port. Halted, the bot sends nothing (its exchange-side backstops stay on the venue); resumed, it decides again from the
 * venue's truth. The engine takes the command as an event like any other, so the journal and the alerts say when.
 */
public final class TradingCommands {
    private TradingCommands() {}

    abstract static class Base implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @picocli.CommandLine.Mixin
        WhichBot which;

        @Option(
                names = "--reason",
                paramLabel = "TEXT",
                description = "Why, for the journal and the alerts (default: by hand).")
        String reason = "by hand";

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        abstract String path();

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(ballast.app.run.StatusReader.command(which.port(), path(), reason));
            return 0;
        }
    }

    @Command(
            name = "halt",
            usageHelpAutoWidth = true,
            sortOptions = false,
            description = {
                "Halts a running bot: it sends nothing more until 'ballast resume' (its exchange-side backstops stay on"
                        + " the venue and still close a position before liquidation)."
            })
    public static final class Halt extends Base {
        @Override
        String path() {
            return "halt";
        }
    }

    @Command(
            name = "resume",
            usageHelpAutoWidth = true,
            sortOptions = false,
            description = {"Lifts a halt (an operator's, or one a fault the venue answered put the bot in)."})
    public static final class Resume extends Base {
        @Override
        String path() {
            return "resume";
        }
    }
}
