package ballast.exchange.binance.stream;

import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * The machinery a stream runs on, injected so tests can drive it: OkHttp (its own threads read the socket), a scheduler
 * for reconnects, watchdog and keepalive (owned by the caller, never shut down by a stream), the clock that decides
 * staleness and timestamps, the random source for reconnect jitter, and a hook that sees every frame that was skipped
 * (unknown event type or malformed), besides the log.
 */
public record FeedRuntime(
        OkHttpClient http,
        ScheduledExecutorService scheduler,
        Clock clock,
        Random random,
        Consumer<ParsedFrame> skippedFrames) {

    public FeedRuntime {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(skippedFrames, "skippedFrames");
    }

    public FeedRuntime(OkHttpClient http, ScheduledExecutorService scheduler, Clock clock, Random random) {
        this(http, scheduler, clock, random, frame -> {});
    }
}
