package ballast.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.cli.BadInputTest.Result;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ballast run --profile demo} and {@code ballast journal}, as a trader runs them. */
class RunCommandTest {

    @Test
    void the_demo_runs_the_bot_and_the_journal_says_what_it_did(@TempDir Path dir) {
        Path journal = dir.resolve("run/demo/journal.sqlite");
        Result run = BadInputTest.run(
                "run", "--profile", "demo", "--speed", "max", "--policy", "ladder", "--journal", journal.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("BTCUSDT:long      open: 0.478468 at 20,900.00, 10x ISOLATED, margin 1,000.00")
                .contains("-> top-up")
                .contains("accepted")
                .contains("The running bot took the same")
                .contains("as 'ballast replay' of this window under ladder")
                .contains("0 over capacity");
        assertThat(Files.exists(dir.resolve("run/demo/alerts.log"))).isTrue();

        Result table = BadInputTest.run("journal", "--file", journal.toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out())
                .contains("intent")
                .contains("outcome")
                .contains("level")
                .contains("top-up");
        Result json = BadInputTest.run("journal", "--file", journal.toString(), "--json", "--since", "2022-11-09");
        assertThat(json.exit()).isZero();
        assertThat(json.out().lines())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("{\"seq\":").contains("\"time\":\"2022-11-"));
        assertThat(json.out()).doesNotContain("2022-11-07T");

        // A second run starts a fresh demo account: the journal is replaced, not added to.
        Result again = BadInputTest.run(
                "run", "--profile", "demo", "--speed", "max", "--policy", "ladder", "--journal", journal.toString());
        assertThat(again.exit()).isZero();
        assertThat(BadInputTest.run("journal", "--file", journal.toString()).out())
                .isEqualTo(table.out().replaceAll("\\[bl[a-z0-9]{4}-", "[" + prefix(journal)));
    }

    private static String prefix(Path journal) {
        try (ballast.app.run.Journal j = ballast.app.run.Journal.open(journal)) {
            return j.idPrefix();
        }
    }

    @Test
    void sigterm_stops_the_bot_cleanly_with_exit_0_and_the_journal_kept(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("journal.sqlite");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dballast.home=" + Path.of("../..").toAbsolutePath().normalize(),
                "ballast.app.Main",
                "run",
                "--profile",
                "demo",
                "--speed",
                "3600",
                "--journal",
                journal.toString()));
        Process bot = new ProcessBuilder(command).directory(dir.toFile()).start();
        List<String> seen = new ArrayList<>();
        boolean signalled = false;
        int port = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith("Status: http://127.0.0.1:")) {
                    port = Integer.parseInt(line.replaceAll("^Status: http://127.0.0.1:(\\d+)/.*$", "$1"));
                }
                // The snapshot is published before the console line is printed: both positions are in it.
                if (line.contains("ETHUSDT:long      open: ") && !signalled) {
                    signalled = true;
                    // While it runs: ballast status, /health and /metrics on 127.0.0.1.
                    Result status = BadInputTest.run("status", "--port", String.valueOf(port));
                    assertThat(status.exit()).as(status.err()).isZero();
                    assertThat(status.out())
                            .contains("Ballast demo bot at 2022-11-")
                            .contains("BTCUSDT:long")
                            .contains("ETHUSDT:long")
                            .contains("position")
                            .contains("liquidation");
                    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                    var health = http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(health.statusCode()).isIn(200, 503);
                    var metrics = http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertThat(metrics.body())
                            .contains("ballast_position_distance{side=\"long\",symbol=\"BTCUSDT\"}")
                            .contains("ballast_trading_state");
                    bot.toHandle().destroy(); // SIGTERM, the streams left open
                }
            }
        }
        assertThat(bot.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = new String(bot.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bot.exitValue()).as(String.join("\n", seen) + "\n" + err).isZero();
        assertThat(err).contains("SIGTERM: stopping");
        assertThat(String.join("\n", seen)).contains("Stopped by a signal");
        Result journalled = BadInputTest.run("journal", "--file", journal.toString());
        assertThat(journalled.exit()).isZero();
        // Stopped: the port file is gone and ballast status says nothing answers.
        assertThat(dir.resolve("status.port")).doesNotExist();
        Result gone = BadInputTest.run("status", "--port", String.valueOf(port));
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.err()).contains("no bot answers on 127.0.0.1:" + port);
    }
}
