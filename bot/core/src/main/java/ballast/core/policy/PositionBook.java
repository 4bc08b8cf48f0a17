package ballast.core.policy;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The money one position (or, in cross margin, the whole cross account) has made and lost since it was opened, kept by
 * the engine from what it saw and did, so a policy can keep a loss budget.
 *
 * <p>Its equity is what the trader would have if it were closed at the mark, counted from opening: the margin balance
 * now, less margin added to it since, plus margin released from it, plus what its cuts realised (the realised PnL of a
 * cut that keeps its margin is paid from the free balance, not from the margin), at the prices its cuts filled at, less
 * the fees the venue said they paid. Funding taken from an isolated wallet shrinks it as it happens. A cut whose fee is
 * not known yet (a live order's fee arrives with its trades) is in {@code cutNotional}, for a policy to keep a reserve
 * for. Cross: the cross wallet plus every cross position's PnL.
 *
 * @param openingEquity the equity when the engine first saw the position (its margin at entry; cross: the account's
 *     margin balance)
 * @param equity the equity now, at the mark
 * @param openingQty the size when it was opened (cross: the sum over the account's positions)
 * @param openingNotional the size at its entry price when it was opened (cross: summed)
 * @param openingDistance how far the liquidation price was from the entry at opening, as a fraction of it (cross: the
 *     common adverse move that liquidated the account then); empty when it could not be liquidated
 * @param openingAccountEquity the account's equity (free balance and isolated margins) when the position was first
 *     seen, for a budget declared as a share of it
 * @param cutNotional what its cuts whose fee is not known have sold or bought back (for a reserve for their costs)
 */
public record PositionBook(
        BigDecimal openingEquity,
        BigDecimal equity,
        BigDecimal openingQty,
        BigDecimal openingNotional,
        Optional<BigDecimal> openingDistance,
        BigDecimal openingAccountEquity,
        BigDecimal cutNotional) {

    /** What it has lost since opening (negative when it has gained). */
    public BigDecimal loss() {
        return openingEquity.subtract(equity);
    }
}
