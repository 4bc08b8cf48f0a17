package ballast.exchange.binance.stream;

import ballast.core.margin.MarginMode;
import ballast.exchange.binance.OrderSide;
import ballast.exchange.binance.OrderStatus;
import ballast.exchange.binance.PositionSide;
import ballast.exchange.binance.stream.BinanceStreamEvent.AccountConfigUpdate;
import ballast.exchange.binance.stream.BinanceStreamEvent.AccountUpdate;
import ballast.exchange.binance.stream.BinanceStreamEvent.ListenKeyExpired;
import ballast.exchange.binance.stream.BinanceStreamEvent.MarginCall;
import ballast.exchange.binance.stream.BinanceStreamEvent.MarkPrice;
import ballast.exchange.binance.stream.BinanceStreamEvent.OrderTradeUpdate;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns one Binance USDⓈ-M stream frame into a {@link ParsedFrame}. Values are read exactly (decimals as
 * {@link BigDecimal}, numbers accepted as JSON numbers or text); anything missing, blank, non-numeric or out of its
 * domain makes the whole frame {@link ParsedFrame.Malformed}, because a frame with one wrong number in it must not reach
 * the engine as a frame with a default in its place.
 *
 * <p>Frames arrive either raw ({@code {"e":…}}) or inside a combined-stream envelope
 * ({@code {"stream":"btcusdt@markPrice@1s","data":{…}}}); both are accepted on every route.
 */
public final class BinanceStreamParser {

    static final String MARK_PRICE_UPDATE = "markPriceUpdate";
    static final String ACCOUNT_UPDATE = "ACCOUNT_UPDATE";
    static final String ORDER_TRADE_UPDATE = "ORDER_TRADE_UPDATE";
    static final String MARGIN_CALL = "MARGIN_CALL";
    static final String ACCOUNT_CONFIG_UPDATE = "ACCOUNT_CONFIG_UPDATE";
    static final String LISTEN_KEY_EXPIRED = "listenKeyExpired";

    private static final String FRAME = "binance stream frame";

    private final Clock clock;

