package ballast.core.margin;

import static ballast.core.Decimals.normalize;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the rest of a cross-margin account adds to one position's liquidation: Binance's TMM1 (maintenance margin of all
 * other positions) and UPNL1 (their unrealised profit), both measured at their own mark prices. Isolated: {@link #NONE}.
 */
public record CrossRest(BigDecimal otherMaintMargin, BigDecimal otherUnrealizedPnl) {

    public static final CrossRest NONE = new CrossRest(BigDecimal.ZERO, BigDecimal.ZERO);

    public CrossRest {
        if (otherMaintMargin == null || otherMaintMargin.signum() < 0) {
            throw new IllegalArgumentException("maintenance margin of the other positions must be >= 0, was "
                    + (otherMaintMargin == null ? "missing" : otherMaintMargin.toPlainString()));
        }
        if (otherUnrealizedPnl == null) {
            throw new IllegalArgumentException("unrealised PnL of the other positions is required");
        }
        otherMaintMargin = normalize(otherMaintMargin);
        otherUnrealizedPnl = normalize(otherUnrealizedPnl);
    }

    /** An other position of the cross account, valued at its own mark on its own tiers. */
    public record Other(Position position, BigDecimal mark, RiskTierTable tiers) {
        public Other {
            if (mark == null || mark.signum() <= 0) {
                throw new IllegalArgumentException("mark of " + position.symbol() + " must be > 0, was "
                        + (mark == null ? "missing" : mark.toPlainString()));
            }
        }
    }

    /**
     * Sums maintenance margin and unrealised PnL of the other positions. The PnL is signed by each position's side (a
     * short gains when its mark falls), unlike implementations that add {@code qty × (mark − entry)} for every position.
     */
    public static CrossRest of(List<Other> others) {
        BigDecimal maint = BigDecimal.ZERO;
        BigDecimal upnl = BigDecimal.ZERO;
        for (Other other : others) {
            maint = maint.add(other.tiers().maintenanceMargin(other.position().notionalAt(other.mark())));
            upnl = upnl.add(other.position().unrealizedPnl(other.mark()));
        }
        return new CrossRest(maint, upnl);
    }

    /** What the rest of the account adds to this position's wallet: {@code UPNL1 − TMM1}. */
    public BigDecimal contribution() {
        return otherUnrealizedPnl.subtract(otherMaintMargin);
    }
}
