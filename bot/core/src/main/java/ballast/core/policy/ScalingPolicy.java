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

    Decision decide(PolicyInput input);
}
