package ballast.app.marketdata;

import java.time.Duration;
import java.time.Instant;

/** Time checks and wording shared by the readers and collectors. */
final class Times {
    /** Epoch values above this are microseconds (10^14 ms is the year 5138; µs values today have 16 digits). */
    static final long MICROS_ABOVE = 100_000_000_000_000L;
    /** Epoch values above this are neither (nanoseconds, or garbage). */
    static final long TOO_LARGE_ABOVE = 100_000_000_000_000_000L;

    private Times() {}

    /** Rows must be strictly ascending in time: a repeat or a step back names both rows. */
    static void requireAfter(String what, Instant previous, RowRef previousRow, Instant time, RowRef row) {
        int cmp = time.compareTo(previous);
        if (cmp == 0) {
            throw row.error("duplicate " + what + " " + time + ", same as " + previousRow.name());
        }
        if (cmp < 0) {
            throw row.error(what + " " + time + " is before " + previous + " on " + previousRow.name()
                    + " (rows must be in strictly ascending time order)");
        }
    }

    /** Epoch milliseconds, or microseconds when the value is above 10^14 (Binance spot klines from 2025 on). */
    static Instant epochMillisOrMicros(long value) {
        if (value > MICROS_ABOVE) {
            return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
        }
        return Instant.ofEpochMilli(value);
    }

    /** 300000 ms as {@code 5m}, 17100000 ms as {@code 4h45m}. */
    static String human(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        if (d.isNegative()) {
            s.append('-');
            d = d.negated();
        }
        append(s, d.toDays(), "d");
        append(s, d.toHoursPart(), "h");
        append(s, d.toMinutesPart(), "m");
        append(s, d.toSecondsPart(), "s");
        append(s, d.toMillisPart(), "ms");
        long micros = d.toNanosPart() / 1_000L % 1_000L;
        append(s, micros, "µs");
        append(s, d.toNanosPart() % 1_000L, "ns");
        return s.toString();
    }

    private static void append(StringBuilder s, long amount, String unit) {
        if (amount != 0) {
            s.append(amount).append(unit);
        }
    }
}
