package ballast.exchange.binance;

import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tiny Binance USDⓈ-M futures account served by WireMock on 127.0.0.1, speaking Binance's own wire format: one
 * isolated one-way BTCUSDT position, a free balance, a fixed mark. It checks every signature with the secret, applies
 * margin changes and reduce-only market orders with Binance's rules and error codes, and answers reads from its state,
 * so the venue contract can run against the real client and gateway end to end.
 */
final class FakeBinanceFutures implements ResponseDefinitionTransformerV2 {

    static final String KEY = "contract-key";
    static final String SECRET = "contract-secret";
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal TAKER = new BigDecimal("0.0005");
    private static final BigDecimal MMR = new BigDecimal("0.004");

    private final String symbol = "BTCUSDT";
    private BigDecimal positionAmt = new BigDecimal("0.5");
    private final BigDecimal entry = new BigDecimal("60000");
    private BigDecimal isolatedWallet = new BigDecimal("3000");
    private final BigDecimal leverage = BigDecimal.TEN;
    private final BigDecimal mark = new BigDecimal("60000");
    private BigDecimal available = new BigDecimal("5000");
    private long orderIds = 1000;
    /** Orders by client id (their response), and margin changes as the history endpoint returns them. */
    private final java.util.Map<String, String> orders = new java.util.HashMap<>();

    private final java.util.List<String> marginHistory = new java.util.ArrayList<>();
    private long venueMillis = 1_700_000_003_000L;
    /** Open conditional orders on the Algo Service: client algo id to trigger price. */
    final java.util.Map<String, String> openAlgos = new java.util.LinkedHashMap<>();

    @Override
    public String getName() {
        return "fake-binance-futures";
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        URI uri = URI.create(request.getUrl());
        String path = uri.getPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (!path.equals("/fapi/v1/time")) {
            int at = query.lastIndexOf("&signature=");
            if (!KEY.equals(request.getHeader("X-MBX-APIKEY"))
                    || at < 0
                    || !hmac(query.substring(0, at)).equals(query.substring(at + "&signature=".length()))) {
                return error(400, -1022, "Signature for this request is not valid.");
            }
        }
        String method = request.getMethod().getName();
        return switch (method + " " + path) {
            case "GET /fapi/v1/time" -> ok("{\"serverTime\":1729728000000}");
            case "GET /fapi/v2/positionRisk" -> ok(positionRisk());
            case "GET /fapi/v3/account" -> ok(account());
            case "POST /fapi/v1/positionMargin" -> positionMargin(request);
            case "POST /fapi/v1/order" -> order(request);
            case "GET /fapi/v1/order" -> {
                String kept =
                        orders.get(request.queryParameter("origClientOrderId").firstValue());
                yield kept == null ? error(400, -2013, "Order does not exist.") : ok(kept);
            }
            case "GET /fapi/v1/positionMargin/history" -> ok("[" + String.join(",", marginHistory) + "]");
            case "POST /fapi/v1/algoOrder" -> algoOrder(request);
            case "GET /fapi/v1/openAlgoOrders" -> ok(openAlgoOrders());
            case "DELETE /fapi/v1/algoOrder" -> {
                String id = request.queryParameter("clientAlgoId").firstValue();
                yield openAlgos.remove(id) == null
                        ? error(400, -2011, "Unknown order sent.")
                        : ok("{\"algoId\":1,\"clientAlgoId\":\"" + id + "\",\"code\":\"200\",\"msg\":\"success\"}");
            }
            default -> error(404, -1100, "Not found in the fake: " + method + " " + path);
        };
    }

