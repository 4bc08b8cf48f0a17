package ballast.exchange.binance.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * When a feed is considered stale, replaced, or retried. Production uses the defaults below; tests inject intervals of
 * milliseconds so that every path runs in well under a second.
 *
 * @param staleAfter no frame for this long on an open connection: report {@code STALE}
 * @param reconnectAfterSilence no frame for this long: drop the connection and open a new one (at least staleAfter)
 * @param watchdogPeriod how often silence and connection age are checked (against the injected clock)
 * @param maxConnectionAge replace a connection at this age, before the venue cuts it at 24 h
 * @param backoffBase first reconnect delay cap; doubles per consecutive failure (full jitter below the cap)
 * @param backoffMax largest reconnect delay cap
 * @param pingInterval client WebSocket ping; a missing pong fails the connection ({@code ZERO} disables it)
 */
public record FeedTiming(
        Duration staleAfter,
        Duration reconnectAfterSilence,
        Duration watchdogPeriod,
        Duration maxConnectionAge,
        Duration backoffBase,
        Duration backoffMax,
        Duration pingInterval) {

    /** The venue's hard limit on one connection's lifetime. */
    public static final Duration VENUE_MAX_CONNECTION_AGE = Duration.ofHours(24);

    public FeedTiming {
        positive(staleAfter, "staleAfter");
        positive(reconnectAfterSilence, "reconnectAfterSilence");
        positive(watchdogPeriod, "watchdogPeriod");
        positive(maxConnectionAge, "maxConnectionAge");
        positive(backoffBase, "backoffBase");
        positive(backoffMax, "backoffMax");
        Objects.requireNonNull(pingInterval, "pingInterval");
        if (pingInterval.isNegative()) {
            throw new IllegalArgumentException("pingInterval must not be negative, was " + pingInterval);
        }
        if (reconnectAfterSilence.compareTo(staleAfter) < 0) {
            throw new IllegalArgumentException("reconnectAfterSilence (" + reconnectAfterSilence
                    + ") must be at least staleAfter (" + staleAfter + ")");
        }
        if (backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException(
                    "backoffMax (" + backoffMax + ") must be at least backoffBase (" + backoffBase + ")");
        }
        if (maxConnectionAge.compareTo(VENUE_MAX_CONNECTION_AGE) >= 0) {
            throw new IllegalArgumentException("maxConnectionAge must be below the venue's 24 h limit, was "
                    + maxConnectionAge + ": rotating on our own schedule beats being cut off on theirs");
        }
    }

    /**
     * Mark price at {@code @1s}: three missed updates is stale, ten is a dead connection. Rotate an hour before the
     * venue's 24 h cut.
     */
    public static FeedTiming markPriceDefaults() {
        return new FeedTiming(
                Duration.ofSeconds(3),
                Duration.ofSeconds(10),
                Duration.ofMillis(500),
                Duration.ofHours(23),
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    /**
     * User data is silent whenever the account is: silence here only means "nothing heard", and the client ping is what
     * detects a dead socket. The periodic silent reconnect doubles as a prompt to re-read REST truth.
     */
    public static FeedTiming userDataDefaults() {
        return new FeedTiming(
                Duration.ofMinutes(5),
                Duration.ofMinutes(30),
                Duration.ofSeconds(5),
                Duration.ofHours(23),
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60));
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
