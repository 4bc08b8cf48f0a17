package ballast.strategies;

import ballast.core.Side;
import ballast.core.margin.Liquidation;
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
        BigDecimal gap = position.entryPrice().subtract(at.price()).abs().multiply(buffer);
        BigDecimal stop =
                position.side() == Side.LONG ? at.price().add(gap) : at.price().subtract(gap);
        BigDecimal mark = input.risk().mark();
        boolean crossed = position.side() == Side.LONG ? mark.compareTo(stop) <= 0 : mark.compareTo(stop) >= 0;
        if (!crossed) {
            // Quiet while the mark stays on the safe side of the stop, strictly: one digit finer than the stop.
            BigDecimal finer = BigDecimal.ONE.movePointLeft(Math.max(stop.scale(), 0) + 1);
            Quiet quiet = position.side() == Side.LONG
                    ? new Quiet.Within(stop.add(finer), null, null, null, null, null, null)
                    : new Quiet.Within(null, stop.subtract(finer), null, null, null, null, null);
            return new Decision(RiskLevel.WATCH, List.of(), quiet);
        }
        return new Decision(
                RiskLevel.CLOSE,
                List.of(new Action.ClosePosition(
                        position.symbol(),
                        position.side(),
                        "mark " + ballast.core.Decimals.readable(mark) + " crossed the buffered liquidation price "
                                + ballast.core.Decimals.readable(stop))));
    }
}
