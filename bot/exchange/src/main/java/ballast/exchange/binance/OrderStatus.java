package ballast.exchange.binance;

/**
 * Binance USDⓈ-M order {@code status}. {@code NEW_INSURANCE} and {@code NEW_ADL} (user-data stream only) are the venue's
 * own liquidation and auto-deleveraging orders: seeing one on our symbol means the venue has taken over.
 */
public enum OrderStatus {
    NEW,
    PARTIALLY_FILLED,
    FILLED,
    CANCELED,
    REJECTED,
    EXPIRED,
    EXPIRED_IN_MATCH,
    NEW_INSURANCE,
    NEW_ADL;

    /** True once the order can no longer fill: what it filled is final. */
    public boolean terminal() {
        return this != NEW && this != PARTIALLY_FILLED && this != NEW_INSURANCE && this != NEW_ADL;
    }
}
