package ballast.app.history;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ballast.app.marketdata.MarketDataFiles;
import ballast.core.market.Candle;
import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import ballast.exchange.binance.BinanceHistoryClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HistoryDownload} against Binance's archive layout and REST payloads on 127.0.0.1 ({@link FakeBinanceHistory}),
 * with real BTCUSDT perpetual candles, mark prices and funding of the FTX week (the repository's shipped scenario data)
 * and, for whole months, a deterministic walk. The clock is moved by hand: no test sleeps.
 */
class HistoryDownloadTest {

    static final Path FTX =
            Path.of("../../config/scenarios/data/ftx-2022-11").toAbsolutePath().normalize();
    static final Set<HistoryKind> ALL = EnumSet.allOf(HistoryKind.class);

    @TempDir
    Path dir;

    WireMockServer server;
    FakeBinanceHistory fake;
    HandClock clock;
    List<FakeBinanceHistory.Kline> ftx;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeBinanceHistory();
        server = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().extensions(fake));
        server.start();
        server.stubFor(any(anyUrl())
                .atPriority(FakeBinanceHistory.DEFAULT_PRIORITY)
                .willReturn(aResponse().withStatus(200)));
        ftx = FakeBinanceHistory.klinesFrom(FTX.resolve("binance_um_BTCUSDT_1h.csv"), Duration.ofHours(1));
        fake.klines("klines", "BTCUSDT", "1h", ftx);
        fake.klines(
                "markPriceKlines",
                "BTCUSDT",
                "1h",
                FakeBinanceHistory.klinesFrom(FTX.resolve("binance_um_BTCUSDT_1h_mark.csv"), Duration.ofHours(1)));
        fake.funding("BTCUSDT", FakeBinanceHistory.fundingFrom(FTX.resolve("binance_um_BTCUSDT_funding.csv")));
        clock = new HandClock(Instant.parse("2022-11-10T06:30:00Z"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    HistoryDownload download() {
        return download(HistoryDownload.Storage.FILES, BinanceHistoryClient.KLINE_LIMIT);
    }

    HistoryDownload download(HistoryDownload.Storage storage, int klineLimit) {
        String base = server.baseUrl();
        return new HistoryDownload(
                new BinanceHistoryClient(new OkHttpClient(), base, base, clock),
                clock,
                clock,
                storage,
                Progress.none(),
                klineLimit);
    }

    HistoryDownload.Request request(String from, String to, Set<HistoryKind> kinds) {
        return new HistoryDownload.Request(
                List.of("BTCUSDT"), "1h", Instant.parse(from), Instant.parse(to), kinds, dir);
    }

    Path folder(HistoryKind kind) {
        return new HistoryLayout(dir).folder(kind, "BTCUSDT", "1h");
    }

    List<String> names(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    List<String> allFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    static List<java.math.BigDecimal> closes(List<FakeBinanceHistory.Kline> rows) {
        return rows.stream()
                .map(k -> new java.math.BigDecimal(k.c()).stripTrailingZeros())
                .toList();
    }

    @Test
    void days_come_from_the_daily_archive_then_from_rest_and_today_so_far_is_partial() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-07"));
        fake.publishDays(
                "markPriceKlines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-07"));
        // November is not over: no monthly file, funding from REST.

        HistoryDownload.Summary summary = download().run(request("2022-11-05T00:00:00Z", "2022-11-10T06:00:00Z", ALL));

        assertThat(names(folder(HistoryKind.CANDLES)))
                .containsExactly(
                        "BTCUSDT-1h-2022-11-05.zip",
                        "BTCUSDT-1h-2022-11-05.zip.CHECKSUM",
                        "BTCUSDT-1h-2022-11-06.zip",
                        "BTCUSDT-1h-2022-11-06.zip.CHECKSUM",
                        "BTCUSDT-1h-2022-11-07.zip",
                        "BTCUSDT-1h-2022-11-07.zip.CHECKSUM",
                        "BTCUSDT-1h-2022-11-08.json",
                        "BTCUSDT-1h-2022-11-09.json",
                        "BTCUSDT-1h-2022-11-10.partial.json");
        assertThat(names(folder(HistoryKind.FUNDING))).containsExactly("BTCUSDT-fundingRate-2022-11.partial.json");
        // The folder reads as one series, every candle the venue's, closed candles only (06:00 closes at 06:59:59).
        CandleSeries candles = MarketDataFiles.loadCandles(folder(HistoryKind.CANDLES));
        assertThat(candles.gaps()).isEmpty();
        assertThat(candles.candles().getFirst().openTime()).isEqualTo(Instant.parse("2022-11-05T00:00:00Z"));
        assertThat(candles.candles().getLast().openTime()).isEqualTo(Instant.parse("2022-11-10T05:00:00Z"));
        assertThat(candles.candles()).hasSize(5 * 24 + 6);
        for (Candle c : candles.candles()) {
            FakeBinanceHistory.Kline k = ftx.stream()
                    .filter(x -> x.open() == c.openTime().toEpochMilli())
                    .findFirst()
                    .orElseThrow();
            assertThat(c.close()).isEqualByComparingTo(k.c());
            assertThat(c.low()).isEqualByComparingTo(k.l());
        }
        CandleSeries mark = MarketDataFiles.loadCandles(folder(HistoryKind.MARK));
        assertThat(mark.candles()).hasSize(5 * 24 + 6);
        assertThat(MarketDataFiles.loadFunding(folder(HistoryKind.FUNDING)))
                .extracting(FundingRate::time)
                .first()
                .isEqualTo(Instant.parse("2022-11-05T00:00:00.000Z"));
        assertThat(summary.series())
                .extracting(HistoryDownload.SeriesReport::describe)
                .containsExactly(
                        "3 daily archive files, 2 days from REST (not in the archive yet), the day so far from REST;"
                                + " 126 rows",
                        "3 daily archive files, 2 days from REST (not in the archive yet), the day so far from REST;"
                                + " 126 rows",
                        "the month so far from REST; 16 rows");
        assertThat(allFiles()).noneMatch(n -> n.endsWith(".part"));

        // A day later: everything that was there stays; only the partial day is fetched again, now whole.
        clock.set(Instant.parse("2022-11-11T01:00:00Z"));
        long archiveBefore = fake.requests("/data/");
        download().run(request("2022-11-05T00:00:00Z", "2022-11-11T00:00:00Z", Set.of(HistoryKind.CANDLES)));

        assertThat(fake.requests("/data/") - archiveBefore)
                .as("archive requests: only the checksum of 2022-11-10, which is not published")
                .isEqualTo(1);
        assertThat(names(folder(HistoryKind.CANDLES)))
                .contains("BTCUSDT-1h-2022-11-10.json")
                .doesNotContain("BTCUSDT-1h-2022-11-10.partial.json");
        assertThat(MarketDataFiles.loadCandles(folder(HistoryKind.CANDLES)).candles())
                .hasSize(6 * 24);
    }

    @Test
    void a_whole_month_that_is_over_comes_as_the_monthly_zip_and_is_not_fetched_twice() throws Exception {
        List<FakeBinanceHistory.Kline> october =
                FakeBinanceHistory.walk(Instant.parse("2022-10-01T00:00:00Z"), Duration.ofHours(1), 31 * 24, 7);
        fake.klines("klines", "BTCUSDT", "1h", october);
        fake.publish("klines", "BTCUSDT-1h-2022-10.zip");
        clock.set(Instant.parse("2022-11-20T00:00:00Z"));

        HistoryDownload.Summary first =
                download().run(request("2022-10-01T00:00:00Z", "2022-11-01T00:00:00Z", Set.of(HistoryKind.CANDLES)));
        assertThat(names(folder(HistoryKind.CANDLES)))
                .containsExactly("BTCUSDT-1h-2022-10.zip", "BTCUSDT-1h-2022-10.zip.CHECKSUM");
        assertThat(MarketDataFiles.loadCandles(folder(HistoryKind.CANDLES)).candles())
                .hasSize(744)
                .extracting(c -> c.close().stripTrailingZeros())
                .containsExactlyElementsOf(closes(october));
        assertThat(first.files()).isEqualTo(1);
        assertThat(first.rows()).isEqualTo(744);

        long before = fake.requests().size();
        HistoryDownload.Summary second =
                download().run(request("2022-10-01T00:00:00Z", "2022-11-01T00:00:00Z", Set.of(HistoryKind.CANDLES)));
        assertThat(second.files()).isZero();
        assertThat(second.series().getFirst().describe()).isEqualTo("nothing new; 1 already there");
        assertThat(fake.requests().size() - before).as("only the symbol check").isEqualTo(1);
    }

    @Test
    void a_month_not_published_yet_falls_back_to_daily_files_then_to_rest() throws Exception {
        List<FakeBinanceHistory.Kline> october =
                FakeBinanceHistory.walk(Instant.parse("2022-10-01T00:00:00Z"), Duration.ofHours(1), 31 * 24, 11);
        fake.klines("klines", "BTCUSDT", "1h", october);
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-10-01"), LocalDate.parse("2022-10-28"));
        clock.set(Instant.parse("2022-11-01T03:00:00Z"));

        HistoryDownload.Summary summary =
                download().run(request("2022-10-01T00:00:00Z", "2022-11-01T00:00:00Z", Set.of(HistoryKind.CANDLES)));

        assertThat(fake.requests("/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2022-10.zip.CHECKSUM"))
                .as("the monthly file was asked for first")
                .isEqualTo(1);
        assertThat(summary.series().getFirst().describe())
                .isEqualTo("28 daily archive files, 3 days from REST (not in the archive yet); 744 rows");
        assertThat(names(folder(HistoryKind.CANDLES)))
                .contains("BTCUSDT-1h-2022-10-28.zip", "BTCUSDT-1h-2022-10-29.json", "BTCUSDT-1h-2022-10-31.json");
        assertThat(MarketDataFiles.loadCandles(folder(HistoryKind.CANDLES)).candles())
                .extracting(c -> c.close().stripTrailingZeros())
                .containsExactlyElementsOf(closes(october));
    }

    @Test
    void rest_pages_a_day_of_1m_candles_within_the_limit_and_counts_its_weight() throws Exception {
        List<FakeBinanceHistory.Kline> day =
                FakeBinanceHistory.walk(Instant.parse("2022-10-03T00:00:00Z"), Duration.ofMinutes(1), 1440, 3);
        fake.klines("klines", "ETHUSDT", "1m", day);
        clock.set(Instant.parse("2022-10-04T00:10:00Z"));

        download(HistoryDownload.Storage.FILES, 500)
                .run(new HistoryDownload.Request(
                        List.of("ETHUSDT"),
                        "1m",
                        Instant.parse("2022-10-03T00:00:00Z"),
                        Instant.parse("2022-10-04T00:00:00Z"),
                        Set.of(HistoryKind.CANDLES),
                        dir));

        assertThat(fake.requests("/fapi/v1/klines"))
                .as("the symbol check, then three pages of 500, 500 and 440")
                .isEqualTo(4);
        assertThat(fake.requests("limit=500")).isEqualTo(3);
        Path folder = new HistoryLayout(dir).folder(HistoryKind.CANDLES, "ETHUSDT", "1m");
        assertThat(MarketDataFiles.loadCandles(folder).candles())
                .extracting(c -> c.close().stripTrailingZeros())
                .containsExactlyElementsOf(closes(day));
    }

    @Test
    void a_checksum_mismatch_deletes_the_file_and_names_it() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-06"));
        fake.serveWithBadChecksum("klines", "BTCUSDT-1h-2022-11-06.zip");

        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download()
                        .run(request("2022-11-05T00:00:00Z", "2022-11-07T00:00:00Z", Set.of(HistoryKind.CANDLES))));

        assertThat(e.usage()).isFalse();
        assertThat(e.getMessage())
                .startsWith("BTCUSDT-1h-2022-11-06.zip: its SHA-256 is ")
                .contains("but its .CHECKSUM says ")
                .contains("the download was deleted");
        assertThat(names(folder(HistoryKind.CANDLES)))
                .as("the good day stays, nothing of the bad one")
                .containsExactly("BTCUSDT-1h-2022-11-05.zip", "BTCUSDT-1h-2022-11-05.zip.CHECKSUM");
    }

    @Test
    void a_truncated_zip_is_refused_even_when_its_checksum_matches() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-05"));
        fake.serveTruncated("klines", "BTCUSDT-1h-2022-11-05.zip");

        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download()
                        .run(request("2022-11-05T00:00:00Z", "2022-11-06T00:00:00Z", Set.of(HistoryKind.CANDLES))));

        assertThat(e.getMessage()).startsWith("BTCUSDT-1h-2022-11-05.zip: not a complete zip archive (");
        assertThat(names(folder(HistoryKind.CANDLES))).isEmpty();
    }

    @Test
    void a_zip_whose_rows_the_replay_would_refuse_is_refused_at_download() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-05"));
        fake.serveCorruptRow("klines", "BTCUSDT-1h-2022-11-05.zip");

        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download()
                        .run(request("2022-11-05T00:00:00Z", "2022-11-06T00:00:00Z", Set.of(HistoryKind.CANDLES))));

        assertThat(e.getMessage())
                .startsWith("BTCUSDT-1h-2022-11-05.zip:2: open \"abc\" is not a number")
                .contains("the download was deleted");
        assertThat(names(folder(HistoryKind.CANDLES))).isEmpty();
    }

    @Test
    void http_429_waits_its_retry_after_then_goes_on() throws Exception {
        server.stubFor(get(urlPathEqualTo("/fapi/v1/klines"))
                .atPriority(1)
                .inScenario("rate limit")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "7")
                        .withHeader("X-MBX-USED-WEIGHT-1M", "2401")
                        .withBody("{\"code\":-1003,\"msg\":\"Too many requests; current limit of IP(127.0.0.1) is"
                                + " 2400 requests per minute. Please use the websocket for live updates to avoid"
                                + " polling the API.\"}"))
                .willSetStateTo("calm"));

        download().run(request("2022-11-05T00:00:00Z", "2022-11-06T00:00:00Z", Set.of(HistoryKind.CANDLES)));

        // Retry-After, then the rest of the minute: the 429 said 2,401 weight was used, over this client's 1,200.
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(53));
        assertThat(MarketDataFiles.loadCandles(folder(HistoryKind.CANDLES)).candles())
                .hasSize(24);
    }

    @Test
    void a_connection_that_breaks_off_mid_file_restarts_that_file() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-05"));
        server.stubFor(get(urlPathEqualTo("/data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2022-11-05.zip"))
                .atPriority(1)
                .inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK))
                .willSetStateTo("fine"));

        download().run(request("2022-11-05T00:00:00Z", "2022-11-06T00:00:00Z", Set.of(HistoryKind.CANDLES)));

        assertThat(fake.requests("BTCUSDT-1h-2022-11-05.zip"))
                .as("checksum, then the zip once whole")
                .isEqualTo(2);
        assertThat(clock.sleeps).as("one backoff before the second attempt").containsExactly(Duration.ofSeconds(1));
        assertThat(names(folder(HistoryKind.CANDLES)))
                .containsExactly("BTCUSDT-1h-2022-11-05.zip", "BTCUSDT-1h-2022-11-05.zip.CHECKSUM");
        assertThat(MarketDataFiles.loadCandles(folder(HistoryKind.CANDLES)).candles())
                .hasSize(24);
    }

    @Test
    void http_418_stops_at_once_and_keeps_what_was_downloaded() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-06"));
        server.stubFor(get(urlPathEqualTo("/fapi/v1/markPriceKlines"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(418)
                        .withHeader("Retry-After", "120")
                        .withBody("{\"code\":-1003,\"msg\":\"Way too many requests; IP(127.0.0.1) banned until"
                                + " 1668062520000. Please use the websocket for live updates to avoid bans.\"}")));

        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download()
                        .run(request(
                                "2022-11-05T00:00:00Z",
                                "2022-11-07T00:00:00Z",
                                EnumSet.of(HistoryKind.CANDLES, HistoryKind.MARK))));

        assertThat(e.getMessage())
                .startsWith("Binance answers 418 to BTCUSDT mark 2022-11-05: this IP is banned for sending too many"
                        + " requests for 2m (until 2022-11-10T06:32:00Z)")
                .endsWith("run the same command again after that");
        assertThat(clock.sleeps).as("a ban is not waited out").isEmpty();
        assertThat(names(folder(HistoryKind.CANDLES))).hasSize(4);
        assertThat(names(folder(HistoryKind.MARK))).isEmpty();
    }

    @Test
    void an_unknown_symbol_gets_the_venues_own_error() {
        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download()
                        .run(new HistoryDownload.Request(
                                List.of("FOOUSDT"),
                                "1h",
                                Instant.parse("2022-11-05T00:00:00Z"),
                                Instant.parse("2022-11-06T00:00:00Z"),
                                ALL,
                                dir)));

        assertThat(e.usage()).isTrue();
        assertThat(e.getMessage())
                .isEqualTo("--symbol: Binance USDⓈ-M answers -1121 Invalid symbol. (symbol check for FOOUSDT)");
    }

    @Test
    void a_window_before_the_listing_or_in_the_future_is_refused() {
        HistoryDownload.DownloadException before = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download().run(request("2022-11-01T00:00:00Z", "2022-11-06T00:00:00Z", ALL)));
        assertThat(before.usage()).isTrue();
        assertThat(before.getMessage())
                .isEqualTo("--from 2022-11-01T00:00:00Z is before BTCUSDT was listed on Binance USDⓈ-M (its first 1h"
                        + " candle opened at 2022-11-05T00:00:00Z); start at or after 2022-11-06");

        HistoryDownload.DownloadException future = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download().run(request("2022-11-05T00:00:00Z", "2022-11-12T00:00:00Z", ALL)));
        assertThat(future.getMessage())
                .isEqualTo("--to 2022-11-12T00:00:00Z is in the future (now 2022-11-10T06:30:00Z): history ends now");
    }

    @Test
    void a_full_disk_leaves_nothing_half_written() throws Exception {
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-06"));
        // The second file's writes fail as a full disk does, after a few bytes.
        int[] opened = {0};
        HistoryDownload.Storage fillsUp = file -> {
            opened[0]++;
            OutputStream real = Files.newOutputStream(file);
            if (opened[0] < 3) {
                return real;
            }
            return new FilterOutputStream(real) {
                int written;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (written + len > 100) {
                        throw new FileSystemException(file.toString(), null, "No space left on device");
                    }
                    written += len;
                    out.write(b, off, len);
                }
            };
        };

        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download(fillsUp, BinanceHistoryClient.KLINE_LIMIT)
                        .run(request("2022-11-05T00:00:00Z", "2022-11-07T00:00:00Z", Set.of(HistoryKind.CANDLES))));

        assertThat(e.getMessage())
                .startsWith("cannot write " + folder(HistoryKind.CANDLES).resolve("BTCUSDT-1h-2022-11-06.zip"))
                .contains("No space left on device")
                .endsWith("nothing half-written was left");
        assertThat(names(folder(HistoryKind.CANDLES)))
                .containsExactly("BTCUSDT-1h-2022-11-05.zip", "BTCUSDT-1h-2022-11-05.zip.CHECKSUM");
    }

    @Test
    void a_folder_that_cannot_be_made_is_named() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        HistoryDownload.DownloadException e = catchThrowableOfType(
                HistoryDownload.DownloadException.class,
                () -> download()
                        .run(new HistoryDownload.Request(
                                List.of("BTCUSDT"),
                                "1h",
                                Instant.parse("2022-11-05T00:00:00Z"),
                                Instant.parse("2022-11-06T00:00:00Z"),
                                ALL,
                                file.resolve("data"))));

        assertThat(e.usage()).isTrue();
        assertThat(e.getMessage()).startsWith("--dir " + file.resolve("data") + ": cannot create folder ");
    }

    @Test
    void what_a_killed_run_left_half_written_is_removed() throws Exception {
        Path folder = Files.createDirectories(folder(HistoryKind.CANDLES));
        Files.writeString(folder.resolve(".BTCUSDT-1h-2022-11-05.zip.part"), "half a zip");
        fake.publishDays("klines", "BTCUSDT", "1h", LocalDate.parse("2022-11-05"), LocalDate.parse("2022-11-05"));

        HistoryDownload.Summary summary =
                download().run(request("2022-11-05T00:00:00Z", "2022-11-06T00:00:00Z", Set.of(HistoryKind.CANDLES)));

        assertThat(names(folder)).containsExactly("BTCUSDT-1h-2022-11-05.zip", "BTCUSDT-1h-2022-11-05.zip.CHECKSUM");
        assertThat(summary.notes()).singleElement().asString().contains("left half-written by an interrupted run");
    }
}
