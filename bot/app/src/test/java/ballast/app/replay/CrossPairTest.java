package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
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
 * Cross margin measured on the whole account (config/scenarios/cross: a 10x BTCUSDT long and a 10x ETHUSDT long in
 * one thin cross account through FTX and LUNA, real 1h data): unprotected, the account is liquidated, both positions at
 * once; the ladder acts on the account and is not; the chart's liquidation line of each position is its symbol's price
 * at the account's liquidation.
 */
class CrossPairTest {

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> files =
                Files.list(Path.of("../../config/scenarios/cross").toAbsolutePath())) {
            List<Path> yaml =
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yaml).hasSizeGreaterThanOrEqualTo(2);
            return yaml.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void the_ladder_acts_on_the_cross_account_and_survives(Path file) {
        Scenario scenario = ScenarioFile.load(file);
        ReplayReport report = new ReplayRunner(CrashDaysTest.TIERS, Settings.defaults())
                .run(scenario, List.of("ladder", "none", "buffer-exit"), e -> {});
        Map<String, ReplayReport.PolicyRun> runs = report.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));

        ReplayReport.Summary none = runs.get("none").summary();
        assertThat(none.liquidations())
                .as("an unprotected cross account loses both positions")
                .isEqualTo(2);
        assertThat(none.finalEquity()).isEqualByComparingTo("0");
        assertThat(none.minDistancePct()).contains(BigDecimal.ZERO);

        ReplayReport.PolicyRun ladder = runs.get("ladder");
        assertThat(ladder.summary().liquidations()).isZero();
        assertThat(ladder.summary().actions()).isPositive();
        assertThat(ladder.summary().minDistancePct().orElseThrow()).isGreaterThan(BigDecimal.ONE);
        assertThat(ladder.summary().finalEquity()).isPositive();
        // Every cross position's chart carries the account's liquidation price while it is open.
        for (ReplayReport.PositionTrace trace : ladder.positions()) {
            assertThat(trace.points())
                    .as(trace.symbol() + " liquidation line")
                    .anySatisfy(p -> assertThat(p.liquidationPrice()).isPresent());
            assertThat(trace.actions())
                    .as(trace.symbol() + " top-ups: none in cross")
                    .noneMatch(a -> a.kind().equals("top-up") || a.kind().equals("release"));
        }
    }
}
