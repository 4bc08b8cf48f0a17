package ballast.exchange.binance.stream;

/**
 * The REST side of a user-data stream ({@code POST} / {@code PUT} / {@code DELETE /fapi/v1/listenKey}), implemented by
 * the REST client. Calls may block; the stream makes them on its scheduler, never on OkHttp's reader thread.
 *
 * <p>A listen key is a credential: implementations must not log it or put it in exception messages.
 */
public interface ListenKeyService {

    /** A usable listen key (the venue returns the active one, extended, if there is one). Throws if none was had. */
    String create();

    /**
     * Extends the key's validity (60 min from now at the venue).
     *
     * @throws ListenKeyGoneException if the venue says the key does not exist (Binance -1125); any other runtime
     *     exception is taken as transient and retried
     */
    void keepAlive(String key);

    /** Invalidates the key; best effort on shutdown. */
    void close(String key);
}
