package ballast.core.venue;

/** What a venue can be asked to do. A policy declares what it needs; startup fails when the venue cannot. */
public enum Capability {
    ADD_ISOLATED_MARGIN,
    REMOVE_ISOLATED_MARGIN,
    REDUCE_ONLY_ORDER,
    CLOSE_POSITION,
    CANCEL_ORDERS,
    SET_LEVERAGE
}
