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
        List<Candle> inside = candles.stream()
                .filter(c -> !c.openTime().isBefore(from) && c.openTime().isBefore(to))
                .toList();
        List<Gap> gapsInside = gaps.stream()
                .filter(g -> g.before().isAfter(from) && g.after().isBefore(to))
                .toList();
        return new CandleSeries(source, interval, inside, gapsInside);
    }
}
