package ballast.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;

/**
 * The budget policy's release screen skips the solver only where the solver would find nothing worth releasing: on
 * every venue family, both sides, flat and tiered tables (continuous, rates up to 50 %), leverage 1–50, marks 30 % either
 * way, whenever {@link BudgetPolicy#mayRelease} says no, what {@link MarginRules#releasable} frees (floored to cents, as
 * the policy releases it) is less than the release must be worth.
 */
class BudgetReleaseScreenProperties {

    private static final MathContext MC = MathContext.DECIMAL64;

    @Provide
    Arbitrary<MarginRules> rules() {
        return Arbitraries.of(
                MarginRules.binance(),
                MarginRules.bybit(),
                MarginRules.okx(new BigDecimal("0.0005")),
                MarginRules.gate(new BigDecimal("0.00075")),
                MarginRules.kucoin());
    }

    @Provide
    Arbitrary<RiskTierTable> tables() {
        Arbitrary<RiskTierTable> flat = Arbitraries.bigDecimals()
                .between(new BigDecimal("0.001"), new BigDecimal("0.5"))
                .ofScale(4)
                .map(rate -> RiskTierTable.flat("BTCUSDT", rate, BigDecimal.ZERO, 125));
        Arbitrary<RiskTierTable> tiered = Arbitraries.bigDecimals()
                .between(new BigDecimal("0.002"), new BigDecimal("0.1"))
                .ofScale(4)
                .list()
                .ofMinSize(2)
                .ofMaxSize(6)
                .map(BudgetReleaseScreenProperties::tiered);
        return Arbitraries.oneOf(flat, tiered);
    }

    /** Brackets at 10k, 50k, 250k, ... with rising rates and the maintenance amounts that make them continuous. */
    static RiskTierTable tiered(List<BigDecimal> steps) {
        List<RiskTier> tiers = new ArrayList<>();
        BigDecimal floor = BigDecimal.ZERO;
        BigDecimal cap = new BigDecimal("10000");
        BigDecimal rate = BigDecimal.ZERO;
        BigDecimal amount = BigDecimal.ZERO;
        for (int i = 0; i < steps.size(); i++) {
            BigDecimal next = rate.add(steps.get(i)).min(new BigDecimal("0.5"));
            amount = amount.add(floor.multiply(next.subtract(rate)));
            rate = next;
            BigDecimal top = i == steps.size() - 1 ? RiskTierTable.UNBOUNDED : cap;
            tiers.add(new RiskTier(i + 1, floor, top, 125, rate, amount));
            floor = cap;
            cap = cap.multiply(BigDecimal.valueOf(5));
        }
        return new RiskTierTable("BTCUSDT", "generated", tiers);
    }

    @Property(tries = 3000)
    void the_solver_never_frees_more_than_the_bound(
            @ForAll("rules") MarginRules rules,
            @ForAll("tables") RiskTierTable table,
            @ForAll Side side,
            @ForAll @BigRange(min = "100", max = "100000") @Scale(2) BigDecimal entry,
            @ForAll @IntRange(min = 1, max = 50) int leverage,
            @ForAll @BigRange(min = "0.001", max = "500") @Scale(3) BigDecimal qty,
            @ForAll @BigRange(min = "1", max = "6") @Scale(2) BigDecimal marginShare,
            @ForAll @BigRange(min = "-0.3", max = "0.3") @Scale(4) BigDecimal move,
            @ForAll @BigRange(min = "0.01", max = "0.99") @Scale(3) BigDecimal keepShare,
            @ForAll @BigRange(min = "0", max = "1") @Scale(3) BigDecimal worthShare) {
        BigDecimal lev = BigDecimal.valueOf(leverage);
        // The margin an opening at this leverage takes, up to six times that (earlier cuts kept their margin).
        BigDecimal wallet =
                qty.multiply(entry).divide(lev, MC).multiply(marginShare).setScale(2, RoundingMode.HALF_UP);
        MarginState state = MarginState.isolated(new Position("BTCUSDT", side, qty, entry), wallet, lev, table);
        BigDecimal mark = entry.multiply(BigDecimal.ONE.add(move)).setScale(2, RoundingMode.HALF_UP);
        Optional<BigDecimal> distance = rules.distanceToLiquidation(state, mark);
        Assume.that(distance.isPresent() && distance.get().signum() > 0);
        BigDecimal d = distance.get();
        BigDecimal keep = d.multiply(keepShare, MC);
        Assume.that(keep.signum() > 0);
        BigDecimal freed = rules.releasable(state, mark, keep).amount().setScale(2, RoundingMode.FLOOR);
        BigDecimal worth = wallet.multiply(worthShare);
        boolean screened = BudgetPolicy.mayRelease(rules, state, mark, qty.multiply(mark), d, keep, worth);
        // What the policy then does: release when the floored amount is positive and worth it.
        boolean releases = freed.signum() > 0 && freed.compareTo(worth) >= 0;
        Statistics.label("screen").collect(screened ? "solved" : "skipped", releases ? "releases" : "nothing");
        if (!screened) {
            assertThat(releases)
                    .as("skipped a release of %s (worth %s)", freed, worth)
                    .isFalse();
        }
    }
}
