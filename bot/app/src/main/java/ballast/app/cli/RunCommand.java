package ballast.app.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ballast run}: the unattended bot. Not built yet; asking for it says so plainly, and what there is today,
 * instead of "Unmatched argument".
 */
@Command(name = "run", description = "The unattended bot (live, testnet, paper): not built yet.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", hidden = true)
    List<String> anything;

    @picocli.CommandLine.Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        throw new UsageException("the unattended bot is not built yet. Today Ballast replays history against its"
                + " policies (replay, demo; data downloads it), computes liquidation prices (liq) and checks a Binance"
                + " account (check): 'ballast --help' lists them");
    }
}
