package ballast.app.replay;

import ballast.app.config.SettingsFile;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A stress test anyone can describe: which venue's rules, which window of history, what account and positions, and
 * which policy. Loaded from YAML by {@link ScenarioFile}; data paths (files or folders) are already resolved against
 * the scenario's folder. {@code policySettings} is the scenario's {@code policy:} section, laid over the profile's when
 * settings are read. {@code warmUp} is how much history before {@code from} the engine watches, with no position yet,
 * so that its volatility estimate starts from the market rather than from its floor. {@code signals} are the trader's
 * conviction over the window, in time order.
 */
public record Scenario(
        String name,
        Venue exchange,
        Optional<LocalDate> tiersAsOf,
        Instant from,
        Instant to,
        Duration warmUp,
        BigDecimal wallet,
        List<PositionSpec> positions,
        Optional<SettingsFile.Layer> policySettings,
        List<Signal> signals) {

    /** Twelve times the default volatility memory (2h): what the first mark's estimate owes its start is e^-12. */
    public static final Duration DEFAULT_WARM_UP = Duration.ofDays(1);

    public Scenario {
        positions = List.copyOf(positions);
        signals = signals.stream()
                .sorted(java.util.Comparator.comparing(Signal::at))
                .toList();
    }

    /** A scenario without the trader's signals: conviction 1 throughout. */
    public Scenario(
            String name,
            Venue exchange,
            Optional<LocalDate> tiersAsOf,
            Instant from,
            Instant to,
            Duration warmUp,
            BigDecimal wallet,
            List<PositionSpec> positions,
            Optional<SettingsFile.Layer> policySettings) {
        this(name, exchange, tiersAsOf, from, to, warmUp, wallet, positions, policySettings, List.of());
    }

    /**
     * The trader's conviction in their positions on {@code symbol} from {@code at} on, in [0, 1]: the replay hands it to
     * the engine at that time, as the live bot will when the trader sends it. A policy may hold less with less of it,
     * never more than its budget allows.
     */
    public record Signal(Instant at, String symbol, BigDecimal conviction) {}

    /**
     * One position, opened at the first candle's open inside the window. {@code mmr} and {@code maintAmount} give the
     * maintenance rate where no risk tiers are shipped for the venue and symbol (a flat, one-tier table); {@code where}
     * names it in messages ({@code ftx.yaml:9: positions[0]}).
     */
    public record PositionSpec(
            String symbol,
            Side side,
            BigDecimal leverage,
            BigDecimal margin,
            MarginMode marginMode,
            Path candles,
            Optional<Path> mark,
            Optional<Path> funding,
            Optional<BigDecimal> mmr,
            BigDecimal maintAmount,
            String where) {

        /** A position on the shipped tiers, named by its symbol in messages. */
        public PositionSpec(
                String symbol,
                Side side,
                BigDecimal leverage,
                BigDecimal margin,
                MarginMode marginMode,
                Path candles,
                Optional<Path> mark,
                Optional<Path> funding) {
            this(
                    symbol,
                    side,
                    leverage,
                    margin,
                    marginMode,
                    candles,
                    mark,
                    funding,
                    Optional.empty(),
                    BigDecimal.ZERO,
                    "position " + symbol);
        }
    }
}
