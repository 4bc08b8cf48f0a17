package ballast.core;

import java.math.BigDecimal;

/** Direction of a position. The sign is what the margin formulas multiply by: +1 long, −1 short. */
public enum Side {
    LONG(BigDecimal.ONE),
    SHORT(BigDecimal.ONE.negate());

    private final BigDecimal sign;

    Side(BigDecimal sign) {
        this.sign = sign;
    }

    public BigDecimal sign() {
        return sign;
    }

    public Side opposite() {
        return this == LONG ? SHORT : LONG;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
