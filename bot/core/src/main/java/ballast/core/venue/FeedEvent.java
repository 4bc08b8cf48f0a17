package ballast.core.venue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What a venue's feeds say, in no venue's words: the market-data feed's marks, the account feed's news that the account
 * changed, and either feed's state. Every event carries the venue's time ({@code tsEvent}) and ours ({@code tsInit});
 * staleness is measured from ours. A venue adapter translates its wire types into these; nothing past the adapter sees
 * a wire type.
 */
public sealed interface FeedEvent {

    /** The venue's time of the event; for a {@link Status}, which has none, ours. */
    Instant tsEvent();

    /** When this process received (or decided) it. */
    Instant tsInit();

    /** A symbol's new mark price (liquidation is decided on it, not on the last trade). */
    record Mark(String symbol, BigDecimal mark, Instant tsEvent, Instant tsInit) implements FeedEvent {
        public Mark {
            Objects.requireNonNull(symbol, "symbol");
            Objects.requireNonNull(mark, "mark");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }
    }

    /**
     * The account changed on the venue (a fill, a margin transfer, funding, a liquidation, a setting): a reason to read
     * its truth again, never a patch to apply. {@code why} says what the venue said.
     */
    record AccountChanged(String why, Instant tsEvent, Instant tsInit) implements FeedEvent {
        public AccountChanged {
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }
    }

    /** A feed connected, went silent, is reconnecting, or closed; events sent meanwhile may be lost. */
    record Status(String feed, State state, String reason, Instant tsEvent, Instant tsInit) implements FeedEvent {
        public Status {
            Objects.requireNonNull(feed, "feed");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(tsEvent, "tsEvent");
            Objects.requireNonNull(tsInit, "tsInit");
        }

        public enum State {
            CONNECTED,
            STALE,
            RECONNECTING,
            CLOSED
        }
    }
}
