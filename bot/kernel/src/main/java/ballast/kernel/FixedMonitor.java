package ballast.kernel;

import ballast.core.Fixed;
import ballast.core.Side;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link Monitor#FIXED}: the monitor's formulas in scaled {@code long}s. Prices are held in units of 10⁻⁸, distances in
 * 10⁻¹², σ, z and z's speed in 10⁻¹⁰, variances per second in 10⁻²¹; products are taken to 128 bits before a division
 * ({@link Fixed#mulDiv}) and every quotient is truncated toward zero. Where σ leaves that range (above about 300 % over
 * the horizon), it is taken in {@code BigDecimal} from the same variances instead. A variance itself is held up to
 * 0.92 % per second (σ over 30 minutes of 407 %), which only a move of more than 800 % between two marks reaches; beyond
 * that it stays at the most the fixed point holds, so a larger move never counts for less. Prices are rounded to 10⁻⁸,
 * which costs a symbol priced in thousandths of a cent some of its digits (the exact monitor keeps them).
 */
final class FixedMonitor {
    static final int PRICE = 8;
    static final int DISTANCE = 12;
    static final int MEASURE = 10;
    static final int VARIANCE = 21;

    private static final long DISTANCE_ONE = Fixed.ten(DISTANCE);
    /** 4 ln 2 in units of 10⁻¹⁵ (Parkinson's constant). */
    private static final long FOUR_LN_2 = 2_772_588_722_239_781L;

    private static final long FIVE_MINUTES_MS = 300_000;
    private static final MathContext MC = new MathContext(12);

    private FixedMonitor() {}

    /** Whole milliseconds from {@code from} to a later {@code to}, as {@code Duration.between(from, to).toMillis()}. */
    static long millisBetween(Instant from, Instant to) {
        return Engine.nanosBetween(from, to) / 1_000_000L;
    }

    static final class Symbol implements Monitor.SymbolMonitor {
        private final long horizonSeconds;
        private final long horizonMillis;
        private final long memoryMillis;
        private final long memorySeconds;
        private final long floor;
        private final BigDecimal floorDecimal;
        /** The largest marks' variance whose σ the fixed point holds: ⌊v · horizon / 10⌋ fits a {@code long}. */
        private final long largestVariance;

        /** The marks' variance per second (10⁻²¹), starting at the floor's. */
        private long variance;

        private long lastMark;
        /** The last mark's time in nanoseconds since the epoch; meaningful once {@code hasLast}. */
        private long lastNanos;

        private boolean hasLast;

        /** The ranges' variance per second, or -1 before the first candle. */
        private long rangeVariance = -1;

        /** σ as last computed, and what it was computed from: recomputed only when one of them changed. */
        private BigDecimal sigma;

        private boolean sigmaMarked;
        private long sigmaSlowest;

        /** The last σ in fixed point and as handed out. */
        private long sigmaUnits;

        private BigDecimal sigmaKept;

        /** The marks' σ and the ranges' σ as last taken: where the next square root starts (-1: not yet taken). */
        private long marksRoot;

        private long rangesRoot = -1;

        Symbol(Engine.Params params) {
            this.horizonSeconds = params.horizon().toSeconds();
            this.horizonMillis = params.horizon().toMillis();
            this.memoryMillis = params.volatilityMemory().toMillis();
            this.memorySeconds = Math.max(1, params.volatilityMemory().toSeconds());
            this.floorDecimal = params.sigmaFloor();
            this.floor = Fixed.of(params.sigmaFloor(), MEASURE);
            // v · H / 10 < 2⁶³ ⟺ v ≤ ⌊(10 · 2⁶³ − 1) / H⌋.
            this.largestVariance = java.math.BigInteger.TEN
                    .shiftLeft(63)
                    .subtract(java.math.BigInteger.ONE)
                    .divide(java.math.BigInteger.valueOf(horizonSeconds))
                    // One below the largest long: a variance capped there is never told from a band's bounds, which
                    // saturate at it too.
                    .min(java.math.BigInteger.valueOf(Long.MAX_VALUE - 1))
                    .longValueExact();
            // σ_floor² (10⁻²⁰) over the horizon, per second, in 10⁻²¹.
            this.variance = Fixed.mulDiv(floor, floor * 10, horizonSeconds);
        }

        @Override
        public void mark(Instant time, BigDecimal mark) {
            long nanos = Engine.epochNanos(time);
            long price = Fixed.of(mark, PRICE);
            commit(nanos, price, next(nanos, price));
        }

        /** Whether a mark at {@code nanos} moves the variance: later than the last, by a millisecond or more. */
        private boolean moves(long nanos) {
            return hasLast && nanos > lastNanos && (nanos - lastNanos) / 1_000_000L > 0 && lastMark > 0;
        }

        /** What a mark's variance and σ depend on, the mark included: the state a {@link VolatilityMemo} checks. */
        void state(long nanos, long price, long slowestNanos, long slowestAt, long[] into) {
            into[0] = variance;
            into[1] = lastMark;
            into[2] = hasLast ? lastNanos : Long.MIN_VALUE;
            into[3] = rangeVariance;
            into[VolatilityMemo.SLOWEST] = slowestNanos;
            // The settings the formulas read: two engines with other settings never share a slot.
            into[5] = horizonMillis;
            into[6] = memoryMillis;
            into[7] = floor;
            into[8] = nanos;
            into[9] = price;
            // Not read by this mark's σ, but by the next one's slowest wait: a run that takes the next slot without
            // comparing (VolatilityMemo.trusted) needs it equal too.
            into[VolatilityMemo.SLOWEST_AT] = slowestAt;
        }

        /** The marks' σ as a memo found it for the variance it hands over (what {@link #units} would leave). */
        void marksRoot(long root) {
            marksRoot = root;
        }

        long marksRoot() {
            return marksRoot;
        }

        /** The variance after a mark of {@code price} (10⁻⁸) at {@code nanos}, without taking it. */
        long next(long nanos, long price) {
            return next(nanos, price, null, -1);
        }

        /**
         * {@link #next(long, long)} at step {@code index} of a replay whose walk worked out each mark's move term
         * ({@link VolatilityMemo#moves}): taken from there where the walk's previous mark is this monitor's last and the
         * memory is the same, else worked out.
         */
        long next(long nanos, long price, VolatilityMemo memo, int index) {
            if (!moves(nanos)) {
                return variance;
            }
            long millis = (nanos - lastNanos) / 1_000_000L;
            if (millis >= memoryMillis) {
                long ret = Fixed.mulDiv(price - lastMark, DISTANCE_ONE, lastMark);
                return capped(ret, ret, millis);
            }
            long term = memo == null ? VolatilityMemo.NO_MOVE : memo.move(index, lastMark, price, memoryMillis);
            if (term == VolatilityMemo.NO_MOVE) {
                term = moveTerm(lastMark, price, memoryMillis);
            }
            return plus(variance - Fixed.mulDiv(variance, millis, memoryMillis), term);
        }

        /**
         * Where a stretch of marks leaves it, each taken with the variance a memo held for it ({@link #commit} after
         * each): the last at {@code nanos} and {@code price} (10⁻⁸), with the variance {@code v} after it (a mark that
         * does not move the variance hands out the one before, so the last one's is the stretch's).
         */
        void took(long nanos, long price, long v) {
            variance = v;
            sigma = null;
            lastMark = price;
            lastNanos = nanos;
            hasLast = true;
        }

        /** Takes a mark of {@code price} at {@code nanos}, with the variance {@link #next} gave for it. */
        void commit(long nanos, long price, long nextVariance) {
            if (moves(nanos)) {
                variance = nextVariance;
                sigma = null;
            }
            lastMark = price;
            lastNanos = nanos;
            hasLast = true;
        }

        @Override
        public void candle(BigDecimal high, BigDecimal low, Duration interval) {
            if (counts(high, low, interval)) {
                candle(Fixed.of(high, PRICE), Fixed.of(low, PRICE), interval.toSeconds());
            }
        }

        /** Whether a candle with this range and interval moves the volatility at all (a real, non-empty one). */
        static boolean counts(BigDecimal high, BigDecimal low, Duration interval) {
            return high.signum() > 0 && low.signum() > 0 && high.compareTo(low) >= 0 && !interval.isZero();
        }

        /**
         * {@link #candle(long, long, long)} at step {@code index} of a replay: the ranges' variance after it from {@code
         * memo} where it was worked out there from the same variance before it and the same candle and memory (equal
         * inputs, equal output), else worked out and kept there.
         */
        void candle(long h, long l, long seconds, VolatilityMemo memo, int index) {
            if (memo == null || seconds <= 0 || h + l <= 0) {
                candle(h, l, seconds);
                return;
            }
            long before = rangeVariance;
            long after = memo.findRange(index, before, h, l, seconds, memorySeconds);
            if (after == VolatilityMemo.NOT_FOUND) {
                candle(h, l, seconds);
                memo.keepRange(index, before, h, l, seconds, memorySeconds, rangeVariance);
                return;
            }
            rangeVariance = after;
            rangesRoot = -1;
            sigma = null;
        }

        /** A candle that {@link #counts}, its high and low in 10⁻⁸, its interval in seconds. */
        void candle(long h, long l, long seconds) {
            if (seconds <= 0 || h + l <= 0) {
                return;
            }
            // ln(H/L) ≈ 2(H − L)/(H + L), in 10⁻¹²; its square over 4 ln 2 and the interval is the candle's variance
            // per
            // second, in 10⁻²¹; weighed by seconds/memory in the mean, it adds the same over the memory instead.
            long logRange = Fixed.mulDiv(2 * (h - l), DISTANCE_ONE, h + l);
            if (rangeVariance < 0 || seconds >= memorySeconds) {
                rangeVariance = parkinson(logRange, seconds);
            } else {
                rangeVariance = plus(
                        rangeVariance - Fixed.mulDiv(rangeVariance, seconds, memorySeconds),
                        parkinson(logRange, memorySeconds));
            }
            rangesRoot = -1;
            sigma = null;
        }

        @Override
        public BigDecimal sigma(boolean marked, long slowestNanos) {
            if (sigma != null && sigmaMarked == marked && slowestNanos == sigmaSlowest) {
                return sigma;
            }
            sigmaMarked = marked;
            sigmaSlowest = slowestNanos;
            sigma = compute(marked, slowestNanos);
            return sigma;
        }

        private BigDecimal compute(boolean marked, long slowestNanos) {
            long s = units(variance, marked, slowestNanos);
            if (s < 0) {
                sigmaKept = null;
                return exact(marked, slowestNanos / 1_000_000L);
            }
            if (s != sigmaUnits || sigmaKept == null) {
                sigmaUnits = s;
                sigmaKept = Fixed.decimal(s, MEASURE);
            }
            // The same object while σ holds (a whole candle, or at the floor): a policy may keep what it worked out
            // from it.
            return sigmaKept;
        }

        /**
         * A band of σ, {@code [low, high]} (10⁻¹⁰), as bounds on the marks' variance: {@code {low, high, vLow, vHigh}}, the
         * marks' σ at or above {@code low} exactly where {@code v ≥ vLow} and at or below {@code high} exactly where
         * {@code v ≤ vHigh} ({@link #sigmaWithin}). The marks' σ is {@code r = ⌊√n⌋} with {@code n = ⌊v·H/10⌋}: {@code r
         * ≥ low ⟺ n ≥ low² ⟺ v·H ≥ 10·low² ⟺ v ≥ ⌊(10·low² − 1)/H⌋ + 1}, and {@code r ≤ high ⟺ n < (high + 1)² ⟺ v·H
         * < 10·(high + 1)² ⟺ v ≤ ⌊(10·(high + 1)² − 1)/H⌋}.
         */
        long[] varianceBand(long low, long high) {
            long vLow = low < 1 ? 0 : Fixed.tenSquaredLessOneOver(low, horizonSeconds);
            if (low >= 1 && vLow != Long.MAX_VALUE) {
                vLow++;
            }
            long vHigh = high == Long.MAX_VALUE
                    ? Long.MAX_VALUE
                    : high < 0 ? -1 : Fixed.tenSquaredLessOneOver(high + 1, horizonSeconds);
            return new long[] {low, high, vLow, vHigh};
        }

        /**
         * Whether σ at the marks' variance {@code v} ({@link #units} with the marks) lies in {@code band} ({@link
         * #varianceBand}) without its square root: 1 where it does, 0 where not, -1 where σ must be worked out to tell
         * (a wait slower than the horizon stretches it, or it leaves the fixed point, where {@link #units} is -1). σ is
         * the larger of the marks' σ and {@code c}, the floor or the ranges' σ: at least {@code low} where either is,
         * at most {@code high} where both are.
         */
        int sigmaWithin(long v, long slowestNanos, long[] band) {
            if (v > largestVariance || slowestNanos / 1_000_000L > horizonMillis) {
                return -1;
            }
            long c = floor;
            if (rangeVariance >= 0) {
                try {
                    if (rangesRoot < 0) {
                        rangesRoot = overHorizon(rangeVariance, 0);
                    }
                } catch (ArithmeticException beyondRange) {
                    return -1;
                }
                c = Math.max(c, rangesRoot);
            }
            boolean atLeast = c >= band[0] || v >= band[2];
            boolean atMost = c <= band[1] && v <= band[3];
            return atLeast && atMost ? 1 : 0;
        }

        /** Any σ: {@link #sigmaWithin} with it tells only whether σ must be worked out. */
        static final long[] ANY_SIGMA = {Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MAX_VALUE};

        /**
         * What σ is at least whatever the marks say, the floor or the ranges' σ, once {@link #sigmaWithin} gave 0 or 1
         * (it worked the ranges' σ out).
         */
        long leastSigma() {
            return rangeVariance >= 0 ? Math.max(floor, rangesRoot) : floor;
        }

        /**
         * σ (10⁻¹⁰) at the marks' variance {@code v} with {@code least} from {@link #leastSigma}: what {@link #units}
         * gives with the marks, for a variance and a wait {@link #sigmaWithin} did not refuse.
         */
        long sigmaAt(long v, long least) {
            return Math.max(overHorizon(v, marksRoot), least);
        }

        /**
         * σ over the horizon in 10⁻¹⁰ with the marks' variance at {@code v}, or -1 where it leaves the fixed point (then
         * it is taken in {@code BigDecimal}).
         */
        long units(long v, boolean marked, long slowestNanos) {
            try {
                long fromMarks = floor;
                if (marked) {
                    marksRoot = overHorizon(v, marksRoot);
                    fromMarks = Math.max(marksRoot, floor);
                }
                long s = fromMarks;
                if (rangeVariance >= 0) {
                    if (rangesRoot < 0) {
                        rangesRoot = overHorizon(rangeVariance, 0);
                    }
                    s = Math.max(s, rangesRoot);
                }
                long slowestMillis = slowestNanos / 1_000_000L;
                if (marked && slowestMillis > horizonMillis) {
                    // σ·sqrt(slowest / horizon) = sqrt(σ² · slowest / horizon), σ² in 10⁻²⁰.
                    s = Fixed.sqrt(Fixed.mulDiv(Math.multiplyExact(s, s), slowestMillis, horizonMillis));
                }
                return s;
            } catch (ArithmeticException beyondRange) {
                marksRoot = 0;
                rangesRoot = -1;
                return -1;
            }
        }

        /** σ over the horizon (10⁻¹⁰) of a variance per second (10⁻²¹): sqrt(v · horizon) with σ² in 10⁻²⁰. */
        private long overHorizon(long perSecond, long guess) {
            return Fixed.sqrt(Fixed.mulDiv(perSecond, horizonSeconds, 10), guess);
        }

        /** The same formula in BigDecimal, from the same variances, for σ beyond the fixed-point range. */
        private BigDecimal exact(boolean marked, long slowestMillis) {
            BigDecimal horizon = BigDecimal.valueOf(horizonSeconds);
            BigDecimal fromMarks = marked
                    ? Fixed.decimal(variance, VARIANCE)
                            .multiply(horizon)
                            .sqrt(MC)
                            .max(floorDecimal)
                    : floorDecimal;
            BigDecimal s = rangeVariance < 0
                    ? fromMarks
                    : fromMarks.max(Fixed.decimal(rangeVariance, VARIANCE)
                            .multiply(horizon)
                            .sqrt(MC));
            if (marked && slowestMillis > horizonMillis) {
                BigDecimal stretch = BigDecimal.valueOf(slowestMillis).divide(BigDecimal.valueOf(horizonMillis), MC);
                s = s.multiply(stretch.sqrt(MC), MC);
            }
            return s;
        }
    }

    /**
     * {@code a·b/c}, or the largest variance the fixed point holds (0.92 % per second: σ over a 30-minute horizon of
     * 407 %) when the true one is larger, so a larger move never counts for less than a smaller one. Taken as the mean's
     * weight times the variance, that needs a move of more than 800 % between two marks, or a first candle whose range
     * is that wide against its interval (74 % in a minute).
     */
    private static long capped(long a, long b, long c) {
        try {
            return Fixed.mulDiv(a, b, c);
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * What a mark of {@code price} after one of {@code last} (both 10⁻⁸, {@code last} above zero) adds to the marks'
     * variance when it comes sooner than the memory: the move's square over the memory, {@code ret²/memory} (ret in
     * 10⁻¹², the result in 10⁻²¹ per second), capped as the variance is. A function of the three alone, so a walk can
     * work it out once for every engine that replays it. ret² is in 10⁻²⁴; over millis/1000 seconds that is ret²/millis
     * in 10⁻²¹ per second. Weighed by millis/memory in the mean it adds ret²/memory: taken that way, a jump between two
     * marks a millisecond apart does not overflow where the instant variance alone would.
     */
    static long moveTerm(long last, long price, long memoryMillis) {
        long ret = Fixed.mulDiv(price - last, DISTANCE_ONE, last);
        return capped(ret, ret, memoryMillis);
    }

    /** {@code a + b} for variances (both ≥ 0), held at the largest the fixed point holds. */
    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** Parkinson's variance per second (10⁻²¹) of a log range (10⁻¹²) over {@code seconds}: lr² / (4 ln 2 · s). */
    private static long parkinson(long logRange, long seconds) {
        long perSecond = capped(logRange, logRange, Math.multiplyExact(seconds, 1000L));
        return Fixed.mulDiv(perSecond, Fixed.ten(15), FOUR_LN_2);
    }

    static final class Position implements Monitor.PositionMonitor {
        private BigDecimal liquidationPrice;
        private long liquidation;

        private BigDecimal distance;
        private long distanceUnits;

        private boolean hasZ;
        private long lastZ;
        private long lastZNanos;
        private long speed;
        private BigDecimal speedDecimal = BigDecimal.ZERO;

        @Override
        public BigDecimal distance(Side side, BigDecimal mark, BigDecimal liquidationPrice) {
            distanceUnits = distance(side, Fixed.of(mark, PRICE), liquidationPrice);
            distance = Fixed.decimal(distanceUnits, DISTANCE);
            return distance;
        }

        /** The distance (10⁻¹²) at a mark of {@code price} (10⁻⁸), without keeping it. */
        long distance(Side side, long price, BigDecimal liquidationPrice) {
            long liquidation = units(liquidationPrice);
            long towards = side == Side.LONG ? price - liquidation : liquidation - price;
            return Fixed.mulDiv(towards, DISTANCE_ONE, price);
        }

        /** {@code liquidationPrice} in 10⁻⁸, converted once per price object. */
        long units(BigDecimal liquidationPrice) {
            if (liquidationPrice != this.liquidationPrice) {
                this.liquidation = Fixed.of(liquidationPrice, PRICE);
                this.liquidationPrice = liquidationPrice;
            }
            return liquidation;
        }

        @Override
        public BigDecimal z(BigDecimal distance, BigDecimal sigma, Instant time) {
            long d = distance == this.distance ? distanceUnits : Fixed.of(distance, DISTANCE);
            long nanos = Engine.epochNanos(time);
            long z = z(d, Fixed.of(sigma, MEASURE));
            commit(z, nanos, speedAfter(z, nanos));
            return Fixed.decimal(z, MEASURE);
        }

        @Override
        public BigDecimal zAlone(BigDecimal distance, BigDecimal sigma) {
            long d = distance == this.distance ? distanceUnits : Fixed.of(distance, DISTANCE);
            return Fixed.decimal(z(d, Fixed.of(sigma, MEASURE)), MEASURE);
        }

        /** z (10⁻¹⁰) of a distance {@code d} (10⁻¹²) at σ {@code sigma} (10⁻¹⁰). */
        static long z(long d, long sigma) {
            try {
                return Fixed.mulDiv(d, Fixed.ten(2 * MEASURE - DISTANCE), sigma);
            } catch (ArithmeticException beyondRange) {
                return d < 0 ? -Long.MAX_VALUE / 4 : Long.MAX_VALUE / 4;
            }
        }

        /** z's speed after a z of {@code z} at {@code nanos}, without taking it. */
        long speedAfter(long z, long nanos) {
            if (hasZ && nanos > lastZNanos) {
                long millis = (nanos - lastZNanos) / 1_000_000L;
                if (millis > 0) {
                    long perMinute = Fixed.mulDiv(z - lastZ, 60_000, millis);
                    return millis >= FIVE_MINUTES_MS
                            ? perMinute
                            : speed + Fixed.mulDiv(perMinute - speed, millis, FIVE_MINUTES_MS);
                }
            }
            return speed;
        }

        /** Whether a z was taken. */
        boolean hasZ() {
            return hasZ;
        }

        /** When the last z was taken (ns since the epoch); meaningful once {@link #hasZ}. */
        long lastZNanos() {
            return lastZNanos;
        }

        /** Takes a z of {@code z} at {@code nanos} with the speed {@link #speedAfter} gave. */
        void commit(long z, long nanos, long nextSpeed) {
            if (nextSpeed != speed) {
                speed = nextSpeed;
                speedDecimal = null;
            }
            hasZ = true;
            lastZ = z;
            lastZNanos = nanos;
        }

        @Override
        public BigDecimal speed() {
            if (speedDecimal == null) {
                speedDecimal = Fixed.decimal(speed, MEASURE);
            }
            return speedDecimal;
        }
    }
}
