package ballast.core.margin;

import static ballast.core.Decimals.divide;
import static ballast.core.Decimals.requireNonNegative;

import ballast.core.Side;
import ballast.core.Venue;
import java.math.BigDecimal;
import java.util.List;

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

    /**
     * Bybit unified counts the estimated fee to close in both initial and maintenance margin, so it cancels out of the
     * liquidation price but shows in both figures: {@code qty × entry × (1 ∓ 1/leverage) × taker}, the value at the
     * bankruptcy price of a position without extra margin (Bybit "Initial Margin (USDT Contract)").
     */
    @Override
    public BigDecimal estimatedCloseFee(MarginState state) {
        if (extraMarginFee.signum() == 0) {
            return BigDecimal.ZERO;
        }
        Position p = state.position();
        BigDecimal bankruptcyFactor =
                BigDecimal.ONE.subtract(p.side().sign().multiply(divide(BigDecimal.ONE, state.leverage())));
        return p.entryNotional().multiply(bankruptcyFactor).multiply(extraMarginFee);
    }

    @Override
    public BigDecimal creditedWallet(MarginState state) {
        BigDecimal wallet = state.wallet();
        if (extraMarginFee.signum() != 0) {
            BigDecimal initial = state.initialMargin();
            BigDecimal extra = wallet.subtract(initial);
            wallet = initial.add(estimatedCloseFee(state))
                    .add(divide(extra, feeDivisor(state.position().side())));
        }
        return wallet.add(state.rest().contribution());
    }

    /** Bybit unified: extra margin is divided by {@code 1 − fee} for a long and {@code 1 + fee} for a short. */
    private BigDecimal feeDivisor(Side side) {
        return BigDecimal.ONE.subtract(side.sign().multiply(extraMarginFee));
    }

    @Override
    public Liquidation liquidation(MarginState state) {
        List<Position> legs = state.legs();
        // The close-fee reserve sits in both margin balance and maintenance margin, so it cancels out of the price.
        BigDecimal wallet = creditedWallet(state).subtract(estimatedCloseFee(state));
        RiskTierTable tiers = state.tiers();
        Side exposure = state.exposureSide();
        // As the price falls to zero every notional is in the first tier: the sign of the margin surplus there says
        // whether a long can be liquidated at all, and whether a short already is at every price.
        RiskTier lowest = tiers.tierFor(BigDecimal.ZERO);
        BigDecimal surplusAtZero = wallet;
        for (Position leg : legs) {
            surplusAtZero = surplusAtZero
                    .subtract(leg.side().sign().multiply(leg.entryNotional()))
                    .add(lowest.maintAmount());
        }
        if (exposure == Side.LONG && surplusAtZero.signum() >= 0) {
            return new Liquidation.Never("the margin (" + plain(wallet) + ") covers the whole notional at entry ("
                    + plain(state.position().entryNotional()) + "): no mark price liquidates this long");
        }
        // A short with no surplus even at a price of zero is below maintenance at every positive price.
        if (exposure == Side.SHORT && surplusAtZero.signum() <= 0) {
            return new Liquidation.Unavoidable("the margin (" + plain(wallet)
                    + ") is below maintenance at every price: this short is liquidatable now");
        }
        int n = legs.size();
        RiskTier[] current = new RiskTier[n];
        for (int i = 0; i < n; i++) {
            current[i] = tiers.tierFor(legs.get(i).entryNotional());
        }
        RiskTier entryTier = current[0];
        // With continuous maintenance amounts (the venues' recurrence) the re-check settles within a few steps; a table
        // that is not continuous can make it cycle, and then the price is the one that lies in its own brackets.
        int limit = tiers.tiers().size() * n + 1;
        for (int rechecks = 0; ; rechecks++) {
            BigDecimal price = priceOnTiers(legs, wallet, current);
            if (price == null) {
                return new Liquidation.Never("the hedge legs offset exactly: no price moves the margin balance");
            }
            boolean stable = true;
            for (int i = 0; i < n; i++) {
                RiskTier atPrice =
                        tiers.tierFor(price.signum() > 0 ? legs.get(i).notionalAt(price) : BigDecimal.ZERO);
                if (atPrice.tier() != current[i].tier()) {
                    stable = false;
                    current[i] = atPrice;
                }
            }
            if (stable) {
                return at(exposure, price, current[0], entryTier, rechecks);
            }
            if (rechecks >= limit) {
                return scan(state, legs, wallet, entryTier, rechecks + 1);
            }
        }
    }

    private static Liquidation at(Side exposure, BigDecimal price, RiskTier tier, RiskTier entryTier, int rechecks) {
        if (price.signum() > 0) {
            return new Liquidation.At(price, tier, entryTier, rechecks);
        }
        return exposure == Side.LONG
                ? new Liquidation.Never("no positive mark price liquidates this position")
                : new Liquidation.Unavoidable("the margin is below maintenance at every price");
    }

    private Liquidation scan(
            MarginState state, List<Position> legs, BigDecimal wallet, RiskTier entryTier, int rechecks) {
        List<RiskTier> all = state.tiers().tiers();
        for (RiskTier first : all) {
            for (RiskTier second : legs.size() > 1 ? all : List.of(first)) {
                RiskTier[] choice = legs.size() > 1 ? new RiskTier[] {first, second} : new RiskTier[] {first};
                BigDecimal price = priceOnTiers(legs, wallet, choice);
                if (price != null && price.signum() > 0 && consistent(legs, choice, price)) {
                    return new Liquidation.At(price, first, entryTier, rechecks);
                }
            }
        }
        return new Liquidation.Unavoidable("no bracket of " + state.tiers().source()
                + " holds a consistent liquidation price: the table is not usable, treat the position as in danger");
    }

    private static boolean consistent(List<Position> legs, RiskTier[] tiers, BigDecimal price) {
        for (int i = 0; i < legs.size(); i++) {
            if (!tiers[i].contains(legs.get(i).notionalAt(price))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code (W + Σ cum − Σ side·q·EP) / (Σ q·(MMR + fee) − Σ side·q)} with each leg on its own bracket; null when the
     * denominator is zero.
     */
    private BigDecimal priceOnTiers(List<Position> legs, BigDecimal wallet, RiskTier[] tiers) {
        BigDecimal numerator = wallet;
        BigDecimal denominator = BigDecimal.ZERO;
        for (int i = 0; i < legs.size(); i++) {
            Position leg = legs.get(i);
            RiskTier tier = tiers[i];
            BigDecimal sideQty = leg.side().sign().multiply(leg.qty());
            numerator = numerator.add(tier.maintAmount()).subtract(sideQty.multiply(leg.entryPrice()));
            denominator = denominator
                    .add(leg.qty().multiply(tier.maintMarginRate().add(feeInRate)))
                    .subtract(sideQty);
        }
        return denominator.signum() == 0 ? null : divide(numerator, denominator);
    }

    @Override
    public BigDecimal maintenanceMargin(MarginState state, BigDecimal mark) {
        BigDecimal total = BigDecimal.ZERO;
        for (Position leg : state.legs()) {
            BigDecimal notional = leg.notionalAt(mark);
            total = total.add(state.tiers().maintenanceMargin(notional)).add(notional.multiply(feeInRate));
        }
        return total.add(estimatedCloseFee(state));
    }

    @Override
    public RiskTier tierAt(MarginState state, BigDecimal price) {
        return state.tiers().tierFor(state.position().notionalAt(price));
    }

    @Override
    public BigDecimal walletForLiquidationAt(MarginState state, BigDecimal price) {
        // Margin balance equals maintenance at `price`: W = MM(q·P) − Σ side·q·(P − EP), each leg on the bracket of
        // q·P.
        BigDecimal credited = maintenanceMargin(state, price).subtract(state.unrealizedPnl(price));
        BigDecimal wallet = credited.subtract(state.rest().contribution());
        if (extraMarginFee.signum() != 0) {
            BigDecimal initial = state.initialMargin();
            BigDecimal extra = wallet.subtract(initial).subtract(estimatedCloseFee(state));
            wallet = initial.add(extra.multiply(feeDivisor(state.position().side())));
        }
        return wallet;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
