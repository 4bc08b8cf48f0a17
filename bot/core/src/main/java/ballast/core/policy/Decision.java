package ballast.core.policy;

import java.util.List;

/**
 * A policy's answer: the level it puts the position at, the actions it asks for (often none), and where it has proved
 * the same answer holds ({@link Quiet}: the engine need not ask again while the next marks stay inside it).
 */
public record Decision(RiskLevel level, List<Action> actions, Quiet quiet) {
    public Decision {
        actions = List.copyOf(actions);
    }

    /** A decision that proves nothing about the next marks. */
    public Decision(RiskLevel level, List<Action> actions) {
        this(level, actions, Quiet.NEVER);
    }

    public static Decision hold(RiskLevel level) {
        return new Decision(level, List.of());
    }
}
