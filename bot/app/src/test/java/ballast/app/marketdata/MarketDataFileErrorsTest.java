package ballast.app.marketdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.app.marketdata.MarketDataFiles.DataFileException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input is a {@link DataFileException} that names the file, the line (and JSON row), the problem, the value. */
class MarketDataFileErrorsTest {

    static final String OHLCV = "date_utc,open,high,low,close,volume\n";
    static final String KLINE_HEADER = "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
            + "taker_buy_volume,taker_buy_quote_volume,ignore\n";

    @TempDir
    Path dir;

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    AbstractThrowableAssert<?, ? extends Throwable> candlesFail(String name, String content) throws IOException {
        Path file = write(name, content);
        return assertThatThrownBy(() -> MarketDataFiles.loadCandles(file)).isInstanceOf(DataFileException.class);
    }

    AbstractThrowableAssert<?, ? extends Throwable> fundingFail(String name, String content) throws IOException {
        Path file = write(name, content);
        return assertThatThrownBy(() -> MarketDataFiles.loadFunding(file)).isInstanceOf(DataFileException.class);
    }

    @Test
    void high_below_close_in_csv_names_file_line_and_values() throws IOException {
        candlesFail(
                        "prices.csv",
                        OHLCV + "2022-06-01T00:00:00Z,31797.9,31850.0,31794.6,31831.7,694.024\n"
                                + "2022-06-01T00:05:00Z,31831.7,31850.0,31822.6,31900.1,591.928\n")
                .hasMessage("prices.csv:3: high 31850.0 is below close 31900.1 (candle opening 2022-06-01T00:05:00Z)")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void high_below_close_in_json_names_line_and_row() throws IOException {
        candlesFail(
                        "BTCUSDT-5m.json",
                        "[[1654041600000,31797.9,31850.0,31794.6,31831.7,694.024],"
                                + "[1654041900000,31831.7,31850.0,31822.6,31900.1,591.928]]")
                .hasMessage("BTCUSDT-5m.json: line 1, row 2: high 31850.0 is below close 31900.1"
                        + " (candle opening 2022-06-01T00:05:00Z)");
    }

    @Test
    void json_line_numbers_follow_the_parser() throws IOException {
        candlesFail("pretty.json", "[\n[0,1,1,1,1,0],\n[60000,1,2,1.5,1,0]\n]")
                .hasMessage(
                        "pretty.json: line 3, row 2: low 1.5 is above open 1 (candle opening 1970-01-01T00:01:00Z)");
    }

    @Test
    void non_positive_price_and_negative_volume() throws IOException {
        candlesFail("zero.csv", OHLCV + "2024-01-01T00:00:00Z,0,1,0,1,1\n")
                .hasMessageStartingWith("zero.csv:2: open 0 is not above 0");
        candlesFail("vol.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,-0.5\n")
                .hasMessageStartingWith("vol.csv:2: volume -0.5 is negative");
    }

    @Test
    void wrong_column_count() throws IOException {
        candlesFail("prices.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T00:05:00Z,1,1,1\n")
                .hasMessage("prices.csv:3: expected 6 columns (date_utc,open,high,low,close,volume), found 4");
        candlesFail("BTCUSDT-1m-2024-08.csv", "1722470400000,1,1,1,1,0,1722470459999,0,0,0,0\n")
                .hasMessage("BTCUSDT-1m-2024-08.csv:1: expected 12 columns (open_time,open,high,low,close,volume,"
                        + "close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore), found 11");
        candlesFail("short.json", "[[0,1,1,1,1]]")
                .hasMessage("short.json: line 1, row 1: expected 6 values [ts_ms, open, high, low, close, volume]"
                        + " (or the 12 of a Binance kline row), found 5");
    }

    @Test
    void non_numeric_values() throws IOException {
        candlesFail("prices.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,abc,1,1\n")
                .hasMessage("prices.csv:2: low \"abc\" is not a number");
        candlesFail("empty-field.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,1,,1\n")
                .hasMessage("empty-field.csv:2: close is empty");
        candlesFail("bad-date.csv", OHLCV + "2024-01-01 00:00,1,1,1,1,1\n")
                .hasMessageStartingWith("bad-date.csv:2: date_utc \"2024-01-01 00:00\" is not an ISO-8601 UTC time");
        candlesFail("kline.csv", KLINE_HEADER + "17224704x0000,1,1,1,1,0,1722470459999,0,0,0,0,0\n")
                .hasMessage("kline.csv:2: open_time \"17224704x0000\" is not an epoch time in milliseconds or"
                        + " microseconds");
        candlesFail("null.json", "[[0,1,1,1,1,0],[60000,1,null,1,1,0]]")
                .hasMessage("null.json: line 1, row 2: high must be a number, found null");
        candlesFail("string.json", "[[0,1,1,1,1,0],[60000,1,\"x\",1,1,0]]")
                .hasMessage("string.json: line 1, row 2: high \"x\" is not a number");
        candlesFail("ts.json", "[[\"2024-01-01\",1,1,1,1,0]]")
                .hasMessage("ts.json: line 1, row 1: ts_ms must be epoch milliseconds, found \"2024-01-01\"");
    }

    @Test
    void duplicate_timestamp_names_both_lines() throws IOException {
        candlesFail(
                        "dup.csv",
                        OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T00:05:00Z,1,1,1,1,1\n"
                                + "2024-01-01T00:05:00Z,1,1,1,1,1\n")
                .hasMessage("dup.csv:4: duplicate open time 2024-01-01T00:05:00Z, same as line 3");
        candlesFail("dup.json", "[[0,1,1,1,1,0],[60000,1,1,1,1,0],[60000,1,1,1,1,0]]")
                .hasMessage(
                        "dup.json: line 1, row 3: duplicate open time 1970-01-01T00:01:00Z, same as row 2 (line 1)");
        fundingFail("dup-funding.csv", "date_utc,funding_rate\n2024-01-01T00:00:00Z,0.0001\n2024-01-01T00:00:00Z,0\n")
                .hasMessage("dup-funding.csv:3: duplicate funding time 2024-01-01T00:00:00Z, same as line 2");
    }

    @Test
    void out_of_order_names_both_lines() throws IOException {
        candlesFail(
                        "order.csv",
                        OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T00:10:00Z,1,1,1,1,1\n"
                                + "2024-01-01T00:05:00Z,1,1,1,1,1\n")
                .hasMessage("order.csv:4: open time 2024-01-01T00:05:00Z is before 2024-01-01T00:10:00Z on line 3"
                        + " (rows must be in strictly ascending time order)");
        fundingFail("order.json", "[[28800000,0.0001,0,0,0,0],[0,0.0001,0,0,0,0]]")
                .hasMessage("order.json: line 1, row 2: funding time 1970-01-01T00:00:00Z is before"
                        + " 1970-01-01T08:00:00Z on row 1 (line 1) (rows must be in strictly ascending time order)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "[]", " [ ] \n"})
    void empty_json_has_no_rows(String content) throws IOException {
        candlesFail("empty.json", content).hasMessage("empty.json: no rows");
        fundingFail("empty.json", content).hasMessage("empty.json: no rows");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "\n\n", "date_utc,open,high,low,close,volume\n", "date_utc,open,high,low,close", KLINE_HEADER
            })
    void empty_or_header_only_csv_has_no_rows(String content) throws IOException {
        candlesFail("prices.csv", content).hasMessage("prices.csv: no rows");
    }

    @Test
    void header_only_funding_csv_has_no_rows() throws IOException {
        fundingFail("funding.csv", "date_utc,funding_rate\n").hasMessage("funding.csv: no rows");
    }

    @Test
    void missing_file() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(missing))
                .isInstanceOf(DataFileException.class)
                .hasMessage("file not found: " + missing);
        assertThatThrownBy(() -> MarketDataFiles.loadFunding(missing))
                .isInstanceOf(DataFileException.class)
                .hasMessage("file not found: " + missing);
    }

