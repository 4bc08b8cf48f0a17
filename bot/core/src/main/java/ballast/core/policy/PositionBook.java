package ballast.core.policy;

import ballast.core.margin.Liquidation;
import java.math.BigDecimal;

/**
 * The money one position (or, in cross margin, the whole cross account) has made and lost since it was opened, kept by
 * the engine from what it saw and did, so a policy can keep a loss budget.
 *
 * <p>Its equity is what the trader would have if it were closed at the mark, counted from opening: the margin balance
 * now, less margin added to it since, plus margin released from it, plus what its cuts realised (the realised PnL of a
 * cut that keeps its margin is paid from the free balance, not from the margin). Funding taken from an isolated wallet
 * and fees shrink it as they happen. Cross: the cross wallet plus every cross position's PnL.
 *
 * @param openingEquity the equity when the engine first saw the position (its margin at entry)
 * @param equity the equity now, at the mark
 * @param openingQty the size when it was opened
 * @param openingLiquidation the liquidation price at opening, as the venue's rules give it
 * @param cutNotional what its cuts have sold or bought back, at the marks they were decided at (for the fees they paid)
 */
public record PositionBook(
        BigDecimal openingEquity,
        BigDecimal equity,
        BigDecimal openingQty,
        Liquidation openingLiquidation,
        BigDecimal cutNotional) {

    /** What it has lost since opening (negative when it has gained). */
    public BigDecimal loss() {
        return openingEquity.subtract(equity);
    }
}
