package ballast.exchange.binance.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/** What every stream test runs on: a server on 127.0.0.1, a hand-driven clock, fast timings, and clean teardown. */
final class StreamFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2023-11-14T22:13:20Z");

    final ScriptedServer server;
    final MutableClock clock = new MutableClock(T0);
    final RecordingSink sink = new RecordingSink();
    final List<ParsedFrame> skipped = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stream-test-scheduler");
        t.setDaemon(true);
        return t;
    });
    final OkHttpClient http = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(2))
            .build();
    final FeedRuntime runtime = new FeedRuntime(http, scheduler, clock, new Random(42), skipped::add);

    StreamFixture() throws IOException {
        server = new ScriptedServer();
    }

    /**
     * Fast timings: the watchdog looks every 10 ms, reconnects wait at most 40 ms. Silence and age thresholds are far
     * apart and measured on the hand-driven clock, so only the test's own {@code clock.advance} crosses them.
     */
    static FeedTiming fastTiming() {
        return new FeedTiming(
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                Duration.ofMillis(10),
                Duration.ofHours(1),
                Duration.ofMillis(10),
                Duration.ofMillis(40),
                Duration.ZERO);
    }

    static String fixture(String name) {
        try (InputStream in = StreamFixture.class.getResourceAsStream("/binance/stream/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        server.close();
    }
}
