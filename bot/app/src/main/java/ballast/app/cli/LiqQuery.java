package ballast.app.cli;

import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code ballast liq} question: the venue's rules, the position's margin state, and what else to report.
 *
 * @param leverageImplied true when no --leverage was given and the leverage is the wallet's (notional / wallet)
 * @param notes remarks for the reader (e.g. a leverage above the bracket's maximum)
 */
record LiqQuery(
        MarginRules rules,
        MarginState state,
        boolean leverageImplied,
        Optional<BigDecimal> mark,
        Optional<BigDecimal> targetDistance,
        List<String> notes) {}
