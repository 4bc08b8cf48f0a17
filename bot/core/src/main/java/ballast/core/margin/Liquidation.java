package ballast.core.margin;

import java.math.BigDecimal;

/** The answer to "at which mark price is this position liquidated?", including the answers that are not a price. */
public sealed interface Liquidation {

    /**
     * Liquidated when the mark reaches {@code price}. {@code tier} is the bracket in force at the liquidation price (the one
     * the price was computed with); {@code entryTier} the bracket of the notional at entry; {@code rechecks} how many times
     * the bracket was re-looked-up at the computed price before it was stable (0: it held the first time).
     */
    record At(BigDecimal price, RiskTier tier, RiskTier entryTier, int rechecks) implements Liquidation {}

    /** No mark price liquidates it: a long whose margin covers its whole notional. Never shown as a zero or negative price. */
    record Never(String reason) implements Liquidation {}

    /** Margin is below maintenance at every price: the position is liquidatable whatever the mark is. */
    record Unavoidable(String reason) implements Liquidation {}
}
