package ballast.exchange.tiers;

import static ballast.exchange.payload.Payloads.decimal;
import static ballast.exchange.payload.Payloads.field;
import static ballast.exchange.payload.Payloads.integer;
import static ballast.exchange.payload.Payloads.text;

import ballast.core.margin.RiskTier;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Bybit v5 {@code GET /v5/market/risk-limit} responses:
 * {@code {retCode, retMsg, result: {category, list: [{id, symbol, riskLimitValue, maintenanceMargin, initialMargin,
 * maxLeverage, mmDeduction, isLowestRisk}]}}}. Bybit sends each tier's upper bound ({@code riskLimitValue}); the lower
 * bound is the previous tier's. Values arrive as text. {@code retCode != 0} is an error even with HTTP 200.
 */
public final class BybitRiskLimits {

    private BybitRiskLimits() {}

    public static Map<String, List<RiskTier>> parse(String payloadName, String json) {
        JsonNode root = Payloads.parse(payloadName, json);
        int retCode = integer(payloadName, root, "", "retCode");
        if (retCode != 0) {
            JsonNode msg = root.get("retMsg");
            throw new PayloadException(payloadName + ": Bybit answered retCode " + retCode + " ("
                    + (msg == null ? "no message" : msg.asText()) + ")");
        }
        JsonNode list = field(payloadName, field(payloadName, root, "", "result"), "result.", "list");
        if (!list.isArray() || list.isEmpty()) {
            throw new PayloadException(payloadName + ": result.list must be a non-empty array, was " + list);
        }
        record Row(int id, String symbol, BigDecimal cap, BigDecimal mmr, BigDecimal deduction, int maxLeverage) {}
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String at = "result.list[" + i + "].";
            BigDecimal maxLeverage = decimal(payloadName, r, at, "maxLeverage");
            Row row = new Row(
                    integer(payloadName, r, at, "id"),
                    text(payloadName, r, at, "symbol"),
                    decimal(payloadName, r, at, "riskLimitValue"),
                    decimal(payloadName, r, at, "maintenanceMargin"),
                    deduction(payloadName, r, at),
                    // A fractional max leverage (e.g. "12.50") allows no more than its whole part.
                    maxLeverage.setScale(0, RoundingMode.FLOOR).intValueExact());
            rows.computeIfAbsent(row.symbol(), s -> new ArrayList<>()).add(row);
        }
        Map<String, List<RiskTier>> bySymbol = new LinkedHashMap<>();
        rows.forEach((symbol, symbolRows) -> {
            symbolRows.sort(Comparator.comparing(Row::cap));
            List<RiskTier> tiers = new ArrayList<>();
            BigDecimal floor = BigDecimal.ZERO;
            for (Row row : symbolRows) {
                try {
                    tiers.add(new RiskTier(row.id(), floor, row.cap(), row.maxLeverage(), row.mmr(), row.deduction()));
                } catch (IllegalArgumentException e) {
                    throw new PayloadException(
                            payloadName + ": " + symbol + " risk limit id " + row.id() + ": " + e.getMessage(), e);
                }
                floor = row.cap();
            }
            bySymbol.put(symbol, List.copyOf(tiers));
        });
        return bySymbol;
    }

    /**
     * Bybit sends the lowest tier's deduction as {@code ""} at times. Only there does blank mean zero (the deduction
     * recurrence starts at 0); anywhere else a blank deduction is unknown, and unknown is an error, not a zero.
     */
    private static BigDecimal deduction(String payloadName, JsonNode row, String at) {
        JsonNode value = row.get("mmDeduction");
        boolean lowest = row.has("isLowestRisk") && row.get("isLowestRisk").asInt() == 1;
        if (lowest && value != null && value.isTextual() && value.asText().isBlank()) {
            return BigDecimal.ZERO;
        }
        return decimal(payloadName, row, at, "mmDeduction");
    }
}
