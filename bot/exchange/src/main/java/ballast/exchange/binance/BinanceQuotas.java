package ballast.exchange.binance;

import ballast.exchange.venue.RateUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Binance's quotas as this client spends them, so that it never sends a request the venue would answer with a 429:
 * request weight per IP per minute, and orders per account per 10 s and per minute. Each is counted in the venue's own
 * fixed windows (on the minute, on the 10 s), sized from exchangeInfo's {@code rateLimits}, and corrected upwards from
 * the {@code X-MBX-USED-WEIGHT-1M} and {@code X-MBX-ORDER-COUNT-*} headers of every answer (another process on the
 * same IP or account spends them too). Reads may use only the share of the weight that writes do not reserve: a
 * reconcile storm can never take the weight a top-up or a cut needs. A request over its quota is refused here, before
 * anything is sent.
 */
public final class BinanceQuotas {

    private final Clock clock;
    private int weightPerMinute = 2400;
    private int ordersPer10s = 300;
    private int ordersPerMinute = 1200;
    private int readSharePct = 80;

    private long weightWindow = -1;
    private int weightUsed;
    private long orders10sWindow = -1;
    private int orders10sUsed;
    private long ordersMinuteWindow = -1;
    private int ordersMinuteUsed;
    private long refused;

    BinanceQuotas(Clock clock) {
        this.clock = clock;
    }

    /**
     * Sizes the quotas from exchangeInfo ({@code REQUEST_WEIGHT} per minute, {@code ORDERS} per 10 s and per minute),
     * keeping {@code reservePct} of the weight for writes.
     */
    public synchronized void size(BinanceExchangeInfo info, int reservePct) {
        if (reservePct < 0 || reservePct > 90) {
            throw new IllegalArgumentException("the reserve must be 0 to 90 %, was " + reservePct);
        }
        info.tightest(BinanceExchangeInfo.LimitType.REQUEST_WEIGHT, Duration.ofMinutes(1))
                .ifPresent(l -> weightPerMinute = l.limit());
        info.tightest(BinanceExchangeInfo.LimitType.ORDERS, Duration.ofSeconds(10))
                .ifPresent(l -> ordersPer10s = l.limit());
        info.tightest(BinanceExchangeInfo.LimitType.ORDERS, Duration.ofMinutes(1))
                .ifPresent(l -> ordersPerMinute = l.limit());
        readSharePct = 100 - reservePct;
    }

    /** Counts {@code endpoint} against its quotas, or says why it must not be sent now (nothing is counted then). */
    synchronized Optional<String> admit(BinanceEndpoint endpoint) {
        roll();
        int weight = endpoint.weight();
        int allowed = endpoint.write() ? weightPerMinute : weightPerMinute * readSharePct / 100;
        if (weightUsed + weight > allowed) {
            refused++;
            return Optional.of("request weight: " + weightUsed + " of the minute's " + weightPerMinute + " used"
                    + (endpoint.write() ? "" : " (reads may use " + allowed + ")") + "; "
                    + endpoint.label() + " needs " + weight + ", until " + windowEnd(60_000));
        }
        if (endpoint.order()) {
            if (orders10sUsed + 1 > ordersPer10s) {
                refused++;
                return Optional.of("orders: " + orders10sUsed + " of " + ordersPer10s + " per 10 s used, until "
                        + windowEnd(10_000));
            }
            if (ordersMinuteUsed + 1 > ordersPerMinute) {
                refused++;
                return Optional.of("orders: " + ordersMinuteUsed + " of " + ordersPerMinute + " per minute used, until "
                        + windowEnd(60_000));
            }
            orders10sUsed++;
            ordersMinuteUsed++;
        }
        weightUsed += weight;
        return Optional.empty();
    }

    /** What the venue says was used in the current windows: never less than this client counted. */
    synchronized void observed(RateUsage usage) {
        roll();
        usage.usedWeight1m().ifPresent(u -> weightUsed = Math.max(weightUsed, u));
        usage.orderCount10s().ifPresent(u -> orders10sUsed = Math.max(orders10sUsed, u));
        usage.orderCount1m().ifPresent(u -> ordersMinuteUsed = Math.max(ordersMinuteUsed, u));
    }

    /** What is left in each window now, by scope ({@code weight-1m}, {@code orders-10s}, {@code orders-1m}). */
    public synchronized Map<String, Integer> headroom() {
        roll();
        Map<String, Integer> left = new LinkedHashMap<>();
        left.put("weight-1m", weightPerMinute - weightUsed);
        left.put("orders-10s", ordersPer10s - orders10sUsed);
        left.put("orders-1m", ordersPerMinute - ordersMinuteUsed);
        return left;
    }

    /** Requests refused here since the start. */
    public synchronized long refused() {
        return refused;
    }

    private void roll() {
        long now = clock.millis();
        if (now / 60_000 != weightWindow) {
            weightWindow = now / 60_000;
            weightUsed = 0;
        }
        if (now / 60_000 != ordersMinuteWindow) {
            ordersMinuteWindow = now / 60_000;
            ordersMinuteUsed = 0;
        }
        if (now / 10_000 != orders10sWindow) {
            orders10sWindow = now / 10_000;
            orders10sUsed = 0;
        }
    }

    private Instant windowEnd(long size) {
        return Instant.ofEpochMilli((clock.millis() / size + 1) * size);
    }
}
