package ballast.core.market;

import static ballast.core.Decimals.normalize;

import java.math.BigDecimal;
import java.time.Instant;

/** One funding settlement: its time (as the venue recorded it, milliseconds kept) and the rate for the interval. */
public record FundingRate(Instant time, BigDecimal rate) {
    public FundingRate {
        if (time == null || rate == null) {
            throw new IllegalArgumentException("funding time and rate are required");
        }
        rate = normalize(rate);
    }
}
