package ballast.app.history;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Binance's public history served by WireMock on 127.0.0.1, in Binance's own formats: the archive's layout ({@code
 * data/futures/um/{monthly,daily}/{klines,markPriceKlines,fundingRate}/SYMBOL/[INTERVAL/]NAME.zip}, each zip holding one
 * CSV with the archive's header, beside a {@code .CHECKSUM} file {@code "<sha256>  NAME.zip"}; 404 for what is not
 * published), and {@code GET /fapi/v1/klines}, {@code /fapi/v1/markPriceKlines} (12-element rows, prices as strings,
 * {@code startTime}/{@code endTime}/{@code limit} honoured, oldest first) and {@code /fapi/v1/fundingRate} (objects),
 * with {@code X-MBX-USED-WEIGHT-1M} and Binance's error bodies ({@code -1121 Invalid symbol.}, {@code -1120}).
 *
 * <p>What is published is set per file; a file can be served with a wrong checksum or cut in half (with a checksum of
 * the half) to test the downloader's checks. Faults on the wire (429, 418, a reset connection) are stubs of higher
 * priority, set by each test. The rows are whatever a test loads: real Binance candles from the repository's shipped
 * scenario data where the window allows.
 */
final class FakeBinanceHistory implements ResponseTransformerV2 {

    static final String KLINE_HEADER = "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
            + "taker_buy_volume,taker_buy_quote_volume,ignore";

    /** One kline as the venue has it: open time, interval, and the four prices and volume as text. */
    record Kline(long open, long close, String o, String h, String l, String c, String v) {
        String csv() {
            return open + "," + o + "," + h + "," + l + "," + c + "," + v + "," + close + ",0,0,0,0,0";
        }

        String json() {
            return "[" + open + ",\"" + o + "\",\"" + h + "\",\"" + l + "\",\"" + c + "\",\"" + v + "\"," + close
                    + ",\"0\",0,\"0\",\"0\",\"0\"]";
        }
    }

    record Funding(long time, String rate) {}

    /** The priority of the catch-all stub the fake answers through; tests' fault stubs have a lower number. */
    static final int DEFAULT_PRIORITY = 10;

    private final Map<String, NavigableMap<Long, Kline>> klines = new HashMap<>();
    private final Map<String, NavigableMap<Long, Funding>> funding = new HashMap<>();
    private final Set<String> published = new HashSet<>();
    private final Set<String> badChecksum = new HashSet<>();
    private final Set<String> truncated = new HashSet<>();
    private final Set<String> corrupt = new HashSet<>();
    private final List<String> requests = new ArrayList<>();
    private int weight;

    @Override
    public String getName() {
        return "fake-binance-history";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    // ----- what the fake holds -----

    void klines(String kind, String symbol, String interval, List<Kline> rows) {
        NavigableMap<Long, Kline> map = klines.computeIfAbsent(key(kind, symbol, interval), k -> new TreeMap<>());
        rows.forEach(k -> map.put(k.open(), k));
    }

    void funding(String symbol, List<Funding> rows) {
        NavigableMap<Long, Funding> map = funding.computeIfAbsent(symbol, k -> new TreeMap<>());
        rows.forEach(f -> map.put(f.time(), f));
    }

    /** Publishes an archive file by its name: {@code BTCUSDT-1h-2022-11.zip} (monthly) or {@code ...-2022-11-05.zip}. */
    void publish(String kind, String name) {
        published.add(kind + "/" + name);
    }

    /** Publishes the daily files of {@code days} for a kind, symbol and interval. */
    void publishDays(String kind, String symbol, String interval, LocalDate first, LocalDate last) {
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            publish(kind, symbol + "-" + interval + "-" + d + ".zip");
        }
    }

    void serveWithBadChecksum(String kind, String name) {
        badChecksum.add(kind + "/" + name);
    }

    void serveTruncated(String kind, String name) {
        truncated.add(kind + "/" + name);
    }

