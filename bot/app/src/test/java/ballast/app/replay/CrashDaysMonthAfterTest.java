package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.marketdata.NeedsSharedData;
import ballast.app.marketdata.SharedData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The crash days again, each window extended by 30 days on the full Binance history (1h perp candles, 1h mark, funding)
 * in the shared data: the budget policy's promise holds after the dust settles too, not only where the windows end.
 */
@NeedsSharedData("the crash days extended by 30 days on the full 1h history")
class CrashDaysMonthAfterTest {

    static java.util.stream.Stream<Path> scenarios() throws java.io.IOException {
        return CrashDaysTest.scenarios();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void thirty_days_later_the_budget_still_keeps_at_least_the_buffered_exit(Path file) {
        Scenario shipped = ScenarioFile.load(file);
        Path data = SharedData.dir();
        List<Scenario.PositionSpec> positions = shipped.positions().stream()
                .map(p -> new Scenario.PositionSpec(
                        p.symbol(),
                        p.side(),
                        p.leverage(),
                        p.margin(),
                        p.marginMode(),
                        data.resolve("binance_um_" + p.symbol() + "_1h.csv"),
                        Optional.of(data.resolve("binance_um_" + p.symbol() + "_1h_mark.csv")),
                        Optional.of(data.resolve("binance_um_" + p.symbol() + "_funding.csv")),
                        p.mmr(),
                        p.maintAmount(),
                        p.where()))
                .toList();
        Scenario extended = new Scenario(
                shipped.name() + " +30d",
                shipped.exchange(),
                shipped.tiersAsOf(),
                shipped.from(),
                shipped.to().plus(Duration.ofDays(30)),
                shipped.warmUp(),
                shipped.wallet(),
                positions,
                shipped.policySettings());

        ReplayReport report = new ReplayRunner(CrashDaysTest.TIERS, ballast.app.config.Settings.defaults())
                .run(extended, List.of("budget", "buffer-exit"), e -> {});

        Map<String, ReplayReport.PolicyRun> runs = report.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));
        assertThat(report.markSource()).isEqualTo("mark");
        CrashDaysTest.promiseKept(report, runs);
    }
}
