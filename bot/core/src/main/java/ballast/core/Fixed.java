package ballast.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact scaled-integer arithmetic for the per-mark risk path: a value is a {@code long} count of {@code 10^-scale}
 * units, products are taken to 128 bits before they are divided, and every result is truncated toward zero, so the same
 * inputs give the same bits on every machine. No binary floating point. A result that does not fit a {@code long}
 * throws {@link ArithmeticException}; the caller then falls back to {@code BigDecimal}.
 */
public final class Fixed {

    private static final long[] TENS = new long[19];

    static {
        TENS[0] = 1;
        for (int i = 1; i < TENS.length; i++) {
            TENS[i] = TENS[i - 1] * 10;
        }
    }

    private Fixed() {}

    /** {@code 10^n} for {@code 0 ≤ n ≤ 18}. */
    public static long ten(int n) {
        return TENS[n];
    }

    /**
     * {@code value} in units of {@code 10^-scale}, rounded as {@code rounding} says (a bound rounds inward: a low end up,
     * a high end down); throws an {@link ArithmeticException} when it does not fit a {@code long}.
     */
    public static long of(BigDecimal value, int scale, java.math.RoundingMode rounding) {
        return value.setScale(scale, rounding).movePointRight(scale).longValueExact();
    }

    /** {@code value} in units of {@code 10^-scale}, rounded half-even; throws when it does not fit a {@code long}. */
    public static long of(BigDecimal value, int scale) {
        int own = value.scale();
        if (own >= 0 && own <= 18 && value.precision() <= 18) {
            // Moved to scale 0, a value of up to 18 digits is returned as it is held: one small object, no BigInteger.
            long units = value.movePointRight(own).longValue();
            if (own <= scale) {
                return Math.multiplyExact(units, ten(scale - own));
            }
            long divisor = ten(own - scale);
            long quotient = units / divisor;
            long remainder = units % divisor;
            long twice = Math.abs(remainder) * 2;
            if (twice > divisor || (twice == divisor && (quotient & 1) != 0)) {
                quotient += Long.signum(units);
            }
            return quotient;
        }
        BigDecimal at = value.scale() == scale ? value : value.setScale(scale, RoundingMode.HALF_EVEN);
        return at.movePointRight(scale).longValueExact();
    }

    /** The exact decimal a scaled value stands for. */
    public static BigDecimal decimal(long units, int scale) {
        return BigDecimal.valueOf(units, scale);
    }

    /**
     * {@code a·b/c} with a 128-bit product, truncated toward zero.
     *
     * @throws ArithmeticException when {@code c} is zero or the quotient does not fit a {@code long}
     */
    public static long mulDiv(long a, long b, long c) {
        if (c == 0) {
            throw new ArithmeticException("division by zero");
        }
        if (a == Long.MIN_VALUE || b == Long.MIN_VALUE || c == Long.MIN_VALUE) {
            throw new ArithmeticException("operand out of range");
        }
        boolean negative = (a < 0) ^ (b < 0) ^ (c < 0);
        long x = Math.abs(a);
        long y = Math.abs(b);
        long d = Math.abs(c);
        long hi = Math.unsignedMultiplyHigh(x, y);
        long lo = x * y;
        long q;
        if (hi == 0) {
            // Below 2⁶³ the signed quotient is the unsigned one, and the JIT turns a division by a constant (a
            // caller's 10, or five minutes in milliseconds) into a multiplication.
            q = lo >= 0 ? lo / d : Long.divideUnsigned(lo, d);
        } else {
            if (Long.compareUnsigned(hi, d) >= 0) {
                throw new ArithmeticException("quotient does not fit 64 bits");
            }
            q = divide128(hi, lo, d);
        }
        if (q < 0) {
            throw new ArithmeticException("quotient does not fit a long");
        }
        return negative ? -q : q;
    }

    /**
     * The unsigned quotient of the 128-bit {@code (u1, u0)} by {@code v}, for {@code u1 < v} (unsigned), so that it fits
     * 64 bits: long division in two 32-bit digits on a normalised divisor (Knuth's algorithm D as Hacker's Delight
     * writes it for two words).
     */
    static long divide128(long u1, long u0, long v) {
        final long base = 1L << 32;
        int s = Long.numberOfLeadingZeros(v);
        v <<= s;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFFFFFFL;
        long un32 = s == 0 ? u1 : (u1 << s) | (u0 >>> (64 - s));
        long un10 = u0 << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, base) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        long un21 = (un32 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, base) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        return (q1 << 32) + q0;
    }

    /**
     * {@code ⌊(10·a² − 1)/d⌋} for {@code a ≥ 1} and {@code d ≥ 1}, or {@link Long#MAX_VALUE} where it is larger: with a
     * 128-bit square, for bounds solved once and compared many times.
     */
    public static long tenSquaredLessOneOver(long a, long d) {
        if (a < 1 || d < 1) {
            throw new ArithmeticException("operand out of range");
        }
        long hi = Math.multiplyHigh(a, a);
        if (hi > Long.MAX_VALUE / 10) {
            // 10·a² ≥ 2¹²⁷ (its high word ≥ 2⁶³ > d): the quotient is beyond a long, and 10·hi beyond 64 bits.
            return Long.MAX_VALUE;
        }
        long lo = a * a;
        long hi10 = hi * 10 + Math.unsignedMultiplyHigh(lo, 10);
        long lo10 = lo * 10;
        if (lo10 == 0) {
            hi10--;
        }
        lo10--;
        if (Long.compareUnsigned(hi10, d) >= 0) {
            return Long.MAX_VALUE;
        }
        long q = hi10 == 0 ? Long.divideUnsigned(lo10, d) : divide128(hi10, lo10, d);
        return q < 0 ? Long.MAX_VALUE : q;
    }

    /** The integer square root: the largest {@code r} with {@code r² ≤ n}. */
    public static long sqrt(long n) {
        return sqrt(n, 0);
    }

    /**
     * The integer square root, starting Newton's iteration from {@code guess} (a root found for a nearby value: a
     * volatility that moved a little since the last mark takes one or two steps instead of six). Any positive guess
     * gives the same result: one step from it lands at or above the root, from where the iteration falls
     * monotonically onto it.
     */
    public static long sqrt(long n, long guess) {
        if (n < 0) {
            throw new ArithmeticException("square root of a negative number: " + n);
        }
        if (n < 2) {
            return n;
        }
        long x;
        if (guess > 0 && guess <= 3_037_000_499L) {
            // ⌊(g + ⌊n/g⌋)/2⌋ ≥ ⌊√n⌋ for every g > 0 (the arithmetic mean is at least the geometric one).
            x = (guess + n / guess) >>> 1;
            if (x == 0) {
                x = 1;
            }
        } else {
            // A power of two at or above the root.
            x = 1L << ((64 - Long.numberOfLeadingZeros(n) + 1) / 2);
        }
        // From here x ≥ ⌊√n⌋, and each step stays so: where x² ≤ n, x is the root, told by a multiplication rather
        // than by one more division (a guess from a nearby root lands on it in one step).
        while (true) {
            if (x <= 3_037_000_499L && x * x <= n) {
                return x;
            }
            long y = (x + n / x) >>> 1;
            if (y >= x) {
                return x;
            }
            x = y;
        }
    }
}
