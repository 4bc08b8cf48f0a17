package ballast.exchange.paper;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The paper venue skips its maintenance check for marks inside a range it has already found safe; on random walks
 * (both sides, leverage 1–100, moves up to 2 % with jumps of 10 %, across Binance's brackets and brackets that do not
 * meet, with margin added and
 * removed on the way, funding paid and received at the marks, with and without the exchange's auto-add) it liquidates,
 * or auto-adds, at exactly the marks where the full check says so.
 */
class PaperSafeRangeProperties {

    static final RiskTierTable BTC = ShippedRiskTiers.load()
            .find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
            .table();
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");

    @Provide
    Arbitrary<Venue> venues() {
        return Arbitraries.of(Venue.BINANCE, Venue.BYBIT, Venue.OKX);
    }

    /**
     * Brackets whose maintenance jumps up at every floor (no amount makes them meet): a long's margin balance less its
     * maintenance falls there as the mark rises, so a safe mark proves nothing beyond the bracket.
     */
    static final RiskTierTable STEPPED = stepped();

    private static RiskTierTable stepped() {
        String[] floors = {"0", "10000", "20000", "40000", "80000", "160000"};
        String[] rates = {"0.004", "0.02", "0.05", "0.09", "0.15", "0.25"};
        List<RiskTier> tiers = new java.util.ArrayList<>();
        for (int i = 0; i < floors.length; i++) {
            BigDecimal cap = i + 1 < floors.length ? new BigDecimal(floors[i + 1]) : RiskTierTable.UNBOUNDED;
            tiers.add(new RiskTier(
                    i + 1, new BigDecimal(floors[i]), cap, 100 / (i + 1), new BigDecimal(rates[i]), BigDecimal.ZERO));
        }
        return new RiskTierTable("BTCUSDT", "stepped", tiers);
    }

    /**
     * On brackets that do not meet, a long can be liquidated by a rise: from 9,990 to 10,010 its notional enters a bracket
     * that asks 2 % where the last asked 0.4 %, more than the rise and its margin cover. A mark found safe below proves
     * nothing above the bracket's edge.
     */
    @Example
    void a_long_rising_into_a_bracket_that_asks_more_than_it_has_is_liquidated() {
        PaperVenue paper = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("1000000"));
        paper.open(
                "BTCUSDT",
                Side.LONG,
                MarginMode.ISOLATED,
                BigDecimal.ONE,
                new BigDecimal("9990"),
                new BigDecimal("160"),
                BigDecimal.valueOf(100),
                STEPPED.tiers());
        assertThat(paper.onPrice("BTCUSDT", T0, new BigDecimal("9990"), new BigDecimal("9990")))
                .isEmpty();
        assertThat(paper.onPrice("BTCUSDT", T0.plusSeconds(1), new BigDecimal("10010"), new BigDecimal("10010")))
                .hasExactlyElementsOfTypes(PaperVenue.VenueEvent.Liquidated.class);
    }

    @Provide
    Arbitrary<RiskTierTable> tables() {
        return Arbitraries.of(BTC, BTC, STEPPED);
    }

    @Property(tries = 400)
    void the_venue_acts_exactly_where_the_full_check_says(
            @ForAll("tables") RiskTierTable table,
            @ForAll long seed,
            @ForAll Side side,
            @ForAll @IntRange(min = 1, max = 100) int leverage,
            @ForAll boolean autoAdd,
            @ForAll("venues") Venue venue) {
        Random random = new Random(seed);
        BigDecimal entry = new BigDecimal("60000");
        BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(200), 2); // 0.01 to 2 BTC: brackets 1 to 3
        BigDecimal margin = qty.multiply(entry).divide(BigDecimal.valueOf(leverage), 2, RoundingMode.UP);
        PaperVenue.Config config = new PaperVenue.Config(
                        venue,
                        new BigDecimal("0.0005"),
                        BigDecimal.ZERO,
                        new BigDecimal("0.0125"),
                        venue == Venue.OKX,
                        false)
                .withAutoAddMargin(autoAdd);
        PaperVenue paper = new PaperVenue(config, new BigDecimal("1000000"));
        paper.open(
                "BTCUSDT", side, MarginMode.ISOLATED, qty, entry, margin, BigDecimal.valueOf(leverage), table.tiers());
        BigDecimal mark = entry;
        int checks = 0;
        int acted = 0;
        for (int i = 0; i < 400 && paper.holding("BTCUSDT", side).isPresent(); i++) {
            long basisPoints =
                    random.nextInt(25) == 0 ? (random.nextBoolean() ? 1000 : -1000) : random.nextInt(401) - 200;
            mark = mark.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(basisPoints, 4)))
                    .setScale(2, RoundingMode.HALF_EVEN);
            if (random.nextInt(50) == 0) {
                paper.addMargin("BTCUSDT", side, new BigDecimal("100"));
            }
            if (random.nextInt(50) == 0) {
                paper.removeMargin("BTCUSDT", side, new BigDecimal("50"));
            }
            boolean expected = paper.wouldLiquidate("BTCUSDT", side, mark);
            List<PaperVenue.VenueEvent> events = paper.onPrice("BTCUSDT", T0.plusSeconds(i), mark, mark);
            boolean happened = events.stream()
                    .anyMatch(e -> e instanceof PaperVenue.VenueEvent.Liquidated
                            || e instanceof PaperVenue.VenueEvent.AutoAdded);
            assertThat(happened).as("mark %s, step %d", mark, i).isEqualTo(expected);
            checks++;
            acted += happened ? 1 : 0;
            if (paper.holding("BTCUSDT", side).isPresent() && random.nextInt(8) == 0) {
                // A funding settlement at the last mark, paid or received (up to 0.3 %, far beyond the usual 0.01 %):
                // a payment received never liquidates, and the marks after it are still checked exactly right.
                BigDecimal rate = BigDecimal.valueOf(random.nextInt(61) - 30, 4);
                List<PaperVenue.VenueEvent> settled = paper.onFunding("BTCUSDT", T0.plusSeconds(i), rate, mark);
                boolean received = settled.stream()
                        .anyMatch(e -> e instanceof PaperVenue.VenueEvent.FundingPaid f
                                && f.cashFlow().signum() > 0);
                boolean liquidated = settled.stream().anyMatch(e -> e instanceof PaperVenue.VenueEvent.Liquidated);
                if (received) {
                    assertThat(liquidated)
                            .as("received at %s, step %d", mark, i)
                            .isFalse();
                }
                if (paper.holding("BTCUSDT", side).isPresent()) {
                    assertThat(paper.wouldLiquidate("BTCUSDT", side, mark))
                            .as("kept after funding at %s, step %d", mark, i)
                            .isFalse();
                }
                Statistics.label("funding").collect(received ? "received" : liquidated ? "liquidated" : "paid");
            }
        }
        Statistics.label("venue acted").collect(acted == 0 ? "never" : "at least once");
        assertThat(checks).isPositive();
    }

    /**
     * One full check proves a reach beyond its own mark: every mark from that mark to the edge of the safe range it
     * hands out (found unit by unit from the range's own answers) passes the full check, on every venue and both sides,
     * in every bracket a position of up to 20 BTC reaches. On brackets that meet, the reach is no toy: at least half of
     * the way to the liquidation price (a long's slope is its size times one less its rate, a short's times one plus
     * the highest rate it can cross).
     */
    @Property(tries = 600)
    void every_mark_a_check_proves_safe_passes_the_full_check(
            @ForAll("tables") RiskTierTable table,
            @ForAll long seed,
            @ForAll Side side,
            @ForAll @IntRange(min = 1, max = 125) int leverage,
            @ForAll("venues") Venue venue) {
        Random random = new Random(seed);
        BigDecimal entry = new BigDecimal("60000");
        BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(2000), 2);
        BigDecimal margin = qty.multiply(entry).divide(BigDecimal.valueOf(leverage), 2, RoundingMode.UP);
        PaperVenue.Config config = new PaperVenue.Config(
                venue, new BigDecimal("0.0005"), BigDecimal.ZERO, new BigDecimal("0.0125"), venue == Venue.OKX, false);
        PaperVenue paper = new PaperVenue(config, new BigDecimal("10000000"));
        paper.open(
                "BTCUSDT", side, MarginMode.ISOLATED, qty, entry, margin, BigDecimal.valueOf(leverage), table.tiers());
        // A mark somewhere between the entry and a little past where 1/leverage of a move would take it, either way.
        long bp = random.nextInt(2 * 10_000 / leverage + 1) - 10_000 / leverage;
        BigDecimal mark = entry.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(bp, 4)))
                .setScale(random.nextInt(9), RoundingMode.HALF_EVEN);
        if (paper.wouldLiquidate("BTCUSDT", side, mark)) {
            return;
        }
        assertThat(paper.onPrice("BTCUSDT", T0, mark, mark)).isEmpty();
        PaperVenue.SafeRun run = paper.safeRun("BTCUSDT");
        assertThat(run).isNotNull();
        long at = mark.setScale(8, side == Side.LONG ? RoundingMode.CEILING : RoundingMode.FLOOR)
                .movePointRight(8)
                .longValueExact();
        long step = side == Side.LONG ? -1 : 1;
        // The edge: the last safe unit walking from the mark towards liquidation (the range is one interval).
        long inside = run.safe(at) ? at : at - step;
        long far = inside;
        long jump = 1;
        while (far + step * jump > 0 && run.safe(far + step * jump)) {
            far += step * jump;
            jump *= 2;
        }
        long lo = Math.min(far, far + step * jump);
        long hi = Math.max(far, far + step * jump);
        long edge = far;
        while (hi - lo > 1) { // the safe range is an interval: bisect between a safe unit and an unsafe one
            long mid = (lo + hi) >>> 1;
            if (run.safe(mid)) {
                edge = side == Side.LONG ? Math.min(edge, mid) : Math.max(edge, mid);
                if (side == Side.LONG) hi = mid;
                else lo = mid;
            } else {
                if (side == Side.LONG) lo = mid;
                else hi = mid;
            }
        }
        if (!run.safe(inside)) {
            return; // nothing proved beyond the mark itself (it lies between two units)
        }
        // The range itself, not only the run's view of it (which keeps one more unit inside): its edge towards
        // liquidation passes the full check, and the venue's own price step there agrees.
        BigDecimal[] range = paper.safeRange("BTCUSDT", side);
        assertThat(range).isNotNull();
        BigDecimal rangeEdge = side == Side.LONG ? range[0] : range[1];
        assertThat(paper.wouldLiquidate("BTCUSDT", side, rangeEdge))
                .as("range edge %s after a check at %s", rangeEdge, mark)
                .isFalse();
        BigDecimal edgeMark = BigDecimal.valueOf(edge, 8);
        assertThat(paper.wouldLiquidate("BTCUSDT", side, edgeMark))
                .as("edge %s after a check at %s", edgeMark, mark)
                .isFalse();
        for (int i = 0; i < 20; i++) {
            long between = edge + (long) (random.nextDouble() * (inside - edge));
            assertThat(paper.wouldLiquidate("BTCUSDT", side, BigDecimal.valueOf(between, 8)))
                    .isFalse();
        }
        if (table != STEPPED) {
            // The liquidation price, to 10⁻⁸: the first unit past the edge where the full check liquidates.
            long safe = edge;
            long gone = side == Side.LONG ? 0 : edge * 4;
            while (Math.abs(gone - safe) > 1) {
                long mid = (safe + gone) / 2;
                if (paper.wouldLiquidate("BTCUSDT", side, BigDecimal.valueOf(mid, 8))) gone = mid;
                else safe = mid;
            }
            assertThat(Math.abs(edge - at) * 2)
                    .as("the reach from %s (edge %s, liquidation %s)", mark, edgeMark, BigDecimal.valueOf(gone, 8))
                    .isGreaterThanOrEqualTo(Math.abs(gone - at) - 2);
        }
    }

    /**
     * On an entry-value venue a short's excess over maintenance falls exactly one per unit of qty and mark: from 100,
     * with 10 of margin and 0.5 of maintenance, it is gone at 109.5, so the proved reach must stop short of it.
     */
    @Example
    void a_reach_stops_short_of_where_the_excess_is_gone() {
        PaperVenue paper = new PaperVenue(
                new PaperVenue.Config(
                        Venue.BYBIT, new BigDecimal("0.0005"), BigDecimal.ZERO, new BigDecimal("0.0125"), false, false),
                new BigDecimal("1000"));
        List<RiskTier> one = List.of(new RiskTier(
                1, BigDecimal.ZERO, RiskTierTable.UNBOUNDED, 100, new BigDecimal("0.005"), BigDecimal.ZERO));
        paper.open(
                "BTCUSDT",
                Side.SHORT,
                MarginMode.ISOLATED,
                BigDecimal.ONE,
                new BigDecimal("100"),
                BigDecimal.TEN,
                BigDecimal.TEN,
                one);
        assertThat(paper.onPrice("BTCUSDT", T0, new BigDecimal("100"), new BigDecimal("100")))
                .isEmpty();
        assertThat(paper.safeRange("BTCUSDT", Side.SHORT)[1]).isLessThan(new BigDecimal("109.5"));
        assertThat(paper.onPrice("BTCUSDT", T0.plusSeconds(1), new BigDecimal("109.5"), new BigDecimal("109.5")))
                .hasExactlyElementsOfTypes(PaperVenue.VenueEvent.Liquidated.class);
    }

    /**
     * Brackets that meet but start above zero: a notional under the first floor is asked the last bracket's rate, so
     * the maintenance jumps at the first floor and a check proves no reach. A short opened at 50 (notional 50, asked
     * 50 · 0.5 − 490 &lt; 0) is liquidated at 100, where the first bracket asks 1 and it holds −40.
     */
    @Example
    void brackets_that_start_above_zero_prove_no_reach() {
        PaperVenue paper = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("1000"));
        List<RiskTier> brackets = List.of(
                new RiskTier(
                        1, new BigDecimal("100"), new BigDecimal("1000"), 100, new BigDecimal("0.01"), BigDecimal.ZERO),
                new RiskTier(
                        2,
                        new BigDecimal("1000"),
                        RiskTierTable.UNBOUNDED,
                        2,
                        new BigDecimal("0.5"),
                        new BigDecimal("490")));
        paper.open(
                "BTCUSDT",
                Side.SHORT,
                MarginMode.ISOLATED,
                BigDecimal.ONE,
                new BigDecimal("50"),
                BigDecimal.TEN,
                BigDecimal.valueOf(5),
                brackets);
        assertThat(paper.onPrice("BTCUSDT", T0, new BigDecimal("50"), new BigDecimal("50")))
                .isEmpty();
        assertThat(paper.wouldLiquidate("BTCUSDT", Side.SHORT, new BigDecimal("100")))
                .isTrue();
        assertThat(paper.onPrice("BTCUSDT", T0.plusSeconds(1), new BigDecimal("100"), new BigDecimal("100")))
                .hasExactlyElementsOfTypes(PaperVenue.VenueEvent.Liquidated.class);
    }
}
