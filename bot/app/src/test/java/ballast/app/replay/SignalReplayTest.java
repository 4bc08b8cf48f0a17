package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trader's conviction reaches the budget policy in a replay at the time the scenario gives it: less conviction is
 * less exposure (a quarter of it allows 8.3 times the cushion, about 7,500 USDT on this 10,000 position: a reduce-only
 * cut on the next mark), none is a close; without a signal nothing happens at that time.
 * Real data: the FTX crash day shipped in config/scenarios.
 */
class SignalReplayTest {

    static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();

    static Scenario ftx() {
        Path file = Path.of("../../config/scenarios/crash-days/ftx-2022-11-BTCUSDT-long.yaml")
                .toAbsolutePath()
                .normalize();
        return ScenarioFile.load(file);
    }

    static Scenario withSignals(Scenario s, List<Scenario.Signal> signals) {
        return new Scenario(
                s.name(),
                s.exchange(),
                s.tiersAsOf(),
                s.from(),
                s.to(),
                s.warmUp(),
                s.wallet(),
                s.positions(),
                s.policySettings(),
                signals);
    }

    static ReplayReport.PositionTrace budgetRun(Scenario scenario) {
        ReplayReport report = new ReplayRunner(TIERS, Settings.defaults()).run(scenario, List.of("budget"), e -> {});
        return report.results().get(0).positions().get(0);
    }

    static List<ReplayReport.ActionEvent> within(ReplayReport.PositionTrace t, Instant from, Duration span) {
        return t.actions().stream()
                .filter(a -> !a.time().isBefore(from) && a.time().isBefore(from.plus(span)))
                .toList();
    }

    @Test
    void a_quarter_of_the_conviction_cuts_on_the_next_mark_and_none_closes() {
        Scenario plain = ftx();
        Instant half = plain.from().plus(Duration.ofHours(2));
        Instant zero = plain.from().plus(Duration.ofHours(6));
        String symbol = plain.positions().get(0).symbol();

        ReplayReport.PositionTrace without = budgetRun(plain);
        ReplayReport.PositionTrace with = budgetRun(withSignals(
                plain,
                List.of(
                        new Scenario.Signal(half, symbol, new BigDecimal("0.25")),
                        new Scenario.Signal(zero, symbol, BigDecimal.ZERO))));

        assertThat(within(without, half, Duration.ofHours(1)))
                .as("no signal, no action")
                .isEmpty();
        List<ReplayReport.ActionEvent> onHalf = within(with, half, Duration.ofMinutes(10));
        assertThat(onHalf).as("a cut right after a quarter of the conviction").isNotEmpty();
        assertThat(onHalf.get(0).kind()).isEqualTo("cut");
        List<ReplayReport.ActionEvent> onZero = within(with, zero, Duration.ofMinutes(10));
        assertThat(onZero).extracting(ReplayReport.ActionEvent::kind).contains("close");
        assertThat(with.qtyAtEnd()).isZero();
        assertThat(with.liquidatedAt()).isEmpty();
    }
}
