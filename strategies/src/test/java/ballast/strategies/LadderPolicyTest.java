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
 * Decision tables for the default ladder: a snapshot in, a level and actions out. The position is margin-math.md D-1
 * (Binance, isolated long 0.5 BTCUSDT at 60,000 with 3,000 margin, liquidation 54,216.87); the mark and the volatility
 * are chosen to put it at a given distance in σ units.
 */
class LadderPolicyTest {

    static final MarginRules RULES = MarginRules.binance();
    static final RiskTierTable FLAT = RiskTierTable.flat("BTCUSDT", new BigDecimal("0.004"), BigDecimal.ZERO, 125);
    static final Instant NOW = Instant.parse("2022-11-09T12:00:00Z");
    static final LadderPolicy LADDER = new LadderPolicy(LadderParams.defaults());

    static MarginState state(String wallet) {
        return MarginState.isolated(
                new Position("BTCUSDT", Side.LONG, new BigDecimal("0.5"), new BigDecimal("60000")),
                new BigDecimal(wallet),
                BigDecimal.TEN,
                FLAT);
    }

    /** A snapshot at {@code mark} whose volatility makes the distance exactly {@code z} σ. */
    static PositionRisk risk(MarginState state, String mark, String z, String speed) {
        BigDecimal m = new BigDecimal(mark);
        Liquidation liquidation = RULES.liquidation(state);
        BigDecimal distance = RULES.distanceToLiquidation(state, m).orElseThrow();
        BigDecimal sigma = distance.divide(new BigDecimal(z), MathContext.DECIMAL64);
        return new PositionRisk(
                RULES,
                state,
                m,
                liquidation,
                Optional.of(distance),
                sigma,
                Optional.of(new BigDecimal(z)),
                Optional.of(new BigDecimal(speed)),
                Duration.ZERO);
    }

    static PolicyInput input(
            PositionRisk risk, RiskLevel level, Optional<Instant> lastAction, int topUps, String budget) {
        return new PolicyInput(
                NOW,
                risk,
                level,
                lastAction,
                topUps,
                new BigDecimal(budget),
                new BigDecimal("5000"),
                book(risk),
                BigDecimal.ONE);
    }

    /** A book for a position opened as it stands, nothing lost yet. */
    static PositionBook book(PositionRisk risk) {
        BigDecimal equity = risk.state().wallet();
        var p = risk.state().position();
        return new PositionBook(
                equity,
                equity,
                p.qty(),
                p.qty().multiply(p.entryPrice()),
                risk.rules().distanceToLiquidation(risk.state(), p.entryPrice()),
                equity.add(new BigDecimal("5000")),
                BigDecimal.ZERO);
    }

    static Decision decide(PositionRisk risk, RiskLevel level) {
        return LADDER.decide(input(risk, level, Optional.empty(), 0, "5000"));
    }

    @Test
    void far_away_it_watches_and_does_nothing() {
        Decision d = decide(risk(state("3000"), "59000", "9", "0"), RiskLevel.WATCH);
        assertThat(d.level()).isEqualTo(RiskLevel.WATCH);
        assertThat(d.actions()).isEmpty();
    }

    @Test
    void entering_warn_alerts_once() {
        Decision entering = decide(risk(state("3000"), "57000", "5", "0"), RiskLevel.WATCH);
        assertThat(entering.level()).isEqualTo(RiskLevel.WARN);
        assertThat(entering.actions()).singleElement().isInstanceOf(Action.Alert.class);
        Decision staying = decide(risk(state("3000"), "57000", "5", "0"), RiskLevel.WARN);
        assertThat(staying.actions()).isEmpty();
    }

    @Test
    void below_top_up_z_it_adds_the_margin_that_restores_the_target() {
        PositionRisk risk = risk(state("3000"), "57000", "3.5", "0");
        Decision d = decide(risk, RiskLevel.WARN);
        assertThat(d.level()).isEqualTo(RiskLevel.TOP_UP);
        Action.TopUpMargin topUp = (Action.TopUpMargin) d.actions().get(0);
        // The target is 6 σ from the mark (above the 6 % floor here); adding the amount must put the price there.
        BigDecimal target = risk.sigma().multiply(new BigDecimal("6")).max(new BigDecimal("0.06"));
        BigDecimal after = RULES.distanceToLiquidation(
                        state("3000").withWallet(new BigDecimal("3000").add(topUp.amount())), risk.mark())
                .orElseThrow();
        assertThat(after).isGreaterThanOrEqualTo(target);
        assertThat(topUp.amount()).isLessThanOrEqualTo(new BigDecimal("5000"));
    }

    @Test
    void without_budget_it_cuts_instead_and_cannot_keep_the_released_margin() {
        // Keeping the margin would cost the free balance the cut's realised loss (about 0.17 × 3,000 = 510): a top-up
        // in all but name, which 10 left in the budget cannot pay.
        PositionRisk risk = risk(state("3000"), "57000", "3.5", "0");
        Decision d = LADDER.decide(input(risk, RiskLevel.WARN, Optional.empty(), 0, "10"));
        assertThat(d.level()).isEqualTo(RiskLevel.TOP_UP);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(Action.ReducePosition.class, cut -> {
            assertThat(cut.margin()).isEqualTo(PartialCloseRelease.PRO_RATA);
            assertThat(cut.qty()).isPositive().isLessThanOrEqualTo(new BigDecimal("0.17"));
        });
    }

    @Test
    void after_its_top_ups_for_the_episode_it_cuts() {
        PositionRisk risk = risk(state("3000"), "57000", "3.5", "0");
        Decision d = LADDER.decide(input(risk, RiskLevel.TOP_UP, Optional.empty(), 1, "5000"));
        // The budget can pay for the cut's realised loss: it keeps the released margin.
        assertThat(d.actions())
                .singleElement()
                .isInstanceOfSatisfying(
                        Action.ReducePosition.class,
                        cut -> assertThat(cut.margin()).isEqualTo(PartialCloseRelease.KEEP_MARGIN));
    }

