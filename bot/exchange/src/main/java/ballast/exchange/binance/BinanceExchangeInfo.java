package ballast.exchange.binance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code GET /fapi/v1/exchangeInfo} says the bot must respect: the venue's quotas ({@code rateLimits}) and, per
 * symbol, the filters an order or a stop must sit on.
 */
public record BinanceExchangeInfo(List<RateLimit> rateLimits, Map<String, SymbolRules> symbols) {

    public BinanceExchangeInfo {
        rateLimits = List.copyOf(rateLimits);
        symbols = Map.copyOf(symbols);
    }

    /** The kinds of quota Binance meters. */
    public enum LimitType {
        /** Request weight per IP. */
        REQUEST_WEIGHT,
        /** Orders per account. */
        ORDERS
    }

    /** One quota: {@code limit} per {@code interval}. */
    public record RateLimit(LimitType type, Duration interval, int limit) {}

    /**
     * One symbol's trading rules.
     *
     * @param status TRADING, or why not (SETTLING, PENDING_TRADING, ...)
     * @param tickSize PRICE_FILTER: prices (a stop's trigger included) are multiples of it
     * @param stepSize LOT_SIZE: quantities are multiples of it
     * @param minQty LOT_SIZE: the smallest quantity
     */
    public record SymbolRules(
            String symbol, String status, BigDecimal tickSize, BigDecimal stepSize, BigDecimal minQty) {
        public boolean trading() {
            return status.equals("TRADING");
        }
    }

    /** The tightest quota of {@code type}, as the least limit per interval of the shortest interval listed. */
    public Optional<RateLimit> tightest(LimitType type, Duration interval) {
        return rateLimits.stream()
                .filter(r -> r.type() == type && r.interval().equals(interval))
                .min(java.util.Comparator.comparingInt(RateLimit::limit));
    }
}
