package ballast.core.margin;

import static ballast.core.margin.ExchangeDocCasesTest.d;
import static ballast.core.margin.ExchangeDocCasesTest.pos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.Side;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/**
 * Binance hedge mode in cross margin: the LONG and SHORT positions of one symbol share the cross wallet and one
 * liquidation price, Binance's formula with both the {@code Position1LONG} and {@code Position1SHORT} terms.
 */
class HedgeModeTest {

    static final MarginRules BINANCE = MarginRules.binance();

    @Test
    void both_legs_enter_binance_formula() {
        // LONG 2 @ 30,000 and SHORT 1 @ 32,000, cross wallet 10,000, flat 0.5 % / cum 0:
        // LP = (10,000 + 0 + 0 − 2·30,000 + 1·32,000) / (2·0.005 + 1·0.005 − 2 + 1) = −18,000 / −0.985
        var state = MarginState.crossHedge(
                pos("BTCUSDT", Side.LONG, "2", "30000"),
                pos("BTCUSDT", Side.SHORT, "1", "32000"),
                d("10000"),
                d("10"),
                CrossRest.NONE,
                DocTables.flat("0.005", "0"));
        BigDecimal expected = d("18000").divide(d("0.985"), MathContext.DECIMAL128);
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(state);
        assertThat(at.price()).isEqualByComparingTo(expected);
        assertThat(state.exposureSide()).isEqualTo(Side.LONG);
        // Bankruptcy: 10,000 + 2·(P − 30,000) − (P − 32,000) = 0 -> P = 18,000.
        assertThat(BINANCE.bankruptcyPrice(state).orElseThrow()).isEqualByComparingTo("18000");
        // At that price the shared margin balance equals both legs' maintenance.
        assertThat(BINANCE.marginBalance(state, at.price())
                        .subtract(BINANCE.maintenanceMargin(state, at.price()))
                        .abs())
                .isLessThan(d("1e-20"));
    }

    @Test
    void a_fully_offset_hedge_is_liquidated_by_a_rising_price() {
        // Equal legs: the PnL cancels, maintenance grows with the price. With both legs in tier 2 (0.5 %, cum 50):
        // LP = (W + 50 + 50 − 60,000 + 60,000) / (0.005 + 0.005) = 1,100 / 0.01 = 110,000, and 110,000 is tier 2.
        var state = MarginState.crossHedge(
                pos("BTCUSDT", Side.SHORT, "1", "60000"),
                pos("BTCUSDT", Side.LONG, "1", "60000"),
                d("1000"),
                d("10"),
                CrossRest.NONE,
                DocTables.BINANCE_BTCUSDT_2024_10_24);
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(state);
        assertThat(at.price()).isEqualByComparingTo("110000");
        assertThat(state.exposureSide()).isEqualTo(Side.SHORT);
        assertThat(BINANCE.distanceToLiquidation(state, d("60000")).orElseThrow())
                .isPositive();
    }

    @Test
    void each_leg_is_rechecked_on_its_own_bracket() {
        // LONG 60 @ 60,000 (3.6 M, tier 4 at entry) and SHORT 5 @ 61,000 (tier 2), cross wallet 400,000, 2024-10-24
        // tiers.
        var state = MarginState.crossHedge(
                pos("BTCUSDT", Side.LONG, "60", "60000"),
                pos("BTCUSDT", Side.SHORT, "5", "61000"),
                d("400000"),
                d("10"),
                CrossRest.NONE,
                DocTables.BINANCE_BTCUSDT_2024_10_24);
        Liquidation.At at = (Liquidation.At) BINANCE.liquidation(state);
        RiskTierTable tiers = DocTables.BINANCE_BTCUSDT_2024_10_24;
        assertThat(at.tier()).isEqualTo(tiers.tierFor(d("60").multiply(at.price())));
        assertThat(BINANCE.marginBalance(state, at.price())
                        .subtract(BINANCE.maintenanceMargin(state, at.price()))
                        .abs())
                .isLessThan(d("1e-18"));
    }

    @Test
    void isolated_hedge_legs_are_separate_positions() {
        assertThatThrownBy(() -> new MarginState(
                        pos("BTCUSDT", Side.LONG, "1", "60000"),
                        MarginMode.ISOLATED,
                        d("6000"),
                        d("10"),
                        CrossRest.NONE,
                        DocTables.BINANCE_BTCUSDT_2024_10_24,
                        java.util.List.of(pos("BTCUSDT", Side.SHORT, "1", "60000"))))
                .hasMessageContaining("each side of a hedge has its own margin");
    }
}
