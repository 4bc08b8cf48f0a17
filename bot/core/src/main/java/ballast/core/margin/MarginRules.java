package ballast.core.margin;

import static ballast.core.Decimals.divide;
import static ballast.core.Decimals.max;
import static ballast.core.Decimals.min;
import static ballast.core.Decimals.normalize;

import ballast.core.Side;
import ballast.core.Venue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A venue's liquidation and margin rules for USDT-margined linear perpetuals. Two families cover the venues here:
 *
 * <ul>
 *   <li>{@link MarkValueRules}: maintenance margin measured on the notional at the mark ({@code q·MP·MMR − cum}, plus a
 *       taker fee on OKX and Gate); the bracket is re-checked at the liquidation price. Binance, OKX, Gate, Bybit unified.
 *   <li>{@link EntryValueRules}: maintenance margin fixed on the position value at entry ({@code q·EP·MMR − deduction}).
 *       Bybit's help-centre formula and KuCoin's.
 * </ul>
 *
 * Each family implements a few primitives; the action effects the scaling policy calls (top-up, cut, release,
 * leverage change) are derived from them here, once, so every venue answers them the same way.
 */
public sealed interface MarginRules permits MarkValueRules, EntryValueRules {

    static MarginRules binance() {
        return new MarkValueRules(Venue.BINANCE, BigDecimal.ZERO, BigDecimal.ZERO, PartialCloseRelease.PRO_RATA);
    }

    /** OKX isolated: margin ratio = margin balance / (notional × (tier MMR + taker fee)). */
    static MarginRules okx(BigDecimal takerFee) {
        return new MarkValueRules(Venue.OKX, takerFee, BigDecimal.ZERO, PartialCloseRelease.PRO_RATA);
    }

    /** Gate: LP = (EP ∓ margin/size) / (1 ∓ (MMR + taker rate)). */
    static MarginRules gate(BigDecimal takerFee) {
        return new MarkValueRules(Venue.GATE, takerFee, BigDecimal.ZERO, PartialCloseRelease.PRO_RATA);
    }

    /** Bybit's help-centre formula for USDT contracts: LP = EP ∓ (IM − MM)/size ∓ extra margin/size, MM on entry value. */
    static MarginRules bybit() {
        return new EntryValueRules(Venue.BYBIT, PartialCloseRelease.PRO_RATA);
    }

    /**
     * Bybit Unified Trading Account, isolated: the estimated fee to close enters both initial and maintenance margin and
     * cancels out of the liquidation price, except on extra margin, which counts as {@code extra / (1 ∓ taker)}.
     */
    static MarginRules bybitUnified(BigDecimal takerFee) {
        return new MarkValueRules(Venue.BYBIT, BigDecimal.ZERO, takerFee, PartialCloseRelease.PRO_RATA);
    }

    /** KuCoin's simple formula: LP = EP × (1 ∓ (IMR − MMR)) when the margin is the initial margin. */
    static MarginRules kucoin() {
        return new EntryValueRules(Venue.KUCOIN, PartialCloseRelease.PRO_RATA);
    }

    Venue venue();

    PartialCloseRelease partialCloseRelease();

    /** The liquidation price of the position, or why there is none. */
    Liquidation liquidation(MarginState state);

    /** Maintenance margin at {@code mark}, as the venue compares it with the margin balance. */
    BigDecimal maintenanceMargin(MarginState state, BigDecimal mark);

    /** The bracket the venue applies when the mark is {@code price}. */
    RiskTier tierAt(MarginState state, BigDecimal price);

    /** The wallet (as the user deposits it) that puts the liquidation price exactly at {@code price}. */
    BigDecimal walletForLiquidationAt(MarginState state, BigDecimal price);

    /** The wallet as it counts in the liquidation condition (cross rest and venue-specific credit applied). */
    BigDecimal creditedWallet(MarginState state);

    /**
     * The fee to close that the venue reserves inside both initial and maintenance margin (Bybit unified); zero where
     * the venue does not.
     */
    default BigDecimal estimatedCloseFee(MarginState state) {
        return BigDecimal.ZERO;
    }

    /**
     * Price at which the margin balance (less any close-fee reserve) is zero, where the position is closed after a
     * liquidation: {@code W + Σ side·q·(P − EP) = 0}, so {@code P = (Σ side·q·EP − W) / Σ side·q}. Empty when ≤ 0, or
     * when hedge legs offset exactly.
     */
    default Optional<BigDecimal> bankruptcyPrice(MarginState state) {
        BigDecimal net = state.netQty();
        if (net.signum() == 0) {
            return Optional.empty();
        }
        BigDecimal sideValue = BigDecimal.ZERO;
        for (Position leg : state.legs()) {
            sideValue = sideValue.add(leg.side().sign().multiply(leg.entryNotional()));
        }
        BigDecimal margin = creditedWallet(state).subtract(estimatedCloseFee(state));
        BigDecimal price = divide(sideValue.subtract(margin), net);
        return price.signum() > 0 ? Optional.of(price) : Optional.empty();
    }

