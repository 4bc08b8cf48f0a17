package ballast.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionBook;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.RiskLevel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The loss budget on margin-math.md D-1 (Binance, isolated long 0.5 BTCUSDT at 60,000 with 3,000 margin, 10x,
 * maintenance 0.4 %, liquidation 54,216.87), every figure worked by hand from the entry:
 *
 * <ul>
 *   <li>liquidation: (3,000 − 0.5 × 60,000) / (0.5 × 0.004 − 0.5) = 54,216.8675;
 *   <li>a buffered exit (5 %) would lose 0.5 × (60,000 − 54,216.8675) × 0.95 = 2,746.9880: the automatic budget;
 *   <li>σ 1 % over the horizon, crash 3 σ: m = min(20, 1 / 0.03) = 20.
 * </ul>
 *
 * The figures are worked with {@link #WORKED}: the defaults with the multiplier capped at 20 and the guard at 3σ (back
 * to 6σ), so that the arithmetic stays readable whatever the defaults become; the last test checks the defaults.
 */
class BudgetPolicyTest {

    static final MarginRules RULES = MarginRules.binance();
    static final RiskTierTable FLAT = RiskTierTable.flat("BTCUSDT", new BigDecimal("0.004"), BigDecimal.ZERO, 125);
    static final Instant NOW = Instant.parse("2022-11-09T12:00:00Z");
    static final BudgetParams WORKED = worked(BudgetParams.defaults());
    static final BudgetPolicy POLICY = new BudgetPolicy(WORKED);
    static final BigDecimal ENTRY = new BigDecimal("60000");

    static MarginState state(String qty, String wallet) {
        return MarginState.isolated(
                new Position("BTCUSDT", Side.LONG, new BigDecimal(qty), ENTRY),
                new BigDecimal(wallet),
                BigDecimal.TEN,
                FLAT);
    }

    static PositionRisk risk(MarginState state, String mark, String sigma, Duration age) {
        BigDecimal m = new BigDecimal(mark);
        Optional<BigDecimal> distance = RULES.distanceToLiquidation(state, m);
        BigDecimal s = new BigDecimal(sigma);
        return new PositionRisk(
                RULES,
                state,
                m,
                RULES.liquidation(state),
                distance,
                s,
                distance.map(d -> d.divide(s, MathContext.DECIMAL64)),
                Optional.empty(),
                age);
    }

    /** The book of D-1 opened at 60,000 with 3,000, now at {@code mark} after {@code realised} and cuts of {@code cut}. */
    static PositionBook book(MarginState now, String mark, String realised, String cutNotional) {
        MarginState opened = state("0.5", "3000");
        BigDecimal equity =
                now.wallet().add(now.unrealizedPnl(new BigDecimal(mark))).add(new BigDecimal(realised));
        return new PositionBook(
                new BigDecimal("3000"),
                equity,
                new BigDecimal("0.5"),
                new BigDecimal("30000"),
                RULES.distanceToLiquidation(opened, ENTRY),
                new BigDecimal("8000"),
                new BigDecimal(cutNotional));
    }

    static PolicyInput input(PositionRisk risk, PositionBook book, RiskLevel level, String conviction) {
        return new PolicyInput(
                NOW,
                risk,
                level,
                Optional.empty(),
                0,
                new BigDecimal("1000"),
                new BigDecimal("5000"),
                book,
                new BigDecimal(conviction));
    }

    static Decision decide(String mark, String sigma) {
        MarginState s = state("0.5", "3000");
        return POLICY.decide(input(risk(s, mark, sigma, Duration.ZERO), book(s, mark, "0", "0"), RiskLevel.WATCH, "1"));
    }

    @Test
    void the_automatic_budget_is_what_a_buffered_exit_would_lose_from_the_entry() {
        MarginState s = state("0.5", "3000");
        BigDecimal budget = POLICY.budget(book(s, "60000", "0", "0"));
        assertThat(budget)
                .isCloseTo(new BigDecimal("2746.9880"), org.assertj.core.data.Offset.offset(new BigDecimal("0.0001")));
    }

    @Test
    void a_budget_can_be_an_amount_or_a_share_of_the_accounts_equity() {
        MarginState s = state("0.5", "3000");
        BudgetParams d = WORKED;
        BudgetPolicy amount = new BudgetPolicy(d.withBudget(Optional.of(new BigDecimal("250")), Optional.empty()));
        BudgetPolicy share = new BudgetPolicy(d.withBudget(Optional.empty(), Optional.of(new BigDecimal("4"))));
        assertThat(amount.budget(book(s, "60000", "0", "0"))).isEqualByComparingTo("250");
        // 4 % of the 8,000 the account held when the position was opened.
        assertThat(share.budget(book(s, "60000", "0", "0"))).isEqualByComparingTo("320");
    }

