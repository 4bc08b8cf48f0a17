package ballast.app.history;

import ballast.exchange.venue.RateUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps the downloader inside Binance's public limits with room to spare: request weight per minute (the venue allows
 * 2,400 per IP; a download uses at most {@code weightPerMinute} of it, half by default, so a bot on the same IP keeps
 * its share), and {@code GET /fapi/v1/fundingRate}'s own quota (500 per 5 minutes per IP, shared with fundingInfo; half
 * by default). The venue's own count ({@code X-MBX-USED-WEIGHT-1M}) wins over ours when it is higher. Waits go through
 * the {@link Sleeper}, so tests advance a hand clock instead of sleeping.
 */
final class Pacer {

    private static final long MINUTE = 60_000L;
    private static final Duration FUNDING_WINDOW = Duration.ofMinutes(5);

    private final Clock clock;
    private final Sleeper sleeper;
    private final int weightPerMinute;
    private final int fundingPerWindow;
    private long minute = Long.MIN_VALUE;
    private int used;
    private final Deque<Long> fundingCalls = new ArrayDeque<>();
    private Duration waited = Duration.ZERO;

    Pacer(Clock clock, Sleeper sleeper, int weightPerMinute, int fundingPerWindow) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.weightPerMinute = weightPerMinute;
        this.fundingPerWindow = fundingPerWindow;
    }

    /** Before a request of {@code weight}: waits for the next minute when this one's budget would be exceeded. */
    void beforeWeight(int weight) throws InterruptedException {
        roll();
        if (used + weight > weightPerMinute) {
            long now = clock.millis();
            sleep(Duration.ofMillis((minute + 1) * MINUTE - now));
            roll();
        }
        used += weight;
    }

    /** Before a funding-rate request: waits until the oldest of the last window's calls leaves it, if the quota is used. */
    void beforeFunding() throws InterruptedException {
        long now = clock.millis();
        while (!fundingCalls.isEmpty() && fundingCalls.peekFirst() + FUNDING_WINDOW.toMillis() <= now) {
            fundingCalls.removeFirst();
        }
        if (fundingCalls.size() >= fundingPerWindow) {
            sleep(Duration.ofMillis(fundingCalls.peekFirst() + FUNDING_WINDOW.toMillis() - now));
            fundingCalls.removeFirst();
        }
        fundingCalls.addLast(clock.millis());
    }

    /** What the venue says this minute's weight is; it counts every client on our IP, so it wins when higher. */
    void venueSaid(RateUsage usage) {
        roll();
        usage.usedWeight1m().ifPresent(w -> used = Math.max(used, w));
    }

    /** Waits {@code duration} (a Retry-After, a backoff), counted in {@link #waited()}. */
    void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        waited = waited.plus(duration);
        sleeper.sleep(duration);
    }

    /** How long this download has waited on limits and backoffs. */
    Duration waited() {
        return waited;
    }

    private void roll() {
        long now = Math.floorDiv(clock.millis(), MINUTE);
        if (now != minute) {
            minute = now;
            used = 0;
        }
    }
}
