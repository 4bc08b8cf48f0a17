package ballast.exchange.binance;

/**
 * Binance's {@code positionSide}: {@code BOTH} in one-way mode, {@code LONG}/{@code SHORT} in hedge mode. Requests
 * differ by mode (hedge mode needs {@code positionSide} and refuses {@code reduceOnly}), so the side also says which mode
 * a request is for.
 */
public enum PositionSide {
    BOTH,
    LONG,
    SHORT;

    /** True for LONG and SHORT, which exist only in hedge mode. */
    public boolean hedge() {
        return this != BOTH;
    }
}