    @Test
    void a_speed_not_measured_counts_as_a_cascade() {
        // The engine measures z's speed for the ladder (it reads it); a risk without one is unknown, and unknown is
        // danger: where a known calm speed tops up, the ladder cuts.
        PositionRisk calm = risk(state("3000"), "57000", "3.5", "0");
        assertThat(decide(calm, RiskLevel.WARN).actions()).singleElement().isInstanceOf(Action.TopUpMargin.class);
        PositionRisk unknown = new PositionRisk(
                calm.rules(),
                calm.state(),
                calm.mark(),
                calm.liquidation(),
                calm.distance(),
                calm.sigma(),
                calm.z(),
                Optional.empty(),
                calm.markAge());
        assertThat(decide(unknown, RiskLevel.WARN).actions()).singleElement().isInstanceOf(Action.ReducePosition.class);
        assertThat(LADDER.readsSpeed()).isTrue();
    }

    @Test
    void in_a_cascade_it_cuts_rather_than_tops_up() {
        PositionRisk risk = risk(state("3000"), "57000", "3.5", "-2");
        Decision d = decide(risk, RiskLevel.WARN);
        assertThat(d.actions()).singleElement().isInstanceOf(Action.ReducePosition.class);
    }

    @Test
    void below_cut_z_it_cuts_at_most_a_third() {
        Decision d = decide(risk(state("3000"), "57000", "2", "0"), RiskLevel.TOP_UP);
        assertThat(d.level()).isEqualTo(RiskLevel.CUT);
        Action.ReducePosition cut = (Action.ReducePosition) d.actions().get(0);
        assertThat(cut.qty())
                .isLessThanOrEqualTo(
                        new BigDecimal("0.5").multiply(new BigDecimal("0.34")).add(new BigDecimal("0.001")));
    }

    @Test
    void within_one_percent_it_closes_whatever_sigma_says() {
        Decision d = decide(risk(state("3000"), "54500", "40", "0"), RiskLevel.WATCH);
        assertThat(d.level()).isEqualTo(RiskLevel.CLOSE);
        assertThat(d.actions()).anySatisfy(a -> assertThat(a).isInstanceOf(Action.ClosePosition.class));
    }

    @Test
    void within_three_percent_it_is_at_least_cut() {
        Decision d = decide(risk(state("3000"), "55700", "20", "0"), RiskLevel.WATCH);
        assertThat(d.level()).isEqualTo(RiskLevel.CUT);
    }

    @Test
    void cooldown_holds_back_a_second_top_up() {
        PositionRisk risk = risk(state("3000"), "57000", "3.5", "0");
        Decision d = LADDER.decide(input(risk, RiskLevel.TOP_UP, Optional.of(NOW.minusSeconds(60)), 0, "5000"));
        assertThat(d.level()).isEqualTo(RiskLevel.TOP_UP);
        assertThat(d.actions()).isEmpty();
    }

    @Test
    void hysteresis_keeps_the_level_until_z_clears_it_by_a_quarter() {
        assertThat(decide(risk(state("3000"), "57000", "4.5", "0"), RiskLevel.TOP_UP)
                        .level())
                .isEqualTo(RiskLevel.TOP_UP);
        assertThat(decide(risk(state("3000"), "57000", "5.5", "0"), RiskLevel.TOP_UP)
                        .level())
                .isEqualTo(RiskLevel.WARN);
        assertThat(decide(risk(state("3000"), "57000", "4.5", "0"), RiskLevel.WATCH)
                        .level())
                .isEqualTo(RiskLevel.WARN);
    }

    @Test
    void calm_and_over_margined_it_releases_what_is_not_needed() {
        MarginState rich = state("9000");
        Decision d = decide(risk(rich, "62000", "30", "0"), RiskLevel.WATCH);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(Action.ReleaseMargin.class, release -> {
            MarginState after = rich.withWallet(rich.wallet().subtract(release.amount()));
            assertThat(RULES.distanceToLiquidation(after, new BigDecimal("62000"))
                            .orElseThrow())
                    .isGreaterThanOrEqualTo(new BigDecimal("0.06"));
        });
    }

    @Test
    void no_liquidation_price_is_watch() {
        MarginState covered = state("30000");
        PositionRisk risk = new PositionRisk(
                RULES,
                covered,
                new BigDecimal("50000"),
                RULES.liquidation(covered),
                Optional.empty(),
                new BigDecimal("0.05"),
                Optional.empty(),
                Optional.of(BigDecimal.ZERO),
                Duration.ZERO);
        assertThat(LADDER.decide(input(risk, RiskLevel.CUT, Optional.empty(), 0, "0"))
                        .level())
                .isEqualTo(RiskLevel.WATCH);
    }

    @Test
    void buffer_exit_closes_at_five_percent_of_the_way_before_liquidation() {
        var buffer = new BufferExitPolicy(new BigDecimal("0.05"));
        // LP 54,216.87; |60,000 − LP| × 0.05 = 289.16 -> stop at 54,506.03
        assertThat(buffer.decide(input(
                                risk(state("3000"), "54600", "1", "0"), RiskLevel.WATCH, Optional.empty(), 0, "0"))
                        .actions())
                .isEmpty();
        assertThat(buffer.decide(input(
                                risk(state("3000"), "54500", "1", "0"), RiskLevel.WATCH, Optional.empty(), 0, "0"))
                        .actions())
                .singleElement()
                .isInstanceOf(Action.ClosePosition.class);
    }
}
