package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fast moves between marks close together (a replay's candle boundary is a millisecond wide; a live feed can jump in
 * one frame) count as much in the fixed-point volatility as in the exact one, and a larger move never counts for less:
 * the mean takes a jump's weight before its square would overflow.
 */
class FixedMonitorJumpTest {

    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final MathContext MC = new MathContext(12);

    static BigDecimal sigmaAfterJump(Monitor monitor, String jump, long millisApart) {
        Monitor.SymbolMonitor symbol = monitor.symbol(Engine.Params.defaults());
        BigDecimal price = new BigDecimal("60000");
        symbol.mark(T0, price);
        BigDecimal after = price.multiply(BigDecimal.ONE.add(new BigDecimal(jump)));
        symbol.mark(T0.plusMillis(millisApart), after);
        return symbol.sigma(true, Duration.ofMillis(millisApart).toNanos());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 100, 1000, 60_000})
    void a_jump_counts_as_in_the_exact_monitor_however_close_the_marks(long millisApart) {
        BigDecimal previous = BigDecimal.ZERO;
        for (String jump : List.of("0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "0.5", "-0.5")) {
            BigDecimal exact = sigmaAfterJump(Monitor.EXACT, jump, millisApart);
            BigDecimal fixed = sigmaAfterJump(Monitor.FIXED, jump, millisApart);
            assertThat(fixed.subtract(exact).abs())
                    .as("a %s jump %d ms after the last mark: fixed %s, exact %s", jump, millisApart, fixed, exact)
                    .isLessThanOrEqualTo(exact.multiply(new BigDecimal("1e-7")).max(new BigDecimal("1e-9")));
            if (!jump.startsWith("-")) {
                assertThat(fixed).as("a larger jump never counts for less").isGreaterThanOrEqualTo(previous);
                previous = fixed;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1m", "1h"})
    void a_wide_candle_counts_as_in_the_exact_monitor(String interval) {
        Duration span = interval.equals("1m") ? Duration.ofMinutes(1) : Duration.ofHours(1);
        for (String low : List.of("59000", "50000", "30000", "10000")) {
            Monitor.SymbolMonitor exact = Monitor.EXACT.symbol(Engine.Params.defaults());
            Monitor.SymbolMonitor fixed = Monitor.FIXED.symbol(Engine.Params.defaults());
            for (Monitor.SymbolMonitor symbol : List.of(exact, fixed)) {
                symbol.candle(new BigDecimal("60000"), new BigDecimal("59900"), span);
                symbol.candle(new BigDecimal("60000"), new BigDecimal(low), span);
            }
            BigDecimal e = exact.sigma(false, 0);
            BigDecimal f = fixed.sigma(false, 0);
            assertThat(f.subtract(e).abs())
                    .as("a candle from %s to 60000 over %s: fixed %s, exact %s", low, interval, f, e)
                    .isLessThanOrEqualTo(e.multiply(new BigDecimal("1e-7")).max(new BigDecimal("1e-9")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.1", "0.5", "0.9", "0.99"})
    void a_floor_beyond_the_fixed_point_is_taken_as_the_exact_monitor_takes_it(String floor) {
        // A one-second horizon with a floor of tens of percent: the floor's variance per second does not fit a long.
        Engine.Params params = new Engine.Params(
                Duration.ofSeconds(1),
                Duration.ofHours(2),
                new BigDecimal(floor),
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                java.util.Optional.empty());
        Monitor.SymbolMonitor exact = Monitor.EXACT.symbol(params);
        Monitor.SymbolMonitor fixed = Monitor.FIXED.symbol(params);
        BigDecimal price = new BigDecimal("60000");
        for (int i = 0; i < 50; i++) {
            price = price.multiply(i % 2 == 0 ? new BigDecimal("1.02") : new BigDecimal("0.99"));
            exact.mark(T0.plusSeconds(i), price);
            fixed.mark(T0.plusSeconds(i), price);
            assertThat(fixed.sigma(true, 1_000_000_000L))
                    .as("σ after %d marks at a floor of %s over one second", i + 1, floor)
                    .isEqualByComparingTo(exact.sigma(true, 1_000_000_000L));
        }
    }

    @org.junit.jupiter.api.Test
    void a_horizon_and_a_memory_are_whole_seconds_and_at_least_one() {
        for (Duration wrong : List.of(Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1500))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Engine.Params(
                            Duration.ofMinutes(30),
                            wrong,
                            new BigDecimal("0.01"),
                            Duration.ofHours(1),
                            Duration.ofSeconds(30),
                            java.util.Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("memory must be whole seconds, at least 1 s");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Engine.Params(
                            wrong,
                            Duration.ofHours(2),
                            new BigDecimal("0.01"),
                            Duration.ofHours(1),
                            Duration.ofSeconds(30),
                            java.util.Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("whole seconds, at least 1 s");
        }
    }
}
