package ballast.core.margin;

import static ballast.core.Decimals.requirePositive;
import static ballast.core.Decimals.requirePresent;

import java.math.BigDecimal;

/**
 * Everything the liquidation of one position depends on: the position, its margin mode, the wallet allotted to it
 * (isolated: the position's isolated wallet, i.e. initial margin plus margin added; cross: the cross wallet balance), the
 * leverage set on it (initial margin = entry notional / leverage), the rest of a cross account, and the maintenance
 * tiers of its symbol.
 */
public record MarginState(
        Position position,
        MarginMode mode,
        BigDecimal wallet,
        BigDecimal leverage,
        CrossRest rest,
        RiskTierTable tiers) {

    public MarginState {
        if (position == null || mode == null || rest == null || tiers == null) {
            throw new IllegalArgumentException("position, margin mode, cross rest and tiers are all required");
        }
        wallet = requirePresent("wallet", wallet);
        leverage = requirePositive("leverage", leverage);
        if (mode == MarginMode.ISOLATED) {
            if (wallet.signum() <= 0) {
                throw new IllegalArgumentException("isolated wallet must be > 0, was " + wallet.toPlainString());
            }
            if (!rest.equals(CrossRest.NONE)) {
                throw new IllegalArgumentException("an isolated position does not share margin with other positions");
            }
        }
    }

    public static MarginState isolated(Position position, BigDecimal wallet, BigDecimal leverage, RiskTierTable tiers) {
        return new MarginState(position, MarginMode.ISOLATED, wallet, leverage, CrossRest.NONE, tiers);
    }

    public static MarginState cross(
            Position position, BigDecimal crossWallet, BigDecimal leverage, CrossRest rest, RiskTierTable tiers) {
        return new MarginState(position, MarginMode.CROSS, crossWallet, leverage, rest, tiers);
    }

    /** Initial margin the venue asks of this position at entry: {@code qty × entry / leverage}. */
    public BigDecimal initialMargin() {
        return ballast.core.Decimals.divide(position.entryNotional(), leverage);
    }

    /** Wallet as it counts for this position: the cross wallet plus the rest of the account's {@code UPNL1 − TMM1}. */
    public BigDecimal effectiveWallet() {
        return wallet.add(rest.contribution());
    }

    /** Margin balance at {@code mark}: effective wallet plus this position's unrealised profit. */
    public BigDecimal marginBalance(BigDecimal mark) {
        return effectiveWallet().add(position.unrealizedPnl(mark));
    }

    public MarginState withWallet(BigDecimal newWallet) {
        return new MarginState(position, mode, newWallet, leverage, rest, tiers);
    }

    public MarginState withPosition(Position newPosition, BigDecimal newWallet) {
        return new MarginState(newPosition, mode, newWallet, leverage, rest, tiers);
    }
}
