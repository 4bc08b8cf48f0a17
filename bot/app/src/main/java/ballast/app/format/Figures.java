package ballast.app.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How numbers look to people (grouped, rounded for reading) and to machines (exact decimal strings). */
public final class Figures {
    private Figures() {}

    /** Prices: two decimals from 100 up, four from 1, six significant digits below. */
    public static String price(BigDecimal value) {
        BigDecimal abs = value.abs();
        int scale;
        if (abs.compareTo(BigDecimal.valueOf(100)) >= 0) {
            scale = 2;
        } else if (abs.compareTo(BigDecimal.ONE) >= 0) {
            scale = 4;
        } else if (abs.signum() == 0) {
            scale = 2;
        } else {
            scale = 6 - abs.precision() + abs.scale();
        }
        return grouped(value.setScale(scale, RoundingMode.HALF_UP));
    }

    /** Money amounts: two decimals, rounded in the direction given (up for what must be there, down for what may go). */
    public static String amount(BigDecimal value, RoundingMode rounding) {
        return grouped(value.setScale(2, rounding));
    }

    public static String amount(BigDecimal value) {
        return amount(value, RoundingMode.HALF_UP);
    }

    public static String qty(BigDecimal value) {
        return value.setScale(8, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** A fraction as percent with two decimals: 0.04883 → "4.88 %". */
    public static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** Exact for machines: at most 8 decimals (far below any tick), no exponent, no trailing zeros. */
    public static String exact(BigDecimal value, RoundingMode rounding) {
        BigDecimal scaled = value.setScale(8, rounding).stripTrailingZeros();
        return (scaled.scale() < 0 ? scaled.setScale(0) : scaled).toPlainString();
    }

    public static String exact(BigDecimal value) {
        return exact(value, RoundingMode.HALF_UP);
    }

    public static String percentExact(BigDecimal fraction) {
        return exact(fraction.movePointRight(2));
    }

    /** Thousands grouped, the value's own scale kept. */
    public static String grouped(BigDecimal value) {
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setMinimumFractionDigits(value.scale());
        format.setMaximumFractionDigits(value.scale());
        format.setRoundingMode(RoundingMode.UNNECESSARY);
        return format.format(value);
    }
}
