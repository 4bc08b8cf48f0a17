package ballast.exchange.binance.stream;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a generous timeout passes; the timeout only bounds a failing test. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Await() {}

    static void until(BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT + " waiting for: " + describe.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }
}
