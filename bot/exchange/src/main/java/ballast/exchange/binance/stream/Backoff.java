package ballast.exchange.binance.stream;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter: the n-th consecutive retry waits a uniformly random time in
 * {@code [0, min(max, base·2ⁿ)]}. Full jitter spreads many clients (and our own streams) that lost the venue at the same
 * moment, instead of having them return in lock-step.
 */
record Backoff(Duration base, Duration max) {

    Duration delay(int attempt, Random random) {
        long cap = cap(attempt).toMillis();
        return Duration.ofMillis(random.nextLong(cap + 1));
    }

    Duration cap(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        // Past 2^30 the doubling only serves to overflow; the cap is reached long before.
        if (attempt >= 30) {
            return max;
        }
        Duration doubled = base.multipliedBy(1L << attempt);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
