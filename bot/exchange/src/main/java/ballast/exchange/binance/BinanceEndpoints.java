package ballast.exchange.binance;

import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Where the USDⓈ-M futures REST API lives, and the spot API host that answers account-level questions (the API key's
 * permissions). Every base URL is configurable so tests can point at 127.0.0.1; anything else must be HTTPS, because the
 * API key travels in a header.
 */
public record BinanceEndpoints(HttpUrl rest, HttpUrl spot) {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

    public BinanceEndpoints {
        check(rest, "rest");
        check(spot, "spot");
    }

    private static void check(HttpUrl url, String name) {
        Objects.requireNonNull(url, name);
        if (!url.encodedPath().equals("/") || url.encodedQuery() != null || url.encodedFragment() != null) {
            throw new IllegalArgumentException(
                    "the " + name + " base URL must be scheme, host and port only, was " + url);
        }
        if (!url.isHttps() && !LOOPBACK.contains(url.host())) {
            throw new IllegalArgumentException("plain HTTP is allowed to a loopback address only, was " + url);
        }
    }

    public static BinanceEndpoints live() {
        return of("https://fapi.binance.com", "https://api.binance.com");
    }

    /** The futures testnet; it has no spot account API, so the key check reads the testnet's spot host. */
    public static BinanceEndpoints testnet() {
        return of("https://testnet.binancefuture.com", "https://testnet.binance.vision");
    }

    /** Demo trading, which Binance is moving the testnet to. */
    public static BinanceEndpoints demo() {
        return of("https://demo-fapi.binance.com", "https://demo-api.binance.com");
    }

    /** One host for both (tests: a WireMock on 127.0.0.1). */
    public static BinanceEndpoints of(String baseUrl) {
        return of(baseUrl, baseUrl);
    }

    public static BinanceEndpoints of(String restBaseUrl, String spotBaseUrl) {
        return new BinanceEndpoints(url(restBaseUrl), url(spotBaseUrl));
    }

    /**
     * These hosts with the ones given instead: a REST host given without a spot host serves both (one test venue on
     * 127.0.0.1 answers both APIs); a spot host alone replaces only the spot host.
     *
     * @throws IllegalArgumentException naming the URL that is not one
     */
    public BinanceEndpoints with(java.util.Optional<String> restUrl, java.util.Optional<String> spotUrl) {
        String restText = restUrl.map(String::trim).orElse(rest.toString());
        String spotText = spotUrl.map(String::trim).orElse(restUrl.isPresent() ? restText : spot.toString());
        return of(restText, spotText);
    }

    private static HttpUrl url(String text) {
        Objects.requireNonNull(text, "base URL");
        HttpUrl url = HttpUrl.parse(text);
        if (url == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + text);
        }
        return url;
    }
}
