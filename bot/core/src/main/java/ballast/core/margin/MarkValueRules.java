package ballast.core.margin;

import static ballast.core.Decimals.divide;
import static ballast.core.Decimals.requireNonNegative;

import ballast.core.Side;
import ballast.core.Venue;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Venues that liquidate when {@code margin balance ≤ q·MP·(MMR + feeInRate) − cum}, the maintenance margin measured on
 * the notional at the mark, with the bracket of that notional (Binance USDⓈ-M, OKX and Gate isolated, Bybit unified).
 *
 * <p>Solving {@code W + side·q·(P − EP) = q·P·(MMR + fee) − cum} for P gives Binance's published formula
 * {@code LP = (W + cum − side·q·EP) / (q·(MMR + fee) − side·q)}, where W is the isolated wallet, or for cross the cross
 * wallet plus {@code UPNL1 − TMM1} of the other positions. The bracket is looked up on the notional at entry, then
 * re-checked on {@code q·LP} and the price recomputed until the bracket is stable (Binance's FAQ).
 *
 * @param feeInRate taker fee added to the maintenance rate (OKX, Gate); zero for Binance
 * @param extraMarginFee Bybit unified only: margin beyond the initial margin counts as {@code extra / (1 ∓ fee)}
 */
public record MarkValueRules(
        Venue venue, BigDecimal feeInRate, BigDecimal extraMarginFee, PartialCloseRelease partialCloseRelease)
        implements MarginRules {

    public MarkValueRules {
        feeInRate = requireNonNegative("taker fee", feeInRate);
        extraMarginFee = requireNonNegative("taker fee", extraMarginFee);
        if (feeInRate.compareTo(BigDecimal.ONE) >= 0 || extraMarginFee.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("taker fee must be < 1 (a fraction, 0.0005 for 0.05 %), was "
                    + feeInRate.max(extraMarginFee).toPlainString());
        }
    }

    @Override
    public BigDecimal creditedWallet(MarginState state) {
        BigDecimal wallet = state.wallet();
        if (extraMarginFee.signum() != 0) {
            BigDecimal initial = state.initialMargin();
            BigDecimal extra = wallet.subtract(initial);
            wallet = initial.add(divide(extra, feeDivisor(state.position().side())));
        }
        return wallet.add(state.rest().contribution());
    }

    /** Bybit unified: extra margin is divided by {@code 1 − fee} for a long and {@code 1 + fee} for a short. */
    private BigDecimal feeDivisor(Side side) {
        return BigDecimal.ONE.subtract(side.sign().multiply(extraMarginFee));
    }

    @Override
    public Liquidation liquidation(MarginState state) {
        Position p = state.position();
        BigDecimal wallet = creditedWallet(state);
        RiskTierTable tiers = state.tiers();
        // As the price falls to zero every notional is in the first tier: the sign of the margin surplus there says
        // whether a long can be liquidated at all, and whether a short already is at every price.
        RiskTier lowest = tiers.tierFor(BigDecimal.ZERO);
        BigDecimal surplusAtZero =
                wallet.subtract(p.side().sign().multiply(p.entryNotional())).add(lowest.maintAmount());
        if (p.side() == Side.LONG && surplusAtZero.signum() >= 0) {
            return new Liquidation.Never("the margin (" + plain(wallet) + ") covers the whole notional at entry ("
                    + plain(p.entryNotional()) + "): no mark price liquidates this long");
        }
        if (p.side() == Side.SHORT && surplusAtZero.signum() < 0) {
            return new Liquidation.Unavoidable("the margin (" + plain(wallet)
                    + ") is below maintenance at every price: this short is liquidatable now");
        }
        RiskTier entryTier = tiers.tierFor(p.entryNotional());
        RiskTier tier = entryTier;
        Set<Integer> tried = new HashSet<>();
        for (int rechecks = 0; ; rechecks++) {
            tried.add(tier.tier());
            BigDecimal price = priceOnTier(p, wallet, tier);
            RiskTier atPrice = tiers.tierFor(price.signum() > 0 ? p.notionalAt(price) : BigDecimal.ZERO);
            if (atPrice.tier() == tier.tier()) {
                return new Liquidation.At(price, tier, entryTier, rechecks);
            }
            if (tried.contains(atPrice.tier())) {
                // A table whose maintenance amounts are not continuous across brackets can make the re-check cycle;
                // the root is then the price that lies in the bracket it was computed with.
                return scan(p, wallet, tiers, entryTier, rechecks + 1);
            }
            tier = atPrice;
        }
    }

    private Liquidation scan(Position p, BigDecimal wallet, RiskTierTable tiers, RiskTier entryTier, int rechecks) {
        for (RiskTier tier : tiers.tiers()) {
            BigDecimal price = priceOnTier(p, wallet, tier);
            if (price.signum() > 0 && tier.contains(p.notionalAt(price))) {
                return new Liquidation.At(price, tier, entryTier, rechecks);
            }
        }
        return new Liquidation.Unavoidable("no bracket of " + tiers.source()
                + " holds a consistent liquidation price: the table is not usable, treat the position as in danger");
    }

    /** {@code (W + cum − side·q·EP) / (q·(MMR + fee) − side·q)}. */
    private BigDecimal priceOnTier(Position p, BigDecimal wallet, RiskTier tier) {
        BigDecimal sideQty = p.side().sign().multiply(p.qty());
        BigDecimal numerator = wallet.add(tier.maintAmount()).subtract(sideQty.multiply(p.entryPrice()));
        BigDecimal denominator =
                p.qty().multiply(tier.maintMarginRate().add(feeInRate)).subtract(sideQty);
        return divide(numerator, denominator);
    }

    @Override
    public BigDecimal maintenanceMargin(MarginState state, BigDecimal mark) {
        BigDecimal notional = state.position().notionalAt(mark);
        return state.tiers().maintenanceMargin(notional).add(notional.multiply(feeInRate));
    }

    @Override
    public RiskTier tierAt(MarginState state, BigDecimal price) {
        return state.tiers().tierFor(state.position().notionalAt(price));
    }

    @Override
    public BigDecimal walletForLiquidationAt(MarginState state, BigDecimal price) {
        Position p = state.position();
        // Margin balance equals maintenance at `price`: W = MM(q·P) − side·q·(P − EP), on the bracket of q·P.
        BigDecimal credited = maintenanceMargin(state, price).subtract(p.unrealizedPnl(price));
        BigDecimal wallet = credited.subtract(state.rest().contribution());
        if (extraMarginFee.signum() != 0) {
            BigDecimal initial = state.initialMargin();
            wallet = initial.add(wallet.subtract(initial).multiply(feeDivisor(p.side())));
        }
        return wallet;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
