package ballast.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.Main;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ballast liq} end to end through {@link Main#run}: the contract the margin engine is checked by. */
class LiqCommandTest {

    record Result(int exit, String out, String err) {}

    static Result run(String commandLine) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(commandLine.trim().split("\\s+"), new PrintWriter(out), new PrintWriter(err));
        return new Result(exit, out.toString(), err.toString());
    }

    static JsonNode json(String commandLine) throws Exception {
        Result result = run(commandLine + " --json");
        assertThat(result.exit()).as(result.err()).isZero();
        return new ObjectMapper().readTree(result.out());
    }

    static final String D1 =
            "liq --exchange binance --side long --qty 0.5 --entry 60000 --wallet 3000 --symbol BTCUSDT --tiers-asof 2024-10-24";

    @Test
    void the_readme_example_prints_the_d1_price() {
        Result result = run(D1);
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("Liquidation price   54,216.87").contains("Bankruptcy price    54,000.00");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void json_carries_decimal_strings_tier_and_bankruptcy() throws Exception {
        JsonNode report = json(D1 + " --mark 57000 --target-distance 10");
        assertThat(report.get("liquidationPrice").isTextual()).isTrue();
        assertThat(report.get("liquidationPrice").asText()).isEqualTo("54216.86746988");
        assertThat(report.get("bankruptcyPrice").asText()).isEqualTo("54000");
        assertThat(report.get("maintenanceMargin").asText()).isEqualTo("120");
        assertThat(report.get("tier").get("tier").asInt()).isEqualTo(1);
        assertThat(report.get("atMark").get("distancePct").asText()).startsWith("4.8826");
        assertThat(report.get("target").get("topUp").get("amount").asText()).isEqualTo("1452.6");
        assertThat(report.get("target").get("topUp").get("liquidationPrice").asText())
                .isEqualTo("51300");
        assertThat(report.get("target").get("cut").get("closesPosition").asBoolean())
                .isTrue();
    }

    @Test
    void d7_recheck_through_the_shipped_table() throws Exception {
        JsonNode report =
                json("liq --exchange binance --side long --qty 52 --entry 60000 --wallet 312000 --symbol BTCUSDT"
                        + " --tiers-asof 2024-12-31");
        assertThat(new java.math.BigDecimal(report.get("liquidationPrice").asText())
                        .setScale(2, java.math.RoundingMode.HALF_UP))
                .isEqualByComparingTo("54334.91");
        assertThat(report.get("entryTier").asInt()).isEqualTo(4);
        assertThat(report.get("tier").get("tier").asInt()).isEqualTo(3);
        assertThat(report.get("bracketRechecks").asInt()).isEqualTo(1);
    }

    @Test
    void no_liquidation_price_is_null_with_a_reason() throws Exception {
        JsonNode report =
                json("liq --exchange binance --side long --qty 0.5 --entry 60000 --leverage 1 --symbol BTCUSDT");
        assertThat(report.get("liquidationPrice").isNull()).isTrue();
        assertThat(report.get("reason").asText()).contains("covers the whole notional");
        assertThat(report.get("bankruptcyPrice").isNull()).isTrue();
        assertThat(run("liq --exchange binance --side long --qty 0.5 --entry 60000 --leverage 1 --symbol BTCUSDT")
                        .out())
                .contains("Liquidation price   none:");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "BN-1 isolated ETH | --exchange binance --side long --qty 3683.979 --entry 1456.84 --wallet 1535443.01 --mmr 0.10 --maint-amount 135365 | 1,114.78",
                "BN-2 isolated BTC | --exchange binance --side long --qty 109.488 --entry 32481.98 --wallet 1535443.01 --mmr 0.025 --maint-amount 16300 | 18,778.73",
                "BN-4 cross BTC | --exchange binance --mode cross --side long --qty 109.488 --entry 32481.98 --wallet 1535443.01 --mmr 0.025 --maint-amount 16300 --other-maint-margin 356512.508122 --other-upnl -448192.885140 | 26,316.89",
                "BY-9 bybit | --exchange bybit --side long --qty 1 --entry 20000 --leverage 50 --mmr 0.005 | 19,700.00",
                "D-6 short ETH | --exchange binance --side short --qty 2 --entry 3000 --wallet 240 --symbol ETHUSDT | 3,107.57",
                "D-8 bybit shipped | --exchange bybit --side long --qty 1 --entry 60000 --leverage 10 --symbol BTCUSDT | 54,300.00",
                "D-9 bybit extra | --exchange bybit --side long --qty 1 --entry 60000 --leverage 10 --extra-margin 1000 --symbol BTCUSDT | 53,300.00",
                "bybit unified | --exchange bybit --unified --taker-fee 0.00055 --side long --qty 1 --entry 40000 --leverage 50 --extra-margin 3000 --mmr 0.005 | 36,380.25",
                "kucoin | --exchange kucoin --side long --qty 1 --entry 30000 --leverage 10 --mmr 0.005 | 27,150.00",
            })
    void documented_cases_through_the_cli(String name, String flags, String expected) {
        Result result = run("liq " + flags);
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("Liquidation price   " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--qty -1 | ballast liq: --qty must be > 0, was -1",
                "--qty abc | ballast liq: --qty must be a decimal number, was 'abc'",
                "--exchange ftx | ballast liq: --exchange must be one of binance, bybit, okx, gate, kucoin, was 'ftx'",
                "--side up | ballast liq: --side must be one of long, short, was 'up'",
                "--symbol DOGEUSDT | ballast liq: no binance risk tiers for symbol DOGEUSDT; shipped: BTCUSDT, ETHUSDT. Or give the rate with --mmr (and --maint-amount)",
                "--tiers-asof 2021-01-01 | ballast liq: no binance BTCUSDT risk tiers on or before 2021-01-01; shipped dates: 2022-05-21, 2023-08-01, 2024-10-24",
                "--tiers-asof 24-10-2024 | ballast liq: --tiers-asof must be a date YYYY-MM-DD, was '24-10-2024'",
                "--wallet 0 | ballast liq: --wallet must be > 0, was 0",
                "--mark 0 | ballast liq: --mark must be > 0, was 0",
                "--mark 57000 --target-distance -3 | ballast liq: --target-distance must be > 0, was -3",
                "--mode both | ballast liq: --mode must be one of isolated, cross, was 'both'",
                "--foo 1 | ballast liq: unknown option '--foo' (see 'ballast liq --help')",
            })
    void bad_flags_get_one_line_naming_flag_rule_and_value(String override, String expected) {
        String flags = defaults(override);
        Result result = run("liq " + flags);
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().strip()).isEqualTo(expected);
    }

    @Test
    void inconsistent_flag_combinations_are_refused_with_the_reason() {
        assertThat(run("liq --exchange okx --side long --qty 1 --entry 100 --leverage 10 --mmr 0.01")
                        .err())
                .contains("--taker-fee is required for okx");
        assertThat(run("liq --exchange bybit --side long --qty 1 --entry 100 --leverage 10 --mmr 0.01 --mode cross")
                        .err())
                .contains("--mode cross is supported for binance only");
        assertThat(run("liq --exchange binance --side long --qty 1 --entry 100 --mmr 0.01")
                        .err())
                .contains("--wallet or --leverage is required");
        assertThat(run("liq --exchange binance --side long --qty 1 --entry 100 --wallet 10")
                        .err())
                .contains("--symbol or --mmr is required");
        assertThat(run("liq --exchange binance --side long --qty 1 --entry 100 --wallet 10 --mmr 0.01 --symbol BTCUSDT")
                        .err())
                .contains("--mmr and --symbol both set the maintenance rate");
        assertThat(run("liq --exchange gate --side long --qty 1 --entry 100 --wallet 10 --mmr 0.01 --taker-fee 0.05")
                        .err())
                .contains("--taker-fee must be a fraction below 0.01 (0.0005 = 0.05 %), was 0.05");
    }

    @Test
    void cross_hedge_mode_puts_both_sides_in_one_liquidation_price() throws Exception {
        // LONG 2 @ 30,000 and SHORT 1 @ 32,000 on a 10,000 cross wallet, 0.5 %: LP = 18,000 / 0.985 = 18,274.11
        JsonNode report = json("liq --exchange binance --mode cross --side long --qty 2 --entry 30000 --wallet 10000"
                + " --mmr 0.005 --hedge-qty 1 --hedge-entry 32000");
        assertThat(new java.math.BigDecimal(report.get("liquidationPrice").asText())
                        .setScale(2, java.math.RoundingMode.HALF_UP))
                .isEqualByComparingTo("18274.11");
        assertThat(report.get("hedgeLeg").get("side").asText()).isEqualTo("short");
        assertThat(
                        run("liq --exchange binance --side long --qty 2 --entry 30000 --wallet 10000 --mmr 0.005 --hedge-qty 1"
                                        + " --hedge-entry 32000")
                                .err())
                .contains("add --mode cross");
    }

    @Test
    void bybit_unified_reports_the_close_fee_reserve() throws Exception {
        JsonNode report = json("liq --exchange bybit --unified --taker-fee 0.00055 --side long --qty 1 --entry 40000"
                + " --leverage 50 --extra-margin 3000 --mmr 0.005");
        assertThat(report.get("account").asText()).isEqualTo("unified");
        assertThat(report.get("estimatedCloseFee").asText()).isEqualTo("21.56");
        assertThat(report.get("maintenanceMargin").asText()).isEqualTo("221.56");
    }

    @Test
    void help_is_clean_and_lists_every_flag() {
        Result result = run("liq --help");
        assertThat(result.exit()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).contains("--tiers-asof", "--target-distance", "--hedge-qty", "(0.004 = 0.4 %)");
    }

    @Test
    void mmr_zero_is_valid() throws Exception {
        JsonNode report = json("liq --exchange binance --side short --qty 1 --entry 100 --wallet 10 --mmr 0");
        assertThat(report.get("liquidationPrice").asText()).isEqualTo("110");
    }

    /** The D-1 flags with one flag replaced (or added) by {@code override}. */
    private static String defaults(String override) {
        java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
        String[] base =
                "--exchange binance --side long --qty 0.5 --entry 60000 --wallet 3000 --symbol BTCUSDT".split(" ");
        for (int i = 0; i < base.length; i += 2) {
            flags.put(base[i], base[i + 1]);
        }
        String[] extra = override.trim().split("\\s+");
        for (int i = 0; i < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        StringBuilder line = new StringBuilder();
        flags.forEach((k, v) -> line.append(k).append(' ').append(v).append(' '));
        return line.toString();
    }
}
