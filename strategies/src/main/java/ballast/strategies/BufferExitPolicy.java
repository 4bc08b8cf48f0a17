package ballast.strategies;

import ballast.core.Side;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.Quiet;
import ballast.core.policy.RiskLevel;
import ballast.core.policy.ScalingPolicy;
import ballast.core.venue.Capability;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * Baseline {@code buffer-exit}, Freqtrade's {@code liquidation_buffer}: close the whole position when the mark crosses
 * {@code liq ± |open − liq| × buffer} (0.05 by default), the buffer lying on the safe side of the liquidation price.
 */
public final class BufferExitPolicy implements ScalingPolicy {
    private static final Decision NOTHING_TO_EXIT = new Decision(RiskLevel.WATCH, List.of(), Quiet.ALWAYS);

    private final BigDecimal buffer;

    public BufferExitPolicy(BigDecimal buffer) {
        this.buffer = buffer;
    }

    @Override
    public String name() {
        return "buffer-exit";
    }

    /** Never reads z's speed: the engine need not measure it. */
    @Override
    public boolean readsSpeed() {
        return false;
    }

    @Override
    public Set<Capability> requires() {
        return Set.of(Capability.CLOSE_POSITION);
    }

    @Override
    public Decision decide(PolicyInput input) {
        if (!(input.risk().liquidation() instanceof Liquidation.At at)) {
            // Nothing liquidates the position as it stands: nothing to exit from until it changes.
            return NOTHING_TO_EXIT;
        }
        var position = input.risk().state().position();
        BigDecimal stop = stop(position, at.price());
        BigDecimal mark = input.risk().mark();
        if (!crossed(position.side(), mark, stop)) {
            return new Decision(RiskLevel.WATCH, List.of(), quiet(input, stop));
        }
        return new Decision(
                RiskLevel.CLOSE,
                List.of(new Action.ClosePosition(
                        position.symbol(),
                        position.side(),
                        "mark " + ballast.core.Decimals.readable(mark) + " crossed the buffered liquidation price "
                                + ballast.core.Decimals.readable(stop))));
    }

    /** The buffered liquidation price: {@code buffer} of the way from the liquidation price back to the entry. */
    private BigDecimal stop(Position position, BigDecimal liquidation) {
        BigDecimal gap = position.entryPrice().subtract(liquidation).abs().multiply(buffer);
        return position.side() == Side.LONG ? liquidation.add(gap) : liquidation.subtract(gap);
    }

    private static boolean crossed(Side side, BigDecimal mark, BigDecimal stop) {
        return side == Side.LONG ? mark.compareTo(stop) <= 0 : mark.compareTo(stop) >= 0;
    }

    /**
     * Where the decision at {@code stop} not crossed holds: the mark on the safe side of the stop, strictly (one digit
     * finer than it). For an isolated position, over every wallet from a funding settlement's ten lower on: the stop
     * rises with the liquidation price on either side (a buffer under 1), and the liquidation price moves towards the
     * mark as the wallet falls, so the lowest wallet's stop binds every wallet above it (a wallet that removes the
     * liquidation price leaves nothing to exit from). Where the mark is already past that stop, or the lowest wallet has
     * no liquidation price, the quiet is the position's own wallet's.
     */
    private Quiet quiet(PolicyInput input, BigDecimal stop) {
        var risk = input.risk();
        MarginState state = risk.state();
        Side side = state.position().side();
        if (risk.account().isEmpty()
                && state.mode() == MarginMode.ISOLATED
                && state.hedgeLegs().isEmpty()
                && buffer.compareTo(BigDecimal.ONE) < 0) {
            // The budget policy's band of wallets: ten funding settlements at the usual 0.01 % of the notional.
            BigDecimal lowest = BudgetPolicy.walletBand(state, risk.mark())[0];
            if (risk.rules().liquidation(state.withWallet(lowest)) instanceof Liquidation.At at) {
                BigDecimal lowStop = stop(state.position(), at.price());
                if (!crossed(side, risk.mark(), lowStop)) {
                    return new Quiet.Wallets(lowest, null, beyond(side, lowStop));
                }
            }
        }
        return beyond(side, stop);
    }

    /** The marks strictly on the safe side of {@code stop}: one digit finer than the stop. */
    private static Quiet beyond(Side side, BigDecimal stop) {
        BigDecimal finer = BigDecimal.ONE.movePointLeft(Math.max(stop.scale(), 0) + 1);
        return side == Side.LONG
                ? new Quiet.Within(stop.add(finer), null, null, null, null, null, null)
                : new Quiet.Within(null, stop.subtract(finer), null, null, null, null, null);
    }
}