    public BinanceStreamParser(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public ParsedFrame parse(String frame) {
        // Read the receive time first, so tsInit is when the frame arrived rather than when parsing finished.
        Instant tsInit = clock.instant();
        if (frame == null || frame.isBlank()) {
            return new ParsedFrame.Malformed(FRAME + ": empty frame");
        }
        try {
            JsonNode root = Payloads.parse(FRAME, frame);
            if (!root.isObject()) {
                return new ParsedFrame.Malformed(FRAME + ": expected a JSON object, was " + root.getNodeType());
            }
            JsonNode body = root;
            if (root.has("stream") && root.has("data")) {
                body = root.get("data");
                if (!body.isObject()) {
                    // !markPrice@arr sends an array; this adapter subscribes per symbol and does not use it.
                    return new ParsedFrame.Ignored(
                            FRAME + ": envelope data is " + body.getNodeType() + ", not an event");
                }
            }
            if (!body.has("e") && body.has("id") && (body.has("result") || body.has("error"))) {
                return new ParsedFrame.Ignored(FRAME + ": reply to a request, not an event");
            }
            String type = Payloads.text(FRAME, body, "", "e");
            return switch (type) {
                case MARK_PRICE_UPDATE -> new ParsedFrame.Event(markPrice(body, tsInit));
                case ACCOUNT_UPDATE -> new ParsedFrame.Event(accountUpdate(body, tsInit));
                case ORDER_TRADE_UPDATE -> new ParsedFrame.Event(orderTradeUpdate(body, tsInit));
                case MARGIN_CALL -> new ParsedFrame.Event(marginCall(body, tsInit));
                case ACCOUNT_CONFIG_UPDATE -> new ParsedFrame.Event(accountConfigUpdate(body, tsInit));
                case LISTEN_KEY_EXPIRED ->
                    new ParsedFrame.Event(new ListenKeyExpired(millis(LISTEN_KEY_EXPIRED, body, "", "E"), tsInit));
                default -> new ParsedFrame.Ignored(FRAME + ": unknown event type \"" + type + "\"");
            };
        } catch (PayloadException e) {
            return new ParsedFrame.Malformed(e.getMessage());
        } catch (RuntimeException e) {
            // A parser bug must cost one frame, not the connection: OkHttp fails the socket if its listener throws.
            return new ParsedFrame.Malformed(FRAME + ": could not be read: " + e);
        }
    }

    private static MarkPrice markPrice(JsonNode n, Instant tsInit) {
        String p = MARK_PRICE_UPDATE;
        return new MarkPrice(
                Payloads.text(p, n, "", "s"),
                positive(p, n, "", "p"),
                positive(p, n, "", "i"),
                Payloads.decimal(p, n, "", "r"),
                millis(p, n, "", "T"),
                millis(p, n, "", "E"),
                tsInit);
    }

    private static AccountUpdate accountUpdate(JsonNode n, Instant tsInit) {
        String p = ACCOUNT_UPDATE;
        JsonNode a = object(p, n, "", "a");
        List<AccountUpdate.Balance> balances = new ArrayList<>();
        JsonNode b = array(p, a, "a.", "B");
        for (int i = 0; i < b.size(); i++) {
            String path = "a.B[" + i + "].";
            JsonNode item = element(p, b, "a.B", i);
            balances.add(new AccountUpdate.Balance(
                    Payloads.text(p, item, path, "a"),
                    Payloads.decimal(p, item, path, "wb"),
                    Payloads.decimal(p, item, path, "cw"),
                    Payloads.decimal(p, item, path, "bc")));
        }
        List<AccountUpdate.Position> positions = new ArrayList<>();
        JsonNode ps = array(p, a, "a.", "P");
        for (int i = 0; i < ps.size(); i++) {
            String path = "a.P[" + i + "].";
            JsonNode item = element(p, ps, "a.P", i);
            positions.add(new AccountUpdate.Position(
                    Payloads.text(p, item, path, "s"),
                    Payloads.decimal(p, item, path, "pa"),
                    nonNegative(p, item, path, "ep"),
                    nonNegative(p, item, path, "bep"),
                    Payloads.decimal(p, item, path, "cr"),
                    Payloads.decimal(p, item, path, "up"),
                    marginMode(p, item, path, "mt"),
                    nonNegative(p, item, path, "iw"),
                    positionSide(p, item, path, "ps")));
        }
        return new AccountUpdate(
                Payloads.text(p, a, "a.", "m"),
                millis(p, n, "", "T"),
                balances,
                positions,
                millis(p, n, "", "E"),
                tsInit);
    }

    private static OrderTradeUpdate orderTradeUpdate(JsonNode n, Instant tsInit) {
        String p = ORDER_TRADE_UPDATE;
        JsonNode o = object(p, n, "", "o");
        return new OrderTradeUpdate(
                Payloads.text(p, o, "o.", "s"),
                Payloads.text(p, o, "o.", "c"),
                constant(p, o, "o.", "S", OrderSide.class),
                constant(p, o, "o.", "X", OrderStatus.class),
                constant(p, o, "o.", "x", ExecutionType.class),
                nonNegative(p, o, "o.", "z"),
                nonNegative(p, o, "o.", "ap"),
                bool(p, o, "o.", "R"),
                positionSide(p, o, "o.", "ps"),
                millis(p, n, "", "E"),
                tsInit);
    }

    private static MarginCall marginCall(JsonNode n, Instant tsInit) {
        String p = MARGIN_CALL;
        // The venue sends cw only for a cross-margin call; absent is normal, present-but-bad is not.
        Optional<BigDecimal> crossWallet =
                n.hasNonNull("cw") ? Optional.of(Payloads.decimal(p, n, "", "cw")) : Optional.empty();
        List<MarginCall.Position> positions = new ArrayList<>();
        JsonNode ps = array(p, n, "", "p");
        for (int i = 0; i < ps.size(); i++) {
            String path = "p[" + i + "].";
            JsonNode item = element(p, ps, "p", i);
            positions.add(new MarginCall.Position(
                    Payloads.text(p, item, path, "s"),
                    positionSide(p, item, path, "ps"),
                    Payloads.decimal(p, item, path, "pa"),
                    marginMode(p, item, path, "mt"),
                    nonNegative(p, item, path, "iw"),
                    positive(p, item, path, "mp"),
                    Payloads.decimal(p, item, path, "up"),
                    nonNegative(p, item, path, "mm")));
        }
        return new MarginCall(crossWallet, positions, millis(p, n, "", "E"), tsInit);
    }

    private static AccountConfigUpdate accountConfigUpdate(JsonNode n, Instant tsInit) {
        String p = ACCOUNT_CONFIG_UPDATE;
        AccountConfigUpdate.Change change;
        if (n.hasNonNull("ac")) {
            JsonNode ac = object(p, n, "", "ac");
            int leverage = Payloads.integer(p, ac, "ac.", "l");
            if (leverage < 1) {
                throw new PayloadException(p + ": ac.l must be at least 1, was " + leverage);
            }
            change = new AccountConfigUpdate.LeverageChanged(Payloads.text(p, ac, "ac.", "s"), leverage);
        } else if (n.hasNonNull("ai")) {
            JsonNode ai = object(p, n, "", "ai");
            change = new AccountConfigUpdate.MultiAssetsModeChanged(bool(p, ai, "ai.", "j"));
        } else {
            throw new PayloadException(p + ": neither ac nor ai is present");
        }
        return new AccountConfigUpdate(change, millis(p, n, "", "E"), tsInit);
    }

    // --- field readers: each names the payload, the field's path and the offending value ---

    private static JsonNode object(String payload, JsonNode parent, String path, String name) {
        JsonNode value = Payloads.field(payload, parent, path, name);
        if (!value.isObject()) {
            throw new PayloadException(payload + ": " + path + name + " must be an object, was " + value);
        }
        return value;
    }

    private static JsonNode array(String payload, JsonNode parent, String path, String name) {
        JsonNode value = Payloads.field(payload, parent, path, name);
        if (!value.isArray()) {
            throw new PayloadException(payload + ": " + path + name + " must be an array, was " + value);
        }
        return value;
    }

    private static JsonNode element(String payload, JsonNode array, String path, int index) {
        JsonNode value = array.get(index);
        if (value == null || !value.isObject()) {
            throw new PayloadException(payload + ": " + path + "[" + index + "] must be an object, was " + value);
        }
        return value;
    }

    /** Epoch milliseconds, sent as a number or (listenKeyExpired in newer docs) as text. */
    private static Instant millis(String payload, JsonNode parent, String path, String name) {
        BigDecimal value = Payloads.decimal(payload, parent, path, name);
        long ms;
        try {
            ms = value.longValueExact();
        } catch (ArithmeticException e) {
            throw new PayloadException(
                    payload + ": " + path + name + " must be whole epoch milliseconds, was " + value.toPlainString());
        }
        if (ms <= 0) {
            throw new PayloadException(payload + ": " + path + name + " must be a positive epoch time, was " + ms);
        }
        return Instant.ofEpochMilli(ms);
    }

    /** A price that cannot be zero or negative: a mark of 0 is a broken frame, not a price. */
    private static BigDecimal positive(String payload, JsonNode parent, String path, String name) {
        BigDecimal value = Payloads.decimal(payload, parent, path, name);
        if (value.signum() <= 0) {
            throw new PayloadException(
                    payload + ": " + path + name + " must be positive, was " + value.toPlainString());
        }
        return value;
    }

    /** Quantities and prices where 0 means "none yet" (entry price of a flat position, average price of a new order). */
    private static BigDecimal nonNegative(String payload, JsonNode parent, String path, String name) {
        BigDecimal value = Payloads.decimal(payload, parent, path, name);
        if (value.signum() < 0) {
            throw new PayloadException(
                    payload + ": " + path + name + " must not be negative, was " + value.toPlainString());
        }
        return value;
    }

    private static boolean bool(String payload, JsonNode parent, String path, String name) {
        JsonNode value = Payloads.field(payload, parent, path, name);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.asText().trim().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
        }
        throw new PayloadException(payload + ": " + path + name + " must be true or false, was " + value);
    }

    /**
     * {@code ACCOUNT_UPDATE} writes {@code isolated}/{@code cross}; {@code MARGIN_CALL} (and REST) write
     * {@code ISOLATED}/{@code CROSSED}. Anything else is refused rather than guessed: the two modes are liquidated
     * differently.
     */
    private static MarginMode marginMode(String payload, JsonNode parent, String path, String name) {
        String text = Payloads.text(payload, parent, path, name);
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "isolated" -> MarginMode.ISOLATED;
            case "cross", "crossed" -> MarginMode.CROSS;
            default ->
                throw new PayloadException(
                        payload + ": " + path + name + " must be isolated or cross, was \"" + text + "\"");
        };
    }

    private static PositionSide positionSide(String payload, JsonNode parent, String path, String name) {
        return constant(payload, parent, path, name, PositionSide.class);
    }

    private static <E extends Enum<E>> E constant(
            String payload, JsonNode parent, String path, String name, Class<E> type) {
        String text = Payloads.text(payload, parent, path, name);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        throw new PayloadException(payload + ": " + path + name + " must be one of " + List.of(type.getEnumConstants())
                + ", was \"" + text + "\"");
    }
}
