package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up reaches the engine: on the China-ban day (real 1h data, shipped), the day before {@code from} was itself
 * volatile, so an engine that watched it estimates more volatility at the start than one that begins at its floor, and
 * the ladder acts differently. Where the data starts late, the report says how much warm-up there was.
 */
class ReplayWarmUpTest {

    static final Path CHINA = Path.of("../../config/scenarios/crash-days/china-2021-05-BTCUSDT-long.yaml")
            .toAbsolutePath();

    static Scenario withWarmUp(Scenario s, Duration warmUp) {
        return new Scenario(
                s.name(),
                s.exchange(),
                s.tiersAsOf(),
                s.from(),
                s.to(),
                warmUp,
                s.wallet(),
                s.positions(),
                s.policySettings());
    }

    static ReplayReport run(Scenario s) {
        return new ReplayRunner(CrashDaysTest.TIERS, Settings.defaults()).run(s, List.of("ladder"), e -> {});
    }

    @Test
    void a_volatile_day_before_the_window_changes_what_the_ladder_does() {
        Scenario shipped = ScenarioFile.load(CHINA);
        assertThat(shipped.warmUp()).isEqualTo(Duration.ofDays(1));

        ReplayReport warm = run(shipped);
        ReplayReport cold = run(withWarmUp(shipped, Duration.ZERO));

        assertThat(warm.events()).as("warm-up events are not window events").isEqualTo(cold.events());
        assertThat(warm.results().getFirst().summary())
                .isNotEqualTo(cold.results().getFirst().summary());
        assertThat(warm.notes()).noneMatch(n -> n.contains("warm-up"));
    }

    @Test
    void a_warm_up_longer_than_the_data_is_said() {
        Scenario shipped = ScenarioFile.load(CHINA);
        ReplayReport report = run(withWarmUp(shipped, Duration.ofDays(3)));
        assertThat(report.notes())
                .contains("BTCUSDT: warm-up from 2021-05-16T00:00:00Z only (the data starts there), not"
                        + " 2021-05-14T00:00:00Z");
    }
}
