package ballast.core.policy;

import java.util.List;

/** A policy's answer: the level it puts the position at, and the actions it asks for (often none). */
public record Decision(RiskLevel level, List<Action> actions) {
    public Decision {
        actions = List.copyOf(actions);
    }

    public static Decision hold(RiskLevel level) {
        return new Decision(level, List.of());
    }
}
