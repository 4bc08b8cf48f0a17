package ballast.app.run;

import static ballast.app.run.LiveHarness.await;
import static ballast.app.run.LiveHarness.figure;
import static ballast.app.run.LiveHarness.get;
import static ballast.app.run.LiveHarness.markSeen;
import static ballast.app.run.LiveHarness.status;
import static ballast.app.run.LiveHarness.testnetProfile;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.run.LiveHarness.Running;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ballast run --profile testnet} process against a loopback Binance (REST and both streams on
 * 127.0.0.1, every signature checked): the mark falls, Ballast adds margin, the position update arrives, the backstop is
 * re-priced, the mark keeps falling, the ladder's top-ups are spent, a reduce-only order with Ballast's client id goes
 * out, an alert is posted, {@code /metrics} and {@code ballast status} show it, and SIGTERM exits 0. The secret
 * appears nowhere it could leak.
 *
 * <p>The test waits on what the bot says, never on time: each mark is sent once the bot's status shows the previous one
 * measured, so the run is the same however fast the machine is.
 */
class LiveRunEndToEndTest {

    @Test
    void the_bot_tops_up_reprices_its_backstop_then_cuts_reduce_only_and_stops_on_sigterm(@TempDir Path dir)
            throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(config.resolve("application-testnet.yaml"), testnetProfile(venue));
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                await("the streams connect", () -> venue.marksConnected() && venue.userConnected(), bot);
                Path portFile = dir.resolve("run/testnet/status.port");
                await("the status port is written", () -> Files.exists(portFile), bot);
                int port = Integer.parseInt(Files.readString(portFile).trim());
                BigDecimal price = new BigDecimal("60000");
                markSeen(venue, port, price, bot);
                await("the first backstop is placed", () -> !venue.openAlgos().isEmpty(), bot);
                String firstStop = venue.openAlgos().keySet().iterator().next();
                BigDecimal firstTrigger = new BigDecimal(venue.openAlgos().get(firstStop));
                // The stop sits a little inside the liquidation price (54,216.87 for this position), on the tick.
                assertThat(firstTrigger)
                        .isGreaterThan(new BigDecimal("54216.87"))
                        .isLessThan(new BigDecimal("54800"));

                // The mark falls 50 at a time until Ballast adds margin.
                while (venue.calls("POST", "/fapi/v1/positionMargin").isEmpty()) {
                    price = price.subtract(new BigDecimal("50"));
                    assertThat(price)
                            .as("no top-up before the mark reached 55,000")
                            .isGreaterThan(new BigDecimal("55000"));
                    markSeen(venue, port, price, bot);
                }
                LoopbackBinance.Call topUp =
                        venue.calls("POST", "/fapi/v1/positionMargin").get(0);
                assertThat(topUp.param("type")).isEqualTo("1");
                assertThat(topUp.param("symbol")).isEqualTo("BTCUSDT");
                BigDecimal added = new BigDecimal(topUp.param("amount"));
                await(
                        "the venue's position after the top-up is heard",
                        () -> figure(port, "wallet").compareTo(new BigDecimal("600").add(added)) == 0,
                        bot);
                await("the backstop is re-priced", () -> !venue.openAlgos().containsKey(firstStop), bot);
                BigDecimal secondTrigger =
                        new BigDecimal(venue.openAlgos().values().iterator().next());
                assertThat(secondTrigger).isLessThan(firstTrigger);
                assertThat(venue.calls("DELETE", "/fapi/v1/algoOrder"))
                        .anySatisfy(c -> assertThat(c.param("clientAlgoId")).isEqualTo(firstStop));

