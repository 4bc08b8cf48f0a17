package ballast.exchange.tiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.Venue;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.payload.PayloadException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShippedRiskTiersTest {

    static final ShippedRiskTiers SHIPPED = ShippedRiskTiers.load();

    @Test
    void ships_every_table_of_margin_math() {
        assertThat(SHIPPED.snapshots())
                .extracting(s -> s.venue().id() + " " + s.symbol() + " "
                        + s.asOf().map(LocalDate::toString).orElse("undated"))
                .containsExactlyInAnyOrder(
                        "binance BTCUSDT 2022-05-21",
                        "binance ETHUSDT 2022-05-21",
                        "binance BTCUSDT 2023-08-01",
                        "binance ETHUSDT 2023-08-01",
                        "binance BTCUSDT 2024-10-24",
                        "binance ETHUSDT 2024-10-24",
                        "bybit BTCUSDT undated");
    }

    /**
     * Binance FAQ: Maintenance Amount(n) = Floor(n) × (MMR(n) − MMR(n−1)) + Maintenance Amount(n−1); Bybit: the same
     * recurrence for the MM deduction. It makes maintenance margin continuous, which the bracket re-check relies on.
     */
    @Test
    void maintenance_amounts_follow_the_venues_recurrence_in_every_shipped_table() {
        for (ShippedRiskTiers.Snapshot snapshot : SHIPPED.snapshots()) {
            List<RiskTier> tiers = snapshot.tiers();
            assertThat(tiers.get(0).maintAmount()).as(snapshot.label()).isZero();
            for (int i = 1; i < tiers.size(); i++) {
                RiskTier previous = tiers.get(i - 1);
                RiskTier current = tiers.get(i);
                BigDecimal expected = current.notionalFloor()
                        .multiply(current.maintMarginRate().subtract(previous.maintMarginRate()))
                        .add(previous.maintAmount());
                assertThat(current.maintAmount())
                        .as(snapshot.label() + " tier " + current.tier())
                        .isEqualByComparingTo(expected);
            }
        }
    }

    @Test
    void figures_from_the_tables_as_printed() {
        RiskTierTable btc2024 = SHIPPED.find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
                .table();
        assertThat(btc2024.tiers()).hasSize(12);
        assertThat(btc2024.tierFor(new BigDecimal("3120000")).maintAmount()).isEqualByComparingTo("11450");
        RiskTierTable eth2022 = SHIPPED.find(Venue.BINANCE, "ETHUSDT", Optional.of(LocalDate.parse("2022-05-21")))
                .table();
        assertThat(eth2022.tierFor(new BigDecimal("4900000")).maintMarginRate()).isEqualByComparingTo("0.10");
        assertThat(eth2022.tierFor(new BigDecimal("4900000")).maintAmount()).isEqualByComparingTo("250365");
        RiskTierTable bybit =
                SHIPPED.find(Venue.BYBIT, "BTCUSDT", Optional.empty()).table();
        assertThat(bybit.tiers()).hasSize(20);
        assertThat(bybit.tierFor(new BigDecimal("2600000")).maintAmount()).isEqualByComparingTo("3020");
        assertThat(bybit.tierFor(new BigDecimal("2600000")).maxLeverage()).isEqualTo(80);
    }

    @Test
    void lookup_takes_the_newest_table_not_after_the_date() {
        assertThat(SHIPPED.find(Venue.BINANCE, "btcusdt", Optional.of(LocalDate.parse("2022-11-08")))
                        .asOf())
                .contains(LocalDate.parse("2022-05-21"));
        assertThat(SHIPPED.find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2023-08-01")))
                        .asOf())
                .contains(LocalDate.parse("2023-08-01"));
        assertThat(SHIPPED.find(Venue.BINANCE, "BTCUSDT", Optional.empty()).asOf())
                .contains(LocalDate.parse("2024-10-24"));
        assertThat(SHIPPED.find(Venue.BYBIT, "BTCUSDT", Optional.of(LocalDate.parse("2020-01-01")))
                        .asOf())
                .isEmpty();
    }

    @Test
    void unknown_dates_symbols_and_venues_list_what_is_shipped() {
        assertThatThrownBy(() -> SHIPPED.find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2021-06-01"))))
                .hasMessageContaining("on or before 2021-06-01")
                .hasMessageContaining("2022-05-21, 2023-08-01, 2024-10-24");
        assertThatThrownBy(() -> SHIPPED.find(Venue.BINANCE, "DOGEUSDT", Optional.empty()))
                .hasMessageContaining("DOGEUSDT")
                .hasMessageContaining("BTCUSDT, ETHUSDT");
        assertThatThrownBy(() -> SHIPPED.find(Venue.OKX, "BTCUSDT", Optional.empty()))
                .hasMessageContaining("no risk tiers are shipped for okx")
                .hasMessageContaining("--mmr");
    }

    @Test
    void binance_single_symbol_response_and_numbers_as_text() {
        String json = """
                {"symbol":"BTCUSDT","notionalCoef":1.5,"brackets":[
                 {"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":"0.004","cum":0.0}]}
                """;
        List<RiskTier> tiers = BinanceBrackets.parse("live", json).get("BTCUSDT");
        assertThat(tiers)
                .singleElement()
                .satisfies(t -> assertThat(t.maintMarginRate()).isEqualByComparingTo("0.004"));
    }

    @Test
    void malformed_payloads_name_the_payload_the_field_and_the_value() {
        assertThatThrownBy(() -> BinanceBrackets.parse("snap.json", """
                [{"symbol":"BTCUSDT","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"cum":0}]}]
                """))
                .isInstanceOf(PayloadException.class)
                .hasMessage("snap.json: [0].brackets[0].maintMarginRatio is missing");
        assertThatThrownBy(() -> BinanceBrackets.parse("snap.json", """
                [{"symbol":"BTCUSDT","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":"","cum":0}]}]
                """))
                .hasMessage("snap.json: [0].brackets[0].maintMarginRatio must be a decimal number, was \"\"");
        assertThatThrownBy(() -> BinanceBrackets.parse("snap.json", "[{\"symbol\":\"BTCUSDT\",\"brackets\":[}"))
                .hasMessageStartingWith("snap.json: not valid JSON at line 1");
        assertThatThrownBy(() -> BinanceBrackets.parse("snap.json", """
                [{"symbol":"BTCUSDT","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":1.5,"cum":0}]}]
                """))
                .hasMessageContaining("maintenance margin rate must be in [0, 1), was 1.5");
        assertThatThrownBy(() -> BybitRiskLimits.parse("rl.json", """
                {"retCode":10001,"retMsg":"params error","result":{}}
                """))
                .hasMessage("rl.json: Bybit answered retCode 10001 (params error)");
    }

    @Test
    void bybit_blank_deduction_is_zero_only_on_the_lowest_tier() {
        String lowestBlank = """
                {"retCode":0,"retMsg":"OK","result":{"list":[
                 {"id":1,"symbol":"BTCUSDT","riskLimitValue":"2000000","maintenanceMargin":"0.005","initialMargin":"0.01","isLowestRisk":1,"maxLeverage":"100.00","mmDeduction":""}]}}
                """;
        assertThat(BybitRiskLimits.parse("rl.json", lowestBlank)
                        .get("BTCUSDT")
                        .get(0)
                        .maintAmount())
                .isZero();
        String higherBlank = lowestBlank.replace("\"isLowestRisk\":1", "\"isLowestRisk\":0");
        assertThatThrownBy(() -> BybitRiskLimits.parse("rl.json", higherBlank))
                .hasMessage("rl.json: result.list[0].mmDeduction must be a decimal number, was \"\"");
    }
}
