package ballast.kernel;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/**
 * A symbol's volatility from its candles' ranges (Parkinson's estimator): each closed candle's high and low give its
 * variance, {@code ln(H/L)² / (4 ln 2)}, which an exponentially weighted mean turns into a variance per second, scaled to
 * the horizon. A range sees the whole move inside a candle, where a path walked between its open, extremes and close
 * would see almost none; live, it is the exchange's own klines.
 *
 * <p>{@code ln(H/L)} is taken as {@code 2(H − L)/(H + L)}, the first term of its series (exact to 0.03 % of itself for a
 * 10 % range): no binary floating point anywhere.
 */
final class RangeVolatility {
    private static final MathContext MC = new MathContext(12);
    /** 4 ln 2, Parkinson's constant. */
    private static final BigDecimal FOUR_LN_2 = new BigDecimal("2.772588722239781");

    private final BigDecimal horizonSeconds;
    private final BigDecimal memorySeconds;
    private BigDecimal variancePerSecond;

    RangeVolatility(Duration horizon, Duration memory) {
        this.horizonSeconds = BigDecimal.valueOf(horizon.toSeconds());
        this.memorySeconds = BigDecimal.valueOf(Math.max(1, memory.toSeconds()));
    }

    /** A candle that closed: its range, over its interval. */
    void candle(BigDecimal high, BigDecimal low, Duration interval) {
        if (high.signum() <= 0 || low.signum() <= 0 || high.compareTo(low) < 0 || interval.isZero()) {
            return;
        }
        BigDecimal seconds = BigDecimal.valueOf(interval.toSeconds());
        BigDecimal logRange = high.subtract(low).multiply(BigDecimal.TWO).divide(high.add(low), MC);
        BigDecimal variance = logRange.multiply(logRange).divide(FOUR_LN_2, MC).divide(seconds, MC);
        if (variancePerSecond == null) {
            variancePerSecond = variance;
            return;
        }
        // A candle weighs by the time it spans against the memory, as the marks do.
        BigDecimal alpha = seconds.divide(memorySeconds, MC).min(BigDecimal.ONE);
        variancePerSecond = variancePerSecond.add(alpha.multiply(variance.subtract(variancePerSecond)), MC);
    }

    /** The volatility over the horizon, or zero before the first candle. */
    BigDecimal sigma() {
        return variancePerSecond == null
                ? BigDecimal.ZERO
                : variancePerSecond.multiply(horizonSeconds).sqrt(MC);
    }
}
