package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A quiet run tells σ's bands from the marks' variance, without the square root ({@link
 * FixedMonitor.Symbol#sigmaWithin}): exactly where σ worked out ({@link FixedMonitor.Symbol#units}) lies, at the
 * thresholds themselves, over a floor and a candles' σ, and it refuses to tell wherever σ must be worked out (a wait
 * slower than the horizon, or a variance beyond the fixed point, where σ is -1).
 */
class SigmaBandProperties {

    @Property(tries = 5000)
    void the_variance_tells_what_sigma_tells(
            @ForAll("horizons") long horizonSeconds,
            @ForAll @IntRange(min = 1, max = 2000) int floorBasisPoints,
            @ForAll("sigmas") long low,
            @ForAll("sigmas") long high,
            @ForAll("variances") long anyVariance,
            @ForAll @IntRange(min = 0, max = 6) int near,
            @ForAll boolean ranged,
            @ForAll @LongRange(min = 1, max = 400_000_000L) long rangeHigh,
            @ForAll @LongRange(min = 0, max = 3) long slowestHorizons) {
        Engine.Params params = new Engine.Params(
                Duration.ofSeconds(horizonSeconds),
                Duration.ofHours(2),
                BigDecimal.valueOf(floorBasisPoints, 4),
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Optional.empty(),
                Map.of());
        FixedMonitor.Symbol symbol;
        try {
            symbol = new FixedMonitor.Symbol(params);
        } catch (ArithmeticException floorBeyondFixedPoint) {
            // A horizon of a few seconds with a high floor: the floor's variance per second leaves the fixed point,
            // and the monitor is built in BigDecimal instead.
            Assume.that(false);
            return;
        }
        if (ranged) {
            // A candle's range: the ranges' σ joins the floor as what σ is at least.
            symbol.candle(6_000_000_000_000L + rangeHigh * 10_000, 6_000_000_000_000L, 3600);
        }
        long[] band = symbol.varianceBand(low, high);
        // Some variances at the thresholds themselves, one either side of each, the rest anywhere.
        long v = switch (near) {
            case 0 -> band[2] - 1;
            case 1 -> band[2];
            case 2 -> band[3];
            case 3 -> band[3] + 1;
            default -> anyVariance;
        };
        v = Math.max(0, v);
        long slowest = slowestHorizons * horizonSeconds * 1_000_000_000L / 2 + 1_000_000L;
        int any = symbol.sigmaWithin(v, slowest, FixedMonitor.Symbol.ANY_SIGMA);
        int within = symbol.sigmaWithin(v, slowest, band);
        long sigma = symbol.units(v, true, slowest);
        if (sigma < 0) {
            assertThat(any)
                    .as("σ leaves the fixed point: the variance cannot tell")
                    .isEqualTo(-1);
        }
        assertThat(within).as("any band tells where any σ does").isEqualTo(any == -1 ? -1 : within);
        if (within >= 0) {
            assertThat(sigma).isNotNegative();
            assertThat(within == 1)
                    .as("σ %d in [%d, %d] at variance %d (thresholds %d, %d)", sigma, low, high, v, band[2], band[3])
                    .isEqualTo(sigma >= low && sigma <= high);
            assertThat(symbol.sigmaAt(v, symbol.leastSigma()))
                    .as("σ worked out later from the variance and what it was at least")
                    .isEqualTo(sigma);
        }
        Statistics.label("told").collect(within == -1 ? "worked out" : within == 1 ? "inside" : "outside");
    }

    @Provide
    Arbitrary<Long> horizons() {
        // Horizons of ten seconds and less are where ⌊v·H/10⌋ fits a long for every variance, the largest one too.
        return Arbitraries.oneOf(
                Arbitraries.longs().between(60, 2_592_000), Arbitraries.longs().between(1, 12));
    }

    @Provide
    Arbitrary<Long> sigmas() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 60_000_000_000L),
                Arbitraries.longs().between(0, 5_000_000L),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, 3_037_000_499L, 3_037_000_500L));
    }

    @Provide
    Arbitrary<Long> variances() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(0, 1_000_000_000_000_000L),
                Arbitraries.longs().between(0, 10_000_000L),
                Arbitraries.of(Long.MAX_VALUE, Long.MAX_VALUE - 1, 0L));
    }
}
