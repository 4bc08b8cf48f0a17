package ballast.app.replay;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The two quotients of a candle's walk ({@link ReplayRunner}) that a study's whole-file walks take millions of times,
 * worked out in {@code long}s where that provably gives what the {@code BigDecimal} formula gives, and by the formula
 * where it might not:
 *
 * <ul>
 *   <li>into how many parts a leg is cut: {@code ⌈|move| / (from · STEP)⌉}, the quotient rounded to 16 digits first;
 *   <li>when a step of the path falls: {@code ⌊travelled · span / total⌋}, the quotient rounded to 16 digits first,
 *       where {@code travelled} is how far the path has come along its legs (the prices between two of the candle's
 *       carry 16 digits of their own).
 * </ul>
 *
 * Each quotient is exact as a fraction of {@code long}s at the candle's common scale. A fraction that is not a whole
 * number lies at least {@code 1/denominator} from one; the roundings move the formula's quotient by less than
 * {@link #MARGIN} of one (a 16-digit rounding of a quotient under 10⁹, and a between price's own rounding, at most
 * {@code 0.5·10⁻¹⁵} of it, scaled by at most {@code span / total ≤ 10⁹}). So where the fraction's remainder is further
 * than that margin from a whole number, the formula's floor (or ceiling) is the fraction's; nearer, or where the
 * figures leave a {@code long}, the formula itself is worked out. {@code WalkClockProperties} checks every shortcut
 * against the formula, on random legs and at the margin.
 */
final class WalkClock {

    /** The largest move between two steps of the path inside a candle, as a fraction of the price. */
    static final BigDecimal STEP = new BigDecimal("0.0025");

    /** {@code 1 / STEP}. */
    private static final long PER_STEP = 400;

    private static final MathContext MC = MathContext.DECIMAL64;

    /** A remainder this close to a whole number (as a share of the denominator, 10⁻⁶) is left to the formula. */
    private static final long MARGIN = 1_000_000;

    /** The longest span the shortcut takes (ms): the between prices' rounding, scaled by it, stays under the margin. */
    private static final long LONGEST_SPAN = 1_000_000_000L;

    /** The largest quotient the shortcut takes: its 16-digit rounding moves it by at most 0.5·10⁻⁷. */
    private static final long LARGEST_QUOTIENT = 1_000_000_000L;

    /** Where each leg starts ({@code from[1..3]}; leg 0 is the open itself), and its move and what came before it. */
    private final BigDecimal[] from = new BigDecimal[4];

    private final BigDecimal[] beforeExact = new BigDecimal[4];
    private final long[] before = new long[4];
    private final long[] move = new long[4];
    private BigDecimal totalExact;
    private BigDecimal spanExact;
    private long total;
    private long span;
    /** Whether the legs fit {@code long}s at the candle's common scale and the span is short enough. */
    private boolean fits;

    /**
     * Into how many parts a leg from {@code from} moving by {@code move} (not zero) is cut, each at most {@link #STEP}:
     * what {@link #divisionsExact} gives.
     */
    static int divisions(BigDecimal from, BigDecimal move) {
        int scale = Math.max(from.scale(), move.scale());
        long f = unscaled(from, scale);
        long m = unscaled(move, scale);
        if (f > 0 && m != Long.MIN_VALUE && m != 0) {
            long a = Math.abs(m);
            if (a <= Long.MAX_VALUE / PER_STEP) {
                long num = a * PER_STEP;
                long q = num / f;
                long rem = num % f;
                if (q < LARGEST_QUOTIENT) {
                    if (rem == 0) {
                        return (int) q;
                    }
                    long near = f / MARGIN;
                    if (rem > near && f - rem > near) {
                        return (int) q + 1;
                    }
                }
            }
        }
        return divisionsExact(from, move);
    }

    /** {@link #divisions} by the formula. */
    static int divisionsExact(BigDecimal from, BigDecimal move) {
        return move.abs()
                .divide(from.multiply(STEP), MC)
                .setScale(0, RoundingMode.CEILING)
                .intValue();
    }

