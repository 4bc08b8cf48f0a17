package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.strategies.BudgetParams;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The budget holds on the real engine and the paper venue: over random paths whose candles move at most a few percent
 * (so that "one mark step" is bounded), with funding and the paper venue's fees and slippage, an isolated position
 * under the budget policy is never liquidated and loses no more than its declared budget plus one mark step on its
 * opening size (the move between two marks it cannot act inside) and one funding settlement.
 */
class BudgetBoundProperties {

    record Case(List<Integer> moves, Side side, int leverage, BigDecimal budget, int fundingBp) {}

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.integers()
                                .between(-150, 120)
                                .list()
                                .ofMinSize(40)
                                .ofMaxSize(160),
                        Arbitraries.of(Side.class),
                        Arbitraries.integers().between(2, 20),
                        Arbitraries.integers().between(50, 900).map(BigDecimal::valueOf),
                        Arbitraries.integers().between(-30, 30))
                .as(Case::new);
    }

    @Property(tries = 30)
    void the_loss_stays_within_the_budget_and_one_step(@ForAll("cases") Case c) throws IOException {
        Path dir = Files.createTempDirectory("ballast-budget");
        try {
            // A falling path for a long is a rising one for a short: flip the moves so every case is adverse-leaning.
            List<Integer> moves = c.side() == Side.LONG
                    ? c.moves()
                    : c.moves().stream().map(m -> -m).toList();
            Path candles = dir.resolve("BTCUSDT-5m.json");
            Path funding = dir.resolve("BTCUSDT-funding.json");
            MoneyProperties.writePath(moves, candles);
            MoneyProperties.writeFunding(moves.size(), c.fundingBp(), funding);
            BigDecimal margin = new BigDecimal("1000");
            Scenario scenario = new Scenario(
                    "budget",
                    Venue.BINANCE,
                    Optional.empty(),
                    MoneyProperties.START,
                    MoneyProperties.START.plusSeconds(300L * moves.size()),
                    Duration.ZERO,
                    new BigDecimal("5000"),
                    List.of(new Scenario.PositionSpec(
                            "BTCUSDT",
                            c.side(),
                            BigDecimal.valueOf(c.leverage()),
                            margin,
                            MarginMode.ISOLATED,
                            candles,
                            Optional.empty(),
                            Optional.of(funding),
                            Optional.empty(),
                            BigDecimal.ZERO,
                            "budget.yaml: positions[0]")),
                    Optional.empty());
            Settings d = Settings.defaults();
            BudgetParams b = d.budget();
            BudgetParams declared = new BudgetParams(
                    Optional.of(c.budget()),
                    Optional.empty(),
                    b.autoBuffer(),
                    b.crashZ(),
                    b.maxMultiplier(),
                    b.cutToShare(),
                    b.closeBelowPct(),
                    b.guardPct(),
                    b.guardZ(),
                    b.safePct(),
                    b.safeZ(),
                    b.releasePct(),
                    b.releaseZ(),
                    b.releaseMinPct(),
                    b.costPct(),
                    b.cooldown(),
                    b.staleAfter());
            Settings settings =
                    new Settings(d.engine(), d.gate(), "budget", declared, d.ladder(), d.bufferExit(), d.paper());
            ReplayReport report = new ReplayRunner(ReplayDeterminismProperties.TIERS, settings)
                    .run(scenario, List.of("budget"), e -> {});
            ReplayReport.Summary s = report.results().get(0).summary();

            BigDecimal notional = margin.multiply(BigDecimal.valueOf(c.leverage()));
            // The largest move between two marks: the replay walks each candle in steps of at most 0.25 %, and each
            // candle opens where the last one closed.
            BigDecimal step = ReplayRunner.STEP;
            BigDecimal allowance = notional.multiply(step.add(BigDecimal.valueOf(Math.abs(c.fundingBp()), 4)))
                    .add(new BigDecimal("0.01"));
            BigDecimal loss = report.startEquity().subtract(s.finalEquity());
            assertThat(s.liquidations()).as("liquidations").isZero();
            assertThat(loss)
                    .as("loss against a budget of %s (allowance %s)", c.budget(), allowance)
                    .isLessThanOrEqualTo(c.budget().add(allowance));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
