package ballast.exchange.binance;

import ballast.core.Side;

/** Binance's order {@code side}. */
public enum OrderSide {
    BUY,
    SELL;

    /** The side of the order that reduces a position of direction {@code position}: SELL closes a long. */
    public static OrderSide closing(Side position) {
        return position == Side.LONG ? SELL : BUY;
    }
}