    /**
     * Sets the candle: its open, the two extremes in the order the path takes them, its close, and the span its steps
     * spread over (ms).
     */
    void candle(BigDecimal open, BigDecimal first, BigDecimal second, BigDecimal close, long spanMillis) {
        from[1] = open;
        from[2] = first;
        from[3] = second;
        BigDecimal m1 = first.subtract(open).abs();
        BigDecimal m2 = second.subtract(first).abs();
        BigDecimal m3 = close.subtract(second).abs();
        beforeExact[1] = BigDecimal.ZERO;
        beforeExact[2] = m1;
        beforeExact[3] = m1.add(m2);
        totalExact = beforeExact[3].add(m3);
        span = spanMillis;
        spanExact = BigDecimal.valueOf(spanMillis);
        int scale = Math.max(0, Math.max(Math.max(m1.scale(), m2.scale()), m3.scale()));
        long u1 = unscaled(m1, scale);
        long u2 = unscaled(m2, scale);
        long u3 = unscaled(m3, scale);
        fits = spanMillis > 0
                && spanMillis <= LONGEST_SPAN
                && u1 >= 0
                && u2 >= 0
                && u3 >= 0
                && u1 <= Long.MAX_VALUE / 4
                && u2 <= Long.MAX_VALUE / 4
                && u3 <= Long.MAX_VALUE / 4;
        if (fits) {
            move[1] = u1;
            move[2] = u2;
            move[3] = u3;
            before[1] = 0;
            before[2] = u1;
            before[3] = u1 + u2;
            total = u1 + u2 + u3;
        }
    }

    /**
     * How many milliseconds into the span a step of the path falls: the step {@code part} of {@code parts} of leg
     * {@code leg} (1 to 3; 0 for the open), whose price is {@code price}; what {@link #offsetExact} gives.
     */
    long offset(int leg, int part, int parts, BigDecimal price) {
        if (leg == 0 || totalExact.signum() == 0) {
            return 0;
        }
        if (fits) {
            try {
                long num = Math.multiplyExact(
                        Math.addExact(Math.multiplyExact(before[leg], parts), Math.multiplyExact(move[leg], part)),
                        span);
                long den = Math.multiplyExact((long) parts, total);
                long q = num / den;
                long rem = num % den;
                if (rem == 0) {
                    // A whole number: the formula's quotient is exact too where the path has come a whole leg (its
                    // prices are the candle's own); a between price's rounding could leave it just under.
                    if (part == parts) {
                        return q;
                    }
                } else {
                    long near = den / MARGIN;
                    if (rem > near && den - rem > near) {
                        return q;
                    }
                }
            } catch (ArithmeticException beyondLong) {
                // the formula's
            }
        }
        return offsetExact(leg, price);
    }

    /**
     * {@link #offset} by the formula: how far the path has come is the legs before this one and this leg's way to
     * {@code price} (the walk's sum of every step's move, which adds up to the same: a leg's prices move one way).
     */
    long offsetExact(int leg, BigDecimal price) {
        if (leg == 0 || totalExact.signum() == 0) {
            return 0;
        }
        BigDecimal travelled = beforeExact[leg].add(price.subtract(from[leg]).abs());
        return travelled.multiply(spanExact).divide(totalExact, MC).longValue();
    }

    /** {@code value}'s digits at {@code scale} (at least its own), or {@link Long#MIN_VALUE} where they leave a long. */
    private static long unscaled(BigDecimal value, int scale) {
        if (value.scale() > scale) {
            return Long.MIN_VALUE;
        }
        try {
            // At or above its own scale the value moves exactly; up to 18 digits without a BigInteger.
            return ballast.core.Fixed.of(value, scale);
        } catch (ArithmeticException beyondLong) {
            return Long.MIN_VALUE;
        }
    }
}
