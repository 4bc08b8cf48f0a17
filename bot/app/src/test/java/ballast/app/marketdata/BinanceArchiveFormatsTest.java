package ballast.app.marketdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.app.marketdata.MarketDataFiles.DataFileException;
import ballast.core.market.Candle;
import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ballast data download} leaves on disk, read without conversion: Binance's public-data zips (klines, mark
 * klines, funding), its REST payloads (klines, funding), and a folder of them joined in time order. Payloads are the
 * venues' documented shapes.
 */
class BinanceArchiveFormatsTest {

    @TempDir
    Path dir;

    static final String KLINE_HEADER =
            "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";

    static byte[] zip(String entry, String content) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, content);
    }

    Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Three hourly klines from 2024-08-01T00:00Z in the archive's CSV (with header), mark-style (volume 0). */
    static String klines(String day, int fromHour, int hours) {
        StringBuilder csv = new StringBuilder(KLINE_HEADER).append('\n');
        for (int h = fromHour; h < fromHour + hours; h++) {
            long open =
                    Instant.parse(day + "T00:00:00Z").plus(Duration.ofHours(h)).toEpochMilli();
            csv.append(open)
                    .append(",60000.1,60100.2,59900.3,60050.4,0,")
                    .append(open + 3_599_999)
                    .append(",0,0,0,0,0\n");
        }
        return csv.toString();
    }

    @Test
    void a_kline_zip_from_the_archive_reads_as_its_csv() throws IOException {
        Path file = write("BTCUSDT-1h-2024-08-01.zip", zip("BTCUSDT-1h-2024-08-01.csv", klines("2024-08-01", 0, 3)));

        CandleSeries series = MarketDataFiles.loadCandles(file);

        assertThat(series.source()).isEqualTo("BTCUSDT-1h-2024-08-01.zip");
        assertThat(series.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(series.candles()).hasSize(3);
        assertThat(series.candles().getFirst())
                .isEqualTo(new Candle(
                        Instant.parse("2024-08-01T00:00:00Z"),
                        new BigDecimal("60000.1"),
                        new BigDecimal("60100.2"),
                        new BigDecimal("59900.3"),
                        new BigDecimal("60050.4"),
                        BigDecimal.ZERO));
    }

    @Test
    void a_funding_zip_from_the_archive_reads_calc_time_and_last_funding_rate() throws IOException {
        Path file = write("BTCUSDT-fundingRate-2024-08.zip", zip("BTCUSDT-fundingRate-2024-08.csv", """
                        calc_time,funding_interval_hours,last_funding_rate
                        1722470400000,8,0.00010000
                        1722499200003,8,-0.00002311
                        """));

        assertThat(MarketDataFiles.loadFunding(file))
                .containsExactly(
                        new FundingRate(Instant.parse("2024-08-01T00:00:00Z"), new BigDecimal("0.0001")),
                        new FundingRate(Instant.parse("2024-08-01T08:00:00.003Z"), new BigDecimal("-0.00002311")));
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(file))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("BTCUSDT-fundingRate-2024-08.zip:1: this is a Binance funding-rate CSV");
    }

    @Test
    void rest_kline_rows_and_rest_funding_objects_read_as_served() throws IOException {
        // GET /fapi/v1/klines: 12-element rows, prices as strings.
        Path klines = write("BTCUSDT-1h-2024-08-02.json", """
                [[1722556800000,"64628.00","64677.48","64560.00","64577.81","172.634",1722560399999,"11152131.36",4210,"88.2","5697360.1","0"],
                 [1722560400000,"64577.81","64590.00","64501.12","64533.01","98.102",1722563999999,"6330421.90",2650,"41.0","2645874.2","0"]]
                """);
        // GET /fapi/v1/fundingRate: objects.
        Path funding = write("BTCUSDT-fundingRate-2024-08.json", """
                [{"symbol":"BTCUSDT","fundingTime":1722470400000,"fundingRate":"0.00010000","markPrice":"64628.10"},
                 {"symbol":"BTCUSDT","fundingTime":1722499200000,"fundingRate":"-0.00001000","markPrice":""}]
                """);

        CandleSeries series = MarketDataFiles.loadCandles(klines);
        assertThat(series.candles()).extracting(Candle::close).containsExactly(dec("64577.81"), dec("64533.01"));
        assertThat(series.candles().getFirst().volume()).isEqualByComparingTo("172.634");
        assertThat(MarketDataFiles.loadFunding(funding))
                .extracting(FundingRate::rate)
                .containsExactly(dec("0.0001"), dec("-0.00001"));
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(funding))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("a Binance funding-rate object, not a candle");
        assertThatThrownBy(() -> MarketDataFiles.loadFunding(klines))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("is this a candle file? use it as candles: or mark:");
    }

    @Test
    void a_funding_object_without_its_rate_is_named() throws IOException {
        Path funding = write("f.json", "[{\"symbol\":\"BTCUSDT\",\"fundingTime\":1722470400000}]");
        assertThatThrownBy(() -> MarketDataFiles.loadFunding(funding))
                .isInstanceOf(DataFileException.class)
                .hasMessage("f.json: line 1, row 1: a funding object needs fundingTime and fundingRate, found no"
                        + " fundingRate");
    }

    @Test
    void a_folder_joins_monthly_daily_and_rest_files_in_time_order_with_gaps_reported() throws IOException {
        // The month of July from the archive, two days of August from the archive, one from REST, none for 08-04.
        StringBuilder july = new StringBuilder(KLINE_HEADER).append('\n');
        for (int d = 1; d <= 31; d++) {
            july.append(klines("2024-07-%02d".formatted(d), 0, 24).substring(KLINE_HEADER.length() + 1));
        }
        write("k/BTCUSDT-1h-2024-07.zip", zip("BTCUSDT-1h-2024-07.csv", july.toString()));
        write("k/BTCUSDT-1h-2024-08-01.zip", zip("BTCUSDT-1h-2024-08-01.csv", klines("2024-08-01", 0, 24)));
        write("k/BTCUSDT-1h-2024-08-02.zip", zip("BTCUSDT-1h-2024-08-02.csv", klines("2024-08-02", 0, 24)));
        write("k/BTCUSDT-1h-2024-08-02.zip.CHECKSUM", "abc  BTCUSDT-1h-2024-08-02.zip\n");
        write("k/BTCUSDT-1h-2024-08-05.partial.json", """
                [[1722816000000,"1","1","1","1","0",1722819599999,"0",0,"0","0","0"],
                 [1722819600000,"1","1","1","1","0",1722823199999,"0",0,"0","0","0"]]
                """);
        write("k/.BTCUSDT-1h-2024-08-06.zip.part", "half a download");

        CandleSeries all = MarketDataFiles.loadCandles(dir.resolve("k"));
        assertThat(all.source()).isEqualTo("k");
        assertThat(all.candles()).hasSize(31 * 24 + 48 + 2);
        assertThat(all.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(all.gaps()).singleElement().satisfies(g -> {
            assertThat(g.after()).isEqualTo(Instant.parse("2024-08-02T23:00:00Z"));
            assertThat(g.before()).isEqualTo(Instant.parse("2024-08-05T00:00:00Z"));
            assertThat(g.missingCandles()).isEqualTo(48);
        });

        // With a window, the files outside it are not even read.
        write("k/BTCUSDT-1h-2024-06.zip", "not a zip at all".getBytes(StandardCharsets.UTF_8));
        CandleSeries august = MarketDataFiles.loadCandles(
                dir.resolve("k"), Instant.parse("2024-08-01T00:00:00Z"), Instant.parse("2024-08-03T00:00:00Z"));
        assertThat(august.candles()).hasSize(48);
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(dir.resolve("k")))
                .isInstanceOf(DataFileException.class)
                .hasMessage("BTCUSDT-1h-2024-06.zip: not a zip archive, or an empty one (no file inside)");
    }

    @Test
    void overlapping_files_in_a_folder_are_an_error_naming_both() throws IOException {
        write("o/BTCUSDT-1h-2024-08-01.zip", zip("BTCUSDT-1h-2024-08-01.csv", klines("2024-08-01", 0, 24)));
        write("o/BTCUSDT-1h-2024-08-01.json", """
                [[1722470400000,"1","1","1","1","0",1722473999999,"0",0,"0","0","0"],
                 [1722474000000,"1","1","1","1","0",1722477599999,"0",0,"0","0","0"]]
                """);

        assertThatThrownBy(() -> MarketDataFiles.loadCandles(dir.resolve("o")))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("overlap in folder")
                .hasMessageContaining("BTCUSDT-1h-2024-08-01.zip (2024-08-01T00:00:00Z to 2024-08-01T23:00:00Z)")
                .hasMessageContaining("BTCUSDT-1h-2024-08-01.json (2024-08-01T00:00:00Z to 2024-08-01T01:00:00Z)");
    }

    @Test
    void an_empty_folder_says_how_to_fill_it() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(dir.resolve("empty")))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("holds no data file")
                .hasMessageContaining("ballast data download");
    }

    @Test
    void a_truncated_zip_is_named_as_incomplete() throws IOException {
        byte[] whole = zip("BTCUSDT-1h-2024-08-01.csv", klines("2024-08-01", 0, 24));
        Path file = write("BTCUSDT-1h-2024-08-01.zip", Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> MarketDataFiles.loadCandles(file))
                .isInstanceOf(DataFileException.class)
                .hasMessageStartingWith("BTCUSDT-1h-2024-08-01.zip: not a complete zip archive (");
    }

    @Test
    void a_zip_with_two_files_is_refused() throws IOException {
        Path file = dir.resolve("two.zip");
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {"a.csv", "b.csv"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(klines("2024-08-01", 0, 2).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(file))
                .isInstanceOf(DataFileException.class)
                .hasMessage("two.zip: expected one data file inside, found another: b.csv");
    }

    @Test
    void file_names_say_their_month_or_day() {
        assertThat(MarketDataFiles.periodOf("BTCUSDT-1m-2024-08.zip"))
                .hasValueSatisfying(p -> assertThat(p)
                        .containsExactly(Instant.parse("2024-08-01T00:00:00Z"), Instant.parse("2024-09-01T00:00:00Z")));
        assertThat(MarketDataFiles.periodOf("BTCUSDT-1m-2024-02-29.partial.json"))
                .hasValueSatisfying(p -> assertThat(p)
                        .containsExactly(Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2024-03-01T00:00:00Z")));
        assertThat(MarketDataFiles.periodOf("BTCUSDT-fundingRate-2024-13.zip")).isEmpty();
        assertThat(MarketDataFiles.periodOf("binance_um_BTCUSDT_1h.csv")).isEmpty();
        assertThat(MarketDataFiles.isDataFile("x.zip.CHECKSUM")).isFalse();
        assertThat(MarketDataFiles.isDataFile(".x.zip.part")).isFalse();
        assertThat(MarketDataFiles.isDataFile("x.csv.gz")).isTrue();
        assertThat(MarketDataFiles.isDataFile("README.md")).isFalse();
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }
}
