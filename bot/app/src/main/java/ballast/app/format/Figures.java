package ballast.app.format;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
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

    /** A duration as people write it: 300000 ms as {@code 5m}, 17100000 ms as {@code 4h45m}, a day as {@code 1d}. */
    public static String duration(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        if (d.isNegative()) {
            s.append('-');
            d = d.negated();
        }
        unit(s, d.toDays(), "d");
        unit(s, d.toHoursPart(), "h");
        unit(s, d.toMinutesPart(), "m");
        unit(s, d.toSecondsPart(), "s");
        unit(s, d.toMillisPart(), "ms");
        unit(s, d.toNanosPart() / 1_000L % 1_000L, "µs");
        unit(s, d.toNanosPart() % 1_000L, "ns");
        return s.toString();
    }

    private static void unit(StringBuilder s, long amount, String unit) {
        if (amount != 0) {
            s.append(amount).append(unit);
        }
    }

    /** Bytes for people: {@code 812 B}, {@code 4.2 KB}, {@code 35.1 MB}, {@code 2.03 GB} (powers of 1,000). */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        BigDecimal value = BigDecimal.valueOf(n);
        int u = -1;
        while (value.compareTo(BigDecimal.valueOf(1000)) >= 0 && u < units.length - 1) {
            value = value.movePointLeft(3);
            u++;
        }
        int scale = value.compareTo(BigDecimal.TEN) < 0 ? 2 : value.compareTo(BigDecimal.valueOf(100)) < 0 ? 1 : 0;
        return value.setScale(scale, RoundingMode.HALF_UP).toPlainString() + " " + units[u];
    }

    /** Counts grouped: 1234567 as {@code 1,234,567}. */
    public static String count(long n) {
        return grouped(BigDecimal.valueOf(n));
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
