package ballast.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
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
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * What the loss-budget policy may never do, over random positions (side, price, leverage 2–50, margin kept by earlier
 * cuts), marks on both sides of the entry, volatility, earlier losses and conviction: it never adds size or tops up;
 * a cut never brings the liquidation price closer nor leaves more exposure; a release happens only when nothing is
 * wrong and leaves the liquidation price beyond the release distance; a larger loss never allows more exposure.
 */
class BudgetPolicyProperties {

    static final MarginRules RULES = MarginRules.binance();
    static final RiskTierTable TIERS = RiskTierTable.flat("BTCUSDT", new BigDecimal("0.004"), BigDecimal.ZERO, 125);
    static final MathContext MC = MathContext.DECIMAL64;
    static final BudgetPolicy POLICY = new BudgetPolicy(BudgetParams.defaults());
    static final Instant NOW = Instant.parse("2024-08-05T00:00:00Z");

    record Case(
            Side side,
            BigDecimal entry,
            int leverage,
            BigDecimal qty,
            BigDecimal shareLeft,
            BigDecimal move,
            BigDecimal sigma,
            BigDecimal realisedShare,
            BigDecimal conviction,
            RiskLevel level) {}

    record Pos(Side side, BigDecimal entry, int leverage, BigDecimal qty, BigDecimal shareLeft) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Pos> positions = Combinators.combine(
                        Arbitraries.of(Side.class),
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("50"), new BigDecimal("100000"))
                                .ofScale(2),
                        Arbitraries.integers().between(2, 50),
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("0.01"), new BigDecimal("5"))
                                .ofScale(3),
                        Arbitraries.of("1", "1", "0.8", "0.5", "0.2").map(BigDecimal::new))
                .as(Pos::new);
        return Combinators.combine(
                        positions,
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("-0.25"), new BigDecimal("0.25"))
                                .ofScale(4),
                        Arbitraries.of("0.002", "0.01", "0.02", "0.05").map(BigDecimal::new),
                        Arbitraries.of("0", "0", "-0.1", "-0.3", "0.05").map(BigDecimal::new),
                        Arbitraries.of("1", "1", "0.7", "0.3", "0").map(BigDecimal::new),
                        Arbitraries.of(RiskLevel.class))
                .as((p, move, sigma, realised, conviction, level) -> new Case(
                        p.side(),
                        p.entry(),
                        p.leverage(),
                        p.qty(),
                        p.shareLeft(),
                        move,
                        sigma,
                        realised,
                        conviction,
                        level));
    }

    /** The position as it stands: {@code shareLeft} of the opening size, with all of the opening margin kept. */
    static MarginState state(Case c) {
        BigDecimal openingQty = c.qty();
        BigDecimal margin = openingQty.multiply(c.entry()).divide(BigDecimal.valueOf(c.leverage()), MC);
        BigDecimal qty = openingQty.multiply(c.shareLeft()).setScale(3, RoundingMode.CEILING);
        return MarginState.isolated(
                new Position("BTCUSDT", c.side(), qty, c.entry()), margin, BigDecimal.valueOf(c.leverage()), TIERS);
    }

    static Optional<PolicyInput> input(Case c, BigDecimal extraLoss) {
        MarginState state = state(c);
        BigDecimal mark = c.entry().multiply(BigDecimal.ONE.add(c.move())).setScale(2, RoundingMode.HALF_UP);
        Optional<BigDecimal> distance = RULES.distanceToLiquidation(state, mark);
        if (distance.isPresent() && distance.get().signum() <= 0) {
            return Optional.empty(); // past the liquidation price: the venue has it, not the policy
        }
        BigDecimal openingQty = c.qty();
        BigDecimal openingNotional = openingQty.multiply(c.entry());
        BigDecimal margin = state.wallet();
        BigDecimal realised = openingNotional.multiply(c.realisedShare()).multiply(new BigDecimal("0.1"), MC);
        BigDecimal equity = margin.add(state.unrealizedPnl(mark)).add(realised).subtract(extraLoss);
        MarginState opened = MarginState.isolated(
                new Position("BTCUSDT", c.side(), openingQty, c.entry()),
                margin,
                BigDecimal.valueOf(c.leverage()),
                TIERS);
        PositionBook book = new PositionBook(
                margin,
                equity,
                openingQty,
                openingNotional,
                RULES.distanceToLiquidation(opened, c.entry()),
                margin.multiply(BigDecimal.valueOf(4)),
                openingQty.subtract(state.position().qty()).multiply(c.entry()));
        PositionRisk risk = new PositionRisk(
                RULES,
                state,
                mark,
                RULES.liquidation(state),
                distance,
                c.sigma(),
                distance.map(d -> d.divide(c.sigma(), MC)),
                Optional.empty(),
                Duration.ZERO);
        return Optional.of(new PolicyInput(
                NOW, risk, c.level(), Optional.empty(), 0, BigDecimal.ZERO, BigDecimal.ZERO, book, c.conviction()));
    }

    @Property(tries = 400)
    @StatisticsReport(onFailureOnly = true)
    void it_never_adds_size_and_a_cut_never_increases_risk(@ForAll("cases") Case c) {
        Optional<PolicyInput> maybe = input(c, BigDecimal.ZERO);
        if (maybe.isEmpty()) {
            return;
        }
        PolicyInput in = maybe.get();
        MarginState state = in.risk().state();
        Decision d = POLICY.decide(in);
        Statistics.label("decision")
                .collect(d.actions().stream()
                        .filter(a -> !(a instanceof Action.Alert))
                        .map(a -> a.getClass().getSimpleName())
                        .findFirst()
                        .orElse("hold"));
        for (Action action : d.actions()) {
            switch (action) {
                case Action.Alert a -> {}
                case Action.ClosePosition close -> assertThat(d.level()).isIn(RiskLevel.CUT, RiskLevel.CLOSE);
                case Action.ReducePosition cut -> {
                    assertThat(cut.qty())
                            .isPositive()
                            .isLessThan(state.position().qty());
                    assertThat(cut.margin()).isEqualTo(PartialCloseRelease.KEEP_NET);
                    MarginState after = RULES.afterPartialClose(
                            state,
                            state.position().qty().subtract(cut.qty()),
                            cut.margin(),
                            in.risk().mark());
                    Optional<BigDecimal> before = in.risk().distance();
                    Optional<BigDecimal> now =
                            RULES.distanceToLiquidation(after, in.risk().mark());
                    if (before.isPresent() && now.isPresent()) {
                        assertThat(now.get())
                                .as("a cut moves the liquidation price away")
                                .isGreaterThanOrEqualTo(before.get());
                    }
                    assertThat(after.position().qty())
                            .isLessThan(state.position().qty());
                }
                case Action.ReleaseMargin release -> {
                    assertThat(d.level()).isEqualTo(RiskLevel.WATCH);
                    MarginState after = state.withWallet(state.wallet().subtract(release.amount()));
                    BigDecimal keep = new BigDecimal("0.15")
                            .max(new BigDecimal("12").multiply(in.risk().sigma()));
                    RULES.distanceToLiquidation(after, in.risk().mark())
                            .ifPresent(x -> assertThat(x)
                                    .as("a release stays clear of the guard")
                                    .isGreaterThanOrEqualTo(keep));
                }
                default -> throw new AssertionError("the budget policy never emits " + action);
            }
        }
        // Not vacuous: the cases reach every kind of decision.
        Statistics.label("decision").coverage(cov -> {
            cov.check("ReducePosition").count(n -> n > 0);
            cov.check("ClosePosition").count(n -> n > 0);
            cov.check("ReleaseMargin").count(n -> n > 0);
            cov.check("hold").count(n -> n > 0);
        });
    }

    @Property(tries = 300)
    void a_larger_loss_never_allows_more_exposure(
            @ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 5000) int more) {
        Optional<PolicyInput> a = input(c, BigDecimal.ZERO);
        Optional<PolicyInput> b = input(c, BigDecimal.valueOf(more));
        if (a.isEmpty()) {
            return;
        }
        assertThat(POLICY.measure(b.orElseThrow()).allowed())
                .isLessThanOrEqualTo(POLICY.measure(a.get()).allowed());
        assertThat(POLICY.measure(b.get()).cushion())
                .isLessThan(POLICY.measure(a.get()).cushion());
    }
}
