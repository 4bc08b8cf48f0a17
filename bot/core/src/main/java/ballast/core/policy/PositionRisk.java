package ballast.core.policy;

import ballast.core.margin.CrossAccount;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The monitor's measure of one position at one instant: where it is liquidated on the current tiers, how far that is
 * from the mark in percent and in units of recent mark volatility, and how fresh the inputs are.
 *
 * @param distance fraction of the mark to the liquidation price, positive on the safe side; empty when nothing
 *     liquidates the position
 * @param sigma the mark's volatility over the policy's horizon, as a fraction, already floored
 * @param z distance in units of sigma; empty when there is no liquidation price
 * @param speed change of z per minute over the last minutes, negative when danger grows; empty where it was not
 *     measured (the policy asked does not read it: {@link ScalingPolicy#readsSpeed})
 * @param markAge time since the mark was received; stale data raises the risk level, never lowers it
 * @param account for a cross position, the whole cross account it is measured in: then {@code distance} is the
 *     account's (one common adverse move of every mark), {@code liquidation} this symbol's price at that point, and a
 *     cut is sized on the account ({@link CrossAccount#cutFor}); empty for an isolated position
 */
public record PositionRisk(
        MarginRules rules,
        MarginState state,
        BigDecimal mark,
        Liquidation liquidation,
        Optional<BigDecimal> distance,
        BigDecimal sigma,
        Optional<BigDecimal> z,
        Optional<BigDecimal> speed,
        Duration markAge,
        Optional<CrossAccount> account) {

    /** An isolated position's measure (no cross account). */
    public PositionRisk(
            MarginRules rules,
            MarginState state,
            BigDecimal mark,
            Liquidation liquidation,
            Optional<BigDecimal> distance,
            BigDecimal sigma,
            Optional<BigDecimal> z,
            Optional<BigDecimal> speed,
            Duration markAge) {
        this(rules, state, mark, liquidation, distance, sigma, z, speed, markAge, Optional.empty());
    }

    public String symbol() {
        return state.position().symbol();
    }
}
