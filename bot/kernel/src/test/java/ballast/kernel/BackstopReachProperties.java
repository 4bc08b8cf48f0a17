package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A liquidation price that moved no further than {@link Engine#placedReach} from the one a backstop was placed at gives a
 * trigger ({@link Engine#trigger}) within the re-pricing slack (0.05 %) of the backstop: the engine then leaves the
 * backstop where it is without working the trigger out, as it would have after working it out. Liquidation prices from
 * 10⁻⁴ to 10⁷ with up to 34 digits (a quotient's), distances from 0.1 % to 50 %, either side, moves up to the reach.
 */
class BackstopReachProperties {

    private static final BigDecimal SLACK = new BigDecimal("0.0005");

    @Property(tries = 2000)
    void a_move_within_the_reach_keeps_the_trigger_within_the_slack(
            @ForAll @LongRange(min = 1, max = 100_000_000_000L) long units,
            @ForAll @IntRange(min = 0, max = 26) int extraDigits,
            @ForAll @IntRange(min = 1, max = 500) int distancePerMille,
            @ForAll boolean lng,
            @ForAll @IntRange(min = 0, max = 1_000_000) int shareOfReach,
            @ForAll boolean up,
            @ForAll long digits) {
        // A liquidation price of 10⁻⁴ to 10⁷, with as many digits as a DECIMAL128 quotient may have.
        BigDecimal placedAt = BigDecimal.valueOf(units, 4)
                .add(BigDecimal.valueOf(Math.floorMod(digits, 1_000_000_000_000L), 4 + extraDigits))
                .round(MathContext.DECIMAL128);
        BigDecimal d = BigDecimal.valueOf(distancePerMille, 3);
        BigDecimal placed = Engine.trigger(placedAt, d, lng);
        BigDecimal reach = Engine.placedReach(placed, d, lng);
        Statistics.label("reach").collect(reach.signum() >= 0 ? "some" : "none");
        if (reach.signum() < 0) {
            return;
        }
        BigDecimal move = reach.multiply(BigDecimal.valueOf(shareOfReach, 6)).setScale(20, RoundingMode.FLOOR);
        BigDecimal now = up ? placedAt.add(move) : placedAt.subtract(move);
        if (now.signum() <= 0) {
            return;
        }
        BigDecimal trigger = Engine.trigger(now, d, lng);
        assertThat(trigger.subtract(placed).abs()).isLessThanOrEqualTo(placed.multiply(SLACK));
    }

    @Property(tries = 500)
    void the_reach_is_most_of_the_slack_where_the_trigger_is_not_tiny(
            @ForAll @LongRange(min = 10_000, max = 10_000_000_000L) long units,
            @ForAll @IntRange(min = 1, max = 500) int distancePerMille,
            @ForAll boolean lng) {
        // Not so narrow that it never saves a division: for triggers from 1 to 2 · 10⁶ it is at least 90 % of the slack
        // (from 10⁷ up there is none: see placedReach).
        BigDecimal placedAt = BigDecimal.valueOf(units, 4);
        BigDecimal d = BigDecimal.valueOf(distancePerMille, 3);
        BigDecimal placed = Engine.trigger(placedAt, d, lng);
        BigDecimal reach = Engine.placedReach(placed, d, lng);
        BigDecimal full = placed.multiply(SLACK).multiply(lng ? BigDecimal.ONE.subtract(d) : BigDecimal.ONE.add(d));
        assertThat(reach).isGreaterThanOrEqualTo(full.multiply(new BigDecimal("0.9")));
    }
}