    private String positionRisk() {
        boolean flat = positionAmt.signum() == 0;
        BigDecimal upnl = mark.subtract(entry).multiply(positionAmt);
        return "[{\"symbol\":\"" + symbol + "\",\"positionAmt\":\"" + positionAmt.toPlainString()
                + "\",\"entryPrice\":\""
                + (flat ? "0.0" : entry.toPlainString()) + "\",\"breakEvenPrice\":\"0.0\",\"markPrice\":\""
                + mark.toPlainString() + "\",\"unRealizedProfit\":\"" + upnl.toPlainString()
                + "\",\"liquidationPrice\":\""
                + (flat ? "0" : liquidationPrice().toPlainString())
                + "\",\"leverage\":\"10\",\"maxNotionalValue\":\"5000000\",\"marginType\":\"isolated\","
                + "\"isolatedMargin\":\"" + isolatedWallet.add(upnl).toPlainString()
                + "\",\"isAutoAddMargin\":\"false\","
                + "\"positionSide\":\"BOTH\",\"notional\":\""
                + positionAmt.multiply(mark).toPlainString()
                + "\",\"isolatedWallet\":\"" + isolatedWallet.toPlainString() + "\",\"updateTime\":1700000000000}]";
    }

    private BigDecimal liquidationPrice() {
        // Tier 1 (notional 30,000): (W − q·EP) / (q·(MMR − 1)).
        return isolatedWallet
                .subtract(positionAmt.multiply(entry))
                .divide(positionAmt.multiply(MMR.subtract(BigDecimal.ONE)), MC)
                .setScale(2, java.math.RoundingMode.HALF_UP);
    }

    private String account() {
        BigDecimal wallet = available.add(isolatedWallet);
        return "{\"totalInitialMargin\":\"0\",\"totalMaintMargin\":\""
                + positionAmt.multiply(mark).multiply(MMR).toPlainString()
                + "\",\"totalWalletBalance\":\"" + wallet.toPlainString() + "\",\"totalUnrealizedProfit\":\"0\","
                + "\"totalMarginBalance\":\"" + wallet.toPlainString() + "\",\"availableBalance\":\""
                + available.toPlainString() + "\",\"assets\":[],\"positions\":[]}";
    }

    private ResponseDefinition positionMargin(LoggedRequest request) {
        BigDecimal amount = new BigDecimal(request.queryParameter("amount").firstValue());
        int type = Integer.parseInt(request.queryParameter("type").firstValue());
        if (positionAmt.signum() == 0) {
            return error(400, -4054, "Cannot add position margin: position is 0.");
        }
        if (type == 1) {
            if (amount.compareTo(available) > 0) {
                return error(400, -2019, "Margin is insufficient.");
            }
            available = available.subtract(amount);
            isolatedWallet = isolatedWallet.add(amount);
        } else {
            // Binance's published limit: max(0, min(wallet − MM, wallet + uPnL − mark × |size| × IMR)).
            BigDecimal upnl = mark.subtract(entry).multiply(positionAmt);
            BigDecimal limit = isolatedWallet
                    .subtract(positionAmt.multiply(mark).multiply(MMR))
                    .min(isolatedWallet
                            .add(upnl)
                            .subtract(positionAmt.abs().multiply(mark).divide(leverage, MC)))
                    .max(BigDecimal.ZERO);
            if (amount.compareTo(limit) > 0) {
                return error(400, -4051, "Isolated balance insufficient.");
            }
            available = available.add(amount);
            isolatedWallet = isolatedWallet.subtract(amount);
        }
        marginHistory.add("{\"symbol\":\"" + symbol + "\",\"type\":" + type + ",\"deltaType\":\"USER_ADJUST\","
                + "\"amount\":\"" + amount.toPlainString() + "\",\"asset\":\"USDT\",\"time\":" + (venueMillis++)
                + ",\"positionSide\":\"BOTH\"}");
        return ok("{\"amount\":" + amount.toPlainString()
                + ",\"code\":200,\"msg\":\"Successfully modify position margin.\"," + "\"type\":" + type + "}");
    }

