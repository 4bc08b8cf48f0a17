package ballast.app.marketdata;

import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Loads real exchange market data files (candles, mark-price candles, funding rates) into {@link CandleSeries} and
 * {@link FundingRate}s, exactly: every number goes from its text to a {@link java.math.BigDecimal}.
 *
 * <h2>Formats, and how a file's format is told</h2>
 *
 * <ol>
 *   <li><b>Compression and archives</b>: a name ending in {@code .gz} is gunzipped; a name ending in {@code .zip} must
 *       hold exactly one file (as Binance's public data archive does), which is read; the rules below then look at
 *       the name without {@code .gz}, or at the name of the file inside the zip.
 *   <li><b>JSON or CSV</b>: a name ending in {@code .json} is JSON, one ending in {@code .csv} is CSV. Any other name is
 *       decided by content: JSON if the first non-blank character is {@code [}, CSV otherwise.
 *   <li><b>JSON</b>, an array of rows, each one of:
 *       <ul>
 *         <li>freqtrade's {@code [ts_ms, open, high, low, close, volume]} (mark files: volume 0); funding: {@code
 *             [ts_ms, rate, 0, 0, 0, 0]}, the rate is the second element and the other four must be 0;
 *         <li>Binance's REST kline row ({@code GET /fapi/v1/klines}, {@code /fapi/v1/markPriceKlines}): 12 elements
 *             {@code [openTime, "open", "high", "low", "close", "volume", closeTime, ...]}, candles only;
 *         <li>Binance's REST funding object ({@code GET /fapi/v1/fundingRate}): {@code {"fundingTime": ms,
 *             "fundingRate": "0.0001", ...}}, funding only.
 *       </ul>
 *       Times are epoch milliseconds; numbers may be JSON numbers or strings.
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
 *         <li>a column named {@code calc_time}: a Binance public-data funding CSV ({@code
 *             calc_time,funding_interval_hours,last_funding_rate}); the rate is {@code last_funding_rate}.
 *       </ul>
 *       Binance times are epoch milliseconds, or microseconds when the value is above 10<sup>14</sup> (16
 *       digits today), decided value by value. Kline files hold candles only, funding files funding only.
 * </ol>
 *
 * <h2>Folders</h2>
 *
 * A path may name a folder instead of a file: every data file in it ({@code .csv}, {@code .json}, {@code .zip},
 * optionally {@code .gz}; names starting with a dot and {@code .CHECKSUM} files are not data) is read, and the files are
 * joined in time order into one series, as if they were one file. Two files that overlap in time are an error naming
 * both. Where a window is given and a file's name ends in a month or a day, as Binance's archive names them ({@code
 * BTCUSDT-1m-2024-08.zip}, {@code BTCUSDT-1m-2024-08-10.json}, {@code ...-2024-08-10.partial.json}), a file wholly
 * outside the window is not read.
 *
 * <h2>Rules</h2>
 *
 * Every row of a CSV file has the header's number of columns (12 without header). Rows are strictly ascending in
 * time. Each candle is checked by {@link ballast.core.market.Candle}'s constructor. The candle interval is the most
 * common step between consecutive open times (ties: the shorter); a longer step that is a whole multiple of it is a
 * {@link ballast.core.market.Gap}, reported in {@link CandleSeries#gaps()} and never filled; any other step is an
 * error. A series needs at least two candles (to know its interval) or one funding row. Blank lines at the end of a CSV
 * file are ignored, a blank line inside it is an error. {@link CandleSeries#source()} is the file's (or the folder's)
 * name.
 *
 * <p>Anything else is a {@link DataFileException} naming the file, the place (CSV: {@code prices.csv:17}; JSON: the
 * parser's line and the 1-based row index, {@code BTCUSDT-5m.json: line 1, row 4021}), what is wrong and the value.
 * No row is ever skipped.
 */
public final class MarketDataFiles {
    private static final int BUFFER = 1 << 16;
    private static final int SNIFF_LIMIT = 4096;

    /** {@code NAME-2024-08.zip}, {@code NAME-2024-08-10.json}, {@code NAME-2024-08-10.partial.json}, with .gz. */
    private static final Pattern PERIOD =
            Pattern.compile(".*-(\\d{4})-(\\d{2})(?:-(\\d{2}))?(?:\\.partial)?\\.(?:csv|json|zip)(?:\\.gz)?");

    private MarketDataFiles() {}

    /** Candles (last-price or mark) of one file or folder, with the interval inferred and the gaps found. */
    public static CandleSeries loadCandles(Path path) {
        return loadCandles(path, null, null);
    }

    /**
     * Candles of one file or folder; in a folder, files whose name says they lie wholly outside {@code [from, to)} are
     * not read (the series may still hold candles outside the window: use {@link CandleSeries#between}).
     */
    public static CandleSeries loadCandles(Path path, Instant from, Instant to) {
        String name = nameOf(path);
        CandleRows rows = new CandleRows(name);
        read(path, name, Kind.CANDLES, rows, from, to);
        return rows.toSeries();
    }

    /** Funding settlements of one file or folder, ascending by time; the rate may have either sign. */
    public static List<FundingRate> loadFunding(Path path) {
        return loadFunding(path, null, null);
    }

    /** Funding settlements of one file or folder, reading in a folder only the files that may touch the window. */
    public static List<FundingRate> loadFunding(Path path, Instant from, Instant to) {
        String name = nameOf(path);
        FundingRows rows = new FundingRows(name);
        read(path, name, Kind.FUNDING, rows, from, to);
        return rows.toList();
    }

    /**
     * Reads every row of {@code file} as the kind of file {@code name} says it is (a download checked under its
     * temporary name), and returns how many there are; any row the loader would refuse fails here, with its place.
     */
    public static long verify(Path file, String name, boolean funding) {
        long[] rows = {0};
        readFile(file, name, funding ? Kind.FUNDING : Kind.CANDLES, (time, values, where) -> rows[0]++);
        return rows[0];
    }

    /** The data files of a folder, in name order: what {@link #loadCandles(Path)} reads there. */
    public static List<Path> dataFiles(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile)
                    .filter(p -> isDataFile(nameOf(p)))
                    .sorted(Comparator.comparing(MarketDataFiles::nameOf))
                    .toList();
        } catch (IOException e) {
            throw new DataFileException("cannot list folder " + folder + ": " + reason(e), e);
        }
    }

    /** Whether a file name is a data file in a folder (not hidden, not a checksum, a known extension). */
    public static boolean isDataFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(".") || lower.endsWith(".checksum")) {
            return false;
        }
        String inner = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
        return inner.endsWith(".csv") || inner.endsWith(".json") || inner.endsWith(".zip");
    }

    /**
     * The month or day a file's name says it holds ({@code BTCUSDT-1m-2024-08.zip}: August 2024), as {@code [start,
     * end)}; empty for any other name.
     */
    public static Optional<Instant[]> periodOf(String name) {
        Matcher m = PERIOD.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            int year = Integer.parseInt(m.group(1));
            int month = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                YearMonth ym = YearMonth.of(year, month);
                return Optional.of(new Instant[] {
                    ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    ym.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                });
            }
            LocalDate day = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
            return Optional.of(new Instant[] {
                day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
            });
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** A market data file that cannot be read as given: the message names the file, the row, the problem, the value. */
    public static final class DataFileException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DataFileException(String message) {
            super(message);
        }

        DataFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An I/O failure in words; some (an {@link java.io.EOFException} from a truncated gzip) carry no message. */
    static String reason(IOException e) {
        String message = e.getMessage();
        if (message == null) {
            return e instanceof java.io.EOFException ? "the file ends early (a truncated file?)" : "cannot read it";
        }
        if (message.contains("Unexpected end of ZLIB input stream") || message.contains("Unexpected end of")) {
            return "the compressed data ends early (a truncated file?)";
        }
        if (message.contains("Not in GZIP format")) {
            return "its first bytes are not gzip's: a .gz name on a file that is not gzipped?";
        }
        return message;
    }

    private static String nameOf(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }

    private static void read(Path path, String name, Kind kind, RowSink sink, Instant from, Instant to) {
        if (Files.isDirectory(path)) {
            readFolder(path, kind, sink, from, to);
            return;
        }
        readFile(path, name, kind, sink);
    }

    /** One file's rows, kept until the folder's files are put in time order. */
    private record Row(Instant time, BigDecimal[] values, RowRef where) {}

    private record FileRows(Path file, List<Row> rows) {
        Instant first() {
            return rows.getFirst().time();
        }

        Instant last() {
            return rows.getLast().time();
        }
    }

    private static void readFolder(Path folder, Kind kind, RowSink sink, Instant from, Instant to) {
        List<FileRows> files = new ArrayList<>();
        for (Path file : dataFiles(folder)) {
            if (from != null && to != null) {
                Optional<Instant[]> period = periodOf(nameOf(file));
                if (period.isPresent() && (!period.get()[0].isBefore(to) || !period.get()[1].isAfter(from))) {
                    continue;
                }
            }
            List<Row> rows = new ArrayList<>();
            readFile(file, nameOf(file), kind, (time, values, where) -> rows.add(new Row(time, values, where)));
            if (rows.isEmpty()) {
                throw new DataFileException(nameOf(file) + ": no rows (in folder " + folder + ")");
            }
            files.add(new FileRows(file, rows));
        }
        if (files.isEmpty()) {
            throw new DataFileException("folder " + folder + " holds no data file"
                    + (from != null ? " for " + from + " to " + to : "")
                    + " (.csv, .json or .zip, optionally .gz); 'ballast data download' fetches Binance history");
        }
        files.sort(Comparator.comparing(FileRows::first));
        for (int i = 1; i < files.size(); i++) {
            FileRows before = files.get(i - 1);
            FileRows after = files.get(i);
            if (!after.first().isAfter(before.last())) {
                throw new DataFileException(nameOf(before.file()) + " (" + before.first() + " to " + before.last()
                        + ") and " + nameOf(after.file()) + " (" + after.first() + " to " + after.last()
                        + ") overlap in folder " + folder
                        + ": a folder must hold each row once; remove one of them");
            }
        }
        for (FileRows file : files) {
            for (Row row : file.rows()) {
                sink.accept(row.time(), row.values(), row.where());
            }
        }
    }

    private static void readFile(Path file, String name, Kind kind, RowSink sink) {
        if (!Files.exists(file)) {
            throw new DataFileException("file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new DataFileException("not a regular file: " + file);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        boolean gzip = lower.endsWith(".gz");
        String inner = gzip ? lower.substring(0, lower.length() - 3) : lower;
        if (inner.endsWith(".zip")) {
            readZip(file, name, kind, sink);
            return;
        }
        try (InputStream in = open(file, name, gzip)) {
            readStream(in, name, inner, kind, sink);
        } catch (IOException e) {
            throw new DataFileException(name + ": cannot read: " + reason(e), e);
        }
    }

    /** A zip of exactly one data file, as Binance's public archive publishes them. */
    private static void readZip(Path file, String name, Kind kind, RowSink sink) {
        try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
            ZipEntry entry = zip.getNextEntry();
            if (entry == null) {
                throw new DataFileException(name + ": not a zip archive, or an empty one (no file inside)");
            }
            if (entry.isDirectory()) {
                throw new DataFileException(
                        name + ": expected one data file inside, found the folder " + entry.getName());
            }
            String inner = entry.getName().toLowerCase(Locale.ROOT);
            InputStream body = new BufferedInputStream(zip, BUFFER) {
                @Override
                public void close() {
                    // The zip stream is closed by the try above, after the check for a second entry.
                }
            };
            readStream(body, name, inner, kind, sink);
            zip.closeEntry();
            ZipEntry second = zip.getNextEntry();
            if (second != null) {
                throw new DataFileException(
                        name + ": expected one data file inside, found another: " + second.getName());
            }
        } catch (DataFileException e) {
            if (e.getCause() instanceof ZipException || e.getCause() instanceof java.io.EOFException) {
                throw new DataFileException(
                        name + ": not a complete zip archive (" + reason((IOException) e.getCause()) + ")", e);
            }
            throw e;
        } catch (ZipException | java.io.EOFException e) {
            throw new DataFileException(name + ": not a complete zip archive (" + reason(e) + ")", e);
        } catch (IOException e) {
            throw new DataFileException(name + ": cannot read: " + reason(e), e);
        }
    }

    private static void readStream(InputStream in, String name, String inner, Kind kind, RowSink sink)
            throws IOException {
        InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in, BUFFER);
        boolean json = inner.endsWith(".json") || (!inner.endsWith(".csv") && startsWithBracket(buffered, name));
        if (json) {
            JsonRows.read(buffered, name, kind, sink);
        } else {
            CsvRows.read(buffered, name, kind, sink);
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
