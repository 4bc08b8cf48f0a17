package ballast.exchange.binance;

/** Binance USDⓈ-M order {@code status}. */
public enum OrderStatus {
    NEW,
    PARTIALLY_FILLED,
    FILLED,
    CANCELED,
    REJECTED,
    EXPIRED,
    EXPIRED_IN_MATCH;

    /** True once the order can no longer fill: what it filled is final. */
    public boolean terminal() {
        return this != NEW && this != PARTIALLY_FILLED;
    }
}
