package ballast.exchange.binance;

import static java.util.Objects.requireNonNull;

import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import ballast.exchange.venue.VenueResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Binance's public market history, without credentials: the public data archive ({@code data.binance.vision}: monthly
 * and daily zips of USDⓈ-M {@code klines}, {@code markPriceKlines} and {@code fundingRate}, each beside a {@code
 * .CHECKSUM} file with its SHA-256), and the REST endpoints that serve the same data for the days the archive has not
 * published yet ({@code GET /fapi/v1/klines}, {@code /fapi/v1/markPriceKlines}, {@code /fapi/v1/fundingRate}).
 *
 * <p>Nothing here retries or waits: the caller paces requests by their weight and acts on a {@link
 * ballast.exchange.venue.VenueError.RateLimited} as it must (wait {@code Retry-After} on 429, stop on 418). REST
 * failures are classified by {@link BinanceClassifier}, the one place Binance's statuses and codes mean something.
 */
public final class BinanceHistoryClient {

    public static final String ARCHIVE = "https://data.binance.vision";
    public static final String REST = "https://fapi.binance.com";

    /** The most rows one kline request returns ({@code limit}, 1500) and one funding request (1000). */
    public static final int KLINE_LIMIT = 1500;

    public static final int FUNDING_LIMIT = 1000;

    /** The intervals Binance USDⓈ-M serves klines in, shortest first. */
    public static final List<String> INTERVALS =
            List.of("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M");

    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{1,32}");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int BUFFER = 1 << 16;

    private final OkHttpClient http;
    private final HttpUrl archive;
    private final HttpUrl rest;
    private final BinanceClassifier classifier;

    /**
     * @param archive the archive's base URL ({@link #ARCHIVE}); tests point it at 127.0.0.1
     * @param rest the USDⓈ-M REST base URL ({@link #REST})
     */
    public BinanceHistoryClient(OkHttpClient shared, String archive, String rest, Clock clock) {
        requireNonNull(shared, "shared");
        this.archive = base("archive", archive);
        this.rest = base("rest", rest);
        this.classifier = new BinanceClassifier(requireNonNull(clock, "clock"), List.of());
        this.http = shared.newBuilder().build();
    }

    private static HttpUrl base(String name, String text) {
        HttpUrl url = HttpUrl.parse(requireNonNull(text, name));
        if (url == null) {
            throw new IllegalArgumentException("the " + name + " URL is not an http(s) URL: " + text);
        }
        if (!url.isHttps() && !LOOPBACK.contains(url.host())) {
            throw new IllegalArgumentException(
                    "the " + name + " URL must be https (plain http only to a loopback address), was " + text);
        }
        return url;
    }

    public HttpUrl archiveUrl() {
        return archive;
    }

    public HttpUrl restUrl() {
        return rest;
    }

    // ----- the archive -----

    /** What one archive download came to. */
    public sealed interface ArchiveFetch {
        /** The whole body arrived and was written; its size and SHA-256 (lower-case hex). */
        record Got(long bytes, String sha256) implements ArchiveFetch {}

        /** HTTP 404: not published (yet), or no such symbol or interval. */
        record Missing(String url) implements ArchiveFetch {}

        /**
         * Anything else: the connection failed or broke off, or the server answered another status. {@code retryable}
         * when trying again later may help (network trouble, 5xx, 429).
         */
        record Failed(String reason, boolean retryable, Optional<Duration> retryAfter) implements ArchiveFetch {}
    }

    /** The URL of an archive file, {@code data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-08.zip}. */
    public HttpUrl archiveFile(String path) {
        return archive.newBuilder().addPathSegments(path).build();
    }

