package ballast.app.run;

import ballast.core.margin.MarginRules;
import ballast.core.margin.RiskTierTable;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.FeedSink;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A venue the running bot keeps an account on, after its start-up checks passed: the port the executor writes through,
 * the rules and brackets the engine measures with, the order quota the executor keeps to, and the feeds. Each venue's
 * adapter builds one ({@code ballast.app.binance.BinanceVenue}); the runtime sees only this, never a wire type.
 */
public interface LiveVenue extends AutoCloseable {

    /** One line for the start: which venue, which hosts. */
    String describe();

    /** The symbols the bot keeps: a position in any other is the trader's own. */
    Set<String> kept();

    ExchangeGateway gateway();

    MarginRules rules();

    /** Each kept symbol's maintenance brackets, as the venue published them at start. */
    Map<String, RiskTierTable> tiers();

    /** The account's order quota: {@link Quota#limit()} per {@link Quota#period()}. */
    Quota orders();

    /** What is left of each of the venue's quotas now, by scope ({@code weight-1m}, {@code orders-10s} ...). */
    default Map<String, Integer> headroom() {
        return Map.of();
    }

    /** Tells the venue what this bot's client ids start with (the journal's prefix): its own stops are known by it. */
    default void ownIds(String prefix) {}

    /**
     * Each kept symbol's maintenance brackets as the venue publishes them now, for the bracket refresh; empty when they
     * cannot be read now (the next refresh tries again).
     */
    default java.util.Optional<Map<String, RiskTierTable>> readTiers() {
        return java.util.Optional.empty();
    }

    /** Starts the market and account feeds into {@code sink}; they only enqueue. */
    void startFeeds(FeedSink sink);

    /**
     * Who is told when the venue says to stop sending: too many requests (429, for {@code Retry-After}) or banned (418,
     * until the ban ends). Called on whichever thread made the request; must not block.
     */
    void onBan(java.util.function.Consumer<Ban> listener);

    /**
     * The venue told the bot to stop sending until {@code until}.
     *
     * @param banned an IP ban (418), not only a request refused for its rate (429)
     */
    record Ban(java.time.Instant until, boolean banned, String reason) {}

    /** Stops the feeds and lets go of the venue's resources (a stream's key, connections). */
    @Override
    void close();

    /** A quota: {@code limit} requests per {@code period}. */
    record Quota(int limit, Duration period, String source) {}
}
