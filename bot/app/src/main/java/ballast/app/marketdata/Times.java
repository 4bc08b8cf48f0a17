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
            throw row.error("duplicate " + what + " " + time + ", same as " + previousRow.nameFrom(row));
        }
        if (cmp < 0) {
            throw row.error(what + " " + time + " is before " + previous + " on " + previousRow.nameFrom(row)
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
        return ballast.app.format.Figures.duration(d);
    }
}