    /** Wallet + cross rest + unrealised PnL at {@code mark}. */
    default BigDecimal marginBalance(MarginState state, BigDecimal mark) {
        return creditedWallet(state).add(state.unrealizedPnl(mark));
    }

    /**
     * Maintenance margin over margin balance at {@code mark} (Binance's "margin ratio": liquidation at 100 %). Empty when
     * the margin balance is zero or negative, i.e. past bankruptcy.
     */
    default Optional<BigDecimal> marginRatio(MarginState state, BigDecimal mark) {
        BigDecimal balance = marginBalance(state, mark);
        return balance.signum() > 0 ? Optional.of(divide(maintenanceMargin(state, mark), balance)) : Optional.empty();
    }

    /**
     * Distance from the mark to the liquidation price as a fraction of the mark, positive while the mark is on the safe
     * side: {@code side × (mark − LP) / mark}. Empty when no price liquidates the position. When every price does, −1
     * (−100 %): the limit of a short whose liquidation price has fallen to zero, below any short still above it.
     */
    default Optional<BigDecimal> distanceToLiquidation(MarginState state, BigDecimal mark) {
        return switch (liquidation(state)) {
            case Liquidation.At at -> Optional.of(distance(state.exposureSide(), mark, at.price()));
            case Liquidation.Never never -> Optional.empty();
            case Liquidation.Unavoidable unavoidable -> Optional.of(BigDecimal.ONE.negate());
        };
    }

    /** The liquidation price after adding {@code amount} of margin. */
    default Liquidation afterTopUp(MarginState state, BigDecimal amount) {
        return liquidation(state.withWallet(state.wallet().add(amount)));
    }

    /**
     * The liquidation price that sits {@code distance} (a fraction) from {@code mark} on the position's losing side:
     * {@code mark × (1 − distance)} for a long, {@code mark × (1 + distance)} for a short.
     */
    static BigDecimal targetLiquidationPrice(Side side, BigDecimal mark, BigDecimal distance) {
        return mark.multiply(BigDecimal.ONE.subtract(side.sign().multiply(distance)));
    }

    static BigDecimal distance(Side side, BigDecimal mark, BigDecimal liquidationPrice) {
        return divide(side.sign().multiply(mark.subtract(liquidationPrice)), mark);
    }

    /**
     * The smallest margin to add so that the liquidation price is at least {@code distance} from {@code mark}. Zero
     * when it already is. For a long and a distance of 100 % or more, the margin that removes the liquidation price.
     */
    default TopUp topUpFor(MarginState state, BigDecimal mark, BigDecimal distance) {
        requireDistance(distance);
        Side side = state.exposureSide();
        BigDecimal target = targetLiquidationPrice(side, mark, distance);
        BigDecimal needed = target.signum() > 0
                ? walletForLiquidationAt(state, target)
                : walletForLiquidationAt(state, BigDecimal.ZERO);
        BigDecimal amount = max(BigDecimal.ZERO, needed.subtract(state.wallet()));
        return new TopUp(amount, afterTopUp(state, amount));
    }

    /** The margin to add so that the position meets {@code leverage}'s initial margin ({@code qty × entry / L}). */
    default TopUp topUpForLeverage(MarginState state, BigDecimal leverage) {
        BigDecimal required = divide(state.position().entryNotional(), leverage);
        BigDecimal amount = max(BigDecimal.ZERO, required.subtract(state.wallet()));
        return new TopUp(amount, afterTopUp(state, amount));
    }

    /** The position and wallet left after closing all but {@code remainingQty} (not {@link PartialCloseRelease#KEEP_NET}). */
    default MarginState afterPartialClose(MarginState state, BigDecimal remainingQty, PartialCloseRelease release) {
        if (release == PartialCloseRelease.KEEP_NET) {
            throw new IllegalArgumentException("keeping the margin net of the cut's loss needs the price it closed at");
        }
        return afterPartialClose(state, remainingQty, release, state.position().entryPrice());
    }

    /** The position and wallet left after closing all but {@code remainingQty} at {@code price}. */
    default MarginState afterPartialClose(
            MarginState state, BigDecimal remainingQty, PartialCloseRelease release, BigDecimal price) {
        Position p = state.position();
        if (remainingQty.signum() <= 0 || remainingQty.compareTo(p.qty()) > 0) {
            throw new IllegalArgumentException("remaining qty must be in (0, "
                    + p.qty().toPlainString() + "], was " + remainingQty.toPlainString());
        }
        BigDecimal wallet = switch (release) {
            case PRO_RATA ->
                state.mode() == MarginMode.ISOLATED
                        ? divide(state.wallet().multiply(remainingQty), p.qty())
                        : state.wallet();
            case KEEP_MARGIN -> state.wallet();
            case KEEP_NET ->
                state.wallet()
                        .add(p.qty()
                                .subtract(remainingQty)
                                .multiply(price.subtract(p.entryPrice()))
                                .multiply(p.side().sign())
                                .min(BigDecimal.ZERO))
                        .max(BigDecimal.ZERO);
        };
        return state.withPosition(p.withQty(remainingQty), wallet);
    }

