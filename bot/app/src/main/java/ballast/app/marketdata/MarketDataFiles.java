package ballast.app.marketdata;

import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Loads real exchange market data files (candles, mark-price candles, funding rates) into {@link CandleSeries} and
 * {@link FundingRate}s, exactly: every number goes from its text to a {@link java.math.BigDecimal}.
 *
 * <h2>Formats, and how a file's format is told</h2>
 *
 * <ol>
 *   <li><b>Compression</b>: a name ending in {@code .gz} is gunzipped; the rules below then look at the name without
 *       {@code .gz}.
 *   <li><b>JSON or CSV</b>: a name ending in {@code .json} is freqtrade JSON, one ending in {@code .csv} is CSV. Any
 *       other name is decided by content: JSON if the first non-blank character is {@code [}, CSV otherwise.
 *   <li><b>freqtrade JSON</b>: an array of rows {@code [ts_ms, open, high, low, close, volume]} (mark files: volume 0),
 *       times in epoch milliseconds. Funding: {@code [ts_ms, rate, 0, 0, 0, 0]}, the rate is the second element and the
 *       other four must be 0. Every row has exactly 6 elements.
 *   <li><b>CSV dialect</b>, from the first line:
 *       <ul>
 *         <li>a column named {@code date_utc} (the first one in the files this project ships): a header row;
 *             columns are matched by name (any order, case-insensitive). Times are
 *             ISO-8601 instants ({@code 2020-03-12T10:00:00Z}, {@code 2019-09-10T08:00:00.000Z}). Candles need
 *             {@code open,high,low,close} and take {@code volume} if present (mark files have none: volume 0);
 *             funding needs {@code funding_rate}. Other columns are ignored.
 *         <li>first column {@code open_time}: a Binance public-data kline CSV with its header; {@code open_time, open, high, low,
 *             close, volume} are found by name, the other columns are ignored.
 *         <li>first column all digits: a Binance public-data kline CSV without header, the 12 columns {@code
 *             open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore}
 *             by position.
 *       </ul>
 *       Binance {@code open_time} is epoch milliseconds, or microseconds when the value is above 10<sup>14</sup> (16
 *       digits today), decided value by value. Kline files hold candles only, not funding.
 * </ol>
 *
 * <h2>Rules</h2>
 *
 * Every row of a CSV file has the header's number of columns (12 without header). Rows are strictly ascending in
 * time. Each candle is checked by {@link ballast.core.market.Candle}'s constructor. The candle interval is the most
 * common step between consecutive open times (ties: the shorter); a longer step that is a whole multiple of it is a
 * {@link ballast.core.market.Gap}, reported in {@link CandleSeries#gaps()} and never filled; any other step is an
 * error. A file needs at least two candles (to know its interval) or one funding row. Blank lines at the end of a CSV
 * file are ignored, a blank line inside it is an error. {@link CandleSeries#source()} is the file name.
 *
 * <p>Anything else is a {@link DataFileException} naming the file, the place (CSV: {@code prices.csv:17}; JSON: the
 * parser's line and the 1-based row index, {@code BTCUSDT-5m.json: line 1, row 4021}), what is wrong and the value.
 * No row is ever skipped.
 */
public final class MarketDataFiles {
    private static final int BUFFER = 1 << 16;
    private static final int SNIFF_LIMIT = 4096;

    private MarketDataFiles() {}

    /** Candles (last-price or mark) of one file, with the interval inferred and the gaps found. */
    public static CandleSeries loadCandles(Path file) {
        String name = nameOf(file);
        CandleRows rows = new CandleRows(name);
        read(file, name, Kind.CANDLES, rows);
        return rows.toSeries();
    }

    /** Funding settlements of one file, ascending by time; the rate may have either sign. */
    public static List<FundingRate> loadFunding(Path file) {
        String name = nameOf(file);
        FundingRows rows = new FundingRows(name);
        read(file, name, Kind.FUNDING, rows);
        return rows.toList();
    }

    /** A market data file that cannot be read as given: the message names the file, the row, the problem, the value. */
    public static final class DataFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataFileException(String message) {
            super(message);
        }

        DataFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An I/O failure in words; some (an {@link java.io.EOFException} from a truncated gzip) carry no message. */
    static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String nameOf(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    private static void read(Path file, String name, Kind kind, RowSink sink) {
        if (!Files.exists(file)) {
            throw new DataFileException("file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFileException("not a regular file: " + file);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean gzip = lower.endsWith(".gz");
        String inner = gzip ? lower.substring(0, lower.length() - 3) : lower;
        try (InputStream in = open(file, name, gzip)) {
            boolean json = inner.endsWith(".json") || (!inner.endsWith(".csv") && startsWithBracket(in, name));
            if (json) {
                JsonRows.read(in, name, kind, sink);
            } else {
                CsvRows.read(in, name, kind, sink);
            }
        } catch (IOException e) {
            throw new DataFileException(name + ": cannot read: " + reason(e), e);
        }
    }

    private static InputStream open(Path file, String name, boolean gzip) {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (IOException e) {
            throw new DataFileException("cannot open " + file + ": " + e, e);
        }
        if (!gzip) {
            return new BufferedInputStream(raw, BUFFER);
        }
        try {
            return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
        } catch (IOException e) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new DataFileException(name + ": not a gzip file (" + reason(e) + ")", e);
        }
    }

    /** Whether the first non-blank character (after a UTF-8 byte order mark) is '['; leaves the stream unread. */
    private static boolean startsWithBracket(InputStream in, String name) {
        try {
            in.mark(SNIFF_LIMIT);
            try {
                for (int i = 0; i < SNIFF_LIMIT; i++) {
                    int b = in.read();
                    if (b == '[') {
                        return true;
                    }
                    if (b < 0 || !(Character.isWhitespace(b) || b == 0xEF || b == 0xBB || b == 0xBF)) {
                        return false;
                    }
                }
                return false;
            } finally {
                in.reset();
            }
        } catch (IOException e) {
            throw new DataFileException(name + ": cannot read: " + reason(e), e);
        }
    }
}
