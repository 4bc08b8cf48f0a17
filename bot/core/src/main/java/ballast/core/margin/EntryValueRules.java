package ballast.core.margin;

import static ballast.core.Decimals.divide;

import ballast.core.Side;
import ballast.core.Venue;
import java.math.BigDecimal;

/**
 * Venues whose published isolated formula fixes the maintenance margin on the position value at entry:
 * {@code MM = q·EP·MMR − deduction}, with the tier of {@code q·EP}. Liquidation when the mark reaches
 * {@code LP = EP − side·(W − MM) / q}, W being initial margin plus extra margin added (Bybit's help centre:
 * {@code EP − (IM − MM)/size − extra/size} for a long). KuCoin's {@code EP × (1 ∓ (IMR − MMR))} is the same formula
 * with W equal to the initial margin and no deduction.
 */
public record EntryValueRules(Venue venue, PartialCloseRelease partialCloseRelease) implements MarginRules {

    @Override
    public BigDecimal creditedWallet(MarginState state) {
        return state.wallet().add(state.rest().contribution());
    }

    private static BigDecimal entryMaintenance(MarginState state) {
        return state.tiers().maintenanceMargin(state.position().entryNotional());
    }

    @Override
    public Liquidation liquidation(MarginState state) {
        if (!state.hedgeLegs().isEmpty()) {
            throw new IllegalArgumentException(venue.displayName()
                    + ": cross hedge mode is not modelled (its published formula is isolated only)");
        }
        Position p = state.position();
        BigDecimal wallet = creditedWallet(state);
        RiskTier tier = state.tiers().tierFor(p.entryNotional());
        BigDecimal surplusPerUnit = divide(wallet.subtract(entryMaintenance(state)), p.qty());
        BigDecimal price = p.entryPrice().subtract(p.side().sign().multiply(surplusPerUnit));
        if (price.signum() > 0) {
            return new Liquidation.At(price, tier, tier, 0);
        }
        return p.side() == Side.LONG
                ? new Liquidation.Never(
                        "the margin covers the notional less maintenance: no mark price liquidates this long")
                : new Liquidation.Unavoidable(
                        "the margin is below maintenance: this short is liquidatable at every price");
    }

    @Override
    public BigDecimal maintenanceMargin(MarginState state, BigDecimal mark) {
        return entryMaintenance(state);
    }

    @Override
    public RiskTier tierAt(MarginState state, BigDecimal price) {
        return state.tiers().tierFor(state.position().entryNotional());
    }

    @Override
    public BigDecimal walletForLiquidationAt(MarginState state, BigDecimal price) {
        Position p = state.position();
        BigDecimal credited = entryMaintenance(state).subtract(p.unrealizedPnl(price));
        return credited.subtract(state.rest().contribution());
    }
}
