package ballast.exchange.binance.stream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * Mark price and funding for many symbols over ONE combined-stream connection on the market route:
 * {@code <base>/market/stream?streams=btcusdt@markPrice@1s/ethusdt@markPrice@1s}. Delivers
 * {@link BinanceStreamEvent.MarkPrice} and {@link BinanceStreamEvent.FeedStatus} to the sink; keeps the connection
 * alive as described in {@link FeedConnection}.
 *
 * <p>Assumed, to verify against the futures change log: mark price belongs to the {@code /market} route (per the
 * 2026-04-23 route split); the combined-stream path on that route is {@code /market/stream}; a connection may carry at
 * least {@value #MAX_SYMBOLS} streams.
 */
public final class MarkPriceStream implements AutoCloseable {

    /** A conservative bound (the venue's documented per-connection limit has been 200 and later 1024). */
    public static final int MAX_SYMBOLS = 200;

    static final String ROUTE = "market/stream";
    static final String STREAM_SUFFIX = "@markPrice@1s";

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9]{1,32}");

    private final List<String> symbols;
    private final HttpUrl url;
    private final FeedConnection feed;

    /**
     * @param baseUrl WebSocket host, e.g. {@code wss://fstream.binance.com} (live) or {@code ws://127.0.0.1:port}
     * @param symbols venue symbols in any case, e.g. {@code BTCUSDT}; duplicates are dropped
     * @param sink the engine's inbox: called from OkHttp's and the scheduler's threads, one call at a time; must not
     *     block
     */
    public MarkPriceStream(
            String baseUrl,
            List<String> symbols,
            Consumer<BinanceStreamEvent> sink,
            FeedTiming timing,
            FeedRuntime runtime) {
        this.symbols = normalise(symbols);
        this.url = url(baseUrl, this.symbols);
        Request request = new Request.Builder().url(url).build();
        String name = name(this.symbols);
        this.feed = new FeedConnection(
                name,
                new FeedConnection.Endpoint() {
                    @Override
                    public Request prepare() {
                        // Same URL every time: resubscribing is reconnecting, the streams are in the query.
                        return request;
                    }

                    @Override
                    public String redact(String text) {
                        return text; // nothing secret on the market route
                    }
                },
                sink,
                timing,
                runtime);
    }

    /** The name a stream of {@code symbols} carries in its {@link BinanceStreamEvent.FeedStatus} events. */
    public static String name(List<String> symbols) {
        return "binance.markPrice"
                + normalise(symbols).stream()
                        .map(s -> s.toUpperCase(Locale.ROOT))
                        .toList();
    }

    /** Opens the connection (asynchronously); statuses and events follow on the sink. */
    public void start() {
        feed.start();
    }

    /** Closes the connection for good and emits {@code CLOSED}. Does not shut down the injected scheduler or client. */
    @Override
    public void close() {
        feed.close();
    }

    /** The name carried by this stream's {@link BinanceStreamEvent.FeedStatus} events. */
    public String name() {
        return feed.name();
    }

    /** Lower-case stream symbols, in subscription order. */
    public List<String> symbols() {
        return symbols;
    }

    /** The WebSocket URL this stream connects to. */
    public String url() {
        return Urls.display(url);
    }

    static HttpUrl url(String baseUrl, List<String> symbols) {
        List<String> streams = new ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            streams.add(symbol + STREAM_SUFFIX);
        }
        // Encoded on purpose: the venue separates streams with a literal '/', which encoding would turn into %2F.
        // Symbols are validated alphanumerics, so nothing else here needs escaping.
        return Urls.route(baseUrl, ROUTE)
                .addEncodedQueryParameter("streams", String.join("/", streams))
                .build();
    }

    private static List<String> normalise(List<String> symbols) {
        Objects.requireNonNull(symbols, "symbols");
        Set<String> unique = new LinkedHashSet<>();
        for (String symbol : symbols) {
            if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
                throw new IllegalArgumentException("symbol must be 1–32 letters or digits, was " + symbol);
            }
            unique.add(symbol.toLowerCase(Locale.ROOT));
        }
        if (unique.isEmpty()) {
            throw new IllegalArgumentException("at least one symbol is needed");
        }
        if (unique.size() > MAX_SYMBOLS) {
            throw new IllegalArgumentException(
                    unique.size() + " symbols on one connection; split them over streams of at most " + MAX_SYMBOLS);
        }
        return List.copyOf(unique);
    }
}
