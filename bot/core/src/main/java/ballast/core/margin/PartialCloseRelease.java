package ballast.core.margin;

/**
 * How much isolated margin stays with a position when part of it is closed. The venues' help pages (Bybit's "Adjust
 * margin" scenario 3; margin-math.md D-3a) describe a pro-rata release: the closed fraction takes its share of the
 * isolated wallet (and its realised PnL) to the free balance, the rest stays, so with no maintenance amount the
 * liquidation price does not move. Keeping the whole wallet (D-3b) is what a cut followed by re-adding the released
 * margin gives, and is how a cut can move the liquidation price away.
 */
public enum PartialCloseRelease {
    /** The remaining position keeps {@code wallet × remainingQty / qty}. */
    PRO_RATA,
    /** The remaining position keeps the whole wallet (the released share is added straight back). */
    KEEP_MARGIN,
    /**
     * The remaining position keeps the whole wallet less the cut's realised loss: the released share goes back net of
     * what the cut lost, so the position pays for its own losses and the free balance never tops it up (a gain goes to
     * the free balance). A gap to the liquidation price can then cost no more than the margin the position had.
     */
    KEEP_NET
}
