package ballast.app.marketdata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the two CSV dialects: {@code date_utc,...} files (columns matched by header name) and Binance public-data
 * kline files (12 columns, with or without the {@code open_time,...} header). Lines are split on commas by hand; values
 * become {@link BigDecimal}s straight from their text.
 */
final class CsvRows {
    static final List<String> BINANCE_COLUMNS = List.of(
            "open_time",
            "open",
            "high",
            "low",
            "close",
            "volume",
            "close_time",
            "quote_volume",
            "count",
            "taker_buy_volume",
            "taker_buy_quote_volume",
            "ignore");

    private final String file;
    private final Kind kind;
    private final BufferedReader reader;
    private int line;
    private int blankLine;

    private CsvRows(String file, Kind kind, BufferedReader reader) {
        this.file = file;
        this.kind = kind;
        this.reader = reader;
    }

    static void read(InputStream in, String file, Kind kind, RowSink sink) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        CsvRows csv = new CsvRows(file, kind, reader);
        try {
            csv.rows(sink);
        } catch (IOException e) {
            throw RowRef.csv(file, csv.line + 1).error("cannot read: " + MarketDataFiles.reason(e), e);
        }
    }

    /**
     * The next line that is not blank, or null at the end. Blank lines at the end of the file are ignored; a blank line
     * with data after it is an error, so that no row disappears silently.
     */
    private String next() throws IOException {
        String text;
        while ((text = reader.readLine()) != null) {
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                if (blankLine == 0) {
                    blankLine = line;
                }
                continue;
            }
            if (blankLine != 0) {
                throw RowRef.csv(file, blankLine).error("blank line (data follows on line " + line + ")");
            }
            return text;
        }
        return null;
    }

    private void rows(RowSink sink) throws IOException {
        String first = next();
        if (first == null) {
            return; // empty file: the caller reports "no rows"
        }
        List<String> head = split(first);
        String firstColumn = head.getFirst().toLowerCase(Locale.ROOT);
        RowRef headerRow = RowRef.csv(file, line);
        Layout layout;
        String data;
        if (head.stream().anyMatch(c -> c.equalsIgnoreCase("date_utc"))) {
            layout = dateUtc(head, headerRow);
            data = next();
        } else if (head.stream().anyMatch(c -> c.equalsIgnoreCase("calc_time"))) {
            layout = binanceFunding(head, headerRow);
            data = next();
        } else if (firstColumn.equals("open_time")) {
            layout = binance(head, headerRow);
            data = next();
        } else if (!firstColumn.isEmpty() && firstColumn.chars().allMatch(c -> c >= '0' && c <= '9')) {
            layout = binance(null, headerRow);
            data = first;
        } else {
            if (first.chars().anyMatch(ch -> ch == 0xFFFD || (ch < 0x20 && ch != '\t'))) {
                throw headerRow.error("not a text file (binary bytes where CSV text should be)");
            }
            throw headerRow.error("unrecognised CSV: expected a header with a date_utc column, a Binance kline"
                    + " header starting with open_time, a Binance funding header with calc_time, or a Binance kline"
                    + " row starting with an epoch time; found \"" + first + "\"");
        }
        for (; data != null; data = next()) {
            RowRef ref = RowRef.csv(file, line);
            List<String> fields = split(data);
            if (fields.size() != layout.columns.size()) {
                throw ref.error("expected " + layout.columns.size() + " columns (" + String.join(",", layout.columns)
                        + "), found " + fields.size());
            }
            Instant time = layout.time(fields.get(layout.timeColumn), ref);
            BigDecimal[] values = new BigDecimal[layout.valueColumns.length];
            for (int i = 0; i < values.length; i++) {
                int column = layout.valueColumns[i];
                values[i] = column < 0 ? BigDecimal.ZERO : decimal(fields.get(column), layout.columns.get(column), ref);
            }
            sink.accept(time, values, ref);
        }
    }

    /**
     * {@code date_utc} plus the columns {@link Kind} needs, found by name in any order; a missing volume column reads
     * as 0.
     */
    private Layout dateUtc(List<String> head, RowRef headerRow) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < head.size(); i++) {
            String name = head.get(i).toLowerCase(Locale.ROOT);
            Integer earlier = index.put(name, i);
            if (earlier != null) {
                throw headerRow.error("column \"" + head.get(i) + "\" appears twice in the header");
            }
        }
        int[] values = new int[kind.valueNames.size()];
        for (int i = 0; i < values.length; i++) {
            String name = kind.valueNames.get(i);
            Integer column = index.get(name);
            if (column == null && !name.equals("volume")) {
                String expected = kind == Kind.CANDLES
                        ? "date_utc,open,high,low,close[,volume] (a funding file? use it as funding:)"
                        : "date_utc,funding_rate (a candle file? use it as candles: or mark:)";
                throw headerRow.error(
                        "no column \"" + name + "\" in header " + String.join(",", head) + "; expected " + expected);
            }
            values[i] = column == null ? -1 : column;
        }
        return new Layout(head, index.get("date_utc"), values, false);
    }

    /** The 12 Binance kline columns, by header name when there is a header, by position when there is none. */
    private Layout binance(List<String> head, RowRef headerRow) {
        if (kind != Kind.CANDLES) {
            throw headerRow.error("this is a Binance kline CSV, which has no funding rates (a candle file? use it as"
                    + " candles: or mark:)");
        }
        List<String> columns = head == null ? BINANCE_COLUMNS : head;
        List<String> names =
                columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        int[] values = new int[kind.valueNames.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = names.indexOf(kind.valueNames.get(i));
            if (values[i] < 0) {
                throw headerRow.error("no column \"" + kind.valueNames.get(i) + "\" in Binance kline header "
                        + String.join(",", columns) + "; expected " + String.join(",", BINANCE_COLUMNS));
            }
        }
        return new Layout(columns, names.indexOf("open_time"), values, true);
    }

    /** Binance's public-data funding CSV: {@code calc_time,funding_interval_hours,last_funding_rate}, by name. */
    private Layout binanceFunding(List<String> head, RowRef headerRow) {
        if (kind != Kind.FUNDING) {
            throw headerRow.error("this is a Binance funding-rate CSV (" + String.join(",", head)
                    + "), which has no candles (a funding file? use it as funding:)");
        }
        List<String> names = head.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        int rate = names.indexOf("last_funding_rate");
        if (rate < 0) {
            throw headerRow.error("no column \"last_funding_rate\" in Binance funding header " + String.join(",", head)
                    + "; expected calc_time,funding_interval_hours,last_funding_rate");
        }
        return new Layout(head, names.indexOf("calc_time"), new int[] {rate}, true);
    }

    private static BigDecimal decimal(String text, String column, RowRef ref) {
        if (text.isEmpty()) {
            throw ref.error(column + " is empty");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw ref.error(column + " \"" + text + "\" is not a number", e);
        }
    }

    /**
     * {@code 2024-01-01T00:00:00Z}, or with milliseconds ({@code .000}), read digit by digit: the two shapes every shipped
     * and downloaded file uses, which {@link Instant#parse} reads at a tenth of the speed. Null for anything else, and
     * for a field out of its range (a month 13, a 30 February, a leap second), which {@link Instant#parse} then reads or
     * refuses as before.
     */
    static Instant plainUtc(String text) {
        int n = text.length();
        if ((n != 20 && n != 24)
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(n - 1) != 'Z'
                || (n == 24 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = n == 24 ? digits(text, 20, 3) : 0;
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || millis < 0) {
            return null;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400L + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
    }

    /** The {@code count} decimal digits at {@code from} as a number, or -1 where one is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Comma-separated fields, each trimmed; an empty line has one empty field. */
    static List<String> split(String text) {
        List<String> fields = new ArrayList<>(12);
        int start = 0;
        for (int comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', start)) {
            fields.add(text.substring(start, comma).trim());
            start = comma + 1;
        }
        fields.add(text.substring(start).trim());
        return fields;
    }

    /** Which column holds the time and which hold the values {@link Kind} asks for (-1: absent, reads as 0). */
    private record Layout(List<String> columns, int timeColumn, int[] valueColumns, boolean epoch) {
        Instant time(String text, RowRef ref) {
            String column = columns.get(timeColumn);
            if (!epoch) {
                Instant plain = plainUtc(text);
                if (plain != null) {
                    return plain;
                }
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException e) {
                    throw ref.error(
                            column + " \"" + text + "\" is not an ISO-8601 UTC time like 2020-03-12T10:00:00Z", e);
                }
            }
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw ref.error(column + " \"" + text + "\" is not an epoch time in milliseconds or microseconds", e);
            }
            if (value < 0 || value > Times.TOO_LARGE_ABOVE) {
                throw ref.error(column + " " + text + " is not an epoch time in milliseconds or microseconds");
            }
            return Times.epochMillisOrMicros(value);
        }
    }
}
