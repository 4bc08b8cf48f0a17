package ballast.kernel;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * The mark's volatility over a horizon: an exponentially weighted mean of squared returns per second (so irregular
 * samples weigh by the time they span), scaled to the horizon and floored, so that a quiet spell never makes the
 * policy careless.
 */
final class MarkVolatility {
    // A risk measure, not money: nine significant digits are plenty and keep the per-event cost down.
    private static final MathContext MC = new MathContext(9);

    private final BigDecimal horizonSeconds;
    private final BigDecimal memorySeconds;
    private final BigDecimal floor;
    private BigDecimal variancePerSecond;
    private BigDecimal lastMark;
    private Instant lastTime;

    MarkVolatility(Duration horizon, Duration memory, BigDecimal floor) {
        this.horizonSeconds = BigDecimal.valueOf(horizon.toSeconds());
        this.memorySeconds = BigDecimal.valueOf(memory.toSeconds());
        this.floor = floor;
        // Start at the floor: the first minutes of a replay or a restart know nothing better.
        this.variancePerSecond = floor.multiply(floor).divide(horizonSeconds, MC);
    }

    void update(Instant time, BigDecimal mark) {
        if (lastMark != null && time.isAfter(lastTime)) {
            BigDecimal seconds = BigDecimal.valueOf(
                            Duration.between(lastTime, time).toMillis())
                    .movePointLeft(3);
            BigDecimal ret = mark.subtract(lastMark).divide(lastMark, MC);
            BigDecimal instant = ret.multiply(ret).divide(seconds, MC);
            BigDecimal alpha = seconds.divide(memorySeconds, MC).min(BigDecimal.ONE);
            variancePerSecond = variancePerSecond.add(alpha.multiply(instant.subtract(variancePerSecond)), MC);
        }
        lastMark = mark;
        lastTime = time;
    }

    BigDecimal sigma() {
        return variancePerSecond.multiply(horizonSeconds).sqrt(MC).max(floor);
    }
}
