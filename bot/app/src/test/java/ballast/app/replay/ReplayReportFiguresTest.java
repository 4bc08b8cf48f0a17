package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's figures read as money: a start equity every final equity compares with, cuts in USDT (not BTC plus ETH),
 * sizes per position, an equity curve that ends at the final equity, and a liquidated position's minimum distance of
 * zero. Real FTX-week data for a BTCUSDT and an ETHUSDT long in one account.
 */
class ReplayReportFiguresTest {

    @TempDir
    Path dir;

    ReplayReport ftxPair() throws IOException {
        Path data = Path.of("../../config/scenarios/data/ftx-2022-11").toAbsolutePath();
        Path file = dir.resolve("pair.yaml");
        Files.writeString(file, """
                name: ftx pair
                exchange: binance
                from: 2022-11-06T00:00:00Z
                to: 2022-11-11T00:00:00Z
                account:
                  wallet: 3000
                positions:
                  - symbol: BTCUSDT
                    side: long
                    leverage: 10
                    margin: 1000
                    data: {candles: %1$s/binance_um_BTCUSDT_1h.csv, mark: %1$s/binance_um_BTCUSDT_1h_mark.csv}
                  - symbol: ETHUSDT
                    side: long
                    leverage: 10
                    margin: 1000
                    data: {candles: %1$s/binance_um_ETHUSDT_1h.csv, mark: %1$s/binance_um_ETHUSDT_1h_mark.csv}
                """.formatted(data));
        return new ReplayRunner(CrashDaysTest.TIERS, Settings.defaults())
                .run(ScenarioFile.load(file), List.of("ladder", "none", "buffer-exit"), e -> {});
    }

    @Test
    void figures_read_as_profit_and_loss() throws IOException {
        ReplayReport report = ftxPair();
        Map<String, ReplayReport.PolicyRun> runs = report.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));

        assertThat(report.startEquity()).isEqualByComparingTo("5000");
        // none: both positions liquidated, each losing its 1,000 margin; the free 3,000 stays.
        ReplayReport.PolicyRun none = runs.get("none");
        assertThat(none.summary().liquidations()).isEqualTo(2);
        assertThat(none.summary().finalEquity()).isEqualByComparingTo("3000");
        assertThat(none.summary().minDistancePct())
                .hasValueSatisfying(d -> assertThat(d).isZero());

        ReplayReport.PolicyRun exit = runs.get("buffer-exit");
        // Cut in USDT is the value of what was sold, at the fills: about 0.5 BTC near 17,000 and 7.4 ETH near 1,300.
        BigDecimal soldValue = exit.positions().stream()
                .flatMap(p -> p.actions().stream())
                .filter(a -> a.kind().equals("close") || a.kind().equals("cut"))
                .map(a -> a.amount().multiply(a.price()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(exit.summary().cutNotional())
                .isEqualByComparingTo(soldValue.setScale(2, java.math.RoundingMode.HALF_UP));
        assertThat(exit.summary().cutNotional()).isGreaterThan(new BigDecimal("15000"));
        assertThat(exit.positions())
                .extracting(ReplayReport.PositionTrace::symbol, p -> p.qtyCut().signum() > 0)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("BTCUSDT", true),
                        org.assertj.core.groups.Tuple.tuple("ETHUSDT", true));

        for (ReplayReport.PolicyRun run : report.results()) {
            List<ReplayReport.EquityPoint> curve = run.equity();
            assertThat(curve).as(run.policy()).hasSizeGreaterThan(10);
            assertThat(curve.getFirst().equity())
                    .as(run.policy() + " starts at the start equity")
                    .isEqualByComparingTo(report.startEquity());
            assertThat(curve.getLast().equity())
                    .as(run.policy() + " ends at its final equity")
                    .isEqualByComparingTo(run.summary().finalEquity());
        }
        assertThat(ReplayJson.render(report))
                .contains("\"startEquity\" : \"5000.00\"")
                .contains("\"pnl\" : \"-2000.00\"")
                .contains("\"cutNotional\"")
                .contains("\"qtyCut\"");
        assertThat(ReplayTable.render(report))
                .contains("start equity 5,000.00 USDT")
                .contains("-2,000.00");
        assertThat(HtmlReport.render(report)).contains("Equity over time").contains("<dt>Start equity</dt>");
    }
}