    /** A small archive file ({@code .CHECKSUM}) as text, or what stood in the way. */
    public ArchiveText archiveText(String path) {
        var out = new java.io.ByteArrayOutputStream();
        try {
            ArchiveFetch fetch = download(path, out, n -> {});
            return new ArchiveText(fetch, out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
    }

    public record ArchiveText(ArchiveFetch fetch, String text) {}

    /**
     * Streams one archive file into {@code sink}, hashing it on the way; {@code progress} hears every chunk's size.
     * Network trouble is an answer ({@link ArchiveFetch.Failed}); an {@link IOException} comes only from {@code sink}
     * (a full disk), so the caller can tell the two apart.
     */
    public ArchiveFetch download(String path, OutputStream sink, LongConsumer progress) throws IOException {
        HttpUrl url = archiveFile(path);
        Request request = new Request.Builder().url(url).get().build();
        Response response;
        try {
            response = http.newCall(request).execute();
        } catch (IOException e) {
            return new ArchiveFetch.Failed(url + ": " + describe(e), true, Optional.empty());
        }
        try (response) {
            int status = response.code();
            if (status == 404) {
                return new ArchiveFetch.Missing(url.toString());
            }
            if (status != 200) {
                boolean retryable = status == 429 || status == 408 || status >= 500;
                return new ArchiveFetch.Failed(
                        url + ": HTTP " + status, retryable, retryAfterSeconds(response.headers()));
            }
            MessageDigest sha = sha256();
            long total = 0;
            byte[] buffer = new byte[BUFFER];
            InputStream in = response.body().byteStream();
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    return new ArchiveFetch.Failed(
                            url + ": the connection broke off after " + total + " bytes (" + describe(e) + ")",
                            true,
                            Optional.empty());
                }
                if (n < 0) {
                    break;
                }
                sha.update(buffer, 0, n);
                sink.write(buffer, 0, n);
                total += n;
                progress.accept(n);
            }
            return new ArchiveFetch.Got(total, HexFormat.of().formatHex(sha.digest()));
        }
    }

