package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.marketdata.SharedData;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The promise, on every crash day in the shared data: a 10x position held without protection ({@code none}) is
 * liquidated, and the same position under the default ladder, with a free balance of five times its margin, is not.
 * Real Binance perpetual candles (1h, last price) with the real 1h mark price and funding.
 */
class CrashDaysTest {

    static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "covid-2020-03-12, BTCUSDT, long, 2020-03-11T00:00:00Z, 2020-03-14T00:00:00Z",
        "covid-2020-03-12, ETHUSDT, long, 2020-03-11T00:00:00Z, 2020-03-14T00:00:00Z",
        "china-2021-05-19, BTCUSDT, long, 2021-05-17T00:00:00Z, 2021-05-21T00:00:00Z",
        "china-2021-05-19, ETHUSDT, long, 2021-05-17T00:00:00Z, 2021-05-21T00:00:00Z",
        "flash-2021-12-04, BTCUSDT, long, 2021-12-02T00:00:00Z, 2021-12-06T00:00:00Z",
        "flash-2021-12-04, ETHUSDT, long, 2021-12-02T00:00:00Z, 2021-12-06T00:00:00Z",
        "luna-2022-05-12, BTCUSDT, long, 2022-05-06T00:00:00Z, 2022-05-14T00:00:00Z",
        "luna-2022-05-12, ETHUSDT, long, 2022-05-06T00:00:00Z, 2022-05-14T00:00:00Z",
        "celsius-2022-06-13, BTCUSDT, long, 2022-06-10T00:00:00Z, 2022-06-20T00:00:00Z",
        "celsius-2022-06-13, ETHUSDT, long, 2022-06-10T00:00:00Z, 2022-06-20T00:00:00Z",
        "ftx-2022-11-09, BTCUSDT, long, 2022-11-06T00:00:00Z, 2022-11-11T00:00:00Z",
        "ftx-2022-11-09, ETHUSDT, long, 2022-11-06T00:00:00Z, 2022-11-11T00:00:00Z",
        "yen-2024-08-05, BTCUSDT, long, 2024-08-02T00:00:00Z, 2024-08-07T00:00:00Z",
        "yen-2024-08-05, ETHUSDT, long, 2024-08-02T00:00:00Z, 2024-08-07T00:00:00Z",
        "tariff-2025-10-10, BTCUSDT, long, 2025-10-09T00:00:00Z, 2025-10-12T00:00:00Z",
        "tariff-2025-10-10, ETHUSDT, long, 2025-10-09T00:00:00Z, 2025-10-12T00:00:00Z",
        "squeeze-2021-07-26, BTCUSDT, short, 2021-07-25T00:00:00Z, 2021-07-28T00:00:00Z",
        "rebound-2022-06-19, ETHUSDT, short, 2022-06-18T00:00:00Z, 2022-06-27T00:00:00Z",
    })
    void unprotected_is_liquidated_ladder_survives(String day, String symbol, String side, Instant from, Instant to) {
        Path data = SharedData.dir();
        Scenario scenario = new Scenario(
                day + " " + symbol,
                Venue.BINANCE,
                Optional.empty(),
                from,
                to,
                new BigDecimal("5000"),
                List.of(new Scenario.PositionSpec(
                        symbol,
                        Side.valueOf(side.toUpperCase(java.util.Locale.ROOT)),
                        BigDecimal.TEN,
                        new BigDecimal("1000"),
                        MarginMode.ISOLATED,
                        data.resolve("binance_um_" + symbol + "_1h.csv"),
                        Optional.of(data.resolve("binance_um_" + symbol + "_1h_mark.csv")),
                        Optional.of(data.resolve("binance_um_" + symbol + "_funding.csv")))),
                Optional.empty());

        ReplayReport report = new ReplayRunner(TIERS).run(scenario, List.of("ladder", "none"), event -> {});

        Map<String, ReplayReport.PolicyRun> runs = report.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));
        assertThat(report.markSource()).isEqualTo("mark");
        assertThat(runs.get("none").summary().liquidations())
                .as("none is liquidated")
                .isEqualTo(1);
        assertThat(runs.get("none").positions().get(0).liquidatedAt()).isPresent();
        ReplayReport.Summary ladder = runs.get("ladder").summary();
        assertThat(ladder.liquidations()).as("the ladder is not liquidated").isZero();
        assertThat(runs.get("ladder").positions().get(0).liquidatedAt()).isEmpty();
        // It acted, and never let the position come closer than the ladder's close floor (1 %).
        assertThat(ladder.actions()).isPositive();
        assertThat(ladder.minDistancePct().orElseThrow()).isGreaterThan(BigDecimal.ONE);
        // Money is conserved: whatever the ladder did, equity stays a real, positive amount of the 6,000 it started
        // with.
        assertThat(ladder.finalEquity()).isPositive().isLessThan(new BigDecimal("9000"));
    }
}
