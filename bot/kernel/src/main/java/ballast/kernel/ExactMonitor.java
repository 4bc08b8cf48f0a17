package ballast.kernel;

import ballast.core.Decimals;
import ballast.core.Side;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/** {@link Monitor#EXACT}: the monitor's formulas in {@code BigDecimal}, the reference the fixed-point one must agree with. */
final class ExactMonitor {
    // Distance, z and speed are risk measures compared with thresholds, not amounts: twelve significant digits are far
    // more than the thresholds carry.
    private static final MathContext MC = new MathContext(12);
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    private static final BigDecimal FIVE_MINUTES = BigDecimal.valueOf(300);

    private ExactMonitor() {}

    static final class Symbol implements Monitor.SymbolMonitor {
        private final Engine.Params params;
        private final MarkVolatility marks;
        private RangeVolatility ranges;

        Symbol(Engine.Params params) {
            this.params = params;
            this.marks = new MarkVolatility(params.horizon(), params.volatilityMemory(), params.sigmaFloor());
        }

        @Override
        public void mark(Instant time, BigDecimal mark) {
            marks.update(time, mark);
        }

        @Override
        public void candle(BigDecimal high, BigDecimal low, Duration interval) {
            if (ranges == null) {
                ranges = new RangeVolatility(params.horizon(), params.volatilityMemory());
            }
            ranges.candle(high, low, interval);
        }

        @Override
        public BigDecimal sigma(boolean marked, long slowestNanos) {
            BigDecimal fromMarks = marked ? marks.sigma() : params.sigmaFloor();
            BigDecimal sigma = ranges == null ? fromMarks : fromMarks.max(ranges.sigma());
            if (marked && slowestNanos > params.horizon().toNanos()) {
                BigDecimal stretch = BigDecimal.valueOf(slowestNanos / 1_000_000L)
                        .divide(BigDecimal.valueOf(params.horizon().toMillis()), MC);
                sigma = sigma.multiply(stretch.sqrt(MC), MC);
            }
            return sigma;
        }
    }

    static final class Position implements Monitor.PositionMonitor {
        private BigDecimal lastZ;
        private Instant lastZTime;
        private BigDecimal speed = BigDecimal.ZERO;

        @Override
        public BigDecimal distance(Side side, BigDecimal mark, BigDecimal liquidationPrice) {
            return Decimals.divide(side.sign().multiply(mark.subtract(liquidationPrice)), mark);
        }

        @Override
        public BigDecimal z(BigDecimal distance, BigDecimal sigma, Instant time) {
            BigDecimal z = distance.divide(sigma, MC);
            if (lastZ != null && time.isAfter(lastZTime)) {
                BigDecimal seconds = BigDecimal.valueOf(
                                Duration.between(lastZTime, time).toMillis())
                        .movePointLeft(3);
                BigDecimal perMinute = z.subtract(lastZ).multiply(SIXTY).divide(seconds, MC);
                BigDecimal alpha = seconds.divide(FIVE_MINUTES, MC).min(BigDecimal.ONE);
                speed = speed.add(alpha.multiply(perMinute.subtract(speed)), MC);
            }
            lastZ = z;
            lastZTime = time;
            return z;
        }

        @Override
        public BigDecimal zAlone(BigDecimal distance, BigDecimal sigma) {
            return distance.divide(sigma, MC);
        }

        @Override
        public BigDecimal speed() {
            return speed;
        }
    }
}