    @Test
    void a_single_candle_has_no_interval() throws IOException {
        candlesFail("one.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n")
                .hasMessage("one.csv:2: only one candle; at least two are needed to infer the candle interval");
    }

    @Test
    void a_step_that_is_not_a_multiple_of_the_interval_is_an_error() throws IOException {
        candlesFail(
                        "odd.csv",
                        OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T00:05:00Z,1,1,1,1,1\n"
                                + "2024-01-01T00:10:00Z,1,1,1,1,1\n2024-01-01T00:13:00Z,1,1,1,1,1\n")
                .hasMessage("odd.csv:5: open time 2024-01-01T00:13:00Z is 3m after line 4 (2024-01-01T00:10:00Z), not a"
                        + " whole multiple of the file's candle interval 5m (the most common step)");
    }

    @Test
    void blank_line_inside_csv_is_an_error() throws IOException {
        candlesFail("blank.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n\n2024-01-01T00:05:00Z,1,1,1,1,1\n")
                .hasMessage("blank.csv:3: blank line (data follows on line 4)");
    }

    @Test
    void unrecognised_csv_and_missing_columns() throws IOException {
        candlesFail("what.csv", "time,open,high,low,close\n1,1,1,1,1\n")
                .hasMessageStartingWith("what.csv:1: unrecognised CSV: expected a header with a date_utc column")
                .hasMessageEndingWith("found \"time,open,high,low,close\"");
        candlesFail("funding.csv", "date_utc,funding_rate\n2024-01-01T00:00:00Z,0.0001\n")
                .hasMessage("funding.csv:1: no column \"open\" in header date_utc,funding_rate; expected"
                        + " date_utc,open,high,low,close[,volume] (a funding file? use it as funding:)");
        fundingFail("candles.csv", OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n")
                .hasMessageStartingWith("candles.csv:1: no column \"funding_rate\"");
        fundingFail("BTCUSDT-1m-2024-08.csv", "1722470400000,1,1,1,1,0,1722470459999,0,0,0,0,0\n")
                .hasMessage(
                        "BTCUSDT-1m-2024-08.csv:1: this is a Binance kline CSV, which has no funding rates (a candle"
                                + " file? use it as candles: or mark:)");
        candlesFail("twice.csv", "date_utc,open,open,high,low,close\n")
                .hasMessage("twice.csv:1: column \"open\" appears twice in the header");
    }

    @Test
    void malformed_json_reports_the_parser_position() throws IOException {
        candlesFail("broken.json", "[[0,1,1,1,1,0],[60000,1,1,1,1,0,]]")
                .hasMessage("broken.json: line 1, row 2: unexpected character ']': not the JSON data expected");
        candlesFail("object.json", "{\"a\":1}")
                .hasMessage(
                        "object.json: line 1, column 1: expected a JSON array of rows [ts_ms, open, high, low, close, volume],"
                                + " found an object");
        candlesFail("flat.json", "[0,1,1,1,1,0]")
                .hasMessage(
                        "flat.json: line 1, row 1: expected a row [ts_ms, open, high, low, close, volume], found 0");
        candlesFail("truncated.json", "[[0,1,1,1,1,0],[60000,1,1")
                .hasMessage(
                        "truncated.json: line 1, row 2: the file ends in the middle of its data (a truncated file?)");
        candlesFail("trailing.json", "[[0,1,1,1,1,0],[60000,1,1,1,1,0]] [")
                .hasMessage("trailing.json: line 1, column 35: unexpected an array after the closing ]");
    }

    @Test
    void candle_file_given_as_funding_json_is_refused() throws IOException {
        fundingFail("mark.json", "[[0,100,101,99,100,0]]")
                .hasMessage("mark.json: line 1, row 1: value 3 of a funding row must be 0, found 101 (a funding row is"
                        + " [ts_ms, rate, 0, 0, 0, 0]; is this a candle file? use it as candles: or mark:)");
    }

    @Test
    void corrupt_gzip() throws IOException {
        candlesFail("plain.json.gz", "[[0,1,1,1,1,0]]").hasMessageStartingWith("plain.json.gz: not a gzip file (");
        Path truncated = dir.resolve("truncated.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(truncated))) {
            out.write((OHLCV + "2024-01-01T00:00:00Z,1,1,1,1,1\n".repeat(1000)).getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> MarketDataFiles.loadCandles(truncated))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("truncated.csv.gz:")
                .hasMessageContaining("cannot read");
    }

    @Test
    void the_exception_is_unchecked() {
        assertThat(RuntimeException.class).isAssignableFrom(DataFileException.class);
    }
}
