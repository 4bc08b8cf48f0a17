package ballast.strategies;

import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.Quiet;
import ballast.core.policy.RiskLevel;
import ballast.core.policy.ScalingPolicy;
import java.util.List;

/** Baseline {@code none}: holds the position whatever happens; it is liquidated when the mark crosses its price. */
public final class HoldPolicy implements ScalingPolicy {
    /** Whatever the input, the wallet too: WATCH, nothing to do, and so on every mark after it. */
    private static final Decision HOLD = new Decision(RiskLevel.WATCH, List.of(), Quiet.Wallets.any(Quiet.ALWAYS));

    private final String name;

    public HoldPolicy(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** Never reads z's speed: the engine need not measure it. */
    @Override
    public boolean readsSpeed() {
        return false;
    }

    @Override
    public Decision decide(PolicyInput input) {
        return HOLD;
    }
}
