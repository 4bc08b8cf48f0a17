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

    Decision decide(PolicyInput input);
}