    @Test
    void at_the_entry_in_a_quiet_market_it_holds() {
        // Cushion 2,746.99 − 0.1 % of 30,000 = 2,716.99; allowed 20 × that = 54,339.76 > 30,000.
        Decision d = decide("60000", "0.01");
        assertThat(d.level()).isEqualTo(RiskLevel.WATCH);
        assertThat(d.actions()).isEmpty();
        assertThat(POLICY.measure(input(
                                risk(state("0.5", "3000"), "60000", "0.01", Duration.ZERO),
                                book(state("0.5", "3000"), "60000", "0", "0"),
                                RiskLevel.WATCH,
                                "1"))
                        .allowed())
                .isCloseTo(new BigDecimal("54339.76"), org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
    }

    @Test
    void when_the_cushion_no_longer_pays_for_the_exposure_it_cuts_keeping_the_margin() {
        // At 57,000: lost 1,500; cushion 2,746.988 − 1,500 − 0.1 % of 28,500 = 1,218.488; allowed 24,369.76;
        // exposure 28,500 is above it: cut to 0.8 × 24,369.76 = 19,495.81, i.e. (28,500 − 19,495.81) / 57,000 =
        // 0.15797 BTC, rounded up to 0.158.
        Decision d = decide("57000", "0.01");
        assertThat(d.level()).isEqualTo(RiskLevel.CUT);
        assertThat(d.actions())
                .filteredOn(a -> !(a instanceof Action.Alert))
                .singleElement()
                .isInstanceOfSatisfying(Action.ReducePosition.class, cut -> {
                    assertThat(cut.qty()).isEqualByComparingTo("0.158");
                    assertThat(cut.margin()).isEqualTo(PartialCloseRelease.KEEP_NET);
                });
        assertThat(d.actions()).anyMatch(a -> a instanceof Action.Alert);
    }

    @Test
    void more_volatility_means_less_exposure_for_the_same_cushion() {
        // σ 2 %: m = 1 / 0.06 = 16.67; at 58,000 cushion 2,746.988 − 1,000 − 29 = 1,717.988, allowed 28,633 < 29,000.
        assertThat(decide("58000", "0.01").level()).isEqualTo(RiskLevel.WARN);
        assertThat(decide("58000", "0.02").level()).isEqualTo(RiskLevel.CUT);
    }

    @Test
    void a_spent_budget_closes() {
        // At 54,500 the position has lost 2,750, more than the 2,746.99 budget.
        Decision d = decide("54500", "0.01");
        assertThat(d.level()).isEqualTo(RiskLevel.CLOSE);
        assertThat(d.actions()).anyMatch(a -> a instanceof Action.ClosePosition);
    }

    @Test
    void losses_realised_by_earlier_cuts_and_their_costs_spend_the_budget() {
        // After cutting 0.25 at 57,000 (realised −750 on 14,250 traded), keeping the margin, at 57,000: lost 750 on the
        // rest and 750 realised; costs 0.1 % of the 14,250 traded and of the 14,250 left. The cushion is the same
        // 1,218.488 as before the cut: cutting neither spends nor resets the budget.
        MarginState s = state("0.25", "3000");
        PolicyInput in =
                input(risk(s, "57000", "0.01", Duration.ZERO), book(s, "57000", "-750", "14250"), RiskLevel.WARN, "1");
        assertThat(POLICY.measure(in).cushion())
                .isCloseTo(new BigDecimal("1218.488"), org.assertj.core.data.Offset.offset(new BigDecimal("0.001")));
    }

    @Test
    void the_guard_cuts_back_to_a_safe_distance_whatever_the_cushion_says() {
        // A 10,000 budget leaves plenty of cushion at 55,500, but liquidation is 2.31 % away, inside the 3 % guard.
        MarginState s = state("0.5", "3000");
        BudgetPolicy big = new BudgetPolicy(WORKED.withBudget(Optional.of(new BigDecimal("10000")), Optional.empty()));
        PositionRisk r = risk(s, "55500", "0.01", Duration.ZERO);
        Decision d = big.decide(input(r, book(s, "55500", "0", "0"), RiskLevel.WATCH, "1"));
        assertThat(d.level()).isEqualTo(RiskLevel.CUT);
        Action.ReducePosition cut = (Action.ReducePosition) d.actions().stream()
                .filter(a -> a instanceof Action.ReducePosition)
                .findFirst()
                .orElseThrow();
        // Kept net of the cut's loss: the wallet pays it, and the liquidation price still clears the safe distance.
        MarginState after = RULES.afterPartialClose(
                s, s.position().qty().subtract(cut.qty()), cut.margin(), new BigDecimal("55500"));
        assertThat(after.wallet()).isLessThan(s.wallet());
        assertThat(RULES.distanceToLiquidation(after, new BigDecimal("55500")).orElseThrow())
                .isGreaterThanOrEqualTo(new BigDecimal("0.06"));
    }

    @Test
    void less_conviction_holds_less_and_none_closes() {
        // Conviction 0.5 halves the multiplier: at 58,500 the cushion 1,967.49 allows 19,674.88 < 29,250.
        assertThat(decide("58500", "0.01").level()).isEqualTo(RiskLevel.WATCH);
        MarginState s = state("0.5", "3000");
        Decision half = POLICY.decide(
                input(risk(s, "58500", "0.01", Duration.ZERO), book(s, "58500", "0", "0"), RiskLevel.WATCH, "0.5"));
        assertThat(half.level()).isEqualTo(RiskLevel.CUT);
        Decision none = POLICY.decide(
                input(risk(s, "60000", "0.01", Duration.ZERO), book(s, "60000", "0", "0"), RiskLevel.WATCH, "0"));
        assertThat(none.actions()).anyMatch(a -> a instanceof Action.ClosePosition);
    }

    @Test
    void a_stale_mark_alerts_and_holds_warn_at_least() {
        MarginState s = state("0.5", "3000");
        Decision d = POLICY.decide(input(
                risk(s, "60000", "0.01", Duration.ofSeconds(45)), book(s, "60000", "0", "0"), RiskLevel.WATCH, "1"));
        assertThat(d.level()).isEqualTo(RiskLevel.WARN);
        assertThat(d.actions()).singleElement().isInstanceOf(Action.Alert.class);
        assertThat(((Action.Alert) d.actions().get(0)).reason()).startsWith("no mark for 45 s");
    }

    @Test
    void margin_the_guard_does_not_need_is_released_and_only_that() {
        // Cut to 0.1 BTC keeping all 3,000: liquidation is far below; a release keeps it at least 30 % away (and the
        // venue's own removal rule).
        MarginState s = state("0.1", "3000");
        PositionRisk r = risk(s, "60000", "0.01", Duration.ZERO);
        Decision d = POLICY.decide(input(r, book(s, "60000", "0", "12000"), RiskLevel.WATCH, "1"));
        Action.ReleaseMargin release = (Action.ReleaseMargin) d.actions().stream()
                .filter(a -> a instanceof Action.ReleaseMargin)
                .findFirst()
                .orElseThrow();
        MarginState after = s.withWallet(s.wallet().subtract(release.amount()));
        assertThat(RULES.distanceToLiquidation(after, new BigDecimal("60000")).orElseThrow())
                .isGreaterThanOrEqualTo(new BigDecimal("0.30"));
    }

    @Test
    void an_unavoidable_liquidation_closes() {
        MarginState s = state("0.5", "3000");
        PositionRisk r = risk(s, "60000", "0.01", Duration.ZERO);
        PositionRisk unavoidable = new PositionRisk(
                RULES,
                s,
                r.mark(),
                new Liquidation.Unavoidable("margin below maintenance at any price"),
                Optional.empty(),
                r.sigma(),
                Optional.empty(),
                Optional.empty(),
                Duration.ZERO);
        Decision d = POLICY.decide(input(unavoidable, book(s, "60000", "0", "0"), RiskLevel.WATCH, "1"));
        assertThat(d.actions()).anyMatch(a -> a instanceof Action.ClosePosition);
    }

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
    void the_defaults_hold_more_per_unit_of_cushion_and_guard_farther() {
        // Defaults: m = min(40, 1 / (3 × 1 %)) = 33.33; the guard at max(3 %, 6σ) = 6 %, back to max(6 %, 8σ) = 8 %.
        BudgetPolicy defaults = new BudgetPolicy(BudgetParams.defaults());
        MarginState s = state("0.5", "3000");
        // At the entry liquidation is 9.64 % away: it holds; allowed 2,716.988 / 0.03 = 90,566.27.
        PolicyInput atEntry =
                input(risk(s, "60000", "0.01", Duration.ZERO), book(s, "60000", "0", "0"), RiskLevel.WATCH, "1");
        assertThat(defaults.decide(atEntry).actions()).isEmpty();
        assertThat(defaults.measure(atEntry).allowed())
                .isCloseTo(new BigDecimal("90566.27"), org.assertj.core.data.Offset.offset(new BigDecimal("0.01")));
        // At 57,500 liquidation is (57,500 − 54,216.87) / 57,500 = 5.71 % away, inside the 6 % guard: a cut, after
        // which it is at least 8 % away.
        Decision d = defaults.decide(
                input(risk(s, "57500", "0.01", Duration.ZERO), book(s, "57500", "0", "0"), RiskLevel.WATCH, "1"));
        Action.ReducePosition cut = (Action.ReducePosition) d.actions().stream()
                .filter(a -> a instanceof Action.ReducePosition)
                .findFirst()
                .orElseThrow();
        MarginState after = RULES.afterPartialClose(
                s, s.position().qty().subtract(cut.qty()), cut.margin(), new BigDecimal("57500"));
        assertThat(RULES.distanceToLiquidation(after, new BigDecimal("57500")).orElseThrow())
                .isGreaterThanOrEqualTo(new BigDecimal("0.08"));
        // At 58,500 (7.32 % from liquidation, inside the 8 % a guard cut restores): a warning, no order yet.
        Decision warned = defaults.decide(
                input(risk(s, "58500", "0.01", Duration.ZERO), book(s, "58500", "0", "0"), RiskLevel.WATCH, "1"));
        assertThat(warned.level()).isEqualTo(RiskLevel.WARN);
        assertThat(warned.actions()).allMatch(a -> a instanceof Action.Alert);
    }
}
