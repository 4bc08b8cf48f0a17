package ballast.core.venue;

import java.math.BigDecimal;

/** How a request to the venue ended, classified once at the adapter. */
public sealed interface Outcome {

    /** Done: {@code amount} is the margin moved or the size filled. */
    record Accepted(BigDecimal amount) implements Outcome {}

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
