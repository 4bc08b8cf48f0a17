package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.marketdata.MarketDataFiles;
import ballast.core.market.Candle;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link WalkClock}'s shortcuts give what a candle's walk gave before them, to the millisecond and the part: the walk
 * as it was (every step's move summed in {@code BigDecimal}, each quotient rounded to 16 digits) is the oracle, on
 * random candles of every scale and span, on legs cut exactly at a step's edge and a hair either side of it, and on
 * every candle of the shipped scenarios' hourly files.
 */
class WalkClockProperties {

    private static final MathContext MC = MathContext.DECIMAL64;

    /** Into how many parts the walk cut a leg, as it did. */
    static int divisionsAsBefore(BigDecimal from, BigDecimal move) {
        return move.abs()
                .divide(from.multiply(WalkClock.STEP), MC)
                .setScale(0, RoundingMode.CEILING)
                .intValue();
    }

    /** One leg's prices and parts, as the walk made them. */
    private static void leg(List<BigDecimal[]> path, BigDecimal from, BigDecimal to, int leg) {
        BigDecimal move = to.subtract(from);
        if (move.signum() == 0) {
            return;
        }
        int n = divisionsAsBefore(from, move);
        for (int i = 1; i < n; i++) {
            BigDecimal between = from.add(move.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n), MC));
            path.add(new BigDecimal[] {between, BigDecimal.valueOf(leg), BigDecimal.valueOf(i), BigDecimal.valueOf(n)});
        }
        path.add(new BigDecimal[] {to, BigDecimal.valueOf(leg), BigDecimal.valueOf(n), BigDecimal.valueOf(n)});
    }

    /** Checks every step of a candle's path: the clock's offsets against the walk's sums as they were. */
    static int checkCandle(BigDecimal open, BigDecimal first, BigDecimal second, BigDecimal close, long span) {
        List<BigDecimal[]> path = new ArrayList<>();
        path.add(new BigDecimal[] {open, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE});
        leg(path, open, first, 1);
        leg(path, first, second, 2);
        leg(path, second, close, 3);
        BigDecimal total = BigDecimal.ZERO;
        for (int k = 1; k < path.size(); k++) {
            total = total.add(path.get(k)[0].subtract(path.get(k - 1)[0]).abs());
        }
        WalkClock clock = new WalkClock();
        clock.candle(open, first, second, close, span);
        BigDecimal travelled = BigDecimal.ZERO;
        BigDecimal spanDecimal = BigDecimal.valueOf(span);
        for (int k = 0; k < path.size(); k++) {
            if (k > 0) {
                travelled = travelled.add(
                        path.get(k)[0].subtract(path.get(k - 1)[0]).abs());
            }
            long before = total.signum() == 0
                    ? 0
                    : travelled.multiply(spanDecimal).divide(total, MC).longValue();
            BigDecimal[] step = path.get(k);
            int leg = step[1].intValue();
            assertThat(clock.offset(leg, step[2].intValue(), step[3].intValue(), step[0]))
                    .as(
                            "step %d (leg %d, part %s of %s) of %s %s %s %s over %d ms",
                            k, leg, step[2], step[3], open, first, second, close, span)
                    .isEqualTo(before);
        }
        return path.size();
    }

    @Provide
    Arbitrary<BigDecimal> prices() {
        return Arbitraries.oneOf(
                // BTC- and ETH-like prices with cents, and with a futures file's eight decimals.
                Arbitraries.longs().between(100_000, 12_000_000).map(u -> BigDecimal.valueOf(u, 2)),
                Arbitraries.longs()
                        .between(1_000_000_000_000L, 9_000_000_000_000L)
                        .map(u -> BigDecimal.valueOf(u, 8)),
                // Small coins, and whole numbers.
                Arbitraries.longs().between(1, 5_000_000).map(u -> BigDecimal.valueOf(u, 7)),
                Arbitraries.longs().between(1, 200_000).map(BigDecimal::valueOf));
    }

    @Provide
    Arbitrary<Long> spans() {
        return Arbitraries.oneOf(
                Arbitraries.of(59_999L, 299_999L, 899_999L, 3_599_999L, 14_399_999L, 86_399_999L, 604_799_999L),
                Arbitraries.longs().between(1, 3_000_000_000L));
    }

    @Property(tries = 3000)
    void a_candles_steps_fall_where_the_walk_put_them(
            @ForAll("prices") BigDecimal open,
            @ForAll @IntRange(min = -4000, max = 4000) int lowBp,
            @ForAll @IntRange(min = -4000, max = 4000) int highBp,
            @ForAll @IntRange(min = -4000, max = 4000) int closeBp,
            @ForAll boolean longFirst,
            @ForAll("spans") long span) {
        int scale = open.scale();
        BigDecimal low = at(open, Math.min(0, lowBp), scale);
        BigDecimal high = at(open, Math.max(0, highBp), scale);
        BigDecimal close = at(open, closeBp, scale).max(low).min(high);
        int steps = longFirst ? checkCandle(open, low, high, close, span) : checkCandle(open, high, low, close, span);
        Statistics.label("steps").collect(steps < 6 ? "under 6" : steps < 20 ? "6 to 19" : "20 and more");
    }

    /** {@code open} moved by {@code bp} basis points, rounded to {@code scale} and kept above zero. */
    private static BigDecimal at(BigDecimal open, int bp, int scale) {
        BigDecimal p =
                open.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(bp, 4))).setScale(scale, RoundingMode.HALF_UP);
        return p.signum() > 0 ? p : BigDecimal.ONE.movePointLeft(scale);
    }

    @Property(tries = 3000)
    void a_leg_is_cut_where_the_walk_cut_it(
            @ForAll("prices") BigDecimal from,
            @ForAll @IntRange(min = 1, max = 400) int parts,
            @ForAll @IntRange(min = -3, max = 3) int nudge,
            @ForAll boolean down) {
        // A move of exactly `parts` steps, and a hair (a unit of the last digit, or of three more) either side of it.
        BigDecimal exact = from.multiply(WalkClock.STEP).multiply(BigDecimal.valueOf(parts));
        BigDecimal hair = BigDecimal.ONE.movePointLeft(from.scale() + (Math.abs(nudge) > 1 ? 3 : 0));
        BigDecimal move = exact.add(hair.multiply(BigDecimal.valueOf(Integer.signum(nudge))));
        if (move.signum() <= 0) {
            return;
        }
        BigDecimal signed = down ? move.negate() : move;
        assertThat(WalkClock.divisions(from, signed))
                .as("%s moving %s", from, signed)
                .isEqualTo(divisionsAsBefore(from, signed));
    }

    @Example
    void a_quotient_a_hair_over_a_whole_number_is_left_to_the_formula() {
        // 400 · 0.002500000000000001 / 1 = 1.0000000000000004: 16 digits round it to 1, and the walk cut the leg in one
        // part where the exact quotient's ceiling is 2. The shortcut must not answer 2.
        BigDecimal from = new BigDecimal("1.000000000000000000");
        BigDecimal move = new BigDecimal("0.002500000000000001");
        assertThat(divisionsAsBefore(from, move)).isEqualTo(1);
        assertThat(WalkClock.divisions(from, move)).isEqualTo(1);
        assertThat(WalkClock.divisions(from, move.negate())).isEqualTo(1);
    }

    @Example
    void a_whole_number_a_between_price_rounded_down_from_is_left_to_the_formula() {
        // From 146.7 up to 165.5 in 52 parts over an hour: at parts 8, 12, 28 and 48 the exact share of the span is a
        // whole millisecond (553,846 at part 8), and the part's price, rounded down to 16 digits, left the walk's
        // quotient just under it (553,845). Found by a search over small candles.
        BigDecimal open = new BigDecimal("146.7");
        BigDecimal high = new BigDecimal("165.5");
        assertThat(checkCandle(open, high, high, high, 3_599_999)).isEqualTo(53);
        WalkClock clock = new WalkClock();
        clock.candle(open, high, high, high, 3_599_999);
        BigDecimal eighth =
                open.add(high.subtract(open).multiply(BigDecimal.valueOf(8)).divide(BigDecimal.valueOf(52), MC));
        assertThat(clock.offset(1, 8, 52, eighth)).isEqualTo(553_845);
    }

    @Example
    void every_candle_of_the_shipped_hourly_files_walks_as_before() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(Path.of("../../config/scenarios/data"))) {
            files = all.filter(p -> p.getFileName().toString().matches(".*_1h(_mark)?\\.csv"))
                    .sorted()
                    .toList();
        }
        assertThat(files).isNotEmpty();
        long steps = 0;
        for (Path file : files) {
            for (Candle c : MarketDataFiles.loadCandles(file).candles()) {
                steps += checkCandle(c.open(), c.low(), c.high(), c.close(), 3_599_999);
                steps += checkCandle(c.open(), c.high(), c.low(), c.close(), 3_599_999);
                assertThat(WalkClock.divisions(
                                c.open(), c.high().subtract(c.open()).max(BigDecimal.ONE)))
                        .isEqualTo(divisionsAsBefore(
                                c.open(), c.high().subtract(c.open()).max(BigDecimal.ONE)));
            }
        }
        assertThat(steps).isGreaterThan(10_000);
    }
}
