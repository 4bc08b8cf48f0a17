package ballast.core.policy;

/** The rungs of the protection ladder, from calm to last resort. Ordered: a later constant is more dangerous. */
public enum RiskLevel {
    WATCH,
    WARN,
    TOP_UP,
    CUT,
    CLOSE;

    public boolean isAbove(RiskLevel other) {
        return compareTo(other) > 0;
    }
}
