package ballast.exchange.binance;

import static ballast.exchange.payload.Payloads.decimal;
import static ballast.exchange.payload.Payloads.field;
import static ballast.exchange.payload.Payloads.integer;
import static ballast.exchange.payload.Payloads.text;

import ballast.core.margin.MarginMode;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Binance's wire formats, read into this package's records. Lenient in shape (numbers as JSON numbers or text, unknown
 * extra fields ignored), strict in value: a missing field, an empty number, an unknown enum value is a
 * {@link PayloadException} naming the payload, the field's path and the value, never a default.
 */
final class BinanceParsers {

    private static final Map<String, MarginMode> MARGIN_TYPES =
            Map.of("isolated", MarginMode.ISOLATED, "cross", MarginMode.CROSS);

    private BinanceParsers() {}

    static long serverTime(String payload, String json) {
        return epochMillis(payload, object(payload, json), "", "serverTime");
    }

    static List<BinancePosition> positions(String payload, String json) {
        JsonNode root = Payloads.parse(payload, json);
        if (!root.isArray()) {
            throw new PayloadException(payload + ": expected an array of positions, was " + abbreviate(root));
        }
        List<BinancePosition> positions = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            positions.add(position(payload, root.get(i), "[" + i + "]."));
        }
        return List.copyOf(positions);
    }

    private static BinancePosition position(String payload, JsonNode p, String at) {
        if (!p.isObject()) {
            throw new PayloadException(payload + ": " + at + " expected a position object, was " + abbreviate(p));
        }
        String symbol = text(payload, p, at, "symbol");
        BigDecimal liquidation = decimal(payload, p, at, "liquidationPrice");
        if (liquidation.signum() < 0) {
            throw new PayloadException(payload + ": " + at + "liquidationPrice must be >= 0 (\"0\" = none), was "
                    + liquidation.toPlainString());
        }
        try {
            return new BinancePosition(
                    symbol,
                    enumValue(payload, p, at, "positionSide", PositionSide.class),
                    decimal(payload, p, at, "positionAmt"),
                    decimal(payload, p, at, "entryPrice"),
                    decimal(payload, p, at, "markPrice"),
                    // Binance writes "0" where it has no liquidation price (flat, or margin covers any move).
                    liquidation.signum() == 0 ? Optional.empty() : Optional.of(liquidation),
                    positiveInteger(payload, p, at, "leverage"),
                    marginType(payload, p, at),
                    decimal(payload, p, at, "isolatedWallet"),
                    decimal(payload, p, at, "isolatedMargin"),
                    decimal(payload, p, at, "unRealizedProfit"),
                    decimal(payload, p, at, "notional"),
                    bool(payload, p, at, "isAutoAddMargin"),
                    Instant.ofEpochMilli(epochMillis(payload, p, at, "updateTime")));
        } catch (IllegalArgumentException e) {
            throw new PayloadException(payload + ": " + at + " " + symbol + ": " + e.getMessage(), e);
        }
    }

    private static MarginMode marginType(String payload, JsonNode p, String at) {
        String value = text(payload, p, at, "marginType");
        MarginMode mode = MARGIN_TYPES.get(value.toLowerCase(Locale.ROOT));
        if (mode == null) {
            throw new PayloadException(
                    payload + ": " + at + "marginType must be isolated or cross, was \"" + value + "\"");
        }
        return mode;
    }

    static BinanceAccount account(String payload, String json) {
        JsonNode a = object(payload, json);
        return new BinanceAccount(
                decimal(payload, a, "", "totalWalletBalance"),
                decimal(payload, a, "", "totalMarginBalance"),
                decimal(payload, a, "", "totalMaintMargin"),
                decimal(payload, a, "", "availableBalance"));
    }

    static BinancePremiumIndex premiumIndex(String payload, String json, String expectedSymbol) {
        JsonNode p = object(payload, json);
        String symbol = text(payload, p, "", "symbol");
        if (!symbol.equals(expectedSymbol)) {
            throw new PayloadException(
                    payload + ": symbol is \"" + symbol + "\", but \"" + expectedSymbol + "\" was asked for");
        }
        return new BinancePremiumIndex(
                symbol,
                positive(payload, p, "", "markPrice"),
                positive(payload, p, "", "indexPrice"),
                decimal(payload, p, "", "lastFundingRate"),
                Instant.ofEpochMilli(epochMillis(payload, p, "", "nextFundingTime")),
                Instant.ofEpochMilli(epochMillis(payload, p, "", "time")));
    }

    /** {@code {"amount":100.0,"code":200,"msg":"Successfully modify position margin.","type":1}}. */
    static BinanceMarginChange marginChange(String payload, String json) {
        JsonNode m = object(payload, json);
        int type = integer(payload, m, "", "type");
        if (type != 1 && type != 2) {
            throw new PayloadException(payload + ": type must be 1 (add) or 2 (reduce), was " + type);
        }
        return new BinanceMarginChange(decimal(payload, m, "", "amount"), type == 1);
    }

    /**
     * {@code GET /fapi/v1/positionMargin/history}: {@code [{symbol, type (1 add, 2 reduce), deltaType, amount, asset,
     * time, positionSide}]}, as signed changes ({@code positionSide} BOTH is the side held, {@code oneWay}).
     */
    static List<ballast.core.venue.MarginChange> marginHistory(String payload, String json, ballast.core.Side oneWay) {
        JsonNode root = Payloads.parse(payload, json);
        if (!root.isArray()) {
            throw new PayloadException(payload + ": expected an array of margin changes, was " + abbreviate(root));
        }
        List<ballast.core.venue.MarginChange> changes = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            String at = "[" + i + "].";
            JsonNode c = root.get(i);
            int type = integer(payload, c, at, "type");
            if (type != 1 && type != 2) {
                throw new PayloadException(payload + ": " + at + "type must be 1 (add) or 2 (reduce), was " + type);
            }
            BigDecimal amount = decimal(payload, c, at, "amount").abs();
            PositionSide positionSide = enumValue(payload, c, at, "positionSide", PositionSide.class);
            ballast.core.Side side = switch (positionSide) {
                case LONG -> ballast.core.Side.LONG;
                case SHORT -> ballast.core.Side.SHORT;
                case BOTH -> oneWay;
            };
            changes.add(new ballast.core.venue.MarginChange(
                    text(payload, c, at, "symbol"),
                    side,
                    type == 1 ? amount : amount.negate(),
                    java.time.Instant.ofEpochMilli(epochMillis(payload, c, at, "time"))));
        }
        return List.copyOf(changes);
    }

    /**
     * {@code GET /fapi/v1/exchangeInfo}: {@code rateLimits} (an unknown quota type is skipped: it meters nothing we
     * send), and each symbol's PRICE_FILTER and LOT_SIZE. A symbol without them is unreadable, never a default.
     */
    static BinanceExchangeInfo exchangeInfo(String payload, String json) {
        JsonNode root = object(payload, json);
        List<BinanceExchangeInfo.RateLimit> limits = new ArrayList<>();
        JsonNode rateLimits = field(payload, root, "", "rateLimits");
        for (int i = 0; i < rateLimits.size(); i++) {
            JsonNode r = rateLimits.get(i);
            String at = "rateLimits[" + i + "].";
            String type = text(payload, r, at, "rateLimitType");
            if (!type.equals("REQUEST_WEIGHT") && !type.equals("ORDERS")) {
                continue;
            }
            int count = positiveInteger(payload, r, at, "intervalNum");
            java.time.Duration unit = switch (text(payload, r, at, "interval")) {
                case "SECOND" -> java.time.Duration.ofSeconds(1);
                case "MINUTE" -> java.time.Duration.ofMinutes(1);
                case "HOUR" -> java.time.Duration.ofHours(1);
                case "DAY" -> java.time.Duration.ofDays(1);
                default ->
                    throw new PayloadException(payload + ": " + at + "interval must be SECOND, MINUTE, HOUR"
                            + " or DAY, was " + text(payload, r, at, "interval"));
            };
            limits.add(new BinanceExchangeInfo.RateLimit(
                    BinanceExchangeInfo.LimitType.valueOf(type),
                    unit.multipliedBy(count),
                    positiveInteger(payload, r, at, "limit")));
        }
        java.util.Map<String, BinanceExchangeInfo.SymbolRules> symbols = new java.util.LinkedHashMap<>();
        JsonNode list = field(payload, root, "", "symbols");
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String at = "symbols[" + i + "].";
            String symbol = text(payload, s, at, "symbol");
            BigDecimal tick = null;
            BigDecimal step = null;
            BigDecimal minQty = null;
            JsonNode filters = field(payload, s, at, "filters");
            for (int f = 0; f < filters.size(); f++) {
                JsonNode filter = filters.get(f);
                String fat = at + "filters[" + f + "].";
                switch (text(payload, filter, fat, "filterType")) {
                    case "PRICE_FILTER" -> tick = positive(payload, filter, fat, "tickSize");
                    case "LOT_SIZE" -> {
                        step = positive(payload, filter, fat, "stepSize");
                        minQty = decimal(payload, filter, fat, "minQty");
                    }
                    default -> {}
                }
            }
            if (tick == null || step == null) {
                throw new PayloadException(payload + ": " + at + " " + symbol + " has no "
                        + (tick == null ? "PRICE_FILTER" : "LOT_SIZE") + " filter");
            }
            symbols.put(
                    symbol,
                    new BinanceExchangeInfo.SymbolRules(symbol, text(payload, s, at, "status"), tick, step, minQty));
        }
        return new BinanceExchangeInfo(limits, symbols);
    }

    /** The Algo Service's answer to a conditional order placed or cancelled: its client algo id, as echoed. */
    static String algoOrder(String payload, String json) {
        return text(payload, object(payload, json), "", "clientAlgoId");
    }

    /** {@code GET /fapi/v1/openAlgoOrders}: an array of conditional orders. */
    static List<BinanceAlgoOrder> algoOrders(String payload, String json) {
        JsonNode root = Payloads.parse(payload, json);
        if (!root.isArray()) {
            throw new PayloadException(payload + ": expected an array of algo orders, was " + abbreviate(root));
        }
        List<BinanceAlgoOrder> orders = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode o = root.get(i);
            String at = "[" + i + "].";
            if (!o.isObject()) {
                throw new PayloadException(
                        payload + ": " + at + " expected an algo order object, was " + abbreviate(o));
            }
            orders.add(new BinanceAlgoOrder(
                    text(payload, o, at, "symbol"),
                    text(payload, o, at, "clientAlgoId"),
                    enumValue(payload, o, at, "side", OrderSide.class),
                    enumValue(payload, o, at, "positionSide", PositionSide.class),
                    text(payload, o, at, "orderType"),
                    decimal(payload, o, at, "triggerPrice"),
                    text(payload, o, at, "workingType"),
                    bool(payload, o, at, "closePosition"),
                    text(payload, o, at, "algoStatus")));
        }
        return List.copyOf(orders);
    }

    static BinanceOrder order(String payload, String json) {
        JsonNode o = object(payload, json);
        BigDecimal average = decimal(payload, o, "", "avgPrice");
        return new BinanceOrder(
                text(payload, o, "", "symbol"),
                epochMillis(payload, o, "", "orderId"),
                text(payload, o, "", "clientOrderId"),
                enumValue(payload, o, "", "side", OrderSide.class),
                enumValue(payload, o, "", "positionSide", PositionSide.class),
                text(payload, o, "", "type"),
                enumValue(payload, o, "", "status", OrderStatus.class),
                bool(payload, o, "", "reduceOnly"),
                decimal(payload, o, "", "origQty"),
                decimal(payload, o, "", "executedQty"),
                // Unfilled orders carry avgPrice "0" / "0.00000": no average yet, not a fill at zero.
                average.signum() == 0 ? Optional.empty() : Optional.of(average),
                Instant.ofEpochMilli(epochMillis(payload, o, "", "updateTime")));
    }

    static BinanceLeverage leverage(String payload, String json) {
        JsonNode l = object(payload, json);
        return new BinanceLeverage(text(payload, l, "", "symbol"), positiveInteger(payload, l, "", "leverage"));
    }

    static boolean dualSidePosition(String payload, String json) {
        return bool(payload, object(payload, json), "", "dualSidePosition");
    }

    static String listenKey(String payload, String json) {
        return Payloads.text(payload, object(payload, json), "", "listenKey");
    }

    static boolean multiAssetsMargin(String payload, String json) {
        return bool(payload, object(payload, json), "", "multiAssetsMargin");
    }

    static BinanceApiRestrictions apiRestrictions(String payload, String json) {
        JsonNode root = object(payload, json);
        return new BinanceApiRestrictions(
                bool(payload, root, "", "enableWithdrawals"),
                bool(payload, root, "", "enableFutures"),
                bool(payload, root, "", "ipRestrict"));
    }

    private static JsonNode object(String payload, String json) {
        JsonNode root = Payloads.parse(payload, json);
        if (!root.isObject()) {
            throw new PayloadException(payload + ": expected a JSON object, was " + abbreviate(root));
        }
        return root;
    }

    /** Epoch milliseconds (or an id): a whole number >= 0 that fits a long. */
    private static long epochMillis(String payload, JsonNode parent, String path, String name) {
        BigDecimal value = decimal(payload, parent, path, name);
        try {
            long millis = value.longValueExact();
            if (millis < 0) {
                throw new ArithmeticException("negative");
            }
            return millis;
        } catch (ArithmeticException e) {
            throw new PayloadException(
                    payload + ": " + path + name + " must be a whole number >= 0, was " + value.toPlainString());
        }
    }

    private static int positiveInteger(String payload, JsonNode parent, String path, String name) {
        int value = integer(payload, parent, path, name);
        if (value < 1) {
            throw new PayloadException(payload + ": " + path + name + " must be >= 1, was " + value);
        }
        return value;
    }

    private static BigDecimal positive(String payload, JsonNode parent, String path, String name) {
        BigDecimal value = decimal(payload, parent, path, name);
        if (value.signum() <= 0) {
            throw new PayloadException(payload + ": " + path + name + " must be > 0, was " + value.toPlainString());
        }
        return value;
    }

    /** A JSON boolean, or the text "true"/"false" (positionRisk sends {@code isAutoAddMargin} as text). */
    private static boolean bool(String payload, JsonNode parent, String path, String name) {
        JsonNode value = field(payload, parent, path, name);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            switch (value.asText()) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    break;
            }
        }
        throw new PayloadException(payload + ": " + path + name + " must be true or false, was " + value);
    }

    private static <E extends Enum<E>> E enumValue(
            String payload, JsonNode parent, String path, String name, Class<E> type) {
        String value = text(payload, parent, path, name);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw new PayloadException(payload + ": " + path + name + " must be one of " + List.of(type.getEnumConstants())
                + ", was \"" + value + "\"");
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
