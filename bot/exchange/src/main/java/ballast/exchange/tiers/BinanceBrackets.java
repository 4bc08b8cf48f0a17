package ballast.exchange.tiers;

import static ballast.exchange.payload.Payloads.decimal;
import static ballast.exchange.payload.Payloads.field;
import static ballast.exchange.payload.Payloads.integer;
import static ballast.exchange.payload.Payloads.text;

import ballast.core.margin.RiskTier;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Binance USDⓈ-M {@code GET /fapi/v1/leverageBracket} responses: an array of
 * {@code {symbol, brackets: [{bracket, initialLeverage, notionalCap, notionalFloor, maintMarginRatio, cum}]}}, or one
 * such object when a symbol was asked for. The same parser serves shipped snapshots and live refreshes.
 */
public final class BinanceBrackets {

    private BinanceBrackets() {}

    public static Map<String, List<RiskTier>> parse(String payloadName, String json) {
        JsonNode root = Payloads.parse(payloadName, json);
        Map<String, List<RiskTier>> bySymbol = new LinkedHashMap<>();
        if (root.isObject()) {
            addSymbol(payloadName, root, "", bySymbol);
        } else if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                addSymbol(payloadName, root.get(i), "[" + i + "].", bySymbol);
            }
        } else {
            throw new PayloadException(
                    payloadName + ": expected an array of symbols or one symbol object, was " + root);
        }
        return bySymbol;
    }

    private static void addSymbol(String payloadName, JsonNode node, String path, Map<String, List<RiskTier>> out) {
        String symbol = text(payloadName, node, path, "symbol");
        JsonNode brackets = field(payloadName, node, path, "brackets");
        if (!brackets.isArray() || brackets.isEmpty()) {
            throw new PayloadException(
                    payloadName + ": " + path + "brackets must be a non-empty array, was " + brackets);
        }
        List<RiskTier> tiers = new ArrayList<>();
        for (int i = 0; i < brackets.size(); i++) {
            JsonNode b = brackets.get(i);
            String at = path + "brackets[" + i + "].";
            try {
                tiers.add(new RiskTier(
                        integer(payloadName, b, at, "bracket"),
                        decimal(payloadName, b, at, "notionalFloor"),
                        decimal(payloadName, b, at, "notionalCap"),
                        integer(payloadName, b, at, "initialLeverage"),
                        decimal(payloadName, b, at, "maintMarginRatio"),
                        decimal(payloadName, b, at, "cum")));
            } catch (IllegalArgumentException e) {
                throw new PayloadException(payloadName + ": " + symbol + " " + at + ": " + e.getMessage(), e);
            }
        }
        tiers.sort((a, b) -> a.notionalFloor().compareTo(b.notionalFloor()));
        if (out.put(symbol, List.copyOf(tiers)) != null) {
            throw new PayloadException(payloadName + ": symbol " + symbol + " appears twice");
        }
    }
}
