package ballast.app.run;

import static ballast.app.run.LiveHarness.await;
import static ballast.app.run.LiveHarness.fall;
import static ballast.app.run.LiveHarness.figure;
import static ballast.app.run.LiveHarness.markSeen;
import static ballast.app.run.LiveHarness.status;
import static ballast.app.run.LiveHarness.statusPort;
import static ballast.app.run.LiveHarness.testnetProfile;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.run.LiveHarness.Running;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the real {@code ballast run --profile testnet} process against a loopback Binance: a margin change whose
 * answer never comes in time, the process killed at each step of a top-up and started again, a second instance, a
 * profile full of mistakes. Money is never added twice and never forgotten.
 */
class LiveRunFaultsTest {

    private static final String MARGIN = "/fapi/v1/positionMargin";
    private static final BigDecimal OPEN = new BigDecimal("60000");

    @Test
    void a_margin_change_that_times_out_is_not_repeated_before_a_reconcile_says_it_happened(@TempDir Path dir)
            throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue, "requestTimeout: 1s");
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                int port = started(dir, venue, bot);
                // The venue applies the top-up at once but answers after 3 s: the bot gave up after 1 s.
                venue.answerLate(MARGIN, Duration.ofSeconds(3));
                BigDecimal price = fall(
                        venue,
                        port,
                        bot,
                        OPEN,
                        "50",
                        "55000",
                        () -> !venue.calls("POST", MARGIN).isEmpty());
                String clientOutput = "the top-up's outcome is unknown";
                await(clientOutput, () -> bot.output().contains("UNKNOWN (reconcile before acting again)"), bot);
                // The mark keeps falling through the top-up zone while the outcome is unknown: nothing is sent again.
                for (int i = 0; i < 5; i++) {
                    price = price.subtract(BigDecimal.TEN);
                    markSeen(venue, port, price, bot);
                }
                BigDecimal added =
                        new BigDecimal(venue.calls("POST", MARGIN).get(0).param("amount"));
                await(
                        "the reconcile finds the change in the venue's history and the position read shows it",
                        () -> figure(port, "wallet").compareTo(new BigDecimal("600").add(added)) == 0,
                        bot);
                assertThat(bot.output()).contains("accepted " + added.toPlainString());
                assertThat(venue.calls("POST", MARGIN)).hasSize(1);
                assertThat(venue.calls("GET", "/fapi/v1/positionMargin/history"))
                        .isNotEmpty();
                assertThat(figure(port, "episodeSpent")).isEqualByComparingTo(added);
            } finally {
                stop(bot);
            }
        }
    }

    @Test
    void a_429_holds_everything_for_its_retry_after_and_a_418_until_the_ban_ends_then_protection_resumes(
            @TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                int port = started(dir, venue, bot);
                venue.refuse(MARGIN, 429, 2, 1);
                BigDecimal price = fall(
                        venue,
                        port,
                        bot,
                        OPEN,
                        "50",
                        "55000",
                        () -> !venue.calls("POST", MARGIN).isEmpty());
                await(
                        "the 429 holds trading",
                        () -> bot.output().contains("ACTIVE -> REDUCING: rate limited (429)"),
                        bot);
                await(
                        "the webhook is told",
                        () -> venue.hooks().stream().anyMatch(h -> h.contains("rate limited (429)")),
                        bot);
                // The refused top-up never happened: once the venue's history proves it, its money goes back and the
                // ladder tops up for real. The venue carries out exactly one margin change.
                await(
                        "the top-up is carried out after the 429",
                        () -> venue.appliedMarginChanges() == 1,
                        bot,
                        Duration.ofSeconds(45),
                        () -> {});
                assertThat(venue.calls("POST", MARGIN)).hasSizeGreaterThanOrEqualTo(2);

                // A 418 on the next request: nothing at all is sent until the ban ends, then protection resumes.
                venue.refuse(null, 418, 3, 1);
                await(
                        "the ban is alerted with its end",
                        () -> venue.hooks().stream().anyMatch(h -> h.contains("the venue said stop: IP banned (418)")),
                        bot,
                        Duration.ofSeconds(45),
                        () -> {});
                LoopbackBinance.Call banned = venue.calls().stream()
                        .filter(c -> c.status() == 418)
                        .findFirst()
                        .orElseThrow();
                assertThat(venue.calls().stream()
                                // A request already on its way when the ban was answered may still arrive.
                                .filter(c -> c.at() > banned.at() + 100 && c.at() < banned.at() + 2_900)
                                .filter(c -> !c.path().equals("/market/stream")
                                        && !c.path().equals("/private/ws"))
                                .filter(c -> !c.path().equals("/hook")))
                        .as("nothing is sent to the venue while banned: "
                                + venue.calls().stream()
                                        .filter(c -> c.at() >= banned.at() - 50 && c.at() < banned.at() + 3000)
                                        .map(c -> (c.at() - banned.at()) + " " + c.method() + " " + c.path() + " "
                                                + c.status())
                                        .toList())
                        .isEmpty();
                await(
                        "the ban ends and trading is ACTIVE again",
                        () -> System.currentTimeMillis() > banned.at() + 3_000
                                && status(port).path("tradingState").asText().equals("ACTIVE"),
                        bot);
                fall(
                        venue,
                        port,
                        bot,
                        price,
                        "30",
                        "53300",
                        () -> venue.positionAmt().compareTo(new BigDecimal("0.1")) < 0);
                await("one top-up, then the cut's re-add", () -> venue.appliedMarginChanges() == 2, bot);
            } finally {
                stop(bot);
            }
        }
    }

    @Test
    void the_mark_stream_drops_during_a_fall_and_rest_marks_keep_the_position_measured_and_protected(@TempDir Path dir)
            throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                int port = started(dir, venue, bot);
                venue.marksDown();
                await(
                        "the bot sees the stream go",
                        () -> bot.output().contains("markPrice[BTCUSDT] RECONNECTING"),
                        bot);
                // The mark falls 0.5 % at a time with no WebSocket at all: only REST says so.
                fall(
                        venue,
                        port,
                        bot,
                        OPEN,
                        "300",
                        "55000",
                        () -> !venue.calls("POST", MARGIN).isEmpty());
                assertThat(venue.calls("GET", "/fapi/v1/premiumIndex")).isNotEmpty();
                assertThat(venue.marksConnected()).isFalse();
                BigDecimal added =
                        new BigDecimal(venue.calls("POST", MARGIN).get(0).param("amount"));
                await(
                        "the top-up is heard back",
                        () -> figure(port, "wallet").compareTo(new BigDecimal("600").add(added)) == 0,
                        bot);
                // The stream comes back; REST polling stops.
                venue.marksUp();
                await("the stream reconnects", venue::marksConnected, bot, Duration.ofSeconds(45), () -> {});
                int polls = venue.calls("GET", "/fapi/v1/premiumIndex").size();
                markSeen(venue, port, new BigDecimal("56700"), bot);
                markSeen(venue, port, new BigDecimal("56750"), bot);
                assertThat(venue.calls("GET", "/fapi/v1/premiumIndex").size()).isLessThanOrEqualTo(polls + 1);
            } finally {
                stop(bot);
            }
        }
    }

    @Test
    void an_operator_halts_the_bot_and_nothing_is_sent_until_it_resumes(@TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                int port = started(dir, venue, bot);
                String halted = command(dir, "halt", "--port", String.valueOf(port), "--reason", "checking the key");
                assertThat(halted).contains("HALT asked (checking the key)");
                await(
                        "the engine takes the halt",
                        () -> status(port).path("tradingState").asText().equals("HALTED"),
                        bot);
                // Deep into the top-up zone: halted, nothing goes out (the backstop already on the venue stays).
                for (String mark : new String[] {"59000", "58000", "57400", "56800", "56400"}) {
                    markSeen(venue, port, new BigDecimal(mark), bot);
                }
                assertThat(status(port).path("positions").path(0).path("level").asText())
                        .isIn("TOP_UP", "CUT");
                assertThat(venue.calls("POST", MARGIN)).isEmpty();
                assertThat(venue.calls("POST", "/fapi/v1/order")).isEmpty();
                await(
                        "the halt is alerted with its reason",
                        () -> venue.hooks().stream()
                                .anyMatch(h -> h.contains("HALTED") && h.contains("checking the key")),
                        bot);

                command(dir, "resume", "--port", String.valueOf(port));
                await(
                        "once resumed, protection goes out",
                        () -> !venue.calls("POST", MARGIN).isEmpty()
                                || !venue.calls("POST", "/fapi/v1/order").isEmpty(),
                        bot,
                        Duration.ofSeconds(30),
                        () -> markSeen(venue, port, new BigDecimal("56400"), bot));
            } finally {
                stop(bot);
            }
        }
    }

    /** Runs {@code ballast <args>} as a separate process (as an operator would) and returns what it printed. */
    private static String command(Path dir, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Running.java(args))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        return printed;
    }

    @Test
    void a_silent_private_stream_is_covered_by_the_periodic_reconcile(@TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue, "reconcileEvery: 5s");
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                int port = started(dir, venue, bot);
                venue.silenceUserStream();
                // The trader adds 200 USDT by hand; the private stream says nothing of it.
                venue.traderAddsMargin(new BigDecimal("200"));
                await(
                        "the periodic reconcile reads the venue's truth",
                        () -> figure(port, "wallet").compareTo(new BigDecimal("800")) == 0,
                        bot,
                        Duration.ofSeconds(20),
                        () -> {});
                assertThat(venue.calls("GET", "/fapi/v2/positionRisk").size()).isGreaterThanOrEqualTo(2);
            } finally {
                stop(bot);
            }
        }
    }

    @Test
    void a_backstop_cancelled_by_hand_is_found_by_the_backstop_check_alerted_and_placed_again(@TempDir Path dir)
            throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue, "backstopCheckEvery: 10s");
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                started(dir, venue, bot);
                String trigger = venue.openAlgos().values().iterator().next();
                await(
                        "the first backstop check finds it in place",
                        () -> !venue.calls("GET", OPEN_STOPS).isEmpty(),
                        bot);
                assertThat(venue.hooks()).noneMatch(h -> h.contains("not on the venue"));
                venue.cancelStopsByHand();
                await(
                        "the next check places it again",
                        () -> !venue.openAlgos().isEmpty(),
                        bot,
                        Duration.ofSeconds(30),
                        () -> {});
                assertThat(venue.openAlgos().values()).containsExactly(trigger);
                await(
                        "the trader is told",
                        () -> venue.hooks().stream().anyMatch(h -> h.contains("is not on the venue")),
                        bot);
            } finally {
                stop(bot);
            }
        }
    }

    @Test
    void new_brackets_read_while_running_move_the_backstop(@TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue, "bracketsEvery: 10s");
            Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                int port = started(dir, venue, bot);
                BigDecimal before =
                        new BigDecimal(venue.openAlgos().values().iterator().next());
                BigDecimal liquidation = figure(port, "liquidationPrice");
                venue.maintenanceRises();
                await(
                        "the backstop follows the liquidation price the new brackets moved",
                        () -> venue.openAlgos().size() == 1
                                && new BigDecimal(venue.openAlgos()
                                                        .values()
                                                        .iterator()
                                                        .next())
                                                .compareTo(before)
                                        > 0,
                        bot,
                        Duration.ofSeconds(30),
                        () -> {});
                assertThat(figure(port, "liquidationPrice")).isGreaterThan(liquidation);
                assertThat(venue.calls("GET", "/fapi/v1/leverageBracket"))
                        .anySatisfy(c -> assertThat(c.query()).doesNotContainKey("symbol"));
            } finally {
                stop(bot);
            }
        }
    }

    @Test
    void killed_after_the_top_up_is_journalled_and_before_it_is_sent_the_restart_settles_it_as_never_sent(
            @TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running first = Running.start(
                    dir,
                    config,
                    venue.hookUrl(),
                    List.of("-Dballast.failpoint=" + Failpoints.INTENT_JOURNALLED),
                    "--policy",
                    "ladder");
            int port = started(dir, venue, first);
            BigDecimal price = fallUntilDead(venue, port, first);
            assertThat(first.process().exitValue()).isEqualTo(137);
            assertThat(venue.calls("POST", MARGIN)).as("it died before sending").isEmpty();

            Running second = restart(dir, config, venue);
            try {
                int again = statusPort(dir, second);
                markSeen(venue, again, price, second);
                // The journalled intent is reconciled: the venue never saw it, so once the settle window has passed it
                // is refunded, and the ladder may top up for real. Exactly one margin change ever reaches the venue.
                await(
                        "a top-up reaches the venue and is heard back",
                        () -> venue.calls("POST", MARGIN).size() == 1
                                && figure(again, "wallet").compareTo(venue.isolatedWallet()) == 0,
                        second,
                        Duration.ofSeconds(45),
                        () -> markSeen(venue, again, price, second));
                BigDecimal added =
                        new BigDecimal(venue.calls("POST", MARGIN).get(0).param("amount"));
                assertThat(figure(again, "episodeSpent"))
                        .as("the unsent top-up was refunded; only the real one is spent")
                        .isEqualByComparingTo(added);
                assertThat(venue.calls("POST", MARGIN)).hasSize(1);
            } finally {
                stop(second);
            }
        }
    }

    @Test
    void killed_after_the_venue_answered_and_before_the_answer_is_journalled_the_restart_never_tops_up_twice(
            @TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running first = Running.start(
                    dir,
                    config,
                    venue.hookUrl(),
                    List.of("-Dballast.failpoint=" + Failpoints.ANSWERED),
                    "--policy",
                    "ladder");
            int port = started(dir, venue, first);
            BigDecimal price = fallUntilDead(venue, port, first);
            assertThat(first.process().exitValue()).isEqualTo(137);
            assertRestartKeepsTheOneTopUp(dir, config, venue, price);
        }
    }

    @Test
    void killed_while_the_top_up_is_on_the_wire_the_restart_finds_it_and_never_tops_up_twice(@TempDir Path dir)
            throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running first = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            int port = started(dir, venue, first);
            venue.answerLate(MARGIN, Duration.ofSeconds(5));
            BigDecimal price = fall(
                    venue,
                    port,
                    first,
                    OPEN,
                    "50",
                    "55000",
                    () -> !venue.calls("POST", MARGIN).isEmpty());
            // SIGKILL while the request is on the wire: applied at the venue, never answered to the bot.
            first.process().toHandle().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertRestartKeepsTheOneTopUp(dir, config, venue, price);
        }
    }

    @Test
    void a_second_instance_on_the_same_account_is_refused_and_told_who_holds_it(@TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = config(dir, venue);
            Running first = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
            try {
                started(dir, venue, first);
                Running second = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
                assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(second.process().exitValue()).isEqualTo(1);
                assertThat(second.output())
                        .contains("another Ballast (process " + first.process().pid() + ") is already running on the"
                                + " testnet account")
                        .doesNotContain("Exception");
                assertThat(first.process().isAlive()).isTrue();
            } finally {
                stop(first);
            }
        }
    }

    @Test
    void a_profile_with_five_mistakes_reports_all_five_and_nothing_is_sent(@TempDir Path dir) throws Exception {
        try (LoopbackBinance venue = new LoopbackBinance()) {
            Path config = Files.createDirectories(dir.resolve("config"));
            Files.writeString(
                    config.resolve("application-testnet.yaml"), """
                    run:
                      stopGrace: 1h
                      venue:
                        restUrl: %s
                        streamUrl: fstream.binancefuture.com
                        apiSecretEnv: "%s"
                        symbols: [BTCUSDT, btc-usdt]
                        reconcileEvery: 1s
                    """.formatted(venue.restUrl(), LoopbackBinance.SECRET));
            Running bot = Running.start(dir, config, venue.hookUrl());
            assertThat(bot.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = bot.output();
            assertThat(bot.process().exitValue()).as(output).isEqualTo(2);
            assertThat(output)
                    .contains("application-testnet.yaml:2: run.stopGrace: must be from 0s to 5m, was PT1H")
                    .contains("application-testnet.yaml:5: run.venue.streamUrl: must be a WebSocket host")
                    .contains("application-testnet.yaml:6: run.venue.apiSecretEnv: must name an environment variable")
                    .contains("application-testnet.yaml:7: run.venue.symbols: takes the venue's symbols in capitals")
                    .contains("application-testnet.yaml:8: run.venue.reconcileEvery: must be from 5s to 1h, was 1s")
                    .doesNotContain(LoopbackBinance.SECRET);
            assertThat(venue.calls()).isEmpty();
        }
    }

    /** The restarted bot reconciles the one top-up the venue applied: it is spent, never sent again. */
    private static void assertRestartKeepsTheOneTopUp(Path dir, Path config, LoopbackBinance venue, BigDecimal price)
            throws IOException, InterruptedException {
        assertThat(venue.calls("POST", MARGIN)).hasSize(1);
        BigDecimal added = new BigDecimal(venue.calls("POST", MARGIN).get(0).param("amount"));
        int checks = venue.calls("GET", OPEN_STOPS).size();
        Running second = restart(dir, config, venue);
        try {
            int port = statusPort(dir, second);
            // The stop the last process placed is taken up by the backstop check (cancelled once replaced), not
            // left beside the new one.
            await(
                    "the backstop check runs after the restart",
                    () -> venue.calls("GET", OPEN_STOPS).size() > checks,
                    second);
            await("one backstop is left on the venue", () -> venue.openAlgos().size() == 1, second);
            markSeen(venue, port, price, second);
            await(
                    "the restarted bot settles the top-up it did not see answered",
                    () -> second.output().contains("accepted " + added.toPlainString()),
                    second);
            await(
                    "the venue's position after the top-up is heard",
                    () -> figure(port, "wallet").compareTo(new BigDecimal("600").add(added)) == 0,
                    second);
            // Still deep in the top-up zone: the ladder's one top-up is spent, so it never adds margin again.
            for (int i = 0; i < 5; i++) {
                markSeen(venue, port, price.subtract(BigDecimal.valueOf(10L * (i + 1))), second);
            }
            assertThat(venue.calls("POST", MARGIN)).hasSize(1);
            assertThat(figure(port, "episodeSpent"))
                    .as("the budget remembers the money spent before the crash")
                    .isEqualByComparingTo(added);
        } finally {
            stop(second);
        }
    }

    private static final String OPEN_STOPS = "/fapi/v1/openAlgoOrders";

    private static Path config(Path dir, LoopbackBinance venue, String... venueLines) throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("application-testnet.yaml"), testnetProfile(venue, venueLines));
        return config;
    }

    /** Waits for the streams and the first backstop at the opening mark; returns the status port. */
    private static int started(Path dir, LoopbackBinance venue, Running bot) {
        await("the streams connect", () -> venue.marksConnected() && venue.userConnected(), bot);
        int port = statusPort(dir, bot);
        markSeen(venue, port, OPEN, bot);
        await("the first backstop is placed", () -> !venue.openAlgos().isEmpty(), bot);
        return port;
    }

    /** Lowers the mark until the bot dies at its failpoint; returns the mark it died at. */
    private static BigDecimal fallUntilDead(LoopbackBinance venue, int port, Running bot) throws InterruptedException {
        BigDecimal price = OPEN;
        while (bot.process().isAlive()) {
            price = price.subtract(new BigDecimal("50"));
            assertThat(price).isGreaterThan(new BigDecimal("55000"));
            venue.mark(price);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (bot.process().isAlive() && System.nanoTime() < deadline && !LiveHarness.markMeasured(port, price)) {
                Thread.sleep(2);
            }
        }
        assertThat(bot.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        return price;
    }

    /** Starts the bot again on the same journal, after the last one died (its port file is stale). */
    private static Running restart(Path dir, Path config, LoopbackBinance venue) throws IOException {
        Files.deleteIfExists(dir.resolve("run/testnet/status.port"));
        int before = venue.connections();
        Running bot = Running.start(dir, config, venue.hookUrl(), "--policy", "ladder");
        await("the restarted bot's streams connect", () -> venue.connections() >= before + 2, bot);
        return bot;
    }

    /** SIGTERM; the bot must exit 0 with no unexpected error and no secret in what it printed. */
    private static void stop(Running bot) throws InterruptedException {
        bot.process().toHandle().destroy();
        if (!bot.process().waitFor(30, TimeUnit.SECONDS)) {
            bot.process().destroyForcibly();
        }
        String output = bot.output();
        if (bot.process().exitValue() != 0
                || output.contains("unexpected error")
                || output.contains(LoopbackBinance.SECRET)) {
            // Thrown from a finally block: the test's own failure, if any, is kept as the cause's sibling.
            throw new AssertionError(
                    "the bot did not stop cleanly (exit " + bot.process().exitValue() + ")\n" + output);
        }
    }
}
