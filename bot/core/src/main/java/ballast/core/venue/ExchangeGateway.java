package ballast.core.venue;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.Set;

/**
 * The port every venue implements, paper or real: the few writes a scaling policy needs and the snapshot a reconcile
 * reads. Every write carries the client id that every retry of it must reuse; its outcome is classified once by the
 * adapter ({@link Outcome}).
 */
public interface ExchangeGateway {

    /** What this venue can do; checked against a policy's needs at start, not at 3 a.m. */
    Set<Capability> capabilities();

    Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId);

    Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId);

    /** Reduce-only market order of {@code qty} (never opens or flips a position). */
    Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId);

    /** Reduce-only close of the whole position. */
    Outcome closePosition(String symbol, Side side, String clientId);

    AccountSnapshot snapshot();

    /**
     * Places the position's exchange-side backstop: one reduce-only close-all stop triggered when the mark reaches
     * {@code triggerPrice}, replacing any the position had. {@code clientId} names it.
     */
    default Outcome placeStop(String symbol, Side side, BigDecimal triggerPrice, String clientId) {
        return new Outcome.Rejected("unsupported", "this venue has no exchange-side stop in Ballast yet");
    }

    /** Removes the position's backstop (done when there was none). */
    default Outcome cancelStop(String symbol, Side side, String clientId) {
        return new Outcome.Rejected("unsupported", "this venue has no exchange-side stop in Ballast yet");
    }

    /**
     * What became of the order sent with {@code clientId}, read back from the venue: {@link Outcome.Accepted} with what
     * it filled, {@link Outcome.Rejected} when the venue has no such order or it ended unfilled, {@link Outcome.Unknown}
     * while it still works or the venue cannot be read. What a reconcile asks after an unknown outcome.
     */
    default Outcome order(String symbol, String clientId) {
        return new Outcome.Unknown("this venue cannot read an order back");
    }

    /**
     * The isolated margin changes of a position from {@code since} on, oldest first; empty when they cannot be read.
     * Margin changes carry no client id: a reconcile finds one by amount and time.
     */
    default java.util.Optional<java.util.List<MarginChange>> marginChanges(
            String symbol, Side side, java.time.Instant since) {
        return java.util.Optional.empty();
    }

    /**
     * The close-all mark-price stops the venue holds for positions Ballast keeps, one per position: a backstop check
     * compares them with the ones the engine placed. Empty when this venue cannot read them back (or the read failed).
     */
    default java.util.Optional<java.util.List<StopOrder>> openStops() {
        return java.util.Optional.empty();
    }
}