    private static Optional<Duration> retryAfterSeconds(Headers headers) {
        String value = headers.get("Retry-After");
        if (value == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The SHA-256 a {@code .CHECKSUM} file states ({@code <64 hex>  <file name>}), if it states one. */
    public static Optional<String> checksumOf(String checksumFile) {
        String text = checksumFile.strip();
        if (text.length() < 64) {
            return Optional.empty();
        }
        String hash = text.substring(0, 64).toLowerCase(java.util.Locale.ROOT);
        if (!hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return Optional.empty();
        }
        if (text.length() > 64 && !Character.isWhitespace(text.charAt(64))) {
            return Optional.empty();
        }
        return Optional.of(hash);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    // ----- REST -----

    /** Last-price klines or mark-price klines. */
    public enum KlineKind {
        LAST(BinanceEndpoint.KLINES),
        MARK(BinanceEndpoint.MARK_PRICE_KLINES);

        final BinanceEndpoint endpoint;

        KlineKind(BinanceEndpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /**
     * One page of rows as the venue sent them (kline arrays or funding objects), with the time of each row ({@code
     * openTime} and {@code closeTime} of a kline, {@code fundingTime} of a funding row; closeTime is the fundingTime for
     * funding).
     */
    public record Page(List<JsonNode> rows, List<Long> times, List<Long> closeTimes) {
        public Page {
            rows = List.copyOf(rows);
            times = List.copyOf(times);
            closeTimes = List.copyOf(closeTimes);
        }

        public boolean isEmpty() {
            return rows.isEmpty();
        }

        /** The rows as a JSON array, one row a line, every value exactly as the venue sent it. */
        public static String json(List<JsonNode> rows) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < rows.size(); i++) {
                try {
                    out.append(i == 0 ? "" : ",\n").append(JSON.writeValueAsString(rows.get(i)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("a parsed row always serialises", e);
                }
            }
            return out.append("]\n").toString();
        }
    }

    /** The request weight of a kline request by its {@code limit}: 1 below 100, 2 below 500, 5 up to 1000, else 10. */
    public static int klineWeight(int limit) {
        if (limit < 100) {
            return 1;
        }
        if (limit < 500) {
            return 2;
        }
        return limit <= 1000 ? 5 : 10;
    }

    /**
     * {@code GET /fapi/v1/klines} or {@code /fapi/v1/markPriceKlines}: candles opening in {@code [startMs, endMs]}, at
     * most {@code limit} (1 … 1500), oldest first.
     */
    public VenueResult<Page> klines(
            KlineKind kind, String symbol, String interval, long startMs, long endMs, int limit) {
        requireSymbol(symbol);
        if (!INTERVALS.contains(interval)) {
            throw new IllegalArgumentException("not a Binance kline interval: " + interval);
        }
        if (limit < 1 || limit > KLINE_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + KLINE_LIMIT + ", was " + limit);
        }
        HttpUrl url = rest.newBuilder()
                .encodedPath(kind.endpoint.path)
                .addQueryParameter("symbol", symbol)
                .addQueryParameter("interval", interval)
                .addQueryParameter("startTime", Long.toString(startMs))
                .addQueryParameter("endTime", Long.toString(endMs))
                .addQueryParameter("limit", Integer.toString(limit))
                .build();
        return get(kind.endpoint, url, body -> klinePage(kind.endpoint.label(), body));
    }

    /** {@code GET /fapi/v1/fundingRate}: settlements in {@code [startMs, endMs]}, at most {@code limit} (1 … 1000). */
    public VenueResult<Page> fundingRates(String symbol, long startMs, long endMs, int limit) {
        requireSymbol(symbol);
        if (limit < 1 || limit > FUNDING_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + FUNDING_LIMIT + ", was " + limit);
        }
        HttpUrl url = rest.newBuilder()
                .encodedPath(BinanceEndpoint.FUNDING_RATE.path)
                .addQueryParameter("symbol", symbol)
                .addQueryParameter("startTime", Long.toString(startMs))
                .addQueryParameter("endTime", Long.toString(endMs))
                .addQueryParameter("limit", Integer.toString(limit))
                .build();
        return get(BinanceEndpoint.FUNDING_RATE, url, body -> fundingPage(BinanceEndpoint.FUNDING_RATE.label(), body));
    }

    private <T> VenueResult<T> get(
            BinanceEndpoint endpoint, HttpUrl url, java.util.function.Function<String, T> parser) {
        AtomicBoolean sent = new AtomicBoolean();
        OkHttpClient client = http.newBuilder()
                .addNetworkInterceptor(chain -> {
                    sent.set(true);
                    return chain.proceed(chain.request());
                })
                .build();
        BinanceExchange exchange;
        try (Response response =
                client.newCall(new Request.Builder().url(url).get().build()).execute()) {
            Headers headers = response.headers();
            try {
                exchange = new BinanceExchange.Answered(
                        response.code(), headers, new String(response.body().bytes(), StandardCharsets.UTF_8));
            } catch (IOException bodyLost) {
                exchange = new BinanceExchange.Unanswered(bodyLost, true, headers);
            }
        } catch (IOException e) {
            exchange = new BinanceExchange.Unanswered(e, sent.get(), Headers.EMPTY);
        }
        return classifier.classify(endpoint, exchange, parser);
    }

    static Page klinePage(String payload, String body) {
        JsonNode root = Payloads.parse(payload, body);
        if (!root.isArray()) {
            throw new PayloadException(payload + ": expected an array of klines, found " + excerpt(root));
        }
        List<JsonNode> rows = new ArrayList<>();
        List<Long> opens = new ArrayList<>();
        List<Long> closes = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            String where = payload + " row " + (i + 1);
            if (!row.isArray() || row.size() != 12) {
                throw new PayloadException(where + ": expected a 12-element kline array, found " + excerpt(row));
            }
            if (!row.get(0).canConvertToLong() || !row.get(6).canConvertToLong()) {
                throw new PayloadException(where + ": open and close times must be epoch milliseconds, found "
                        + row.get(0) + " and " + row.get(6));
            }
            for (int k = 1; k <= 4; k++) {
                decimalText(where, row.get(k));
            }
            rows.add(row);
            opens.add(row.get(0).longValue());
            closes.add(row.get(6).longValue());
        }
        return new Page(rows, opens, closes);
    }

    static Page fundingPage(String payload, String body) {
        JsonNode root = Payloads.parse(payload, body);
        if (!root.isArray()) {
            throw new PayloadException(payload + ": expected an array of funding rows, found " + excerpt(root));
        }
        List<JsonNode> rows = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode row = root.get(i);
            String where = payload + " row " + (i + 1);
            if (!row.isObject()) {
                throw new PayloadException(where + ": expected an object, found " + excerpt(row));
            }
            JsonNode time = row.get("fundingTime");
            if (time == null || !time.canConvertToLong()) {
                throw new PayloadException(where + ": fundingTime must be epoch milliseconds, found " + time);
            }
            decimalText(where, row.get("fundingRate"));
            rows.add(row);
            times.add(time.longValue());
        }
        return new Page(rows, times, times);
    }

    private static void decimalText(String where, JsonNode value) {
        if (value == null || !(value.isTextual() || value.isNumber())) {
            throw new PayloadException(where + ": expected a decimal, found " + value);
        }
        try {
            new java.math.BigDecimal(value.asText());
        } catch (NumberFormatException e) {
            throw new PayloadException(where + ": expected a decimal, found " + value, e);
        }
    }

    private static String excerpt(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static void requireSymbol(String symbol) {
        requireNonNull(symbol, "symbol");
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("not a Binance futures symbol: \"" + symbol + "\"");
        }
    }

    @Override
    public String toString() {
        return "BinanceHistoryClient[archive " + archive + ", rest " + rest + "]";
    }
}
