package ballast.exchange.venue;

import java.util.OptionalInt;

/**
 * What the venue says has been used of its quotas, from its response headers (Binance {@code X-MBX-USED-WEIGHT-1M},
 * {@code X-MBX-ORDER-COUNT-10S}, {@code X-MBX-ORDER-COUNT-1M}); empty where a header was absent.
 */
public record RateUsage(OptionalInt usedWeight1m, OptionalInt orderCount10s, OptionalInt orderCount1m) {
    public static final RateUsage UNKNOWN =
            new RateUsage(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
}
