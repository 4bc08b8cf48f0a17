package ballast.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Runs the real bot process against a {@link LoopbackBinance} and waits on what it says, never on time. */
final class LiveHarness {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LiveHarness() {}

    /** The testnet profile pointed at {@code venue}, with {@code venueLines} added under {@code run.venue}. */
    static String testnetProfile(LoopbackBinance venue, String... venueLines) {
        StringBuilder more = new StringBuilder();
        for (String line : venueLines) {
            more.append("    ").append(line).append('\n');
        }
        return testnetProfile(venue) + more;
    }

    /** Waits for the bot to write its status port, and returns it. */
    static int statusPort(Path dir, Running bot) {
        return statusPort(dir, "testnet", bot);
    }

    /** Waits for the bot of {@code profile} to write its status port, and returns it. */
    static int statusPort(Path dir, String profile, Running bot) {
        Path portFile = dir.resolve("run/" + profile + "/status.port");
        await("the status port is written", () -> java.nio.file.Files.exists(portFile), bot);
        try {
            return Integer.parseInt(java.nio.file.Files.readString(portFile).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Lowers the mark by {@code step} from {@code from}, each one measured before the next, until {@code until} holds;
     * fails if the mark would pass {@code floor}. Returns the last mark sent.
     */
    static BigDecimal fall(
            LoopbackBinance venue,
            int port,
            Running bot,
            BigDecimal from,
            String step,
            String floor,
            BooleanSupplier until) {
        BigDecimal price = from;
        while (!until.getAsBoolean()) {
            price = price.subtract(new BigDecimal(step));
            if (price.compareTo(new BigDecimal(floor)) < 0) {
                throw new AssertionError("the mark passed " + floor + " and still nothing happened\n" + bot.output());
            }
            markSeen(venue, port, price, bot);
        }
        return price;
    }

    /** A figure of the bot's first position on its status page ({@code wallet}, {@code qty} ...); zero while none. */
    static BigDecimal figure(int port, String field) {
        return status(port).path("positions").path(0).path(field).decimalValue();
    }

    /** Whether the bot's status shows {@code price} as the first position's mark. */
    static boolean markMeasured(int port, BigDecimal price) {
        JsonNode positions = status(port).path("positions");
        return positions.size() > 0
                && positions.get(0).path("mark").isNumber()
                && positions.get(0).path("mark").decimalValue().compareTo(price) == 0;
    }

    /** As {@link #await(String, BooleanSupplier, Running)}, waiting up to {@code patience}, running {@code nudge} between tries. */
    static void await(String what, BooleanSupplier condition, Running bot, Duration patience, Runnable nudge) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (!bot.process().isAlive()) {
                throw new AssertionError(
                        what + ": the bot exited with " + bot.process().exitValue() + "\n" + bot.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + patience + "\n" + bot.output());
            }
            nudge.run();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted");
            }
        }
    }

    static String testnetProfile(LoopbackBinance venue) {
        return """
                policy:
                  name: ladder
                  ladder:
                    # The test moves the mark faster than any market: no cooldown (an action in flight or not yet
                    # seen in the venue's position still blocks the next, which is what the tests check).
                    cooldown: 0s
                    cutCooldown: 0s
                    # The test moves the mark in milliseconds, not seconds: no fall here is a cascade.
                    cascadeZPerMinute: -1000000000
                run:
                  stopGrace: 5s
                  alerts:
                    webhookUrlEnv: BALLAST_TEST_WEBHOOK
                  venue:
                    restUrl: %s
                    streamUrl: %s
                    apiKeyEnv: BALLAST_TEST_KEY
                    apiSecretEnv: BALLAST_TEST_SECRET
                    symbols: [BTCUSDT]
                """.formatted(venue.restUrl(), venue.streamUrl());
    }

    /**
     * Sends {@code price} and waits until the bot's status shows it measured. The frame is sent again every 200 ms
     * meanwhile, as Binance's stream repeats the mark every second, so a frame sent while the bot was still connecting
     * is not the end of the test.
     */
    static void markSeen(LoopbackBinance venue, int port, BigDecimal price, Running bot) {
        long[] sent = {0};
        await(
                "the mark " + price + " is measured",
                () -> {
                    if (System.nanoTime() - sent[0] > 200_000_000L) {
                        venue.mark(price);
                        sent[0] = System.nanoTime();
                    }
                    return markMeasured(port, price);
                },
                bot);
    }

    static JsonNode status(int port) {
        try {
            return JSON.readTree(get(port, "/status"));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    static String get(int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Polls {@code condition} until it holds; fails naming what did not happen, with the bot's output so far. */
    static void await(String what, BooleanSupplier condition, Running bot) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (!bot.process().isAlive()) {
                throw new AssertionError(
                        what + ": the bot exited with " + bot.process().exitValue() + "\n" + bot.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + PATIENCE + "\n" + bot.output());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(what + ": interrupted");
            }
        }
    }

    /** The bot as a separate process, its output collected as it comes. */
    record Running(Process process, StringBuffer collected, Thread reader) {
        static Running start(Path dir, Path config, String hookUrl, String... more) throws IOException {
            return start(dir, config, hookUrl, List.of(), more);
        }

        /** @param jvm options for the bot's JVM, before its main class (a failpoint) */
        static Running start(Path dir, Path config, String hookUrl, List<String> jvm, String... more)
                throws IOException {
            return start("testnet", dir, config, hookUrl, jvm, more);
        }

        /** {@code ballast run --profile profile} in {@code dir}, its settings in {@code config}. */
        static Running start(String profile, Path dir, Path config, String hookUrl, List<String> jvm, String... more)
                throws IOException {
            List<String> args =
                    new ArrayList<>(List.of("run", "--profile", profile, "--config-dir", config.toString()));
            args.addAll(List.of(more));
            List<String> command = java(args.toArray(String[]::new));
            command.addAll(command.indexOf("ballast.app.Main"), jvm);
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("BALLAST_TEST_KEY", LoopbackBinance.KEY);
            // An unexpected error prints its stack trace, so a failing run says where.
            env.put("BALLAST_DEBUG", "1");
            env.put("BALLAST_TEST_SECRET", LoopbackBinance.SECRET);
            env.put("BALLAST_TEST_WEBHOOK", hookUrl);
            Process process = builder.start();
            StringBuffer collected = new StringBuffer();
            Thread reader = new Thread(() -> copy(process.getInputStream(), collected), "bot-output");
            reader.setDaemon(true);
            reader.start();
            return new Running(process, collected, reader);
        }

        /** What the bot printed so far; all of it once the process has exited. */
        String output() {
            if (!process.isAlive()) {
                try {
                    reader.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return collected.toString();
        }

        static List<String> java(String... args) {
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    // As the launcher's jar manifest says: the SQLite driver loads its native library.
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dballast.home=" + Path.of("../..").toAbsolutePath().normalize(),
                    "ballast.app.Main"));
            command.addAll(List.of(args));
            return command;
        }

        private static void copy(InputStream in, StringBuffer into) {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process ended.
            }
        }
    }
}
