package ballast.app.cli;

import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.margin.RiskTier;
import java.math.BigDecimal;
import java.util.Optional;

/** Everything {@code ballast liq} reports, computed once and rendered as text or JSON. */
record LiqReport(
        LiqQuery query,
        Liquidation liquidation,
        Optional<BigDecimal> bankruptcyPrice,
        BigDecimal maintenanceAtEntry,
        Optional<AtMark> atMark,
        Optional<Target> target) {

    /** The mark is past the liquidation price: the venue has liquidated the position already. */
    boolean pastLiquidation() {
        return atMark.flatMap(AtMark::distance).map(d -> d.signum() < 0).orElse(false);
    }

    record AtMark(
            BigDecimal mark,
            RiskTier tier,
            BigDecimal marginBalance,
            BigDecimal maintenanceMargin,
            Optional<BigDecimal> marginRatio,
            Optional<BigDecimal> distance) {}

    record Target(
            BigDecimal distance,
            BigDecimal liquidationPrice,
            MarginRules.TopUp topUp,
            MarginRules.Cut cut,
            MarginRules.Cut cutKeepingMargin,
            Optional<MarginRules.Release> release) {}

    static LiqReport of(LiqQuery query) {
        MarginRules rules = query.rules();
        MarginState state = query.state();
        Optional<AtMark> atMark = query.mark()
                .map(mark -> new AtMark(
                        mark,
                        rules.tierAt(state, mark),
                        rules.marginBalance(state, mark),
                        rules.maintenanceMargin(state, mark),
                        rules.marginRatio(state, mark),
                        rules.distanceToLiquidation(state, mark)));
        // At a mark already past the liquidation price the position does not exist any more: nothing to propose.
        boolean past = atMark.flatMap(AtMark::distance).map(d -> d.signum() < 0).orElse(false);
        Optional<Target> target = query.targetDistance().filter(d -> !past).map(distance -> {
            BigDecimal mark = query.mark().orElseThrow();
            return new Target(
                    distance,
                    MarginRules.targetLiquidationPrice(state.position().side(), mark, distance),
                    rules.topUpFor(state, mark, distance),
                    rules.cutFor(state, mark, distance, rules.partialCloseRelease()),
                    rules.cutFor(state, mark, distance, PartialCloseRelease.KEEP_MARGIN),
                    state.mode() == MarginMode.ISOLATED
                            ? Optional.of(rules.releasable(state, mark, distance))
                            : Optional.empty());
        });
        return new LiqReport(
                query,
                rules.liquidation(state),
                rules.bankruptcyPrice(state),
                rules.maintenanceMargin(state, state.position().entryPrice()),
                atMark,
                target);
    }
}
