package ballast.kernel;

/** NautilusTrader's trading states: what the gate lets through. */
public enum TradingState {
    /** Everything the budgets allow. */
    ACTIVE,
    /** Protective actions only: stale data, unknown outcomes, a venue ban. */
    REDUCING,
    /** Nothing but alerts: a human must look. */
    HALTED
}
