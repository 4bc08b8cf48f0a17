package ballast.app.run;

import static ballast.app.run.LiveHarness.await;
import static ballast.app.run.LiveHarness.figure;
import static ballast.app.run.LiveHarness.markSeen;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.run.LiveHarness.Running;
import ballast.core.venue.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ballast run --profile paper} process: a paper account opened at the mark Binance's public REST gives,
 * fed the public mark-price stream of a loopback Binance. It tops up on the paper account as the mark falls, keeps the
 * account in its file, sends nothing to the venue but public reads (no key, no signature), and after a restart goes on
 * with the same account and the same budget: the top-up is neither repeated nor forgotten.
 */
class PaperRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static String paperProfile(LoopbackBinance venue) {
        return """
                policy:
                  name: ladder
                  ladder:
                    cooldown: 0s
                    cutCooldown: 0s
                    cascadeZPerMinute: -1000000000
                run:
                  stopGrace: 5s
                  venue:
                    restUrl: %s
                    streamUrl: %s
                    symbols: [BTCUSDT]
                  paper:
                    balance: 5000
                    positions:
                      - {symbol: BTCUSDT, side: long, leverage: 10, margin: 600, mode: isolated}
                """.formatted(venue.restUrl(), venue.streamUrl());
    }

    @Test
    void a_paper_account_on_live_marks_tops_up_keeps_its_file_and_continues_after_a_restart(@TempDir Path dir)
            throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(config.resolve("application-paper.yaml"), paperProfile(venue));
            Path accountFile = dir.resolve("run/paper/paper-account.json");
            BigDecimal wallet;
            BigDecimal price;
            Running bot = Running.start("paper", dir, config, venue.hookUrl(), List.of(), "--policy", "ladder");
            try {
                await("the mark stream connects", venue::marksConnected, bot);
                int port = LiveHarness.statusPort(dir, "paper", bot);
                price = new BigDecimal("60000");
                markSeen(venue, port, price, bot);
                // Opened at the public mark of the start (60,000): 600 USDT at 10x is 0.1 BTC.
                assertThat(figure(port, "qty")).isEqualByComparingTo("0.1");
                assertThat(figure(port, "wallet")).isEqualByComparingTo("600");
                while (figure(port, "wallet").compareTo(new BigDecimal("600")) == 0) {
                    price = price.subtract(new BigDecimal("50"));
                    assertThat(price).as("no top-up before 55,000").isGreaterThan(new BigDecimal("55000"));
                    markSeen(venue, port, price, bot);
                }
                wallet = figure(port, "wallet");
                assertThat(wallet).isGreaterThan(new BigDecimal("600"));
                JsonNode account = JSON.readTree(accountFile.toFile());
                assertThat(account.path("positions")
                                .path(0)
                                .path("isolatedWallet")
                                .decimalValue())
                        .isEqualByComparingTo(wallet);
                assertThat(account.path("ledger").path("marginAdded").decimalValue())
                        .isEqualByComparingTo(wallet.subtract(new BigDecimal("600")));
                assertThat(account.path("marginChanges")).hasSize(1);
            } finally {
                bot.process().toHandle().destroy();
            }
            assertThat(bot.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            String first = bot.output();
            assertThat(bot.process().exitValue()).as(first).isZero();
            assertThat(first)
                    .contains("No key, nothing is sent to any venue.")
                    .contains("opened long 0.1 BTCUSDT at the mark 60,000.00")
                    .contains("-> top-up");

            // The same account after a restart: same wallet, and the ladder's one top-up stays spent.
            Running again = Running.start("paper", dir, config, venue.hookUrl(), List.of(), "--policy", "ladder");
            try {
                await(
                        "the mark stream connects again",
                        () -> venue.connections() >= 2 && venue.marksConnected(),
                        again);
                int port = LiveHarness.statusPort(dir, "paper", again);
                markSeen(venue, port, price, again);
                assertThat(figure(port, "wallet")).isEqualByComparingTo(wallet);
                assertThat(figure(port, "qty")).isEqualByComparingTo("0.1");
            } finally {
                again.process().toHandle().destroy();
            }
            assertThat(again.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            String second = again.output();
            assertThat(again.process().exitValue()).as(second).isZero();
            assertThat(second).contains("account resumed from").doesNotContain("opened long");

            try (Journal journal = Journal.open(dir.resolve("run/paper/journal.sqlite"))) {
                assertThat(journal.intents().stream()
                                .filter(i -> i.kind().equals("top-up")
                                        && i.outcome().orElse(null) instanceof Outcome.Accepted))
                        .hasSize(1);
            }
            // Public reads only: no key, no signature, no write ever reached the venue.
            assertThat(venue.calls()).isNotEmpty().allSatisfy(c -> {
                assertThat(c.method()).isEqualTo("GET");
                assertThat(c.path()).isIn("/fapi/v1/exchangeInfo", "/fapi/v1/premiumIndex", "/market/stream");
                assertThat(c.query()).doesNotContainKey("signature");
            });
        }
    }
}
