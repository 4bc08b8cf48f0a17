package ballast.exchange.binance;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.Optional;

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

    /**
     * A hedge-mode leg says its direction itself (its amount may be reported unsigned); in one-way mode only the sign of
     * the amount does. Empty when flat.
     */
    public static Optional<Side> direction(PositionSide positionSide, BigDecimal amount) {
        if (amount.signum() == 0) {
            return Optional.empty();
        }
        return switch (positionSide) {
            case LONG -> Optional.of(Side.LONG);
            case SHORT -> Optional.of(Side.SHORT);
            case BOTH -> Optional.of(amount.signum() > 0 ? Side.LONG : Side.SHORT);
        };
    }
}
