package ballast.core.margin;

import static ballast.core.margin.ExchangeDocCasesTest.cents;
import static ballast.core.margin.ExchangeDocCasesTest.d;
import static ballast.core.margin.ExchangeDocCasesTest.pos;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;

/** margin-math.md §6 (D-1 … D-9): the bot's own actions on real 2024-10-24 brackets, isolated, one-way. */
class DerivedCasesTest {

    static final MarginRules BINANCE = MarginRules.binance();
    static final MarginRules BYBIT = MarginRules.bybit();

    static MarginState d1() {
        return MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "0.5", "60000"), d("3000"), d("10"), DocTables.BINANCE_BTCUSDT_2024_10_24);
    }

    @Test
    void d1_long_10x_tier_1() {
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(d1());
        assertThat(cents(at)).isEqualByComparingTo("54216.87");
        assertThat(at.tier().tier()).isEqualTo(1);
        assertThat(at.rechecks()).isZero();
    }

    @Test
    void d2_top_up_1000() {
        assertThat(cents(BINANCE.afterTopUp(d1(), d("1000")))).isEqualByComparingTo("52208.84");
    }

    @Test
    void d3a_cut_to_half_with_pro_rata_release_leaves_the_price() {
        MarginState after = BINANCE.afterPartialClose(d1(), d("0.25"), PartialCloseRelease.PRO_RATA);
        assertThat(after.wallet()).isEqualByComparingTo("1500");
        assertThat(cents(BINANCE.liquidation(after))).isEqualByComparingTo("54216.87");
    }

    @Test
    void d3b_cut_to_half_keeping_margin() {
        MarginState after = BINANCE.afterPartialClose(d1(), d("0.25"), PartialCloseRelease.KEEP_MARGIN);
        assertThat(cents(BINANCE.liquidation(after))).isEqualByComparingTo("48192.77");
    }

    @Test
    void d4_lower_leverage_10x_to_5x_is_a_top_up_to_6000() {
        MarginRules.TopUp topUp = BINANCE.topUpForLeverage(d1(), d("5"));
        assertThat(topUp.amount()).isEqualByComparingTo("3000");
        assertThat(cents(topUp.after())).isEqualByComparingTo("48192.77");
    }

    @Test
    void d5_tier_4_long_stays_in_tier_4() {
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "100", "60000"), d("300000"), d("20"), DocTables.BINANCE_BTCUSDT_2024_10_24);
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(state);
        assertThat(cents(at)).isEqualByComparingTo("57460.10");
        assertThat(at.tier().tier()).isEqualTo(4);
        assertThat(at.rechecks()).isZero();
    }

    @Test
    void d6_eth_short_25x() {
        var state = MarginState.isolated(
                pos("ETHUSDT", Side.SHORT, "2", "3000"), d("240"), d("25"), DocTables.BINANCE_ETHUSDT_2024_10_24);
        assertThat(cents(BINANCE.liquidation(state))).isEqualByComparingTo("3107.57");
    }

    @Test
    void d7_bracket_recheck_moves_from_tier_4_to_tier_3() {
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "52", "60000"), d("312000"), d("10"), DocTables.BINANCE_BTCUSDT_2024_10_24);
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(state);
        assertThat(cents(at)).isEqualByComparingTo("54334.91");
        assertThat(at.entryTier().tier()).isEqualTo(4);
        assertThat(at.tier().tier()).isEqualTo(3);
        assertThat(at.rechecks()).isEqualTo(1);
        // Without the re-check the tier-4 figure would be 54,323.04: the test would catch an engine that skips it.
        assertThat(cents(at)).isNotEqualByComparingTo("54323.04");
    }

    @Test
    void d8_bybit_long_10x() {
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "1", "60000"), d("6000"), d("10"), DocTables.BYBIT_BTCUSDT);
        assertThat(cents(BYBIT.liquidation(state))).isEqualByComparingTo("54300.00");
    }

    @Test
    void d9_bybit_add_1000() {
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "1", "60000"), d("6000"), d("10"), DocTables.BYBIT_BTCUSDT);
        assertThat(cents(BYBIT.afterTopUp(state, d("1000")))).isEqualByComparingTo("53300.00");
    }

    @Test
    void bybit_partial_close_keeps_the_price_with_no_deduction() {
        // Bybit "Adjust margin", scenario 3: extra margin is reduced in proportion; the liquidation price is unchanged.
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "1", "60000"), d("7000"), d("10"), DocTables.BYBIT_BTCUSDT);
        MarginState after = BYBIT.afterPartialClose(state, d("0.4"), PartialCloseRelease.PRO_RATA);
        assertThat(cents(BYBIT.liquidation(after))).isEqualByComparingTo("53300.00");
    }

    @Test
    void bankruptcy_price_is_where_the_margin_is_gone() {
        assertThat(BINANCE.bankruptcyPrice(d1()).orElseThrow()).isEqualByComparingTo("54000");
        var shortState = MarginState.isolated(
                pos("ETHUSDT", Side.SHORT, "2", "3000"), d("240"), d("25"), DocTables.BINANCE_ETHUSDT_2024_10_24);
        assertThat(BINANCE.bankruptcyPrice(shortState).orElseThrow()).isEqualByComparingTo("3120");
    }

    @Test
    void long_whose_margin_covers_the_notional_has_no_liquidation_price() {
        var covered = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "0.5", "60000"), d("30000"), d("1"), DocTables.BINANCE_BTCUSDT_2024_10_24);
        assertThat(BINANCE.liquidation(covered)).isInstanceOf(Liquidation.Never.class);
        assertThat(BINANCE.bankruptcyPrice(covered)).isEmpty();
        assertThat(BINANCE.distanceToLiquidation(covered, d("60000"))).isEmpty();
        // One cent less and there is a price, tiny but positive.
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(covered.withWallet(d("29999.99")));
        assertThat(at.price()).isPositive().isLessThan(d("0.1"));
        assertThat(BYBIT.liquidation(MarginState.isolated(
                        pos("BTCUSDT", Side.LONG, "1", "60000"), d("60300"), d("1"), DocTables.BYBIT_BTCUSDT)))
                .isInstanceOf(Liquidation.Never.class);
    }

    @Test
    void maintenance_margin_ratio_and_distance_at_a_mark() {
        MarginState state = d1();
        BigDecimal mark = d("57000");
        // Notional 28,500 -> tier 1: MM = 28,500 × 0.4 % = 114; balance = 3,000 − 0.5 × 3,000 = 1,500.
        assertThat(BINANCE.maintenanceMargin(state, mark)).isEqualByComparingTo("114");
        assertThat(BINANCE.marginBalance(state, mark)).isEqualByComparingTo("1500");
        assertThat(BINANCE.marginRatio(state, mark).orElseThrow()).isEqualByComparingTo("0.076");
        BigDecimal distance = BINANCE.distanceToLiquidation(state, mark).orElseThrow();
        // (57,000 − 54,216.867…) / 57,000 = 4.8827 %
        assertThat(distance.setScale(6, RoundingMode.HALF_UP)).isEqualByComparingTo("0.048827");
        // Past the liquidation price the distance is negative, and past bankruptcy there is no ratio.
        assertThat(BINANCE.distanceToLiquidation(state, d("54000")).orElseThrow())
                .isNegative();
        assertThat(BINANCE.marginRatio(state, d("53000"))).isEmpty();
    }

    @Test
    void top_up_to_a_target_distance_lands_on_it() {
        MarginState state = d1();
        BigDecimal mark = d("57000");
        MarginRules.TopUp topUp = BINANCE.topUpFor(state, mark, d("0.10"));
        // Target LP = 51,300: W = 0.5 × 51,300 × 0.004 + 0.5 × (60,000 − 51,300) = 102.6 + 4,350 = 4,452.6 -> +1,452.6
        assertThat(topUp.amount()).isEqualByComparingTo("1452.6");
        assertThat(((Liquidation.At) topUp.after()).price()).isEqualByComparingTo("51300");
        assertThat(BINANCE.topUpFor(state, mark, d("0.01")).amount()).isZero();
    }

    @Test
    void cut_under_pro_rata_cannot_move_a_tier_1_price_so_it_closes() {
        MarginRules.Cut cut = BINANCE.cutFor(d1(), d("57000"), d("0.10"), PartialCloseRelease.PRO_RATA);
        assertThat(cut.closes()).isTrue();
        assertThat(cut.qty()).isEqualByComparingTo("0.5");
    }

    @Test
    void cut_keeping_margin_reaches_the_target_with_the_smallest_cut() {
        BigDecimal mark = d("57000");
        MarginRules.Cut cut = BINANCE.cutFor(d1(), mark, d("0.10"), PartialCloseRelease.KEEP_MARGIN);
        assertThat(cut.closes()).isFalse();
        // Keep W = 3,000 on q': LP(q') = (q'·60,000 − 3,000) / (0.996·q') = 51,300 -> q' = 3,000 / (60,000 − 51,094.8)
        // = 0.336882…
        assertThat(cut.remainingQty().setScale(6, RoundingMode.HALF_UP)).isEqualByComparingTo("0.336882");
        BigDecimal reached = BINANCE.distanceToLiquidation(
                        BINANCE.afterPartialClose(d1(), cut.remainingQty(), PartialCloseRelease.KEEP_MARGIN), mark)
                .orElseThrow();
        assertThat(reached).isGreaterThanOrEqualTo(d("0.10"));
    }

    @Test
    void release_keeps_the_target_distance_and_the_venue_rule() {
        var rich = d1().withWallet(d("6000"));
        BigDecimal mark = d("60000");
        MarginRules.Release release = BINANCE.releasable(rich, mark, d("0.05"));
        // Target LP = 57,000: W = 0.5 × 57,000 × 0.004 + 0.5 × 3,000 = 1,614 -> but initial margin at the mark is
        // 3,000.
        assertThat(release.bindingConstraint()).isEqualTo("initial margin at the mark");
        assertThat(release.amount()).isEqualByComparingTo("3000");
        MarginRules.Release far = BINANCE.releasable(rich, mark, d("0.12"));
        // Target LP = 52,800: W = 105.6 + 3,600 = 3,705.6 -> 2,294.4 can go.
        assertThat(far.bindingConstraint()).isEqualTo("target distance");
        assertThat(far.amount()).isEqualByComparingTo("2294.4");
        assertThat(((Liquidation.At) far.after()).price()).isEqualByComparingTo("52800");
    }
}
