package ballast.core.market;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Candles of one file, ascending by open time, at a fixed {@code interval}, with the gaps found in them (reported,
 * never filled).
 */
public record CandleSeries(String source, Duration interval, List<Candle> candles, List<Gap> gaps) {
    public CandleSeries {
        candles = List.copyOf(candles);
        gaps = List.copyOf(gaps);
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException(source + ": candle interval must be > 0, was " + interval);
        }
    }

    /** The candles that open in {@code [from, to)}, with the gaps inside that window. */
    public CandleSeries between(Instant from, Instant to) {
        // Ascending by open time: two binary searches, then one view (a study slices the same years thousands of
        // times).
        int first = firstAtOrAfter(from);
        List<Candle> inside = candles.subList(first, Math.max(first, firstAtOrAfter(to)));
        List<Gap> gapsInside = gaps.stream()
                .filter(g -> g.before().isAfter(from) && g.after().isBefore(to))
                .toList();
        return new CandleSeries(source, interval, inside, gapsInside);
    }

    /** The index of the first candle that opens at or after {@code time} (the size when none does). */
    public int firstAtOrAfter(Instant time) {
        return InTimeOrder.firstAtOrAfter(candles, Candle::openTime, time);
    }
}
