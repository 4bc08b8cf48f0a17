package ballast.core.market;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Lookups in lists held in time order (candles by their open, funding settlements by their time). */
public final class InTimeOrder {
    private InTimeOrder() {}

    /**
     * The index of the first of {@code items} (ascending by {@code timeOf}) at or after {@code time}: a binary search;
     * the size when none is.
     */
    public static <T> int firstAtOrAfter(List<T> items, Function<? super T, Instant> timeOf, Instant time) {
        int lo = 0;
        int hi = items.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timeOf.apply(items.get(mid)).isBefore(time)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
