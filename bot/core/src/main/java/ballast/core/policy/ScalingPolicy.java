package ballast.core.policy;

/** A pure scaling policy: the same input always gives the same decision. */
public interface ScalingPolicy {

    String name();

    Decision decide(PolicyInput input);
}
