package ballast.exchange.binance.stream;

import java.util.Locale;
import okhttp3.HttpUrl;

/** WebSocket base URLs as configured ({@code wss://fstream.binance.com}, {@code ws://127.0.0.1:port} in tests). */
final class Urls {

    private Urls() {}

    /**
     * OkHttp's {@link HttpUrl} only speaks http(s), and its WebSocket client maps ws→http and wss→https anyway; doing it
     * here lets the route be built with HttpUrl's encoding rules instead of string concatenation.
     */
    static HttpUrl base(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("base URL must be set, was " + baseUrl);
        }
        String trimmed = baseUrl.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        String http;
        if (lower.startsWith("wss://")) {
            http = "https://" + trimmed.substring("wss://".length());
        } else if (lower.startsWith("ws://")) {
            http = "http://" + trimmed.substring("ws://".length());
        } else if (lower.startsWith("https://") || lower.startsWith("http://")) {
            http = trimmed;
        } else {
            throw new IllegalArgumentException(
                    "base URL must start with ws://, wss://, http:// or https://, was " + baseUrl);
        }
        HttpUrl url = HttpUrl.parse(http);
        if (url == null) {
            throw new IllegalArgumentException("base URL is not a valid URL: " + baseUrl);
        }
        if (url.query() != null) {
            throw new IllegalArgumentException("base URL must not carry a query, was " + baseUrl);
        }
        return url;
    }

    /** Appends a route ("market/stream") to whatever path the base has (a test host may sit under a prefix). */
    static HttpUrl.Builder route(String baseUrl, String route) {
        HttpUrl base = base(baseUrl);
        HttpUrl.Builder b = base.newBuilder();
        // A trailing empty segment ("…/") would otherwise leave a double slash.
        if (!base.pathSegments().isEmpty() && base.pathSegments().getLast().isEmpty()) {
            b.removePathSegment(base.pathSegments().size() - 1);
        }
        return b.addPathSegments(route);
    }

    /** The ws(s) form of a request URL, for logs and diagnostics. */
    static String display(HttpUrl url) {
        String s = url.toString();
        return s.startsWith("https://") ? "wss://" + s.substring(8) : "ws://" + s.substring(7);
    }
}
