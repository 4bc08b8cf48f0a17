package ballast.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.cli.DemoCommand;
import ballast.app.config.Settings;
import ballast.app.replay.Scenario;
import ballast.app.replay.ScenarioFile;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The running bot on the paper venue, fed the shipped FTX window, takes exactly the actions a replay of the same window
 * takes: the inbox, the engine thread, the journal and the executor add no behaviour of their own.
 */
class DemoRunParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"budget", "ladder"})
    void the_runtime_takes_the_replays_actions(String policy, @TempDir Path dir) throws Exception {
        Path data = DemoCommand.unpack();
        try {
            Scenario scenario = ScenarioFile.load(data.resolve("scenario.yaml"));
            StringWriter console = new StringWriter();
            StringWriter alerts = new StringWriter();
            DemoRun.Result result = DemoRun.run(
                    ShippedRiskTiers.load(),
                    Settings.defaults().withPolicy(policy),
                    scenario,
                    new DemoRun.Options(policy, 0, dir.resolve("journal.sqlite"), Duration.ofHours(6)),
                    ballast.app.config.RunSettings.defaults(),
                    new PrintWriter(console),
                    java.util.List.of(AlertTargets.file(new PrintWriter(alerts))),
                    d -> {
                        throw new AssertionError("a demo at full speed never sleeps");
                    });
            assertThat(result.replay()).as("the replay acts").isNotEmpty();
            assertThat(result.runtime()).isEqualTo(result.replay());
            assertThat(result.bot().inboxOverflows()).isZero();
            assertThat(console.toString()).contains("-> ").contains("accepted");
        } finally {
            DemoCommand.delete(data);
        }
    }
}
