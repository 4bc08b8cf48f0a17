package ballast.exchange.binance.stream;

/**
 * Where Binance USDⓈ-M WebSocket streams live, per environment; any base URL can be given instead (tests use
 * {@code ws://127.0.0.1:port}). The live host serves mark price on {@code /market/…} and user data on
 * {@code /private/…} since 2026-04-23; the streams add those paths themselves.
 */
public record BinanceStreamEndpoints(String base) {

    public BinanceStreamEndpoints {
        Urls.base(base); // fails with a clear message on anything that is not ws(s):// or http(s)://
    }

    public static BinanceStreamEndpoints live() {
        return new BinanceStreamEndpoints("wss://fstream.binance.com");
    }

    public static BinanceStreamEndpoints testnet() {
        return new BinanceStreamEndpoints("wss://fstream.binancefuture.com");
    }

    public static BinanceStreamEndpoints demo() {
        return new BinanceStreamEndpoints("wss://demo-fstream.binance.com");
    }
}
