package ballast.core.policy;

import ballast.core.venue.Capability;
import java.util.Set;

/** A pure scaling policy: the same input always gives the same decision. */
public interface ScalingPolicy {

    String name();

    /** What the venue must be able to do for this policy's actions; startup fails when it cannot. */
    default Set<Capability> requires() {
        return Set.of();
    }

    /**
     * Whether {@link #decide} reads z's speed ({@link PositionRisk#speed}): a mean over every mark the position was
     * measured on, which the engine keeps only for a policy that reads it. The risk handed to one that does not says the
     * speed was not measured. The default measures it.
     */
    default boolean readsSpeed() {
        return true;
    }

    /**
     * Whether a {@link Quiet} this policy proved at a level also holds for an input at a higher level that differs from
     * the one proved for in nothing else: its decision leaves the position at the quiet's level, which the policy
     * decides from the figures alone, and going down a level is no reason to alert. The engine then takes a mark that
     * falls back inside such a quiet, after the level rose out of it, as that decision, without asking the policy. The
     * default: no (a policy with hysteresis keeps a level the figures alone would leave).
     */
    default boolean quietsHoldFromAbove() {
        return false;
    }

    Decision decide(PolicyInput input);
}
