package ballast.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.strategies.BudgetParams;
import ballast.strategies.BudgetPolicy;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The plan of margin-math.md D-1 (Binance BTCUSDT, isolated long 0.5 at 60,000 with 3,000, 10x) on Binance's own tiers
 * of 2024-10-24 (0.4 % maintenance at this size), with the default budget settings and σ 1 %:
 *
 * <ul>
 *   <li>liquidation (3,000 − 30,000) / (0.5 · 0.004 − 0.5) = 54,216.87; automatic budget 0.5 · (60,000 − 54,216.87) ·
 *       0.95 = 2,746.99; m = min(20, 1 / (3 · 1 %)) = 20;
 *   <li>the first cut comes where the exposure 0.5 p exceeds 20 × the cushion 2,746.988 − 0.5 (60,000 − p) − 0.001 ·
 *       0.5 p: 0.5 p = 20 (2,746.988 − 30,000 + 0.5 p − 0.0005 p), so p = (600,000 − 54,939.76) / 9.49 = 57,435.22.
 * </ul>
 *
 * That arithmetic is worked with the multiplier capped at 20 and the guard at 3σ ({@link #WORKED}); with the defaults
 * (m = 33.33, guard 6σ) the guard acts first, where (p − 54,216.87) / p = 6 %: p = 54,216.87 / 0.94 = 57,677.52.
 */
class BudgetPlanTest {

    static final RiskTierTable TIERS = ShippedRiskTiers.load()
            .find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
            .table();
    static final BudgetParams PARAMS = worked(BudgetParams.defaults());
    static final BudgetPlan PLAN = new BudgetPlan(MarginRules.binance(), new BudgetPolicy(PARAMS), PARAMS.costPct());

    static MarginState position(Side side) {
        return MarginState.isolated(
                new Position("BTCUSDT", side, new BigDecimal("0.5"), new BigDecimal("60000")),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                TIERS);
    }

    @Test
    void the_levels_of_a_long_match_the_hand_computed_first_cut_and_never_spend_more_than_the_budget() {
        BudgetPlan.Plan plan =
                PLAN.plan(position(Side.LONG), new BigDecimal("60000"), new BigDecimal("0.01"), new BigDecimal("8000"));

        assertThat(plan.budget()).isCloseTo(new BigDecimal("2746.988"), Offset.offset(new BigDecimal("0.001")));
        List<BudgetPlan.Level> levels = plan.levels();
        assertThat(levels.get(0).mark()).isEqualByComparingTo("57435.22");
        assertThat(levels.get(0).action()).isEqualTo("cut");
        // Cut to 0.8 of what is allowed there: 0.8 · 0.5 = 0.4, and the cut rounded up to the thousandth: 0.101.
        assertThat(levels.get(0).cut()).isEqualByComparingTo("0.101");
        // Its loss: 0.101 · (57,435.22 − 60,000) and 0.1 % of 0.101 · 57,435.22.
        assertThat(levels.get(0).lossSoFar())
                .isCloseTo(new BigDecimal("264.84"), Offset.offset(new BigDecimal("0.01")));
        for (int i = 1; i < levels.size(); i++) {
            assertThat(levels.get(i).mark()).isLessThan(levels.get(i - 1).mark());
            assertThat(levels.get(i).lossSoFar())
                    .isGreaterThan(levels.get(i - 1).lossSoFar());
            assertThat(levels.get(i).qtyLeft()).isLessThan(levels.get(i - 1).qtyLeft());
        }
        assertThat(levels).allSatisfy(l -> assertThat(l.lossSoFar()).isLessThanOrEqualTo(plan.budget()));
        assertThat(levels.getLast().action()).isEqualTo("close");
        assertThat(levels.getLast().qtyLeft()).isZero();
        // A gap before the first level loses the margin; the worst gap is never below that.
        assertThat(plan.lossIfItGapsNow()).isEqualByComparingTo("3000");
        assertThat(plan.worstGap()).isGreaterThanOrEqualTo(plan.lossIfItGapsNow());
    }

    @Test
    void a_short_is_planned_upwards() {
        BudgetPlan.Plan plan = PLAN.plan(
                position(Side.SHORT), new BigDecimal("60000"), new BigDecimal("0.01"), new BigDecimal("8000"));
        assertThat(plan.levels()).isNotEmpty();
        assertThat(plan.levels().get(0).mark()).isGreaterThan(new BigDecimal("60000"));
        for (int i = 1; i < plan.levels().size(); i++) {
            assertThat(plan.levels().get(i).mark())
                    .isGreaterThan(plan.levels().get(i - 1).mark());
        }
        assertThat(plan.levels()).allSatisfy(l -> assertThat(l.lossSoFar()).isLessThanOrEqualTo(plan.budget()));
        assertThat(plan.levels().getLast().action()).isEqualTo("close");
    }

    @Test
    void more_volatility_acts_sooner() {
        BudgetPlan.Plan calm =
                PLAN.plan(position(Side.LONG), new BigDecimal("60000"), new BigDecimal("0.01"), new BigDecimal("8000"));
        BudgetPlan.Plan wild = PLAN.plan(
                position(Side.LONG), new BigDecimal("60000"), new BigDecimal("0.025"), new BigDecimal("8000"));
        assertThat(wild.levels().get(0).mark())
                .isGreaterThan(calm.levels().get(0).mark());
    }

    @Test
    void less_conviction_acts_sooner_and_holds_less_without_a_larger_worst_case() {
        BudgetPlan.Plan full =
                PLAN.plan(position(Side.LONG), new BigDecimal("60000"), new BigDecimal("0.01"), new BigDecimal("8000"));
        BudgetPlan.Plan half = new BudgetPlan(
                        MarginRules.binance(), new BudgetPolicy(PARAMS), PARAMS.costPct(), new BigDecimal("0.5"))
                .plan(position(Side.LONG), new BigDecimal("60000"), new BigDecimal("0.01"), new BigDecimal("8000"));
        assertThat(half.now().allowed())
                .isEqualByComparingTo(full.now().allowed().divide(BigDecimal.TWO));
        assertThat(half.levels().get(0).mark())
                .isGreaterThan(full.levels().get(0).mark());
        assertThat(half.budget()).isEqualByComparingTo(full.budget());
        assertThat(half.worstGap()).isLessThanOrEqualTo(full.worstGap());
    }

    /** The defaults with the multiplier capped at 20 and the guard at 3σ, back to 6σ: the header's worked figures. */
    static BudgetParams worked(BudgetParams d) {
        return new BudgetParams(
                d.budgetAmount(),
                d.budgetPct(),
                d.autoBuffer(),
                d.crashZ(),
                new BigDecimal("20"),
                d.cutToShare(),
                d.closeBelowPct(),
                d.guardPct(),
                new BigDecimal("3"),
                d.safePct(),
                new BigDecimal("6"),
                d.releasePct(),
                d.releaseZ(),
                d.releaseMinPct(),
                d.costPct(),
                d.cooldown(),
                d.staleAfter());
    }

    @Test
    void with_the_defaults_the_guard_acts_first_six_percent_from_the_liquidation_price() {
        BudgetParams defaults = BudgetParams.defaults();
        BudgetPlan.Plan plan = new BudgetPlan(MarginRules.binance(), new BudgetPolicy(defaults), defaults.costPct())
                .plan(position(Side.LONG), new BigDecimal("60000"), new BigDecimal("0.01"), new BigDecimal("8000"));
        BudgetPlan.Level first = plan.levels().get(0);
        // 54,216.8675 / 0.94 = 57,677.518: the first cent at or below it where the distance is inside 6 %.
        assertThat(first.mark()).isEqualByComparingTo("57677.51");
        assertThat(first.action()).isEqualTo("cut");
        assertThat(first.why()).contains("liquidation closer than 6.00 %");
        // After it, the liquidation price is 8 % (8σ) below that mark, less what the cut's fee takes from the wallet
        // (the guard sizes the cut at the mark without it: 7.99 %).
        assertThat(first.liquidationAfter()).isInstanceOfSatisfying(ballast.core.margin.Liquidation.At.class, at -> {
            BigDecimal distance =
                    first.mark().subtract(at.price()).divide(first.mark(), java.math.MathContext.DECIMAL64);
            assertThat(distance).isBetween(new BigDecimal("0.0795"), new BigDecimal("0.0805"));
        });
        assertThat(plan.levels()).allSatisfy(l -> assertThat(l.lossSoFar()).isLessThanOrEqualTo(plan.budget()));
    }
}