    /**
     * The smallest reduce-only cut after which the liquidation price is at least {@code distance} from {@code mark},
     * under {@code release}. Under pro-rata release with no maintenance amount the liquidation price does not move with
     * size, so only closing the whole position reaches a farther target: the answer then says so ({@link Cut#closes()}).
     */
    default Cut cutFor(MarginState state, BigDecimal mark, BigDecimal distance, PartialCloseRelease release) {
        requireDistance(distance);
        BigDecimal qty = state.position().qty();
        Optional<BigDecimal> now = distanceToLiquidation(state, mark);
        if (meets(now, distance)) {
            return new Cut(BigDecimal.ZERO, qty, liquidation(state), false);
        }
        // Distance grows as size shrinks (or stays put); bisect on the remaining size for the largest that meets it.
        BigDecimal tiny = qty.movePointLeft(9);
        Optional<BigDecimal> atTiny = distanceToLiquidation(afterPartialClose(state, tiny, release, mark), mark);
        if (!meets(atTiny, distance)) {
            return new Cut(qty, BigDecimal.ZERO, new Liquidation.Never("the position is closed"), true);
        }
        BigDecimal ok = SizeBisection.search(
                        size -> distanceToLiquidation(afterPartialClose(state, size, release, mark), mark),
                        state.hedgeLegs().isEmpty(),
                        distance,
                        tiny,
                        atTiny,
                        qty,
                        now.orElseThrow(),
                        qty.movePointLeft(12))
                .size();
        BigDecimal remaining = ok.setScale(Math.max(qty.scale(), 0) + 8, RoundingMode.FLOOR);
        if (remaining.signum() <= 0) {
            return new Cut(qty, BigDecimal.ZERO, new Liquidation.Never("the position is closed"), true);
        }
        return new Cut(
                normalize(qty.subtract(remaining)),
                normalize(remaining),
                liquidation(afterPartialClose(state, remaining, release, mark)),
                false);
    }

    /**
     * The most isolated margin that can be removed while the liquidation price stays at least {@code distance} from
     * {@code mark} and the venue's own rule holds. The venue rule is Binance's published maximum,
     * {@code min(wallet − MM, wallet + uPnL − mark × qty / leverage)}: what remains covers maintenance margin, and
     * together with the unrealised PnL the initial margin at the mark. It is applied to every venue until each one's
     * own rule is verified, since it is the stricter reading.
     */
    default Release releasable(MarginState state, BigDecimal mark, BigDecimal distance) {
        requireDistance(distance);
        if (state.mode() != MarginMode.ISOLATED) {
            throw new IllegalArgumentException("margin can be released only from an isolated position; this one is "
                    + state.mode().label());
        }
        Position p = state.position();
        BigDecimal target = targetLiquidationPrice(state.exposureSide(), mark, distance);
        BigDecimal forDistance = target.signum() > 0
                ? walletForLiquidationAt(state, target)
                : walletForLiquidationAt(state, BigDecimal.ZERO);
        BigDecimal forMaintenance = maintenanceMargin(state, mark);
        BigDecimal forInitial = divide(p.notionalAt(mark), state.leverage()).subtract(p.unrealizedPnl(mark));
        BigDecimal venueMinimum = max(forMaintenance, forInitial);
        BigDecimal keep = max(forDistance, venueMinimum);
        BigDecimal amount = max(BigDecimal.ZERO, state.wallet().subtract(keep));
        amount = min(amount, state.wallet());
        String binding = forDistance.compareTo(venueMinimum) >= 0
                ? "target distance"
                : (forInitial.compareTo(forMaintenance) >= 0 ? "initial margin at the mark" : "maintenance margin");
        return new Release(amount, liquidation(state.withWallet(state.wallet().subtract(amount))), binding);
    }

    /** Whether a distance (empty: no liquidation price) is at least {@code target}. */
    private static boolean meets(Optional<BigDecimal> distance, BigDecimal target) {
        return distance.isEmpty() || distance.get().compareTo(target) >= 0;
    }

    private static void requireDistance(BigDecimal distance) {
        if (distance.signum() <= 0) {
            throw new IllegalArgumentException("target distance must be > 0, was " + distance.toPlainString());
        }
    }

    /** Margin to add, and the liquidation that results. */
    record TopUp(BigDecimal amount, Liquidation after) {}

    /** Size to cut (reduce-only), what remains, the liquidation that results, and whether the cut is a full close. */
    record Cut(BigDecimal qty, BigDecimal remainingQty, Liquidation after, boolean closes) {}

    /** Margin that can be removed, the liquidation that results, and which constraint set the limit. */
    record Release(BigDecimal amount, Liquidation after, String bindingConstraint) {}
}
