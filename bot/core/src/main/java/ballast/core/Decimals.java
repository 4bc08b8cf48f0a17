package ballast.core;

import java.math.BigDecimal;
import java.math.MathContext;

/** Exact-decimal helpers shared by all money code: one precision, one way to compare and normalise. */
public final class Decimals {
    /** 34 significant digits: far beyond any venue's tick, so rounding happens only where an order is built. */
    public static final MathContext MC = MathContext.DECIMAL128;

    private Decimals() {}

    public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
        return dividend.divide(divisor, MC);
    }

    /** Removes trailing zeros so that records holding the same amount are equal whatever scale it came with. */
    public static BigDecimal normalize(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    public static BigDecimal max(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public static BigDecimal min(BigDecimal a, BigDecimal b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static BigDecimal requirePositive(String name, BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value.toPlainString());
        }
        return normalize(value);
    }

    public static BigDecimal requireNonNegative(String name, BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value.toPlainString());
        }
        return normalize(value);
    }

    public static BigDecimal requirePresent(String name, BigDecimal value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return normalize(value);
    }

    /**
     * A price for a sentence (reasons, notes, logs): two decimals from 100 up, four from 1, six significant digits
     * below; never the 20-digit quotient of a division. Amounts that reach a venue or a ledger stay exact elsewhere.
     */
    public static String readable(BigDecimal price) {
        BigDecimal abs = price.abs();
        int scale;
        if (abs.compareTo(BigDecimal.valueOf(100)) >= 0 || abs.signum() == 0) {
            scale = 2;
        } else if (abs.compareTo(BigDecimal.ONE) >= 0) {
            scale = 4;
        } else {
            scale = Math.min(12, 6 - abs.precision() + abs.scale());
        }
        return price.setScale(scale, java.math.RoundingMode.HALF_UP).toPlainString();
    }
}
