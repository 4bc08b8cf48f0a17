package ballast.exchange.venue;

import java.time.Duration;
import java.util.Optional;

/**
 * Every way a venue request can fail, classified once, in the adapter. The executor acts on the class, never on an HTTP
 * status or an exchange code: only {@link NotSent} may be retried blindly, and a write that ends {@link OutcomeUnknown}
 * blocks that position until a reconcile has seen the venue's truth.
 */
public sealed interface VenueError {

    /** A one-line description for logs and alerts (never contains credentials). */
    String describe();

    /** Provably never reached the venue (connection refused, DNS failure): safe to retry with the same client id. */
    record NotSent(String reason) implements VenueError {
        @Override
        public String describe() {
            return "not sent: " + reason;
        }
    }

    /** The venue answered that it did not apply the request; its code and message are kept. */
    record Rejected(int code, String message) implements VenueError {
        @Override
        public String describe() {
            return "rejected " + code + ": " + message;
        }
    }

    /** It may or may not have happened: timeout, 5xx, reset after sending, or the venue says execution status unknown. */
    record OutcomeUnknown(String reason) implements VenueError {
        @Override
        public String describe() {
            return "outcome unknown: " + reason;
        }
    }

    /**
     * Too many requests (HTTP 429) or banned for it (HTTP 418). On a write, whether it applied is unknown as well; the
     * venue's {@code Retry-After} says how long to stay quiet.
     */
    record RateLimited(int status, Optional<Duration> retryAfter, RateUsage usage) implements VenueError {
        public boolean banned() {
            return status == 418;
        }

        @Override
        public String describe() {
            return (banned() ? "IP banned (418)" : "rate limited (429)")
                    + retryAfter
                            .map(d -> ", retry after " + d.toSeconds() + " s")
                            .orElse("");
        }
    }

    /** A human must act: bad key, bad signature, missing permission, wrong configuration. Halt. */
    record Fatal(String reason) implements VenueError {
        @Override
        public String describe() {
            return "fatal: " + reason;
        }
    }

    /** The venue answered, but not in the shape its API promises; the payload name, field and value are in the reason. */
    record BadPayload(String reason) implements VenueError {
        @Override
        public String describe() {
            return "bad payload: " + reason;
        }
    }
}
