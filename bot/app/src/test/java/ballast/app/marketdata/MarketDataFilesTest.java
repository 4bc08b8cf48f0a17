package ballast.app.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.market.Candle;
import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import ballast.core.market.Gap;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The accepted formats, on small synthetic files: each reads to exactly the values written. */
class MarketDataFilesTest {

    @TempDir
    Path dir;

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    static Path resource(String name) {
        try {
            return Path.of(
                    MarketDataFilesTest.class.getResource("/marketdata/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("test resource missing: /marketdata/" + name, e);
        }
    }

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    Path writeGzip(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** The four 1m candles in every Binance kline fixture, opening at {@code start}. */
    static List<Candle> fixtureCandles(Instant start) {
        return List.of(
                new Candle(start, dec("64628.00"), dec("64677.48"), dec("64560.00"), dec("64577.81"), dec("172.63421")),
                new Candle(
                        start.plusSeconds(60),
                        dec("64577.81"),
                        dec("64590.00"),
                        dec("64501.12"),
                        dec("64533.01"),
                        dec("98.10200")),
                new Candle(
                        start.plusSeconds(120),
                        dec("64533.01"),
                        dec("64612.70"),
                        dec("64533.00"),
                        dec("64600.00"),
                        dec("120.00001")),
                new Candle(
                        start.plusSeconds(180),
                        dec("64600.00"),
                        dec("64601.99"),
                        dec("64555.55"),
                        dec("64580.40"),
                        dec("75.50000")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BTCUSDT-1m-2024-08.csv", "BTCUSDT-1m-2024-08-noheader.csv"})
    void binance_kline_csv_in_milliseconds_with_and_without_header(String name) {
        CandleSeries series = MarketDataFiles.loadCandles(resource(name));

        assertThat(series.source()).isEqualTo(name);
        assertThat(series.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(series.gaps()).isEmpty();
        assertThat(series.candles()).containsExactlyElementsOf(fixtureCandles(Instant.parse("2024-08-01T00:00:00Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BTCUSDT-1m-2025-01-micros.csv", "BTCUSDT-1m-2025-01-micros-header.csv"})
    void binance_kline_csv_in_microseconds_with_and_without_header(String name) {
        CandleSeries series = MarketDataFiles.loadCandles(resource(name));

        assertThat(series.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(series.candles()).containsExactlyElementsOf(fixtureCandles(Instant.parse("2025-01-01T00:00:00Z")));
    }

    @Test
    void binance_kline_time_unit_is_decided_per_value() throws IOException {
        Path file = write("mixed.csv", """
                1735689600000,1,1,1,1,0,1735689659999,0,0,0,0,0
                1735689660000000,1,1,1,1,0,1735689719999999,0,0,0,0,0
                1735689720000,1,1,1,1,0,1735689779999,0,0,0,0,0
                """);

        assertThat(MarketDataFiles.loadCandles(file).candles())
                .extracting(Candle::openTime)
                .containsExactly(
                        Instant.parse("2025-01-01T00:00:00Z"),
                        Instant.parse("2025-01-01T00:01:00Z"),
                        Instant.parse("2025-01-01T00:02:00Z"));
    }

    @Test
    void freqtrade_json_reads_exact_decimals() throws IOException {
        Path file = write(
                "BTC_USDT-1h.json",
                "[[1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68108],"
                        + "[1704070800000,42475.23,42775.0,42431.65,42613.56,1196.37856],"
                        + "[1704074400000,42613.57,42638.3,42500.0,42500.000000000000000001,0.1]]");

        CandleSeries series = MarketDataFiles.loadCandles(file);

        assertThat(series.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(series.candles().getLast().close()).isEqualTo(dec("42500.000000000000000001"));
        assertThat(series.candles().getFirst())
                .isEqualTo(new Candle(
                        Instant.parse("2024-01-01T00:00:00Z"),
                        dec("42283.58"),
                        dec("42554.57"),
                        dec("42261.02"),
                        dec("42475.23"),
                        dec("1271.68108")));
    }

    @Test
    void gzipped_json_and_gzipped_csv() throws IOException {
        Path json = writeGzip("a.json.gz", "[[0,1,2,1,2,3],[60000,2,2,1,1,0]]");
        Path csv = writeGzip(
                "a.csv.gz",
                "date_utc,open,high,low,close,volume\n1970-01-01T00:00:00Z,1,2,1,2,3\n"
                        + "1970-01-01T00:01:00Z,2,2,1,1,0\n");

        assertThat(MarketDataFiles.loadCandles(json).candles())
                .isEqualTo(MarketDataFiles.loadCandles(csv).candles())
                .hasSize(2);
    }

    @Test
    void date_utc_csv_columns_are_matched_by_name_not_position() throws IOException {
        Path file = write("reordered.csv", """
                volume,close,date_utc,low,open,high
                5,101,2024-01-01T00:00:00Z,99,100,102
                6,103,2024-01-01T00:05:00Z,100,101,104
                """);

        assertThat(MarketDataFiles.loadCandles(file).candles().getFirst())
                .isEqualTo(new Candle(
                        Instant.parse("2024-01-01T00:00:00Z"),
                        dec("100"),
                        dec("102"),
                        dec("99"),
                        dec("101"),
                        dec("5")));
    }

    @Test
    void mark_csv_without_volume_reads_volume_zero_and_millis_times() throws IOException {
        Path file = write(
                "mark.csv",
                "date_utc,open,high,low,close\r\n2019-09-10T08:00:00.000Z,7559.44418192,7560.05502911,7554.17034744,"
                        + "7554.17034744\r\n2019-09-10T09:00:00.000Z,7554.49665332,7567.19124839,7536.35607054,"
                        + "7561.64556004\r\n\r\n");

        CandleSeries series = MarketDataFiles.loadCandles(file);

        assertThat(series.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(series.candles()).extracting(Candle::volume).containsOnly(BigDecimal.ZERO);
        assertThat(series.candles().getFirst().openTime()).isEqualTo(Instant.parse("2019-09-10T08:00:00Z"));
    }

    @Test
    void funding_csv_and_json_keep_sign_and_milliseconds() throws IOException {
        Path csv = write("funding.csv", """
                date_utc,funding_rate
                2021-11-18T00:00:00.017Z,0.0001
                2021-11-18T08:00:00.007Z,-2.5e-05
                2021-11-18T16:00:00.000Z,0
                """);
        Path json = write(
                "funding.json",
                "[[1637193600017,0.0001,0.0,0.0,0.0,0.0],[1637222400007,-2.5e-05,0,0,0,0],[1637251200000,0,0,0,0,0]]");

        List<FundingRate> expected = List.of(
                new FundingRate(Instant.parse("2021-11-18T00:00:00.017Z"), dec("0.0001")),
                new FundingRate(Instant.parse("2021-11-18T08:00:00.007Z"), dec("-0.000025")),
                new FundingRate(Instant.parse("2021-11-18T16:00:00Z"), BigDecimal.ZERO));
        assertThat(MarketDataFiles.loadFunding(csv)).isEqualTo(expected);
        assertThat(MarketDataFiles.loadFunding(json)).isEqualTo(expected);
    }

    @Test
    void a_gap_is_reported_with_its_missing_candles_not_filled() throws IOException {
        Path file = write("gappy.csv", """
                date_utc,open,high,low,close,volume
                2024-01-01T00:00:00Z,1,1,1,1,1
                2024-01-01T00:05:00Z,1,1,1,1,1
                2024-01-01T00:10:00Z,1,1,1,1,1
                2024-01-01T00:30:00Z,1,1,1,1,1
                2024-01-01T00:35:00Z,1,1,1,1,1
                2024-01-01T00:45:00Z,1,1,1,1,1
                """);

        CandleSeries series = MarketDataFiles.loadCandles(file);

        assertThat(series.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(series.candles()).hasSize(6);
        assertThat(series.gaps())
                .containsExactly(
                        new Gap(Instant.parse("2024-01-01T00:10:00Z"), Instant.parse("2024-01-01T00:30:00Z"), 3),
                        new Gap(
                                Instant.parse("2024-01-01T00:30:00Z").plusSeconds(300),
                                Instant.parse("2024-01-01T00:45:00Z"),
                                1));
    }

    @Test
    void interval_ties_go_to_the_shorter_step() throws IOException {
        Path file = write("tie.json", "[[0,1,1,1,1,0],[60000,1,1,1,1,0],[180000,1,1,1,1,0]]");

        CandleSeries series = MarketDataFiles.loadCandles(file);

        assertThat(series.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(series.gaps())
                .containsExactly(new Gap(Instant.ofEpochMilli(60000), Instant.ofEpochMilli(180000), 1));
    }

    @Test
    void other_names_are_told_by_content() throws IOException {
        Path json = write("candles.txt", "\uFEFF \n [[0,1,1,1,1,0],[60000,1,1,1,1,0]]");
        Path csv = write(
                "candles.dat",
                "\uFEFFdate_utc,open,high,low,close\n1970-01-01T00:00:00Z,1,1,1,1\n"
                        + "1970-01-01T00:01:00Z,1,1,1,1\n");

        assertThat(MarketDataFiles.loadCandles(json).candles()).hasSize(2);
        assertThat(MarketDataFiles.loadCandles(csv).candles()).hasSize(2);
    }

    @Test
    void pretty_printed_json_loads_too() throws IOException {
        Path file = write("pretty.json", "[\n  [0, 1, 1, 1, 1, 0],\n  [60000, 1, 1, 1, 1, 0]\n]\n");

        assertThat(MarketDataFiles.loadCandles(file).candles()).hasSize(2);
    }
}
