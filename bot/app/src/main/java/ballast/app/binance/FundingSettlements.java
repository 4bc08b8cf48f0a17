package ballast.app.binance;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a funding settlement happened, from the mark-price stream alone: each frame announces the rate and the time of
 * the next settlement ({@code r}, {@code T}); the first frame at or after that time, announcing a later one, says the
 * settlement took place, at the rate announced last before it. The paper profile pays or collects funding with it. A
 * settlement missed while the stream was down (or the bot stopped) is not paid.
 */
final class FundingSettlements {

    /** A settlement of {@code symbol} at {@code time}, at {@code rate} of the notional at the mark. */
    record Settlement(String symbol, Instant time, BigDecimal rate) {}

    private record Announced(BigDecimal rate, Instant next) {}

    private final Map<String, Announced> announced = new ConcurrentHashMap<>();

    /** One frame of {@code symbol}; the settlement it shows happened, if any. */
    Optional<Settlement> frame(String symbol, BigDecimal rate, Instant next, Instant tsEvent) {
        Announced before = announced.put(symbol, new Announced(rate, next));
        if (before == null || tsEvent.isBefore(before.next()) || !next.isAfter(before.next())) {
            return Optional.empty();
        }
        return Optional.of(new Settlement(symbol, before.next(), before.rate()));
    }
}
