package ballast.core.market;

import java.time.Duration;
import java.time.Instant;

/** Candles missing between {@code after} (the last candle before the gap) and {@code before} (the first after it). */
public record Gap(Instant after, Instant before, long missingCandles) {
    public Duration length() {
        return Duration.between(after, before);
    }
}
