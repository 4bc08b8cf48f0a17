package ballast.strategies;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The ladder's thresholds. Distances are in units of the mark's volatility over the monitor's horizon (z); the
 * percent floors catch jumps that volatility does not predict.
 *
 * @param warnZ below this z the level is at least WARN
 * @param topUpZ below this z, add margin back up to {@code targetZ}
 * @param cutZ below this z, cut (re-adding the released margin) back up to {@code targetZ}
 * @param closeZ below this z, close
 * @param hysteresis a level is left only when z is above its threshold × (1 + hysteresis)
 * @param targetZ where a top-up or a cut puts the liquidation price, in z
 * @param minTargetPct the least distance, in percent of the mark, a top-up or a cut aims for
 * @param cutFloorPct below this distance (percent) the level is at least CUT, whatever z says
 * @param closeFloorPct below this distance (percent) the position is closed
 * @param releaseZ above this z (after {@code releaseAfter} in WATCH) surplus margin is released
 * @param releaseTargetZ a release keeps the liquidation price at least this far, in z
 * @param releaseMinPct a release smaller than this share of the wallet (percent) is not worth a request
 * @param cascadeZPerMinute z falling faster than this per minute is a cascade: cut rather than top up
 * @param cooldown the least time between two actions on a position
 * @param cutCooldown the least time between two cuts once the level is CUT or worse
 * @param maxCutShare the largest share of the position one cut takes (percent)
 * @param maxTopUpsPerEpisode top-ups allowed before the ladder cuts instead
 * @param staleAfter a mark older than this puts the position at WARN at least, with an alert
 */
public record LadderParams(
        BigDecimal warnZ,
        BigDecimal topUpZ,
        BigDecimal cutZ,
        BigDecimal closeZ,
        BigDecimal hysteresis,
        BigDecimal targetZ,
        BigDecimal minTargetPct,
        BigDecimal cutFloorPct,
        BigDecimal closeFloorPct,
        BigDecimal releaseZ,
        BigDecimal releaseTargetZ,
        BigDecimal releaseMinPct,
        BigDecimal cascadeZPerMinute,
        Duration cooldown,
        Duration cutCooldown,
        BigDecimal maxCutShare,
        int maxTopUpsPerEpisode,
        Duration staleAfter) {

    public LadderParams {
        require(
                closeZ.compareTo(cutZ) < 0 && cutZ.compareTo(topUpZ) < 0 && topUpZ.compareTo(warnZ) < 0,
                "z thresholds must rise: closeZ < cutZ < topUpZ < warnZ");
        require(targetZ.compareTo(topUpZ) > 0, "targetZ must be above topUpZ, or a top-up would not leave the level");
        require(
                releaseTargetZ.compareTo(warnZ) > 0 && releaseZ.compareTo(releaseTargetZ) > 0,
                "warnZ < releaseTargetZ < releaseZ, or a release would put the position straight back into danger");
        require(closeFloorPct.compareTo(cutFloorPct) < 0, "closeFloorPct must be below cutFloorPct");
        require(hysteresis.signum() >= 0, "hysteresis must be >= 0");
        require(
                maxCutShare.signum() > 0 && maxCutShare.compareTo(BigDecimal.valueOf(100)) <= 0,
                "maxCutShare must be in (0, 100]");
        require(maxTopUpsPerEpisode >= 0, "maxTopUpsPerEpisode must be >= 0");
        require(!cooldown.isNegative() && !cutCooldown.isNegative(), "cooldowns must be >= 0");
    }

    /** The defaults: tuned on the shared crash days (see docs/benchmarks.md, "Cost of protection"). */
    public static LadderParams defaults() {
        return new LadderParams(
                new BigDecimal("6"),
                new BigDecimal("4"),
                new BigDecimal("3"),
                new BigDecimal("1.25"),
                new BigDecimal("0.25"),
                new BigDecimal("6"),
                new BigDecimal("6"),
                new BigDecimal("3"),
                new BigDecimal("1"),
                new BigDecimal("14"),
                new BigDecimal("10"),
                new BigDecimal("5"),
                new BigDecimal("-1"),
                Duration.ofMinutes(5),
                Duration.ofMinutes(1),
                new BigDecimal("34"),
                1,
                Duration.ofSeconds(30));
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("ladder: " + rule);
        }
    }
}