    /** Serves the file whole, with a matching checksum, but with a price that is not a number in its first row. */
    void serveCorruptRow(String kind, String name) {
        corrupt.add(kind + "/" + name);
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    synchronized long requests(String containing) {
        return requests.stream().filter(r -> r.contains(containing)).count();
    }

    private static String key(String kind, String symbol, String interval) {
        return kind + "/" + symbol + "/" + interval;
    }

    // ----- serving -----

    private static final Pattern ARCHIVE = Pattern.compile(
            "/data/futures/um/(monthly|daily)/(klines|markPriceKlines|fundingRate)/([A-Z0-9]+)/(?:([0-9a-zA-Z]+)/)?"
                    + "(([A-Z0-9]+)-([0-9a-zA-Z]+)-(\\d{4})-(\\d{2})(?:-(\\d{2}))?\\.zip)(\\.CHECKSUM)?");

    @Override
    public synchronized Response transform(Response response, ServeEvent event) {
        Request request = event.getRequest();
        Integer priority = event.getStubMapping().getPriority();
        if (priority != null && priority < DEFAULT_PRIORITY) {
            return response; // a test's own stub (429, 418, a fault) stands as it is
        }
        URI uri = URI.create(request.getUrl());
        String path = uri.getPath();
        requests.add(request.getUrl());
        Map<String, String> q = query(uri.getRawQuery());
        if (path.startsWith("/data/")) {
            return archive(path);
        }
        return switch (path) {
            case "/fapi/v1/klines" -> klinesRest("klines", q, 0);
            case "/fapi/v1/markPriceKlines" -> klinesRest("markPriceKlines", q, 0);
            case "/fapi/v1/fundingRate" -> fundingRest(q);
            default -> binanceError(404, -1100, "Not found in the fake: " + path);
        };
    }

    private Response archive(String path) {
        Matcher m = ARCHIVE.matcher(path);
        if (!m.matches()) {
            return notFound();
        }
        String kind = m.group(2);
        String name = m.group(5);
        boolean checksum = m.group(11) != null;
        if (!published.contains(kind + "/" + name)) {
            return notFound();
        }
        byte[] zip = zip(
                kind, m.group(3), m.group(4), m.group(1).equals("monthly"), m.group(8), m.group(9), m.group(10), name);
        if (corrupt.contains(kind + "/" + name)) {
            zip = zipOf(
                    name, new String(unzip(zip), StandardCharsets.UTF_8).replaceFirst("\n(\\d+),[^,]+,", "\n$1,abc,"));
        }
        if (truncated.contains(kind + "/" + name)) {
            zip = java.util.Arrays.copyOf(zip, zip.length / 2);
        }
        if (checksum) {
            String sha = sha256(zip);
            if (badChecksum.contains(kind + "/" + name)) {
                sha = sha256(("not " + name).getBytes(StandardCharsets.UTF_8));
            }
            return Response.response()
                    .status(200)
                    .body(sha + "  " + name + "\n")
                    .build();
        }
        return Response.response()
                .status(200)
                .headers(new HttpHeaders(new HttpHeader("Content-Type", "application/zip")))
                .body(zip)
                .build();
    }

    private byte[] zip(
            String kind,
            String symbol,
            String interval,
            boolean monthly,
            String year,
            String month,
            String day,
            String name) {
        Instant start;
        Instant end;
        if (monthly) {
            YearMonth ym = YearMonth.of(Integer.parseInt(year), Integer.parseInt(month));
            start = ym.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            end = ym.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        } else {
            LocalDate d = LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
            start = d.atStartOfDay(ZoneOffset.UTC).toInstant();
            end = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        StringBuilder csv = new StringBuilder();
        if (kind.equals("fundingRate")) {
            csv.append("calc_time,funding_interval_hours,last_funding_rate\n");
            for (Funding f : funding.getOrDefault(symbol, new TreeMap<>())
                    .subMap(start.toEpochMilli(), end.toEpochMilli())
                    .values()) {
                csv.append(f.time()).append(",8,").append(f.rate()).append('\n');
            }
        } else {
            csv.append(KLINE_HEADER).append('\n');
            for (Kline k : klines.getOrDefault(key(kind, symbol, interval), new TreeMap<>())
                    .subMap(start.toEpochMilli(), end.toEpochMilli())
                    .values()) {
                csv.append(k.csv()).append('\n');
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry(name.replace(".zip", ".csv"));
            // A fixed time: the same file must be the same bytes whenever it is served, or its checksum would lie.
            entry.setTime(Instant.parse("2022-12-01T08:00:00Z").toEpochMilli());
            out.putNextEntry(entry);
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] unzip(byte[] zip) {
        try (java.util.zip.ZipInputStream in =
                new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            in.getNextEntry();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] zipOf(String name, String csv) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry(name.replace(".zip", ".csv"));
            entry.setTime(Instant.parse("2022-12-01T08:00:00Z").toEpochMilli());
            out.putNextEntry(entry);
            out.write(csv.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private Response klinesRest(String kind, Map<String, String> q, int unused) {
        String symbol = q.get("symbol");
        String interval = q.get("interval");
        int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 500;
        weight += limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
        if (symbol == null || klines.keySet().stream().noneMatch(k -> k.split("/")[1].equals(symbol))) {
            return binanceError(400, -1121, "Invalid symbol.");
        }
        if (interval == null || !ballast.exchange.binance.BinanceHistoryClient.INTERVALS.contains(interval)) {
            return binanceError(400, -1120, "Invalid interval.");
        }
        if (limit > 1500) {
            return binanceError(400, -1130, "Data sent for parameter 'limit' is not valid.");
        }
        long start = Long.parseLong(q.getOrDefault("startTime", "0"));
        long end = Long.parseLong(q.getOrDefault("endTime", Long.toString(Long.MAX_VALUE)));
        List<String> rows = new ArrayList<>();
        for (Kline k : klines.getOrDefault(key(kind, symbol, interval), new TreeMap<>())
                .subMap(start, true, end, true)
                .values()) {
            if (rows.size() == limit) {
                break;
            }
            rows.add(k.json());
        }
        return json("[" + String.join(",", rows) + "]");
    }

    private Response fundingRest(Map<String, String> q) {
        String symbol = q.get("symbol");
        if (symbol == null || !funding.containsKey(symbol)) {
            return binanceError(400, -1121, "Invalid symbol.");
        }
        int limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 100;
        long start = Long.parseLong(q.getOrDefault("startTime", "0"));
        long end = Long.parseLong(q.getOrDefault("endTime", Long.toString(Long.MAX_VALUE)));
        List<String> rows = new ArrayList<>();
        for (Funding f : funding.get(symbol).subMap(start, true, end, true).values()) {
            if (rows.size() == limit) {
                break;
            }
            rows.add("{\"symbol\":\"" + symbol + "\",\"fundingTime\":" + f.time() + ",\"fundingRate\":\"" + f.rate()
                    + "\",\"markPrice\":\"\"}");
        }
        return json("[" + String.join(",", rows) + "]");
    }

    private Response json(String body) {
        return Response.response()
                .status(200)
                .headers(new HttpHeaders(
                        new HttpHeader("Content-Type", "application/json"),
                        new HttpHeader("X-MBX-USED-WEIGHT-1M", Integer.toString(weight))))
                .body(body)
                .build();
    }

    private static Response binanceError(int status, int code, String message) {
        return Response.response()
                .status(status)
                .headers(new HttpHeaders(new HttpHeader("Content-Type", "application/json")))
                .body("{\"code\":" + code + ",\"msg\":\"" + message + "\"}")
                .build();
    }

    private static Response notFound() {
        // What the archive's host answers for a key it does not have.
        return Response.response()
                .status(404)
                .headers(new HttpHeaders(new HttpHeader("Content-Type", "application/xml")))
                .body("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                        + "<Message>The specified key does not exist.</Message></Error>")
                .build();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                q.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return q;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ----- real data for the fake -----

    /**
     * Klines from one of the repository's shipped {@code date_utc} CSVs (real Binance perpetual candles), at {@code
     * interval}; the archive's extra columns (quote volume, trade count, taker volumes) are not in them and are served as
     * 0.
     */
    static List<Kline> klinesFrom(Path csv, Duration interval) throws IOException {
        List<Kline> rows = new ArrayList<>();
        List<String> lines = csv.toString().endsWith(".gz")
                ? new String(
                                new java.util.zip.GZIPInputStream(Files.newInputStream(csv)).readAllBytes(),
                                StandardCharsets.UTF_8)
                        .lines()
                        .toList()
                : Files.readAllLines(csv);
        List<String> head = List.of(lines.getFirst().split(","));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            long open = Instant.parse(f[0]).toEpochMilli();
            String volume = head.contains("volume") ? f[head.indexOf("volume")] : "0";
            rows.add(new Kline(
                    open,
                    open + interval.toMillis() - 1,
                    f[head.indexOf("open")],
                    f[head.indexOf("high")],
                    f[head.indexOf("low")],
                    f[head.indexOf("close")],
                    volume));
        }
        return rows;
    }

    static List<Funding> fundingFrom(Path csv) throws IOException {
        List<Funding> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            rows.add(new Funding(Instant.parse(f[0]).toEpochMilli(), f[1]));
        }
        return rows;
    }

    /** A deterministic walk of {@code count} klines from {@code start}, for windows the shipped data does not cover. */
    static List<Kline> walk(Instant start, Duration interval, int count, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<Kline> rows = new ArrayList<>();
        java.math.BigDecimal price = new java.math.BigDecimal("30000.0");
        for (int i = 0; i < count; i++) {
            long open = start.plus(interval.multipliedBy(i)).toEpochMilli();
            java.math.BigDecimal move = java.math.BigDecimal.valueOf(random.nextInt(201) - 100, 1);
            java.math.BigDecimal close = price.add(move);
            java.math.BigDecimal high = price.max(close).add(java.math.BigDecimal.valueOf(random.nextInt(50), 1));
            java.math.BigDecimal low = price.min(close).subtract(java.math.BigDecimal.valueOf(random.nextInt(50), 1));
            rows.add(new Kline(
                    open,
                    open + interval.toMillis() - 1,
                    price.toPlainString(),
                    high.toPlainString(),
                    low.toPlainString(),
                    close.toPlainString(),
                    "12.345"));
            price = close;
        }
        return rows;
    }
}
