package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Venue;
import ballast.core.margin.MarginRules;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.RiskLevel;
import ballast.core.policy.ScalingPolicy;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A bot that has lately seen a symbol's mark only every hour can act only every hour: the volatility it hands the
 * policy is over that wait, not over the configured horizon alone (variance grows with time: √2 for an hour against a
 * 30-minute horizon), and it goes back to the horizon once the marks come often again for the volatility memory.
 */
class EngineCadenceTest {

    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final String BTC = "BTCUSDT";

    /** Records what the engine hands it; never acts. */
    static final class Recorder implements ScalingPolicy {
        final List<PolicyInput> inputs = new ArrayList<>();

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public Decision decide(PolicyInput input) {
            inputs.add(input);
            return Decision.hold(RiskLevel.WATCH);
        }

        BigDecimal lastSigma() {
            return inputs.getLast().risk().sigma();
        }
    }

    final Recorder policy = new Recorder();
    final Engine engine = new Engine(
            MarginRules.binance(),
            Map.of(
                    BTC,
                    ShippedRiskTiers.load()
                            .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                            .table()),
            policy,
            new Gate(Gate.Params.defaults()),
            Engine.Params.defaults());

    EngineCadenceTest() {
        engine.step(new EngineEvent.BalanceUpdated(T0, new BigDecimal("5000")));
        engine.step(new EngineEvent.PositionUpdated(T0, MonitorAgreementProperties.btcLong("3000")));
    }

    void mark(Duration at) {
        BigDecimal price = new BigDecimal("60000");
        engine.step(new EngineEvent.MarkUpdated(T0.plus(at), BTC, price, price));
    }

    @Test
    void hourly_marks_stretch_sigma_to_the_hour_and_frequent_marks_bring_it_back() {
        BigDecimal floor = Engine.Params.defaults().sigmaFloor();
        for (int minute = 0; minute <= 60; minute++) {
            mark(Duration.ofMinutes(minute));
        }
        assertThat(policy.lastSigma())
                .as("marks every minute: the horizon's floor")
                .isEqualByComparingTo(floor);

        for (int hour = 2; hour <= 5; hour++) {
            mark(Duration.ofHours(hour));
        }
        BigDecimal hourly = floor.multiply(BigDecimal.TWO.sqrt(MathContext.DECIMAL128));
        assertThat(policy.lastSigma())
                .as("marks every hour against a 30-minute horizon: √2 times")
                // The monitor holds σ to ten decimals.
                .isCloseTo(hourly, org.assertj.core.data.Offset.offset(new BigDecimal("1E-10")));

        // Marks every minute again: the hourly waits are remembered for the volatility memory (2h), then forgotten.
        Duration t = Duration.ofHours(5);
        for (int minute = 1; minute <= 60; minute++) {
            mark(t.plusMinutes(minute));
        }
        assertThat(policy.lastSigma()).as("an hour later: still remembered").isGreaterThan(floor);
        for (int minute = 61; minute <= 150; minute++) {
            mark(t.plusMinutes(minute));
        }
        assertThat(policy.lastSigma()).as("after the memory: the floor again").isEqualByComparingTo(floor);
    }
}
