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
            "Run 'ballast <command> --help' for a command's flags. No command talks to an exchange unless told to."
        })
public final class BallastCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
