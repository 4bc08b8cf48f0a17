package ballast.exchange.binance;

import ballast.exchange.binance.stream.ListenKeyGoneException;
import ballast.exchange.binance.stream.ListenKeyService;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;

/**
 * The user-data stream's listen key through the signed REST client. Binance futures keep one key per account, so keep
 * alive and close name none; the key itself is never put in a message.
 */
public final class BinanceListenKeys implements ListenKeyService {

    /** Binance: "This listenKey does not exist." */
    static final int KEY_GONE = -1125;

    private final BinanceRestClient client;

    public BinanceListenKeys(BinanceRestClient client) {
        this.client = client;
    }

    @Override
    public String create() {
        return switch (client.createListenKey()) {
            case VenueResult.Ok<String> ok -> ok.value();
            case VenueResult.Failed<String> failed ->
                throw new IllegalStateException(
                        "no listen key: " + failed.error().describe());
        };
    }

    @Override
    public void keepAlive(String key) {
        if (client.keepAliveListenKey() instanceof VenueResult.Failed<Boolean> failed) {
            if (failed.error() instanceof VenueError.Rejected rejected && rejected.code() == KEY_GONE) {
                throw new ListenKeyGoneException("the venue no longer knows the listen key (" + KEY_GONE + ")");
            }
            throw new IllegalStateException(
                    "listen key keepalive failed: " + failed.error().describe());
        }
    }

    @Override
    public void close(String key) {
        // Best effort on shutdown: an unclosed key expires by itself within the hour.
        client.closeListenKey();
    }
}
