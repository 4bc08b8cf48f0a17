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
 * The promise, on every crash day in the shared data (config/scenarios/crash-days): a 10x position held without protection ({@code none}) is
 * liquidated, and the same position under the default ladder, with a free balance of five times its margin, is not.
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
    void unprotected_is_liquidated_ladder_survives(Path file) {
        Scenario scenario = ScenarioFile.load(file);
        assertThat(scenario.positions()).singleElement().satisfies(p -> {
            assertThat(p.leverage()).isEqualByComparingTo("10");
            assertThat(scenario.wallet()).isEqualByComparingTo(p.margin().multiply(BigDecimal.valueOf(5)));
        });

        ReplayReport report = new ReplayRunner(TIERS, ballast.app.config.Settings.defaults())
                .run(scenario, List.of("ladder", "none"), event -> {});

        Map<String, ReplayReport.PolicyRun> runs = report.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));
        assertThat(report.markSource()).isEqualTo("mark");
        assertThat(runs.get("none").summary().liquidations())
                .as("none is liquidated")
                .isEqualTo(1);
        assertThat(runs.get("none").positions().get(0).liquidatedAt()).isPresent();
        ReplayReport.Summary ladder = runs.get("ladder").summary();
        assertThat(ladder.liquidations()).as("the ladder is not liquidated").isZero();
        assertThat(runs.get("ladder").positions().get(0).liquidatedAt()).isEmpty();
        // It acted, and never let the position come closer than the ladder's close floor (1 %).
        assertThat(ladder.actions()).isPositive();
        assertThat(ladder.minDistancePct().orElseThrow()).isGreaterThan(BigDecimal.ONE);
        // Money is conserved: whatever the ladder did, equity stays a real, positive amount of the 6,000 it started
        // with.
        assertThat(ladder.finalEquity()).isPositive().isLessThan(new BigDecimal("9000"));
    }
}
