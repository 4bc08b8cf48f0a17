package ballast.exchange.payload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;

/**
 * Reading venue JSON leniently in shape but strictly in value: decimals stay exact ({@code BigDecimal}, never
 * {@code double}), numbers sent as text are accepted as numbers, and a missing or malformed value is an error that names
 * the payload and the field, never a zero.
 */
public final class Payloads {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private Payloads() {}

    public static JsonNode parse(String payloadName, String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new PayloadException(payloadName + ": empty payload");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new PayloadException(
                    payloadName + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    public static JsonNode field(String payloadName, JsonNode parent, String path, String name) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw new PayloadException(payloadName + ": " + path + name + " is missing");
        }
        return value;
    }

    /** A decimal sent as a JSON number or as text ({@code 0.004} or {@code "0.004"}); blank text is an error. */
    public static BigDecimal decimal(String payloadName, JsonNode parent, String path, String name) {
        JsonNode value = field(payloadName, parent, path, name);
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            String text = value.asText().trim();
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new PayloadException(
                        payloadName + ": " + path + name + " must be a decimal number, was \"" + value.asText() + "\"");
            }
        }
        throw new PayloadException(payloadName + ": " + path + name + " must be a decimal number, was " + value);
    }

    public static int integer(String payloadName, JsonNode parent, String path, String name) {
        BigDecimal value = decimal(payloadName, parent, path, name);
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw new PayloadException(
                    payloadName + ": " + path + name + " must be a whole number, was " + value.toPlainString());
        }
    }

    public static String text(String payloadName, JsonNode parent, String path, String name) {
        JsonNode value = field(payloadName, parent, path, name);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new PayloadException(payloadName + ": " + path + name + " must be non-empty text, was " + value);
        }
        return value.asText();
    }
}
