package ballast.exchange.binance.stream;

/**
 * The venue no longer knows the listen key (Binance -1125 "This listenKey does not exist"): extending it again cannot
 * help, a new one must be created. Distinct from a transient failure, which is simply retried.
 */
public final class ListenKeyGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ListenKeyGoneException(String message) {
        super(message);
    }

    public ListenKeyGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
