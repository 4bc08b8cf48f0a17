package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise, on every crash day (config/scenarios/crash-days): a 10x position held without protection ({@code none})
 * is liquidated; the same position under the default loss budget, with a free balance of five times its margin, is
 * not, loses no more than its declared budget, and ends at or above the buffered exit (less 10 USDT). The old ladder
 * survives too.
 * Real Binance perpetual candles (1h, last price) with the real 1h mark price and funding, shipped inside the repository
 * (config/scenarios/data), so this runs on every clone.
 */
class CrashDaysTest {

    static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();

    /** The crash-day scenarios shipped in config/scenarios/crash-days (their data is in config/scenarios/data). */
    static Stream<Path> scenarios() throws IOException {
        Path folder =
                Path.of("../../config/scenarios/crash-days").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> yaml =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).as("scenarios in " + folder).hasSizeGreaterThanOrEqualTo(18);
            return yaml.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void unprotected_is_liquidated_the_budget_is_not_and_keeps_at_least_the_buffered_exit(Path file) {
        Scenario scenario = ScenarioFile.load(file);
        assertThat(scenario.positions()).singleElement().satisfies(p -> {
            assertThat(p.leverage()).isEqualByComparingTo("10");
            assertThat(scenario.wallet()).isEqualByComparingTo(p.margin().multiply(BigDecimal.valueOf(5)));
        });

        ReplayReport report = new ReplayRunner(TIERS, ballast.app.config.Settings.defaults())
                .run(scenario, List.of("budget", "ladder", "none", "buffer-exit"), event -> {});

        Map<String, ReplayReport.PolicyRun> runs = report.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));
        assertThat(report.markSource()).isEqualTo("mark");
        assertThat(runs.get("none").summary().liquidations())
                .as("none is liquidated")
                .isEqualTo(1);
        assertThat(runs.get("none").positions().get(0).liquidatedAt()).isPresent();
        promiseKept(report, runs);
        // The ladder survives too (its money is another matter: docs/benchmarks.md).
        ReplayReport.Summary ladder = runs.get("ladder").summary();
        assertThat(ladder.liquidations()).as("the ladder is not liquidated").isZero();
        assertThat(ladder.minDistancePct().orElseThrow()).isGreaterThan(BigDecimal.ONE);
    }

    /**
     * What the budget policy promises on a crash day: never liquidated, never worse than the buffered exit by more than
     * 10 USDT, and no more lost than its declared budget, give or take 0.5 % of the equity (a step of the mark it could
     * not act inside; the gap between the mark it books at and the last price its orders fill at).
     */
    static void promiseKept(ReplayReport report, Map<String, ReplayReport.PolicyRun> runs) {
        ReplayReport.PolicyRun budget = runs.get("budget");
        ReplayReport.Summary s = budget.summary();
        assertThat(s.liquidations()).as("the budget policy is not liquidated").isZero();
        assertThat(budget.positions().get(0).liquidatedAt()).isEmpty();
        assertThat(s.actions()).isPositive();
        assertThat(s.finalEquity())
                .as("budget against the buffered exit")
                .isGreaterThanOrEqualTo(
                        runs.get("buffer-exit").summary().finalEquity().subtract(BigDecimal.TEN));
        BigDecimal lost = report.startEquity().subtract(s.finalEquity());
        assertThat(lost)
                .as("lost against the declared budget")
                .isLessThanOrEqualTo(budget.lossBudget().orElseThrow());
    }
}
