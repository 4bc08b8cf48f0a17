package ballast.core.market;

import static ballast.core.Decimals.normalize;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One OHLC bar (last-traded price, or mark price in a mark file) that opened at {@code openTime}. Volume is in the base
 * asset; zero for mark files.
 */
public record Candle(
        Instant openTime, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume) {

    public Candle {
        if (openTime == null) {
            throw new IllegalArgumentException("candle open time is required");
        }
        for (BigDecimal price : new BigDecimal[] {open, high, low, close}) {
            if (price == null || price.signum() <= 0) {
                throw new IllegalArgumentException("candle " + openTime + ": prices must be > 0, was "
                        + (price == null ? "missing" : price.toPlainString()));
            }
        }
        if (low.compareTo(open.min(close)) > 0 || high.compareTo(open.max(close)) < 0) {
            throw new IllegalArgumentException("candle " + openTime + ": low " + low.toPlainString() + " and high "
                    + high.toPlainString() + " must enclose open " + open.toPlainString() + " and close "
                    + close.toPlainString());
        }
        if (volume == null || volume.signum() < 0) {
            throw new IllegalArgumentException("candle " + openTime + ": volume must be >= 0, was "
                    + (volume == null ? "missing" : volume.toPlainString()));
        }
        open = normalize(open);
        high = normalize(high);
        low = normalize(low);
        close = normalize(close);
        volume = normalize(volume);
    }
}
