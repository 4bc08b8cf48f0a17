package ballast.core.margin;

import static ballast.core.Decimals.requirePositive;
import static ballast.core.Decimals.requirePresent;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

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
        RiskTierTable tiers,
        List<Position> hedgeLegs) {

    public MarginState {
        hedgeLegs = List.copyOf(hedgeLegs);
        if (position == null || mode == null || rest == null || tiers == null) {
            throw new IllegalArgumentException("position, margin mode, cross rest and tiers are all required");
        }
        wallet = requirePresent("wallet", wallet);
        leverage = requirePositive("leverage", leverage);
        if (mode == MarginMode.ISOLATED) {
            // Zero is allowed: a venue's removal rule can release the whole wallet of a position in profit.
            if (wallet.signum() < 0) {
                throw new IllegalArgumentException("isolated wallet must be >= 0, was " + wallet.toPlainString());
            }
            if (rest != CrossRest.NONE && !rest.equals(CrossRest.NONE)) {
                throw new IllegalArgumentException("an isolated position does not share margin with other positions");
            }
            if (!hedgeLegs.isEmpty()) {
                throw new IllegalArgumentException(
                        "in isolated mode each side of a hedge has its own margin and its own"
                                + " liquidation price: measure each leg as its own position");
            }
        }
        for (Position leg : hedgeLegs) {
            if (!leg.symbol().equals(position.symbol()) || leg.side() == position.side()) {
                throw new IllegalArgumentException("a hedge leg must be the other side of " + position.symbol()
                        + ", was " + leg.side().label() + " " + leg.symbol());
            }
        }
        if (hedgeLegs.size() > 1) {
            throw new IllegalArgumentException("a symbol has at most one opposite leg in hedge mode");
        }
    }

    /** A state without hedge legs: one-way mode, or one isolated side of hedge mode. */
    public MarginState(
            Position position,
            MarginMode mode,
            BigDecimal wallet,
            BigDecimal leverage,
            CrossRest rest,
            RiskTierTable tiers) {
        this(position, mode, wallet, leverage, rest, tiers, List.of());
    }

    public static MarginState isolated(Position position, BigDecimal wallet, BigDecimal leverage, RiskTierTable tiers) {
        return new MarginState(position, MarginMode.ISOLATED, wallet, leverage, CrossRest.NONE, tiers);
    }

    public static MarginState cross(
            Position position, BigDecimal crossWallet, BigDecimal leverage, CrossRest rest, RiskTierTable tiers) {
        return new MarginState(position, MarginMode.CROSS, crossWallet, leverage, rest, tiers);
    }

    /**
     * Hedge mode in cross margin: the LONG and SHORT positions of one symbol share the cross wallet and one liquidation
     * price (Binance's formula with both {@code Position1LONG} and {@code Position1SHORT} terms). Actions apply to
     * {@code position}; {@code opposite} is the other side.
     */
    public static MarginState crossHedge(
            Position position,
            Position opposite,
            BigDecimal crossWallet,
            BigDecimal leverage,
            CrossRest rest,
            RiskTierTable tiers) {
        return new MarginState(position, MarginMode.CROSS, crossWallet, leverage, rest, tiers, List.of(opposite));
    }

    /** Every leg of this symbol that the liquidation price depends on: the position, then any hedge leg. */
    public List<Position> legs() {
        if (hedgeLegs.isEmpty()) {
            return List.of(position);
        }
        List<Position> legs = new ArrayList<>(1 + hedgeLegs.size());
        legs.add(position);
        legs.addAll(hedgeLegs);
        return legs;
    }

    /**
     * The side the liquidation comes from: the side of the net exposure. A fully offset hedge is liquidated by a rising
     * price (its maintenance grows with the price while its PnL does not), so it counts as short.
     */
    public Side exposureSide() {
        if (hedgeLegs.isEmpty()) {
            return position.side();
        }
        return netQty().signum() > 0 ? Side.LONG : Side.SHORT;
    }

    /** Signed net size of the symbol: long legs minus short legs. */
    public BigDecimal netQty() {
        BigDecimal net = BigDecimal.ZERO;
        for (Position leg : legs()) {
            net = net.add(leg.side().sign().multiply(leg.qty()));
        }
        return net;
    }

    /** Unrealised PnL at {@code price} of every leg of the symbol. */
    public BigDecimal unrealizedPnl(BigDecimal price) {
        if (hedgeLegs.isEmpty()) {
            return position.unrealizedPnl(price);
        }
        BigDecimal pnl = BigDecimal.ZERO;
        for (Position leg : legs()) {
            pnl = pnl.add(leg.unrealizedPnl(price));
        }
        return pnl;
    }

    /** Initial margin the venue asks of this position at entry: {@code qty × entry / leverage}. */
    public BigDecimal initialMargin() {
        return ballast.core.Decimals.divide(position.entryNotional(), leverage);
    }

    public MarginState withWallet(BigDecimal newWallet) {
        return new MarginState(position, mode, newWallet, leverage, rest, tiers, hedgeLegs);
    }

    public MarginState withPosition(Position newPosition, BigDecimal newWallet) {
        return new MarginState(newPosition, mode, newWallet, leverage, rest, tiers, hedgeLegs);
    }
}