    private ResponseDefinition order(LoggedRequest request) {
        String side = request.queryParameter("side").firstValue();
        BigDecimal qty = new BigDecimal(request.queryParameter("quantity").firstValue());
        String clientId = request.queryParameter("newClientOrderId").firstValue();
        boolean reduces =
                positionAmt.signum() > 0 ? side.equals("SELL") : positionAmt.signum() < 0 && side.equals("BUY");
        if (!"true".equals(request.queryParameter("reduceOnly").firstValue()) || !reduces) {
            return error(400, -2022, "ReduceOnly Order is rejected.");
        }
        BigDecimal fill = qty.min(positionAmt.abs());
        BigDecimal share = isolatedWallet.multiply(fill).divide(positionAmt.abs(), MC);
        BigDecimal pnl = mark.subtract(entry).multiply(fill).multiply(BigDecimal.valueOf(positionAmt.signum()));
        BigDecimal fee = fill.multiply(mark).multiply(TAKER);
        isolatedWallet = isolatedWallet.subtract(share);
        positionAmt = positionAmt.subtract(fill.multiply(BigDecimal.valueOf(positionAmt.signum())));
        available = available.add(share).add(pnl).subtract(fee);
        String response = "{\"orderId\":" + (++orderIds) + ",\"symbol\":\"" + symbol
                + "\",\"status\":\"FILLED\",\"clientOrderId\":\""
                + clientId + "\",\"price\":\"0.00\",\"avgPrice\":\"" + mark.toPlainString() + "\",\"origQty\":\""
                + qty.toPlainString() + "\",\"executedQty\":\"" + fill.toPlainString() + "\",\"cumQty\":\""
                + fill.toPlainString() + "\",\"cumQuote\":\"0\",\"timeInForce\":\"GTC\",\"type\":\"MARKET\","
                + "\"reduceOnly\":true,\"closePosition\":false,\"side\":\"" + side + "\",\"positionSide\":\"BOTH\","
                + "\"stopPrice\":\"0.00\",\"workingType\":\"CONTRACT_PRICE\",\"priceProtect\":false,\"origType\":\"MARKET\","
                + "\"updateTime\":1700000002000}";
        orders.put(clientId, response);
        return ok(response);
    }

    /** The stops placed and not cancelled: each closes the long this fake holds (one-way). */
    private String openAlgoOrders() {
        java.util.List<String> open = new java.util.ArrayList<>();
        openAlgos.forEach((id, trigger) -> open.add("{\"algoId\":1,\"clientAlgoId\":\"" + id
                + "\",\"algoType\":\"CONDITIONAL\",\"orderType\":\"STOP_MARKET\",\"symbol\":\"" + symbol
                + "\",\"side\":\"SELL\",\"positionSide\":\"BOTH\",\"algoStatus\":\"NEW\",\"triggerPrice\":\""
                + trigger + "\",\"workingType\":\"MARK_PRICE\",\"closePosition\":true}"));
        return "[" + String.join(",", open) + "]";
    }

    private ResponseDefinition algoOrder(LoggedRequest request) {
        String id = request.queryParameter("clientAlgoId").firstValue();
        boolean complete = "CONDITIONAL"
                        .equals(request.queryParameter("algoType").firstValue())
                && "STOP_MARKET".equals(request.queryParameter("type").firstValue())
                && "MARK_PRICE".equals(request.queryParameter("workingType").firstValue())
                && "true".equals(request.queryParameter("closePosition").firstValue())
                && !request.queryParameter("quantity").isPresent();
        if (!complete) {
            return error(400, -1102, "A mandatory parameter was not sent, was empty/null, or malformed.");
        }
        if (positionAmt.signum() == 0) {
            return error(400, -2022, "ReduceOnly Order is rejected.");
        }
        String trigger = request.queryParameter("triggerPrice").firstValue();
        openAlgos.put(id, trigger);
        return ok("{\"algoId\":" + (++orderIds) + ",\"clientAlgoId\":\"" + id + "\",\"algoType\":\"CONDITIONAL\","
                + "\"orderType\":\"STOP_MARKET\",\"symbol\":\"" + symbol + "\",\"side\":\""
                + request.queryParameter("side").firstValue() + "\",\"positionSide\":\"BOTH\",\"algoStatus\":\"NEW\","
                + "\"triggerPrice\":\"" + trigger + "\",\"workingType\":\"MARK_PRICE\",\"closePosition\":true}");
    }

    private static ResponseDefinition ok(String body) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-MBX-USED-WEIGHT-1M", "5")
                .withBody(body)
                .build();
    }

    private static ResponseDefinition error(int status, int code, String message) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":" + code + ",\"msg\":\"" + message + "\"}")
                .build();
    }

    private static String hmac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
