package ballast.core.venue;

import java.math.BigDecimal;
import java.util.Optional;

/** How a request to the venue ended, classified once at the adapter. */
public sealed interface Outcome {

    /**
     * Done: {@code amount} is the margin moved or the size filled; for an order, the average fill {@code price} and the
     * {@code fee} it paid when the venue said them (a live order's fee arrives later, with its trades).
     */
    record Accepted(BigDecimal amount, Optional<BigDecimal> price, Optional<BigDecimal> fee) implements Outcome {
        public Accepted(BigDecimal amount) {
            this(amount, Optional.empty(), Optional.empty());
        }
    }

    /** The venue proved it did not apply the request. */
    record Rejected(String code, String message) implements Outcome {}

    /** Refused before sending by the gate. */
    record Denied(String reason) implements Outcome {}

    /** Provably never reached the venue: it did not happen, and it may be sent again with the same client id. */
    record NotSent(String reason) implements Outcome {}

    /** A human must act (bad key, signature, permissions, configuration): trading halts. */
    record Fatal(String reason) implements Outcome {}

    /** Timeout, 5xx, 429 on a write: it may or may not have happened. Blocks the position until reconciled. */
    record Unknown(String reason) implements Outcome {}
}
