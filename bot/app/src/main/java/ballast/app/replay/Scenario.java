package ballast.app.replay;

import ballast.app.config.SettingsFile;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A stress test anyone can describe: which venue's rules, which window of history, what account and positions, and
 * which policy. Loaded from YAML by {@link ScenarioFile}; data paths are already resolved against the scenario's folder.
 * {@code policySettings} is the scenario's {@code policy:} section, laid over the profile's when settings are read.
 */
public record Scenario(
        String name,
        Venue exchange,
        Optional<LocalDate> tiersAsOf,
        Instant from,
        Instant to,
        BigDecimal wallet,
        List<PositionSpec> positions,
        Optional<SettingsFile.Layer> policySettings) {

    public Scenario {
        positions = List.copyOf(positions);
    }

    /** One position, opened at the first candle's open inside the window. */
    public record PositionSpec(
            String symbol,
            Side side,
            BigDecimal leverage,
            BigDecimal margin,
            MarginMode marginMode,
            Path candles,
            Optional<Path> mark,
            Optional<Path> funding) {}
}
