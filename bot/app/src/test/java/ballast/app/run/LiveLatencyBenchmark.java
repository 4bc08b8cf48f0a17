package ballast.app.run;

import static ballast.app.run.LiveHarness.await;
import static ballast.app.run.LiveHarness.get;
import static ballast.app.run.LiveHarness.markSeen;
import static ballast.app.run.LiveHarness.status;
import static ballast.app.run.LiveHarness.statusPort;

import ballast.app.run.LiveHarness.Running;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The running bot's reaction time, measured on the real process against the loopback Binance: from the moment a mark
 * frame that puts a position into the top-up zone is handed to the server's WebSocket, to the moment the protective
 * request ({@code POST /fapi/v1/positionMargin}) has arrived at the venue: parse, inbox, engine step, journal (SQLite,
 * synchronous=FULL), executor, rate limiter, signing, HTTP. Both ends are read from the same clock (this JVM's). Not
 * part of the test run (its name ends in Benchmark); {@code docs/benchmarks.md} gives the command.
 *
 * <p>Each sample: the mark rests at 58,000 (WATCH), the position is as it opened again (0.1 BTC, wallet 600) and the
 * bot has heard it; then one frame at 56,400 (the top-up zone) and the clock runs until the first protective request
 * (a top-up or a reduce-only order) arrives.
 */
class LiveLatencyBenchmark {

    private static final int SAMPLES = Integer.getInteger("benchmark.samples", 200);
    private static final int WARM_UP = Integer.getInteger("benchmark.warmUp", 50);
    private static final BigDecimal REST = new BigDecimal("58000");
    private static final BigDecimal TRIGGER = new BigDecimal("56400");

    @Test
    void one_symbol() throws Exception {
        measure(0, false);
    }

    @Test
    void two_hundred_symbols_streaming_once_a_second_each() throws Exception {
        measure(199, false);
    }

    @Test
    void two_hundred_symbols_the_trigger_last_in_a_burst_of_200_frames() throws Exception {
        measure(199, true);
    }

    /** A bot idling on 200 symbols: its resident memory and CPU over {@code benchmark.idleMinutes} (default 10). */
    @Test
    void idle_on_two_hundred_symbols() throws Exception {
        long minutes = Long.getLong("benchmark.idleMinutes", 10);
        Path dir = Files.createTempDirectory("ballast-idle");
        try (LoopbackBinance venue = new LoopbackBinance(199)) {
            Running bot = Running.start(dir, config(dir, venue), venue.hookUrl(), "--policy", "ladder");
            try {
                int port = statusPort(dir, bot);
                await(
                        "all 200 positions are measured",
                        () -> status(port).path("positions").size() == 200
                                && allMarked(status(port).path("positions")),
                        bot);
                Thread.sleep(60_000); // warm: the JIT and the heap settle
                long pid = bot.process().pid();
                long ticks0 = cpuTicks(pid);
                long start = System.nanoTime();
                long peak = 0;
                List<Long> rss = new ArrayList<>();
                while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(minutes)) {
                    Thread.sleep(10_000);
                    long now = rssKb(pid);
                    rss.add(now);
                    peak = Math.max(peak, now);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = (cpuTicks(pid) - ticks0) / 100.0 / seconds * 100; // CLK_TCK is 100 on Linux
                System.out.printf(
                        "IDLE 200 symbols, %d min: RSS %d MB at the end, peak %d MB; CPU %.2f %% of one core; %s frames"
                                + " a second in; heap settings: JVM defaults%n",
                        minutes, rss.getLast() / 1024, peak / 1024, cpu, "200");
            } finally {
                bot.process().toHandle().destroy();
                bot.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean allMarked(JsonNode positions) {
        for (JsonNode p : positions) {
            if (!p.path("mark").isNumber()) {
                return false;
            }
        }
        return true;
    }

    private void measure(int extras, boolean burst) throws Exception {
        Path dir = Files.createTempDirectory("ballast-latency");
        try (LoopbackBinance venue = new LoopbackBinance(extras)) {
            venue.fund(new BigDecimal("100000000"));
            // A cycle reads the account three times (about 31 weight): at one cycle per 150 ms that is 12,400 weight a
            // minute, five times Binance's 2,400, which the bot keeps to. The quota is not what is measured here.
            venue.weightQuota(24_000);
            Running bot = Running.start(dir, config(dir, venue), venue.hookUrl(), "--policy", "ladder");
            try {
                int port = statusPort(dir, bot);
                await("the streams connect", () -> venue.marksConnected() && venue.userConnected(), bot);
                List<Long> nanos = new ArrayList<>();
                int deepest = 0;
                for (int i = 0; i < WARM_UP + SAMPLES; i++) {
                    // Each cycle sends three intents (the top-up, the backstop after it, the backstop after the
                    // reset): at most one cycle per 150 ms keeps them under Binance's 300 orders per 10 s, so the
                    // rate limiter (which would rightly hold them) is not what is measured.
                    long cycleStart = System.nanoTime();
                    markSeen(venue, port, REST, bot);
                    venue.reset(new BigDecimal("0.100"), new BigDecimal("600"));
                    awaitOr(
                            port,
                            "the bot hears the position as it opened and waits for nothing",
                            () -> {
                                JsonNode p = btc(status(port));
                                return p != null
                                        && p.path("wallet").decimalValue().compareTo(new BigDecimal("600")) == 0
                                        && p.path("qty").decimalValue().compareTo(new BigDecimal("0.1")) == 0
                                        && (p.path("waitingFor").isNull()
                                                || p.path("waitingFor").isMissingNode());
                            },
                            bot);
                    int before = venue.protective().size();
                    long sent = burst ? venue.burst(TRIGGER) : venue.markTimed(TRIGGER);
                    await(
                            "a protective request arrives",
                            () -> venue.protective().size() > before,
                            bot);
                    long arrived = venue.protective().get(before).nanos();
                    // Done with it before the next reset: answered, and seen in the venue's position.
                    awaitOr(
                            port,
                            "the bot is done with the action",
                            () -> {
                                JsonNode p = btc(status(port));
                                return p != null
                                        && (p.path("waitingFor").isNull()
                                                || p.path("waitingFor").isMissingNode());
                            },
                            bot);
                    long rest = 150_000_000L - (System.nanoTime() - cycleStart);
                    if (rest > 0) {
                        Thread.sleep(rest / 1_000_000L);
                    }
                    if (i >= WARM_UP) {
                        nanos.add(arrived - sent);
                    }
                    if (burst) {
                        deepest = Math.max(deepest, deepest(get(port, "/metrics")));
                    }
                }
                Collections.sort(nanos);
                System.out.printf(
                        "LATENCY %s: %d samples after %d warm-up: p50 %.2f ms, p99 %.2f ms, max %.2f ms%s%n",
                        extras == 0
                                ? "1 symbol"
                                : (extras + 1) + " symbols" + (burst ? ", trigger last in a burst" : ""),
                        nanos.size(),
                        WARM_UP,
                        nanos.get(nanos.size() / 2) / 1e6,
                        nanos.get((int) Math.ceil(nanos.size() * 0.99) - 1) / 1e6,
                        nanos.getLast() / 1e6,
                        burst ? "; deepest inbox " + deepest + " events" : "");
            } finally {
                bot.process().toHandle().destroy();
                bot.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** As {@code await}, failing with the bot's status page as well. */
    private static void awaitOr(int port, String what, java.util.function.BooleanSupplier condition, Running bot) {
        try {
            await(what, condition, bot);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nstatus: " + btc(status(port)), e);
        }
    }

    private static JsonNode btc(JsonNode status) {
        for (JsonNode p : status.path("positions")) {
            if (p.path("key").path("symbol").asText().equals("BTCUSDT")) {
                return p;
            }
        }
        return null;
    }

    private static int deepest(String metrics) {
        return metrics.lines()
                .filter(l -> l.startsWith("ballast_inbox_deepest "))
                .mapToInt(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    private static Path config(Path dir, LoopbackBinance venue) throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("application-testnet.yaml"), """
                engine:
                  volatilityMemory: 365d    # the mark jumps 2.8 %% each way every cycle: keep σ at its floor
                gate:
                  episodeSharePct: 100
                  daySharePct: 100
                  maxTopUpsPerEpisode: 1000
                policy:
                  name: ladder
                  ladder:
                    cooldown: 0s
                    cutCooldown: 0s
                    maxTopUpsPerEpisode: 1000
                    cascadeZPerMinute: -1000000000
                    releaseMinPct: 100        # the 199 quiet positions are over-margined: no releases (the loopback
                                              # venue models margin only for BTCUSDT)
                run:
                  stopGrace: 5s
                  venue:
                    restUrl: %s
                    streamUrl: %s
                    apiKeyEnv: BALLAST_TEST_KEY
                    apiSecretEnv: BALLAST_TEST_SECRET
                    symbols: [%s]
                """.formatted(
                        venue.restUrl(), venue.streamUrl(), String.join(", ", venue.symbols())));
        return config;
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** utime + stime of the process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static {
        Duration.ofSeconds(1); // keeps java.time loaded before the first sample
    }
}
