package ballast.app.history;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.Main;
import ballast.app.config.Settings;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.Scenario;
import ballast.app.replay.ScenarioFile;
import ballast.exchange.tiers.ShippedRiskTiers;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ballast data} as a trader uses it, through the real command line, against Binance's archive and REST served on
 * 127.0.0.1: download a window, list it, write a scenario, replay it; and the mistakes a trader makes.
 */
class DataCommandTest {

    static final Path FTX = HistoryDownloadTest.FTX;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2022-11-11T06:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    WireMockServer server;
    FakeBinanceHistory fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeBinanceHistory();
        server = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().extensions(fake));
        server.start();
        server.stubFor(any(anyUrl())
                .atPriority(FakeBinanceHistory.DEFAULT_PRIORITY)
                .willReturn(aResponse().withStatus(200)));
        for (String symbol : List.of("BTCUSDT", "ETHUSDT")) {
            fake.klines(
                    "klines",
                    symbol,
                    "1h",
                    FakeBinanceHistory.klinesFrom(
                            FTX.resolve("binance_um_" + symbol + "_1h.csv"), Duration.ofHours(1)));
            fake.klines(
                    "markPriceKlines",
                    symbol,
                    "1h",
                    FakeBinanceHistory.klinesFrom(
                            FTX.resolve("binance_um_" + symbol + "_1h_mark.csv"), Duration.ofHours(1)));
            fake.funding(symbol, FakeBinanceHistory.fundingFrom(FTX.resolve("binance_um_" + symbol + "_funding.csv")));
            // The archive has published the daily files up to 11-08; 11-09 and 11-10 come from REST.
            for (String kind : List.of("klines", "markPriceKlines")) {
                fake.publishDays(kind, symbol, "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-08"));
            }
        }
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    record Result(int exit, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), CLOCK);
        return new Result(exit, out.toString(), err.toString());
    }

    String[] download(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "data",
                "download",
                "--archive-url",
                server.baseUrl(),
                "--rest-url",
                server.baseUrl(),
                "--dir",
                dir.resolve("data").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void download_then_replay_in_two_commands_gives_what_the_shipped_data_gives() throws IOException {
        Path scenario = dir.resolve("my-btc.yaml");
        Result download = run(download(
                "--symbol",
                "BTCUSDT",
                "--from",
                "2022-11-06",
                "--to",
                "2022-11-11",
                "--interval",
                "1h",
                "--mark",
                "--funding",
                "--scenario",
                scenario.toString(),
                "--side",
                "long",
                "--leverage",
                "10",
                "--margin",
                "1000",
                "--wallet",
                "5000"));

        assertThat(download.err()).isEmpty();
        assertThat(download.exit()).isZero();
        assertThat(download.out())
                .contains("Binance USDⓈ-M 1h candles, mark and funding for BTCUSDT, 2022-11-05T00:00:00Z to"
                        + " 2022-11-11T00:00:00Z (1d of warm-up before 2022-11-06T00:00:00Z), into")
                .contains("BTCUSDT candles: 4 daily archive files, 2 days from REST (not in the archive yet); 144 rows")
                .contains("BTCUSDT funding: the month so far from REST; 18 rows")
                .contains("Scenario: " + scenario + ". Replay it: ballast replay " + scenario);

        Result replay = run("replay", scenario.toString(), "--compare", "none", "--json", "-");
        assertThat(replay.exit()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("\"markSource\" : \"mark\"");

        // The same window from the shipped CSVs and from the downloaded zips and REST payloads: the same replay.
        ShippedRiskTiers tiers = ShippedRiskTiers.load();
        Scenario downloaded = ScenarioFile.load(scenario);
        Scenario shipped = ScenarioFile.load(Path.of("../../config/scenarios/crash-days/ftx-2022-11-BTCUSDT-long.yaml")
                .toAbsolutePath());
        ReplayReport a =
                new ReplayRunner(tiers, Settings.defaults()).run(downloaded, List.of("ladder", "none"), e -> {});
        ReplayReport b = new ReplayRunner(tiers, Settings.defaults()).run(shipped, List.of("ladder", "none"), e -> {});
        assertThat(a.events()).isEqualTo(b.events());
        assertThat(a.results())
                .extracting(ReplayReport.PolicyRun::summary)
                .containsExactlyElementsOf(b.results().stream()
                        .map(ReplayReport.PolicyRun::summary)
                        .toList());
    }

    @Test
    void list_shows_what_is_there_and_verify_checks_every_zip() throws IOException {
        Result got = run(download(
                "--symbol",
                "BTCUSDT,ethusdt",
                "--from",
                "2022-11-05",
                "--to",
                "2022-11-08",
                "--interval",
                "1h",
                "--funding"));
        assertThat(got.exit()).as(got.err()).isZero();

        Result list = run("data", "list", "--dir", dir.resolve("data").toString(), "--verify");

        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines().toList())
                .containsExactly(
                        "symbol   kind     interval  first (UTC)       last (UTC)        rows  gaps  files  size",
                        "BTCUSDT  candles  1h        2022-11-05 00:00  2022-11-07 23:00  72    none  3      "
                                + size("klines/BTCUSDT/1h"),
                        "ETHUSDT  candles  1h        2022-11-05 00:00  2022-11-07 23:00  72    none  3      "
                                + size("klines/ETHUSDT/1h"),
                        "BTCUSDT  funding  -         2022-11-05 00:00  2022-11-10 16:00  18    -     1      "
                                + size("fundingRate/BTCUSDT"),
                        "ETHUSDT  funding  -         2022-11-05 00:00  2022-11-10 16:00  18    -     1      "
                                + size("fundingRate/ETHUSDT"),
                        "Every archive zip matches its .CHECKSUM.");

        // A zip changed on disk after the download is found.
        Path zip = dir.resolve("data/binance/futures/um/klines/BTCUSDT/1h/BTCUSDT-1h-2022-11-06.zip");
        byte[] bytes = Files.readAllBytes(zip);
        bytes[bytes.length / 2] ^= 1;
        Files.write(zip, bytes);
        Result tampered = run("data", "list", "--dir", dir.resolve("data").toString(), "--verify");
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains(zip + ": SHA-256 ").contains("does not match its .CHECKSUM");
    }

    String size(String folder) throws IOException {
        try (Stream<Path> files =
                Files.list(dir.resolve("data/binance/futures/um").resolve(folder))) {
            long total = 0;
            for (Path p : files.filter(p -> !p.toString().endsWith(".CHECKSUM")).toList()) {
                total += Files.size(p);
            }
            return ballast.app.format.Figures.bytes(total);
        }
    }

    @Test
    void a_scenario_for_a_window_that_is_not_downloaded_says_which_download_fills_it() {
        assertThat(run(download(
                                "--symbol",
                                "BTCUSDT",
                                "--from",
                                "2022-11-06",
                                "--to",
                                "2022-11-08",
                                "--interval",
                                "1h"))
                        .exit())
                .isZero();

        Result result = run(
                "data",
                "scenario",
                "--dir",
                dir.resolve("data").toString(),
                "--symbol",
                "BTCUSDT",
                "--from",
                "2022-11-06",
                "--to",
                "2022-11-10",
                "--out",
                dir.resolve("s.yaml").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("ballast data scenario: BTCUSDT: the 1h candles in ")
                .contains("cover 2022-11-06T00:00:00Z to 2022-11-08T00:00:00Z, not 2022-11-06T00:00:00Z to"
                        + " 2022-11-10T00:00:00Z; first: ballast data download --symbol BTCUSDT --from 2022-11-05 --to"
                        + " 2022-11-10 --interval 1h --mark --funding --dir " + dir.resolve("data"))
                .hasLineCount(1);
        assertThat(dir.resolve("s.yaml")).doesNotExist();

        // Within what is there, it writes one; without mark or funding it says what stands in.
        Result ok = run(
                "data",
                "scenario",
                "--dir",
                dir.resolve("data").toString(),
                "--symbol",
                "BTCUSDT",
                "--from",
                "2022-11-06",
                "--to",
                "2022-11-08",
                "--side",
                "short",
                "--out",
                dir.resolve("s.yaml").toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out())
                .contains("note: BTCUSDT: candles start 2022-11-06T00:00:00Z, so the warm-up is 0s, not 1d")
                .contains("note: BTCUSDT: no mark-price data (download with --mark)")
                .contains("note: BTCUSDT: no funding data (download with --funding)");
        assertThat(ScenarioFile.load(dir.resolve("s.yaml"))
                        .positions()
                        .getFirst()
                        .side())
                .isEqualTo(ballast.core.Side.SHORT);
        assertThat(run(
                                "data",
                                "scenario",
                                "--dir",
                                dir.resolve("data").toString(),
                                "--symbol",
                                "BTCUSDT",
                                "--from",
                                "2022-11-06",
                                "--to",
                                "2022-11-08",
                                "--out",
                                dir.resolve("s.yaml").toString())
                        .err())
                .isEqualTo("ballast data scenario: --out " + dir.resolve("s.yaml")
                        + " exists; choose another name or add --force to replace it\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--interval 10m|--interval must be one Binance USDⓈ-M serves: 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h,"
                        + " 12h, 1d; was '10m'",
                "--interval 1w|--interval 1w is served by Binance, but a replay walks candles of at most 1d; use one"
                        + " of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d",
                "--interval 1H|--interval must be one Binance USDⓈ-M serves: 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h,"
                        + " 12h, 1d; was '1H' (did you mean 1h? Binance's intervals are case-sensitive: 1m is a minute,"
                        + " 1M a month)",
                "--symbol BTC/USDT|--symbol takes symbols like BTCUSDT (letters and digits), comma-separated; was"
                        + " 'BTC/USDT' in 'BTC/USDT'",
                "--from last-week|--from must be a date YYYY-MM-DD or a UTC time like 2024-08-01T00:00:00Z, was"
                        + " 'last-week'",
                "--to 2022-11-04|--to 2022-11-04T00:00:00Z must be after --from 2022-11-05T00:00:00Z",
                "--to 2023-01-01|--to 2023-01-01T00:00:00Z is in the future (now 2022-11-11T06:00:00Z): history ends"
                        + " now",
                "--from 2022-10-01|--from 2022-10-01T00:00:00Z is before BTCUSDT was listed on Binance USDⓈ-M (its"
                        + " first 1h candle opened at 2022-11-05T00:00:00Z); start at or after 2022-11-06",
                "--symbol DOGEUSDT|--symbol: Binance USDⓈ-M answers -1121 Invalid symbol. (symbol check for"
                        + " DOGEUSDT)",
            })
    void a_traders_mistake_is_one_line_naming_the_flag_and_the_value(String change, String message) {
        List<String> args = new ArrayList<>(List.of(
                download("--symbol", "BTCUSDT", "--from", "2022-11-05", "--to", "2022-11-07", "--interval", "1h")));
        String[] flag = change.split(" ", 2);
        int at = args.indexOf(flag[0]);
        args.set(at + 1, flag[1]);

        Result result = run(args.toArray(String[]::new));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("ballast data download: " + message + "\n");
        assertThat(dir.resolve("data"))
                .satisfiesAnyOf(
                        d -> assertThat(d).doesNotExist(),
                        d -> assertThat(Files.walk(d)
                                        .filter(Files::isRegularFile)
                                        .toList())
                                .isEmpty());
    }

    @Test
    void missing_flags_say_what_they_are_for() {
        assertThat(run("data", "download", "--from", "2022-11-05").err())
                .isEqualTo("ballast data download: --symbol is required: one or more Binance USDⓈ-M symbols,"
                        + " comma-separated (BTCUSDT,ETHUSDT)\n");
        assertThat(run("data", "download", "--symbol", "BTCUSDT", "--from", "2022-11-05")
                        .err())
                .startsWith("ballast data download: --interval is required: the candle interval, one of 1m, 3m, 5m,");
        assertThat(run("data", "download", "--symbol", "BTCUSDT", "--interval", "1h")
                        .err())
                .isEqualTo("ballast data download: --from is required: the first day (YYYY-MM-DD, UTC) or time of the"
                        + " window\n");
        Result url = run(
                "data",
                "download",
                "--symbol",
                "BTCUSDT",
                "--interval",
                "1h",
                "--from",
                "2022-11-05",
                "--rest-url",
                "http://example.com");
        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err())
                .isEqualTo("ballast data download: --rest-url: the rest URL must be https (plain http only to a"
                        + " loopback address), was http://example.com\n");
    }

    @Test
    void a_folder_that_cannot_be_written_is_found_before_anything_is_fetched() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Result result = run(
                "data",
                "download",
                "--archive-url",
                server.baseUrl(),
                "--rest-url",
                server.baseUrl(),
                "--dir",
                file.resolve("data").toString(),
                "--symbol",
                "BTCUSDT",
                "--from",
                "2022-11-05",
                "--to",
                "2022-11-06",
                "--interval",
                "1h");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("ballast data download: --dir " + file.resolve("data") + ": cannot write there (");
        assertThat(result.out()).isEmpty();
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void a_window_starting_in_the_future_is_refused_at_once() {
        Result result = run(download("--symbol", "BTCUSDT", "--from", "2023-01-01", "--interval", "1h"));
        assertThat(result.err())
                .isEqualTo("ballast data download: --from 2023-01-01T00:00:00Z is in the future (now"
                        + " 2022-11-11T06:00:00Z)\n");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void list_of_a_folder_without_downloads_says_so() throws IOException {
        Result missing = run("data", "list", "--dir", dir.resolve("nothing").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err())
                .isEqualTo("ballast data list: --dir " + dir.resolve("nothing") + ": no such folder\n");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result none = run("data", "list", "--dir", empty.toString());
        assertThat(none.err())
                .isEqualTo("ballast data list: --dir " + empty + ": no downloaded history there (no "
                        + empty.resolve("binance/futures/um") + "); 'ballast data download' fetches some\n");
    }
}
