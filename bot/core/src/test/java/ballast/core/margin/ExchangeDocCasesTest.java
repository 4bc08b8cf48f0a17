package ballast.core.margin;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The numbered cases of margin-math.md §4: values published by the exchanges (Binance FAQ examples as carried by
 * freqtrade's tests, Bybit's help centre). Matched to the cent.
 */
class ExchangeDocCasesTest {

    static BigDecimal d(String value) {
        return new BigDecimal(value);
    }

    static BigDecimal cents(Liquidation liquidation) {
        assertThat(liquidation).isInstanceOf(Liquidation.At.class);
        return ((Liquidation.At) liquidation).price().setScale(2, RoundingMode.HALF_UP);
    }

    static Position pos(String symbol, Side side, String qty, String entry) {
        return new Position(symbol, side, d(qty), d(entry));
    }

    @Test
    void bn1_isolated_long_eth_binance_faq() {
        var state = MarginState.isolated(
                pos("ETHUSDT", Side.LONG, "3683.979", "1456.84"),
                d("1535443.01"),
                d("1"),
                DocTables.flat("0.10", "135365"));
        assertThat(cents(MarginRules.binance().liquidation(state))).isEqualByComparingTo("1114.78");
    }

    @Test
    void bn2_isolated_long_btc_binance_faq() {
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "109.488", "32481.98"),
                d("1535443.01"),
                d("1"),
                DocTables.flat("0.025", "16300"));
        assertThat(cents(MarginRules.binance().liquidation(state))).isEqualByComparingTo("18778.73");
    }

    @Test
    void bn3_cross_long_eth_with_btc_beside_it() {
        var btc = new CrossRest.Other(
                pos("BTCUSDT", Side.LONG, "109.488", "32481.98"), d("31967.27"), DocTables.flat("0.025", "16300"));
        CrossRest rest = CrossRest.of(List.of(btc));
        // margin-math.md gives the intermediate sums too: TMM1 = 71200.811444, UPNL1 = −56354.568480.
        assertThat(rest.otherMaintMargin()).isEqualByComparingTo("71200.811444");
        assertThat(rest.otherUnrealizedPnl()).isEqualByComparingTo("-56354.568480");
        var state = MarginState.cross(
                pos("ETHUSDT", Side.LONG, "3683.979", "1456.84"),
                d("1535443.01"),
                d("1"),
                rest,
                DocTables.flat("0.10", "135365"));
        assertThat(cents(MarginRules.binance().liquidation(state))).isEqualByComparingTo("1153.26");
    }

    @Test
    void bn4_cross_long_btc_with_eth_beside_it() {
        var eth = new CrossRest.Other(
                pos("ETHUSDT", Side.LONG, "3683.979", "1456.84"), d("1335.18"), DocTables.flat("0.10", "135365"));
        CrossRest rest = CrossRest.of(List.of(eth));
        assertThat(rest.otherMaintMargin()).isEqualByComparingTo("356512.508122");
        assertThat(rest.otherUnrealizedPnl()).isEqualByComparingTo("-448192.885140");
        var state = MarginState.cross(
                pos("BTCUSDT", Side.LONG, "109.488", "32481.98"),
                d("1535443.01"),
                d("1"),
                rest,
                DocTables.flat("0.025", "16300"));
        assertThat(cents(MarginRules.binance().liquidation(state))).isEqualByComparingTo("26316.89");
    }

    @Test
    void cross_upnl_of_a_short_neighbour_is_signed_by_its_side() {
        // margin-math.md §7.3: a short other position gains when its mark falls below its entry.
        var shortEth =
                new CrossRest.Other(pos("ETHUSDT", Side.SHORT, "10", "2000"), d("1900"), DocTables.flat("0.005", "0"));
        assertThat(CrossRest.of(List.of(shortEth)).otherUnrealizedPnl()).isEqualByComparingTo("1000");
    }

    @Test
    void by9_bybit_isolated_long_help_centre_example() {
        // 1 BTC @ 20,000, 50x, MMR 0.5 %, deduction 0, no extra margin: IM = 400, MM = 100.
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "1", "20000"), d("400"), d("50"), DocTables.flat("0.005", "0"));
        assertThat(cents(MarginRules.bybit().liquidation(state))).isEqualByComparingTo("19700.00");
        assertThat(MarginRules.bybit().maintenanceMargin(state, d("19000"))).isEqualByComparingTo("100");
    }

    @Test
    void bybit_unified_isolated_long_with_extra_margin_and_close_fee() {
        // Bybit "UTA trading rules" example as transcribed in public code: 1 BTC long @ 40,000, 50x, 3,000 extra
        // margin,
        // MMR 0.5 %, taker 0.055 %, deduction 0 -> LP 36,380.25.
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "1", "40000"), d("3800"), d("50"), DocTables.flat("0.005", "0"));
        MarginRules unified = MarginRules.bybitUnified(d("0.00055"));
        assertThat(cents(unified.liquidation(state))).isEqualByComparingTo("36380.25");
        // "Maintenance Margin = (40,000 × 0.5 %) − 0 + 21.56 = 221.56 USDT": the close fee is 40,000 × (1 − 1/50) ×
        // 0.055 %.
        assertThat(unified.estimatedCloseFee(state)).isEqualByComparingTo("21.56");
        assertThat(unified.maintenanceMargin(state, d("40000"))).isEqualByComparingTo("221.56");
        // Bankruptcy (margin gone, fee reserve aside): 40,000 − 800 − 3,000 / 0.99945 = 36,198.35.
        assertThat(unified.bankruptcyPrice(state).orElseThrow().setScale(2, java.math.RoundingMode.HALF_UP))
                .isEqualByComparingTo("36198.35");
    }

    @Test
    void binance_faq_maintenance_amount_examples_2022_table() {
        RiskTierTable btc = DocTables.BINANCE_BTCUSDT_2022_05_21;
        // "a BTCUSDT position of 264,000 USDT -> MMR 1 %"; "a position of 500,000 USDT -> maintenance amount 1,300".
        assertThat(btc.tierFor(d("264000")).maintMarginRate()).isEqualByComparingTo("0.01");
        assertThat(btc.tierFor(d("500000")).maintAmount()).isEqualByComparingTo("1300");
        // "level 3 = 250,000 × (1 % − 0.5 %) + 50 = 1,300".
        RiskTier level2 = btc.tiers().get(1);
        RiskTier level3 = btc.tiers().get(2);
        assertThat(level3.notionalFloor()
                        .multiply(level3.maintMarginRate().subtract(level2.maintMarginRate()))
                        .add(level2.maintAmount()))
                .isEqualByComparingTo(level3.maintAmount());
        // FAQ: BTC 3.5 M notional -> 2.5 % / 16,300.
        assertThat(btc.tierFor(d("3500000")).maintAmount()).isEqualByComparingTo("16300");
    }

    @Test
    void okx_gate_fee_inside_the_ratio() {
        // freqtrade's OKX/Gate formula: long (EP − margin/amount) / (1 − (MMR + taker)).
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "2", "30000"), d("6000"), d("10"), DocTables.flat("0.004", "0"));
        BigDecimal expected =
                d("30000").subtract(d("3000")).divide(d("1").subtract(d("0.0045")), java.math.MathContext.DECIMAL128);
        Liquidation.At at = (Liquidation.At) MarginRules.gate(d("0.0005")).liquidation(state);
        assertThat(at.price()).isEqualByComparingTo(expected);
        // short: (EP + margin/amount) / (1 + (MMR + taker))
        var shortState = MarginState.isolated(
                pos("BTCUSDT", Side.SHORT, "2", "30000"), d("6000"), d("10"), DocTables.flat("0.004", "0"));
        BigDecimal expectedShort = d("33000").divide(d("1.0045"), java.math.MathContext.DECIMAL128);
        assertThat(((Liquidation.At) MarginRules.okx(d("0.0005")).liquidation(shortState)).price())
                .isEqualByComparingTo(expectedShort);
    }

    @Test
    void kucoin_simple_formula() {
        // EP × (1 − (IMR − MMR)) with the initial margin as margin: 30,000 × (1 − (0.1 − 0.005)) = 27,150.
        var state = MarginState.isolated(
                pos("BTCUSDT", Side.LONG, "1", "30000"), d("3000"), d("10"), DocTables.flat("0.005", "0"));
        assertThat(cents(MarginRules.kucoin().liquidation(state))).isEqualByComparingTo("27150.00");
        var shortState = MarginState.isolated(
                pos("BTCUSDT", Side.SHORT, "1", "30000"), d("3000"), d("10"), DocTables.flat("0.005", "0"));
        assertThat(cents(MarginRules.kucoin().liquidation(shortState))).isEqualByComparingTo("32850.00");
    }
}