                // The mark keeps falling: the ladder's one top-up is spent, so it cuts, reduce-only.
                while (venue.calls("POST", "/fapi/v1/order").isEmpty()) {
                    price = price.subtract(new BigDecimal("30"));
                    assertThat(price)
                            .as("no cut before the mark reached the new liquidation price")
                            .isGreaterThan(new BigDecimal("53200"));
                    markSeen(venue, port, price, bot);
                }
                LoopbackBinance.Call cut = venue.calls("POST", "/fapi/v1/order").get(0);
                assertThat(cut.param("reduceOnly")).isEqualTo("true");
                assertThat(cut.param("side")).isEqualTo("SELL");
                assertThat(cut.param("type")).isEqualTo("MARKET");
                assertThat(cut.param("newClientOrderId")).matches("bl[a-z0-9]{4}-[0-9]+");
                // One top-up, then the cut keeps its margin: what the order released is added straight back.
                await(
                        "the margin the cut released is added back",
                        () -> venue.calls("POST", "/fapi/v1/positionMargin").size() == 2,
                        bot);
                LoopbackBinance.Call readd =
                        venue.calls("POST", "/fapi/v1/positionMargin").get(1);
                assertThat(readd.at()).isGreaterThanOrEqualTo(cut.at());
                assertThat(readd.param("type")).isEqualTo("1");
                assertThat(venue.isolatedWallet()).isEqualByComparingTo(new BigDecimal("600").add(added));
                await(
                        "the cut's position update is heard",
                        () -> venue.positionAmt().compareTo(new BigDecimal("0.1")) < 0
                                && figure(port, "qty").compareTo(venue.positionAmt()) == 0,
                        bot);

                await("an alert is posted", () -> venue.hooks().stream().anyMatch(h -> h.contains("cut")), bot);
                await(
                        "the cut's outcome is counted",
                        () -> get(port, "/metrics")
                                .contains("ballast_actions_total{kind=\"cut\",outcome=\"accepted\"} 1.0"),
                        bot);
                String metrics = get(port, "/metrics");
                assertThat(metrics)
                        .contains("ballast_position_level{side=\"long\",symbol=\"BTCUSDT\"}")
                        .contains("ballast_actions_total{kind=\"cut\",outcome=\"accepted\"} 1.0")
                        .contains("ballast_actions_total{kind=\"top-up\",outcome=\"accepted\"} 1.0");
                Process status = new ProcessBuilder(Running.java("status", "--port", String.valueOf(port)))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
                String table = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(status.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(status.exitValue()).as(table).isZero();
                assertThat(table).contains("BTCUSDT:long").contains("cut").doesNotContain("ETHUSDT");
                // The trader's own ETHUSDT short is not Ballast's to keep: nothing was sent for it.
                assertThat(venue.calls()).noneMatch(c -> "ETHUSDT".equals(c.param("symbol")));
            } finally {
                // SIGTERM, through the handle: Process.destroy() would also close the pipe the rest of the output comes
                // on.
                bot.process().toHandle().destroy();
            }
            assertThat(bot.process().waitFor(30, TimeUnit.SECONDS))
                    .as(bot.output())
                    .isTrue();
            String output = bot.output();
            assertThat(bot.process().exitValue()).as(output).isZero();
            assertThat(output)
                    .contains("Connecting: Binance USD-M testnet at http://127.0.0.1:")
                    .contains("account fit; one-way mode; order quota 300 per 10 s")
                    .contains("BTCUSDT:long  0.1 at 60,000.00")
                    .contains("-> top-up")
                    .contains("-> cut")
                    .contains("Stopped:");
            // The secret is in no output, alert, journal or status.
            assertThat(output).doesNotContain(LoopbackBinance.SECRET).doesNotContain(LoopbackBinance.LISTEN_KEY);
            assertThat(String.join("\n", venue.hooks())).doesNotContain(LoopbackBinance.SECRET);
            for (Path file : List.of(
                    dir.resolve("run/testnet/alerts.log"),
                    dir.resolve("run/testnet/journal.sqlite"),
                    dir.resolve("run/testnet/journal.sqlite-wal"))) {
                if (Files.exists(file)) {
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).as(file.toString()).doesNotContain(LoopbackBinance.SECRET);
                }
            }
        }
    }
}
