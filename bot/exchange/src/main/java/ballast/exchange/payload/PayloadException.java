package ballast.exchange.payload;

/**
 * A venue payload (live, captured or shipped) that is not what its format promises. The message names the payload,
 * the field's path inside it and the offending value, so a human can find it without a stack trace.
 */
public final class PayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PayloadException(String message) {
        super(message);
    }

    public PayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
