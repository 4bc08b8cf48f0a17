package ballast.app.marketdata;

import ballast.app.marketdata.MarketDataFiles.DataFileException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Streams a JSON array of rows with Jackson's {@link JsonParser}: freqtrade's {@code [ts_ms, open, high, low, close,
 * volume]} (funding: {@code [ts_ms, rate, 0, 0, 0, 0]}), Binance's 12-element REST kline rows, or Binance's REST funding
 * objects {@code {"fundingTime": ms, "fundingRate": "…"}}. Numbers are read as exact decimals from their text, never
 * through a binary float.
 */
final class JsonRows {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int ROW_SIZE = 6;
    /** Binance's REST kline row: openTime, open, high, low, close, volume, closeTime, and five more. */
    private static final int BINANCE_ROW_SIZE = 12;

    private final String file;
    private final Kind kind;
    private final RowSink sink;
    private final JsonParser p;
    private int row;

    private JsonRows(String file, Kind kind, RowSink sink, JsonParser parser) {
        this.file = file;
        this.kind = kind;
        this.sink = sink;
        this.p = parser;
    }

    static void read(InputStream in, String file, Kind kind, RowSink sink) {
        JsonParser parser;
        try {
            parser = JSON.createParser(in);
        } catch (IOException e) {
            throw new DataFileException(file + ": cannot read: " + MarketDataFiles.reason(e), e);
        }
        JsonRows reader = new JsonRows(file, kind, sink, parser);
        try (parser) {
            reader.rows();
        } catch (JsonProcessingException e) {
            throw new DataFileException(reader.where(e.getLocation()) + ": " + plain(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new DataFileException(
                    reader.where(parser.currentLocation()) + ": cannot read: " + MarketDataFiles.reason(e), e);
        }
    }

    /**
     * The parser's words without the parts meant for programmers: "Non-standard token 'NaN': enable
     * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow" becomes "NaN is not a number".
     */
    static String plain(String message) {
        String text = message == null ? "not valid JSON" : message;
        if (text.startsWith("Unexpected end-of-input")) {
            return "the file ends in the middle of its data (a truncated file?)";
        }
        if (text.startsWith("Unexpected character")) {
            java.util.regex.Matcher c = java.util.regex.Pattern.compile("Unexpected character \\('(.)'")
                    .matcher(text);
            return "unexpected character" + (c.find() ? " '" + c.group(1) + "'" : "") + ": not the JSON data expected";
        }
        java.util.regex.Matcher token =
                java.util.regex.Pattern.compile("Non-standard token '([^']+)'").matcher(text);
        if (token.find()) {
            return token.group(1) + " is not a number (prices, volumes and rates must be plain decimals)";
        }
        return text.replaceAll(
                        ":? *enable `?[A-Za-z.]*(JsonReadFeature|JsonParser\\.Feature)[A-Za-z_.]*`? to allow.*", "")
                .replaceAll("\\(for Object starting at.*\\)", "")
                .replaceAll("\\(start marker at \\[Source.*", "")
                .replaceAll("\\[Source:.*", "")
                .replaceAll("\\s+", " ")
                .trim();
    }

    private String where(JsonLocation location) {
        return row > 0 && location != null
                ? RowRef.json(file, location.getLineNr(), row).at()
                : where(file, location);
    }

    private static String where(String file, JsonLocation location) {
        return location == null ? file : file + ": line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private String shape() {
        return kind == Kind.FUNDING ? "[ts_ms, rate, 0, 0, 0, 0]" : "[ts_ms, open, high, low, close, volume]";
    }

    private void rows() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return; // empty file: the caller reports "no rows"
        }
        if (t != JsonToken.START_ARRAY) {
            throw new DataFileException(where(file, p.currentTokenLocation()) + ": expected a JSON array of rows "
                    + shape() + ", found " + found(t));
        }
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            row++;
            RowRef ref = here();
            if (t == JsonToken.START_OBJECT && kind == Kind.FUNDING) {
                fundingObject(ref);
                continue;
            }
            if (t == JsonToken.START_OBJECT && isFundingObject()) {
                throw ref.error("a Binance funding-rate object, not a candle (a funding file? use it as funding:)");
            }
            if (t != JsonToken.START_ARRAY) {
                throw ref.error("expected a row " + shape()
                        + (kind == Kind.FUNDING
                                ? " or a Binance funding object {\"fundingTime\", \"fundingRate\"}"
                                : "")
                        + ", found " + found(t));
            }
            row(ref);
        }
        row = 0;
        t = p.nextToken();
        if (t != null) {
            throw new DataFileException(
                    where(file, p.currentTokenLocation()) + ": unexpected " + found(t) + " after the closing ]");
        }
    }

    private RowRef here() {
        return RowRef.json(file, p.currentTokenLocation().getLineNr(), row);
    }

    private void row(RowRef ref) throws IOException {
        Instant time = null;
        BigDecimal[] values = new BigDecimal[kind.valueNames.size()];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == 0) {
                time = time(t);
            } else if (n < ROW_SIZE) {
                value(t, n, values);
            } else {
                p.skipChildren();
            }
            n++;
        }
        if (n != ROW_SIZE && !(n == BINANCE_ROW_SIZE && kind == Kind.CANDLES)) {
            throw ref.error("expected " + ROW_SIZE + " values " + shape()
                    + (kind == Kind.CANDLES ? " (or the 12 of a Binance kline row)" : "") + ", found " + n);
        }
        sink.accept(time, values, ref);
    }

    /** Whether the object just opened has a fundingTime field (skips it either way; for the error message only). */
    private boolean isFundingObject() throws IOException {
        boolean funding = false;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t == JsonToken.FIELD_NAME && p.currentName().equals("fundingTime")) {
                funding = true;
            }
            p.nextToken();
            p.skipChildren();
        }
        return funding;
    }

    /** Binance's {@code GET /fapi/v1/fundingRate} row: fundingTime and fundingRate; other fields are ignored. */
    private void fundingObject(RowRef ref) throws IOException {
        Instant time = null;
        BigDecimal rate = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            String field = p.currentName();
            t = p.nextToken();
            switch (field) {
                case "fundingTime" -> time = time(t);
                case "fundingRate" -> rate = decimal(t, "fundingRate");
                default -> p.skipChildren();
            }
        }
        if (time == null || rate == null) {
            throw ref.error("a funding object needs fundingTime and fundingRate, found "
                    + (time == null ? "no fundingTime" : "no fundingRate"));
        }
        sink.accept(time, new BigDecimal[] {rate}, ref);
    }

    private Instant time(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return Instant.ofEpochMilli(p.getLongValue());
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal ms = p.getDecimalValue();
            try {
                return Instant.ofEpochMilli(ms.longValueExact());
            } catch (ArithmeticException e) {
                throw here().error("ts_ms " + p.getText() + " is not a whole number of epoch milliseconds", e);
            }
        }
        throw here().error("ts_ms must be epoch milliseconds, found " + found(t));
    }

    /** Element {@code n} (1..5) of a row into {@code values}. */
    private void value(JsonToken t, int n, BigDecimal[] values) throws IOException {
        if (kind == Kind.CANDLES) {
            values[n - 1] = decimal(t, Kind.CANDLES.valueNames.get(n - 1));
            return;
        }
        if (n == 1) {
            values[0] = decimal(t, "rate");
            return;
        }
        BigDecimal zero = decimal(t, "value " + (n + 1));
        if (zero.signum() != 0) {
            throw here().error(
                            "value " + (n + 1) + " of a funding row must be 0, found " + p.getText()
                                    + " (a funding row is [ts_ms, rate, 0, 0, 0, 0]; is this a candle file? use it as candles: or mark:)");
        }
    }

    private BigDecimal decimal(JsonToken t, String name) throws IOException {
        switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getDecimalValue();
            }
            case VALUE_STRING -> {
                String text = p.getText().trim();
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    throw here().error(name + " \"" + p.getText() + "\" is not a number", e);
                }
            }
            default -> throw here().error(name + " must be a number, found " + found(t));
        }
    }

    private String found(JsonToken t) throws IOException {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "\"" + p.getText() + "\"";
            default -> p.getText();
        };
    }
}
