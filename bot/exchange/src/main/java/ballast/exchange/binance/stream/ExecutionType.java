package ballast.exchange.binance.stream;

/** Binance execution type {@code x}. {@code CALCULATED} is a liquidation execution. */
public enum ExecutionType {
    NEW,
    CANCELED,
    CALCULATED,
    EXPIRED,
    TRADE,
    AMENDMENT
}
