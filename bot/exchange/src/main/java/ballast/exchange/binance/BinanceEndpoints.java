package ballast.exchange.binance;

import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where the USDⓈ-M futures REST API lives. Every base URL is configurable so tests can point at 127.0.0.1; anything
 * else must be HTTPS, because the API key travels in a header.
 */
public record BinanceEndpoints(HttpUrl rest) {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

    public BinanceEndpoints {
        Objects.requireNonNull(rest, "rest");
        if (!rest.encodedPath().equals("/") || rest.encodedQuery() != null || rest.encodedFragment() != null) {
            throw new IllegalArgumentException("the REST base URL must be scheme, host and port only, was " + rest);
        }
        if (!rest.isHttps() && !LOOPBACK.contains(rest.host())) {
            throw new IllegalArgumentException("plain HTTP is allowed to a loopback address only, was " + rest);
        }
    }

    public static BinanceEndpoints live() {
        return of("https://fapi.binance.com");
    }

    public static BinanceEndpoints testnet() {
        return of("https://testnet.binancefuture.com");
    }

    /** Demo trading, which Binance is moving the testnet to. */
    public static BinanceEndpoints demo() {
        return of("https://demo-fapi.binance.com");
    }

    public static BinanceEndpoints of(String restBaseUrl) {
        Objects.requireNonNull(restBaseUrl, "restBaseUrl");
        HttpUrl url = HttpUrl.parse(restBaseUrl);
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + restBaseUrl);
        }
        return new BinanceEndpoints(url);
    }
}
