package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.cli.DemoCommand;
import ballast.app.config.Settings;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exchange-side backstop on the shipped FTX window, with a bot that can act only every few hours (an outage, a
 * ban, a dead process): the venue's own stop closes what the bot cannot, before the liquidation price. Without it the
 * same positions are liquidated.
 */
class BackstopReplayTest {

    static ReplayReport.PolicyRun run(Settings settings, String policy, Duration reactEvery) throws Exception {
        Path data = DemoCommand.unpack();
        try {
            Scenario scenario = ScenarioFile.load(data.resolve("scenario.yaml"));
            return new ReplayRunner(ShippedRiskTiers.load(), settings)
                    .reactingEvery(reactEvery)
                    .run(scenario, List.of(policy), e -> {})
                    .results()
                    .get(0);
        } finally {
            DemoCommand.delete(data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ladder", "budget"})
    void a_bot_that_cannot_act_is_closed_by_its_backstop_before_liquidation(String policy) throws Exception {
        Settings on = Settings.defaults();
        Settings off = withoutBackstop(on);
        Duration blind = Duration.ofHours(24);
        ReplayReport.PolicyRun without = run(off, policy, blind);
        ReplayReport.PolicyRun with = run(on, policy, blind);
        assertThat(without.summary().liquidations()).isPositive();
        assertThat(with.summary().liquidations()).isZero();
        assertThat(with.positions().stream().flatMap(p -> p.actions().stream()))
                .anySatisfy(a -> assertThat(a.kind()).isEqualTo("backstop"));
        assertThat(with.summary().finalEquity()).isGreaterThan(without.summary().finalEquity());
    }

    @org.junit.jupiter.api.Test
    void a_symbol_with_its_backstop_off_is_liquidated_while_the_other_is_closed_by_its_own() throws Exception {
        Settings on = Settings.defaults();
        Settings off = withoutBackstop(on);
        Settings ethOff = new Settings(
                on.engine(),
                on.gate(),
                on.policy(),
                on.budget(),
                on.ladder(),
                on.bufferExit(),
                on.paper(),
                java.util.Map.of("ETHUSDT", off));
        Duration blind = Duration.ofHours(24);
        ReplayReport.PolicyRun mixed = run(ethOff, "ladder", blind);
        ReplayReport.PolicyRun all = run(on, "ladder", blind);
        // With its backstop, ETHUSDT is closed by it before liquidation; without, it is liquidated.
        assertThat(trace(all, "ETHUSDT").actions())
                .anySatisfy(a -> assertThat(a.kind()).isEqualTo("backstop"));
        assertThat(trace(all, "ETHUSDT").liquidatedAt()).isEmpty();
        assertThat(trace(mixed, "ETHUSDT").actions())
                .noneSatisfy(a -> assertThat(a.kind()).isEqualTo("backstop"));
        assertThat(trace(mixed, "ETHUSDT").liquidatedAt()).isPresent();
        // BTCUSDT keeps the common settings: the same run as with every backstop on.
        assertThat(trace(mixed, "BTCUSDT")).isEqualTo(trace(all, "BTCUSDT"));
    }

    static Settings withoutBackstop(Settings on) {
        return new Settings(
                on.engine().withBackstop(Optional.empty()),
                on.gate(),
                on.policy(),
                on.budget(),
                on.ladder(),
                on.bufferExit(),
                on.paper());
    }

    static ReplayReport.PositionTrace trace(ReplayReport.PolicyRun run, String symbol) {
        return run.positions().stream()
                .filter(p -> p.symbol().equals(symbol))
                .findFirst()
                .orElseThrow();
    }
}
