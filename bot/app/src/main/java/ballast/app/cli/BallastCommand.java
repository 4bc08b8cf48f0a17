package ballast.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top of the CLI: lists the commands. Subcommands are added by {@code Main}, the composition root. */
@Command(
        name = "ballast",
        mixinStandardHelpOptions = true,
        version = "ballast 0.1.0",
        description = {
            "Keeps the money behind leveraged perpetual positions inside a declared loss budget: exact liquidation"
                    + " math, reduce-only cuts, releases, and replays over real history that show what it costs.",
            "",
        },
        commandListHeading = "Commands:%n",
        footer = {
            "",
            "Run 'ballast <command> --help' for a command's flags. No command talks to an exchange unless told to.",
            "Exit codes: 0 done; 2 a mistake in the flags, settings or input (nothing was changed); 1 anything else."
                    + " 'ballast run' adds 3 (the account is not fit) and 4 (the venue could not be reached)."
        })
public final class BallastCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
