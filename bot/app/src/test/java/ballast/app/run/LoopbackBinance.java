package ballast.app.run;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A Binance USDⓈ-M futures account on 127.0.0.1 for the running bot's end-to-end tests: the REST API and both
 * WebSocket streams on one port, in Binance's wire formats. It checks every signature against the secret, keeps one
 * isolated one-way BTCUSDT long, applies margin changes, reduce-only orders and conditional orders with Binance's rules
 * and error codes, pushes {@code ACCOUNT_UPDATE} on the user stream after each change, and sends a mark frame whenever
 * the test moves the mark. It also takes webhook alerts at {@code /hook}. Everything it was asked is recorded.
 */
final class LoopbackBinance implements AutoCloseable {

    static final String KEY = "loopback-key-3f9a";
    static final String SECRET = "loopback-secret-8c1d5e7b2a9f4c6d";
    static final String LISTEN_KEY = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";

    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal TAKER = new BigDecimal("0.0005");
    /** BTCUSDT's first three brackets as Binance publishes them. */
    private static final String BRACKETS = "{\"symbol\":\"BTCUSDT\",\"notionalCoef\":1.0,\"brackets\":["
            + "{\"bracket\":1,\"initialLeverage\":125,\"notionalCap\":50000,\"notionalFloor\":0,\"maintMarginRatio\":0.004,\"cum\":0.0},"
            + "{\"bracket\":2,\"initialLeverage\":100,\"notionalCap\":500000,\"notionalFloor\":50000,\"maintMarginRatio\":0.005,\"cum\":50.0},"
            + "{\"bracket\":3,\"initialLeverage\":50,\"notionalCap\":10000000,\"notionalFloor\":500000,\"maintMarginRatio\":0.01,\"cum\":2550.0}]}";

    /** One request as it arrived. */
    /** @param status what the venue answered (0 for a WebSocket upgrade) */
    record Call(String method, String path, Map<String, String> query, String body, long at, int status, long nanos) {
        String param(String name) {
            return query.get(name);
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<WebSocket> markSockets = new CopyOnWriteArrayList<>();
    private final List<WebSocket> userSockets = new CopyOnWriteArrayList<>();
    private final List<String> hooks = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

    private final String symbol = "BTCUSDT";
    private BigDecimal positionAmt = new BigDecimal("0.100");
    private final BigDecimal entry = new BigDecimal("60000");
    private BigDecimal isolatedWallet = new BigDecimal("600");
    private BigDecimal mark = new BigDecimal("60000");
    private BigDecimal available = new BigDecimal("5000");
    private long orderIds = 7_000;
    private final Map<String, String> orders = new LinkedHashMap<>();
    private final List<String> marginHistory = new ArrayList<>();
    /** Open conditional orders: client algo id to trigger price. */
    private final Map<String, String> openAlgos = new LinkedHashMap<>();
    /** The symbol of each open algo order. */
    private final Map<String, String> algoSymbols = new java.util.HashMap<>();

    private String brackets = BRACKETS;
    /** The request weight per minute exchangeInfo announces (Binance: 2,400). */
    private volatile int weightPerMinute = 2400;
    /** Paths whose next answer comes late (the change itself is applied at once, as a venue under load does). */
    private final Map<String, Duration> late = new java.util.concurrent.ConcurrentHashMap<>();

    LoopbackBinance() throws IOException {
        this(0);
    }

    /**
     * @param extras more symbols besides BTCUSDT ({@code X001USDT} ...), each with a quiet 1x isolated long far from
     *     liquidation and a mark that moves a little every second: what a bot keeping many positions hears
     */
    LoopbackBinance(int extras) throws IOException {
        for (int i = 1; i <= extras; i++) {
            this.extras.add(String.format("X%03dUSDT", i));
        }
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return LoopbackBinance.this.dispatch(request);
            }
        });
        // As a venue's front end does: no Nagle delay on its replies (else each reply written in two parts waits for
        // the client's delayed ACK, 40 ms on Linux, and the loopback would measure that instead of the bot).
        server.setServerSocketFactory(new javax.net.ServerSocketFactory() {
            @Override
            public java.net.ServerSocket createServerSocket() throws IOException {
                return new java.net.ServerSocket() {
                    @Override
                    public java.net.Socket accept() throws IOException {
                        java.net.Socket socket = super.accept();
                        socket.setTcpNoDelay(true);
                        return socket;
                    }
                };
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress address)
                    throws IOException {
                throw new UnsupportedOperationException();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        // As Binance's @1s stream: the current mark again every second (BTCUSDT here every half), changed or not;
        // with extra symbols, one symbol's frame at a time, each symbol once a second.
        if (extras == 0) {
            ticker.scheduleAtFixedRate(() -> mark(currentMark()), 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            long period = 1_000_000L / (extras + 1);
            int[] next = {0};
            ticker.scheduleAtFixedRate(
                    () -> {
                        int i = next[0]++ % (extras + 1);
                        if (i == 0) {
                            mark(currentMark());
                        } else {
                            send(frame(this.extras.get(i - 1), extraMark()));
                        }
                    },
                    period,
                    period,
                    java.util.concurrent.TimeUnit.MICROSECONDS);
        }
    }

    private final List<String> extras = new ArrayList<>();
    private final java.util.Random noise = new java.util.Random(7);

    /** The extra symbols, in order. */
    List<String> extras() {
        return List.copyOf(extras);
    }

    /** Every symbol the venue lists: BTCUSDT first. */
    List<String> symbols() {
        List<String> all = new ArrayList<>();
        all.add("BTCUSDT");
        all.addAll(extras);
        return all;
    }

    /** An extra symbol's mark: 100 give or take a cent. */
    private synchronized BigDecimal extraMark() {
        return new BigDecimal("100").add(BigDecimal.valueOf(noise.nextInt(3) - 1, 2));
    }

    /**
     * Sends every extra symbol's frame and then BTCUSDT's at {@code price}, as fast as the socket takes them (a burst of
     * {@code extras + 1} frames); returns {@link System#nanoTime()} just before the BTCUSDT frame.
     */
    long burst(BigDecimal price) {
        for (String extra : extras) {
            send(frame(extra, extraMark()));
        }
        return markTimed(price);
    }

    /** Moves BTCUSDT's mark and sends it; returns {@link System#nanoTime()} just before the frame is handed over. */
    long markTimed(BigDecimal price) {
        long at = System.nanoTime();
        mark(price);
        return at;
    }

    /** Funds the account's free balance (a benchmark's many top-ups need more than the tests' 5,000). */
    synchronized void fund(BigDecimal free) {
        available = free;
    }

    /** The position is as it opened again: its size and isolated wallet set back (pushed on the user stream). */
    synchronized void reset(BigDecimal qty, BigDecimal wallet) {
        positionAmt = qty;
        isolatedWallet = wallet;
        accountUpdate("MARGIN_TRANSFER");
    }

    /** Every protective write the venue received: margin changes and orders, in arrival order. */
    List<Call> protective() {
        return calls.stream()
                .filter(c -> c.method().equals("POST"))
                .filter(c ->
                        c.path().equals("/fapi/v1/positionMargin") || c.path().equals("/fapi/v1/order"))
                .toList();
    }

    private static String frame(String symbol, BigDecimal price) {
        long now = System.currentTimeMillis();
        return "{\"stream\":\"" + symbol.toLowerCase(java.util.Locale.ROOT) + "@markPrice@1s\",\"data\":{"
                + "\"e\":\"markPriceUpdate\",\"E\":" + now + ",\"s\":\"" + symbol + "\",\"p\":\""
                + price.toPlainString() + "\",\"P\":\"" + price.toPlainString() + "\",\"i\":\"" + price.toPlainString()
                + "\",\"r\":\"0.00010000\",\"T\":" + (now + 3_600_000L) + "}}";
    }

    private void send(String frame) {
        for (WebSocket ws : markSockets) {
            ws.send(frame);
        }
    }

    private final java.util.concurrent.ScheduledExecutorService ticker =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "loopback-mark-ticker");
                t.setDaemon(true);
                return t;
            });

    synchronized BigDecimal currentMark() {
        return mark;
    }

    String restUrl() {
        return "http://127.0.0.1:" + server.getPort();
    }

    String streamUrl() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    String hookUrl() {
        return restUrl() + "/hook";
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> calls(String method, String path) {
        return calls.stream()
                .filter(c -> c.method().equals(method) && c.path().equals(path))
                .toList();
    }

    List<String> hooks() {
        return List.copyOf(hooks);
    }

    synchronized Map<String, String> openAlgos() {
        return Map.copyOf(openAlgos);
    }

    synchronized BigDecimal isolatedWallet() {
        return isolatedWallet;
    }

    synchronized BigDecimal positionAmt() {
        return positionAmt;
    }

    /**
     * The next {@code times} signed requests to {@code path} (any, when null) are refused with {@code status} (429 too
     * many requests, 418 banned) and {@code Retry-After: retryAfterSeconds}, and not carried out.
     */
    void refuse(String path, int status, int retryAfterSeconds, int times) {
        refusals.add(
                new Refusal(path, status, retryAfterSeconds, new java.util.concurrent.atomic.AtomicInteger(times)));
    }

    private record Refusal(String path, int status, int retryAfter, java.util.concurrent.atomic.AtomicInteger left) {}

    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();

    private volatile boolean userSilent;
    private volatile boolean marksDown;

    /** The user-data stream stays open but says nothing more (a silent private stream). */
    void silenceUserStream() {
        userSilent = true;
    }

    /** Drops every mark-price connection and refuses new ones until {@link #marksUp()}; REST still answers. */
    void marksDown() {
        marksDown = true;
        for (WebSocket ws : markSockets) {
            ws.close(1001, "going away");
        }
        markSockets.clear();
    }

    void marksUp() {
        marksDown = false;
    }

    /** The trader adds margin by hand in the venue's app (pushed on the user stream unless it is silent). */
    synchronized void traderAddsMargin(BigDecimal amount) {
        available = available.subtract(amount);
        isolatedWallet = isolatedWallet.add(amount);
        accountUpdate("MARGIN_TRANSFER");
    }

    /** Margin changes the venue carried out (its history). */
    synchronized int appliedMarginChanges() {
        return marginHistory.size();
    }

    /** The next request to {@code path} is carried out at once and answered after {@code delay}. */
    void answerLate(String path, Duration delay) {
        late.put(path, delay);
    }

    boolean marksConnected() {
        return !markSockets.isEmpty();
    }

    boolean userConnected() {
        return !userSockets.isEmpty();
    }

    /** Mark-price and user-data connections opened so far (a restarted bot opens new ones). */
    int connections() {
        return opened.get();
    }

    /** Moves the mark and sends it on every mark-price connection, as Binance's combined stream does. */
    void mark(BigDecimal price) {
        synchronized (this) {
            mark = price;
        }
        send(frame("BTCUSDT", price));
    }

    private MockResponse dispatch(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < request.getUrl().querySize(); i++) {
            query.put(request.getUrl().queryParameterName(i), request.getUrl().queryParameterValue(i));
        }
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        long at = System.currentTimeMillis();
        long nanos = System.nanoTime();
        // What it did and the record of it are one step: a test that sees the change also sees the call.
        synchronized (this) {
            MockResponse response = route(request, path, query, body);
            calls.add(new Call(request.getMethod(), path, query, body, at, response.getCode(), nanos));
            return response;
        }
    }

    private MockResponse route(RecordedRequest request, String path, Map<String, String> query, String body) {
        String rawQuery =
                request.getUrl().encodedQuery() == null ? "" : request.getUrl().encodedQuery();
        switch (path) {
            case "/market/stream" -> {
                if (marksDown) {
                    return new MockResponse.Builder().code(503).body("down").build();
                }
                return upgrade(markSockets);
            }
            case "/private/ws" -> {
                if (!LISTEN_KEY.equals(query.get("listenKey"))) {
                    return error(400, -1125, "This listenKey does not exist.");
                }
                return upgrade(userSockets);
            }
            case "/hook" -> {
                hooks.add(body);
                return new MockResponse.Builder().code(200).body("ok").build();
            }
            default -> {}
        }
        boolean keyed = !path.equals("/fapi/v1/time")
                && !path.equals("/fapi/v1/exchangeInfo")
                && !path.equals("/fapi/v1/premiumIndex");
        if (keyed && !KEY.equals(request.getHeaders().get("X-MBX-APIKEY"))) {
            return error(401, -2015, "Invalid API-key, IP, or permissions for action.");
        }
        boolean signed = keyed && !path.equals("/fapi/v1/listenKey");
        if (signed) {
            int at = rawQuery.lastIndexOf("&signature=");
            if (at < 0 || !hmac(rawQuery.substring(0, at)).equals(rawQuery.substring(at + "&signature=".length()))) {
                return error(400, -1022, "Signature for this request is not valid.");
            }
        }
        for (Refusal r : refusals) {
            if ((r.path() == null || r.path().equals(path)) && r.left().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return new MockResponse.Builder()
                        .code(r.status())
                        .addHeader("Retry-After", String.valueOf(r.retryAfter()))
                        .addHeader("Content-Type", "application/json")
                        .body(
                                r.status() == 418
                                        ? "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned until "
                                                + (System.currentTimeMillis() + r.retryAfter() * 1000L) + ".\"}"
                                        : "{\"code\":-1003,\"msg\":\"Too many requests; current limit is 2400 request"
                                                + " weight per 1 MINUTE.\"}")
                        .build();
            }
        }
        MockResponse response = answer(request, path, query);
        Duration delay = late.remove(path);
        if (delay == null) {
            return response;
        }
        return response.newBuilder()
                .headersDelay(delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .build();
    }

    private synchronized MockResponse answer(RecordedRequest request, String path, Map<String, String> query) {
        {
            return switch (request.getMethod() + " " + path) {
                case "GET /fapi/v1/time" -> ok("{\"serverTime\":" + System.currentTimeMillis() + "}");
                case "GET /fapi/v1/exchangeInfo" -> ok(exchangeInfo());
                case "GET /fapi/v1/leverageBracket" ->
                    query.containsKey("symbol")
                            ? ok(brackets.replace("\"BTCUSDT\"", "\"" + query.get("symbol") + "\""))
                            : ok("[" + brackets + "]");
                case "GET /sapi/v1/account/apiRestrictions" ->
                    ok("{\"ipRestrict\":true,\"createTime\":1700000000000,\"enableReading\":true,"
                            + "\"enableWithdrawals\":false,\"enableInternalTransfer\":false,\"enableMargin\":false,"
                            + "\"enableFutures\":true,\"permitsUniversalTransfer\":false,"
                            + "\"enableVanillaOptions\":false,\"enableSpotAndMarginTrading\":false}");
                case "GET /fapi/v1/positionSide/dual" -> ok("{\"dualSidePosition\":false}");
                case "GET /fapi/v1/multiAssetsMargin" -> ok("{\"multiAssetsMargin\":false}");
                case "GET /fapi/v2/positionRisk" -> ok(positionRisk());
                case "GET /fapi/v1/premiumIndex" ->
                    ok("{\"symbol\":\"" + query.get("symbol") + "\",\"markPrice\":\""
                            + (query.get("symbol").equals("BTCUSDT") ? mark : new BigDecimal("100")).toPlainString()
                            + "\",\"indexPrice\":\""
                            + mark.toPlainString() + "\",\"estimatedSettlePrice\":\"" + mark.toPlainString()
                            + "\",\"lastFundingRate\":\"0.00010000\",\"interestRate\":\"0.00010000\","
                            + "\"nextFundingTime\":" + (System.currentTimeMillis() + 3_600_000L) + ",\"time\":"
                            + System.currentTimeMillis() + "}");
                case "GET /fapi/v3/account" -> ok(account());
                case "POST /fapi/v1/positionMargin" -> positionMargin(query);
                case "POST /fapi/v1/order" -> order(query);
                case "GET /fapi/v1/order" -> {
                    String kept = orders.get(query.get("origClientOrderId"));
                    yield kept == null ? error(400, -2013, "Order does not exist.") : ok(kept);
                }
                case "GET /fapi/v1/positionMargin/history" -> ok("[" + String.join(",", marginHistory) + "]");
                case "POST /fapi/v1/algoOrder" -> algoOrder(query);
                case "GET /fapi/v1/openAlgoOrders" -> ok(openAlgoOrders());
                case "DELETE /fapi/v1/algoOrder" -> {
                    String id = query.get("clientAlgoId");
                    yield openAlgos.remove(id) == null
                            ? error(400, -2011, "Unknown order sent.")
                            : ok("{\"algoId\":1,\"clientAlgoId\":\"" + id + "\",\"code\":\"200\",\"msg\":\"success\"}");
                }
                case "POST /fapi/v1/listenKey" -> ok("{\"listenKey\":\"" + LISTEN_KEY + "\"}");
                case "PUT /fapi/v1/listenKey", "DELETE /fapi/v1/listenKey" -> ok("{}");
                default -> error(404, -1100, "Not found in the loopback venue: " + request.getMethod() + " " + path);
            };
        }
    }

    private MockResponse upgrade(List<WebSocket> sockets) {
        return new MockResponse.Builder()
                .webSocketUpgrade(new WebSocketListener() {
                    @Override
                    public void onOpen(WebSocket webSocket, Response response) {
                        sockets.add(webSocket);
                        opened.incrementAndGet();
                    }

                    @Override
                    public void onClosing(WebSocket webSocket, int code, String reason) {
                        sockets.remove(webSocket);
                        webSocket.close(1000, null);
                    }

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                        sockets.remove(webSocket);
                    }
                })
                .build();
    }

    private String exchangeInfo() {
        return "{\"timezone\":\"UTC\",\"serverTime\":" + System.currentTimeMillis() + ",\"rateLimits\":["
                + "{\"rateLimitType\":\"REQUEST_WEIGHT\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":"
                + weightPerMinute + "},"
                + "{\"rateLimitType\":\"ORDERS\",\"interval\":\"MINUTE\",\"intervalNum\":1,\"limit\":1200},"
                + "{\"rateLimitType\":\"ORDERS\",\"interval\":\"SECOND\",\"intervalNum\":10,\"limit\":300}],"
                + "\"symbols\":[{\"symbol\":\"BTCUSDT\",\"pair\":\"BTCUSDT\",\"contractType\":\"PERPETUAL\","
                + "\"status\":\"TRADING\",\"filters\":["
                + "{\"minPrice\":\"556.80\",\"maxPrice\":\"4529764\",\"filterType\":\"PRICE_FILTER\",\"tickSize\":\"0.10\"},"
                + "{\"stepSize\":\"0.001\",\"filterType\":\"LOT_SIZE\",\"maxQty\":\"1000\",\"minQty\":\"0.001\"},"
                + "{\"notional\":\"100\",\"filterType\":\"MIN_NOTIONAL\"}]}"
                + extras.stream()
                        .map(x -> ",{\"symbol\":\"" + x + "\",\"pair\":\"" + x + "\",\"contractType\":\"PERPETUAL\","
                                + "\"status\":\"TRADING\",\"filters\":[{\"filterType\":\"PRICE_FILTER\","
                                + "\"tickSize\":\"0.01\"},{\"filterType\":\"LOT_SIZE\",\"stepSize\":\"0.001\","
                                + "\"minQty\":\"0.001\"}]}")
                        .collect(java.util.stream.Collectors.joining())
                + "]}";
    }

    private String positionRisk() {
        boolean flat = positionAmt.signum() == 0;
        BigDecimal upnl = mark.subtract(entry).multiply(positionAmt);
        return "[{\"symbol\":\"" + symbol + "\",\"positionAmt\":\"" + positionAmt.toPlainString()
                + "\",\"entryPrice\":\"" + (flat ? "0.0" : entry.toPlainString())
                + "\",\"breakEvenPrice\":\"0.0\",\"markPrice\":\"" + mark.toPlainString()
                + "\",\"unRealizedProfit\":\"" + upnl.toPlainString() + "\",\"liquidationPrice\":\""
                + (flat ? "0" : liquidationPrice().toPlainString())
                + "\",\"leverage\":\"10\",\"maxNotionalValue\":\"5000000\",\"marginType\":\"isolated\","
                + "\"isolatedMargin\":\""
                + (flat ? "0" : isolatedWallet.add(upnl).toPlainString())
                + "\",\"isAutoAddMargin\":\"false\",\"positionSide\":\"BOTH\",\"notional\":\""
                + positionAmt.multiply(mark).toPlainString() + "\",\"isolatedWallet\":\""
                + (flat ? "0" : isolatedWallet.toPlainString()) + "\",\"updateTime\":" + System.currentTimeMillis()
                + "},{\"symbol\":\"ETHUSDT\",\"positionAmt\":\"-2.000\",\"entryPrice\":\"3000\",\"breakEvenPrice\":\"0.0\","
                + "\"markPrice\":\"3000\",\"unRealizedProfit\":\"0\",\"liquidationPrice\":\"3270.5\",\"leverage\":\"10\","
                + "\"maxNotionalValue\":\"5000000\",\"marginType\":\"isolated\",\"isolatedMargin\":\"600\","
                + "\"isAutoAddMargin\":\"false\",\"positionSide\":\"BOTH\",\"notional\":\"-6000\","
                + "\"isolatedWallet\":\"600\",\"updateTime\":1700000000000}"
                + extras.stream()
                        .map(x -> ",{\"symbol\":\"" + x + "\",\"positionAmt\":\"1.000\",\"entryPrice\":\"100\","
                                + "\"breakEvenPrice\":\"0.0\",\"markPrice\":\"100\",\"unRealizedProfit\":\"0\","
                                + "\"liquidationPrice\":\"60.24\",\"leverage\":\"3\",\"maxNotionalValue\":\"5000000\","
                                + "\"marginType\":\"isolated\",\"isolatedMargin\":\"40\",\"isAutoAddMargin\":\"false\","
                                + "\"positionSide\":\"BOTH\",\"notional\":\"100\",\"isolatedWallet\":\"40\","
                                + "\"updateTime\":1700000000000}")
                        .collect(java.util.stream.Collectors.joining())
                + "]";
    }

    /** Isolated, tier 1 (the position stays under 50,000 notional): (q·EP − W) / (q·(1 − MMR)) for a long. */
    private BigDecimal liquidationPrice() {
        return positionAmt
                .multiply(entry)
                .subtract(isolatedWallet)
                .divide(positionAmt.multiply(BigDecimal.ONE.subtract(new BigDecimal("0.004"))), MC)
                .setScale(2, RoundingMode.HALF_UP);
    }

    private String account() {
        BigDecimal wallet = available.add(isolatedWallet).add(new BigDecimal("600"));
        return "{\"totalInitialMargin\":\"0\",\"totalMaintMargin\":\"0\",\"totalWalletBalance\":\""
                + wallet.toPlainString() + "\",\"totalUnrealizedProfit\":\"0\",\"totalMarginBalance\":\""
                + wallet.toPlainString() + "\",\"availableBalance\":\"" + available.toPlainString()
                + "\",\"assets\":[],\"positions\":[]}";
    }

    private MockResponse positionMargin(Map<String, String> query) {
        BigDecimal amount = new BigDecimal(query.get("amount"));
        int type = Integer.parseInt(query.get("type"));
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
            if (amount.compareTo(
                            isolatedWallet.subtract(positionAmt.multiply(mark).divide(BigDecimal.TEN, MC)))
                    > 0) {
                return error(400, -4051, "Isolated balance insufficient.");
            }
            available = available.add(amount);
            isolatedWallet = isolatedWallet.subtract(amount);
        }
        marginHistory.add("{\"symbol\":\"" + symbol + "\",\"type\":" + type + ",\"deltaType\":\"USER_ADJUST\","
                + "\"amount\":\"" + amount.toPlainString() + "\",\"asset\":\"USDT\",\"time\":"
                + System.currentTimeMillis() + ",\"positionSide\":\"BOTH\"}");
        accountUpdate("MARGIN_TRANSFER");
        return ok("{\"amount\":" + amount.toPlainString()
                + ",\"code\":200,\"msg\":\"Successfully modify position margin.\",\"type\":" + type + "}");
    }

    private MockResponse order(Map<String, String> query) {
        String side = query.get("side");
        BigDecimal qty = new BigDecimal(query.get("quantity"));
        String clientId = query.get("newClientOrderId");
        boolean reduces = positionAmt.signum() > 0 && side.equals("SELL");
        if (!"true".equals(query.get("reduceOnly")) || !reduces) {
            return error(400, -2022, "ReduceOnly Order is rejected.");
        }
        BigDecimal fill = qty.min(positionAmt.abs());
        BigDecimal share = isolatedWallet.multiply(fill).divide(positionAmt.abs(), MC);
        BigDecimal pnl = mark.subtract(entry).multiply(fill);
        BigDecimal fee = fill.multiply(mark).multiply(TAKER);
        isolatedWallet = isolatedWallet.subtract(share).setScale(8, RoundingMode.HALF_UP);
        positionAmt = positionAmt.subtract(fill);
        available = available.add(share).add(pnl).subtract(fee).setScale(8, RoundingMode.HALF_UP);
        String response = "{\"orderId\":" + (++orderIds) + ",\"symbol\":\"" + symbol
                + "\",\"status\":\"FILLED\",\"clientOrderId\":\"" + clientId
                + "\",\"price\":\"0.00\",\"avgPrice\":\"" + mark.toPlainString() + "\",\"origQty\":\""
                + qty.toPlainString() + "\",\"executedQty\":\"" + fill.toPlainString() + "\",\"cumQty\":\""
                + fill.toPlainString() + "\",\"cumQuote\":\"0\",\"timeInForce\":\"GTC\",\"type\":\"MARKET\","
                + "\"reduceOnly\":true,\"closePosition\":false,\"side\":\"" + side + "\",\"positionSide\":\"BOTH\","
                + "\"stopPrice\":\"0.00\",\"workingType\":\"CONTRACT_PRICE\",\"priceProtect\":false,"
                + "\"origType\":\"MARKET\",\"updateTime\":" + System.currentTimeMillis() + "}";
        orders.put(clientId, response);
        if (positionAmt.signum() == 0) {
            // The venue cancels the closed position's stops; the other symbols' stand.
            openAlgos.keySet().removeIf(id -> symbol.equals(algoSymbols.getOrDefault(id, symbol)));
        }
        accountUpdate("ORDER");
        return ok(response);
    }

    private MockResponse algoOrder(Map<String, String> query) {
        String id = query.get("clientAlgoId");
        boolean complete = "CONDITIONAL".equals(query.get("algoType"))
                && "STOP_MARKET".equals(query.get("type"))
                && "MARK_PRICE".equals(query.get("workingType"))
                && "true".equals(query.get("closePosition"))
                && !query.containsKey("quantity");
        if (!complete) {
            return error(400, -1102, "A mandatory parameter was not sent, was empty/null, or malformed.");
        }
        if ("BTCUSDT".equals(query.get("symbol")) && positionAmt.signum() == 0) {
            return error(400, -2022, "ReduceOnly Order is rejected.");
        }
        String trigger = query.get("triggerPrice");
        BigDecimal tick = "BTCUSDT".equals(query.get("symbol")) ? new BigDecimal("0.10") : new BigDecimal("0.01");
        if (new BigDecimal(trigger).remainder(tick).signum() != 0) {
            return error(400, -4014, "Price not increased by tick size.");
        }
        openAlgos.put(id, trigger);
        algoSymbols.put(id, query.get("symbol"));
        return ok("{\"algoId\":" + (++orderIds) + ",\"clientAlgoId\":\"" + id + "\",\"algoType\":\"CONDITIONAL\","
                + "\"orderType\":\"STOP_MARKET\",\"symbol\":\"" + symbol + "\",\"side\":\"" + query.get("side")
                + "\",\"positionSide\":\"BOTH\",\"algoStatus\":\"NEW\",\"triggerPrice\":\"" + trigger
                + "\",\"workingType\":\"MARK_PRICE\",\"closePosition\":true}");
    }

    /** {@code GET /fapi/v1/openAlgoOrders}: the stops placed and not cancelled (all close a long, one-way). */
    private String openAlgoOrders() {
        StringBuilder out = new StringBuilder("[");
        openAlgos.forEach((id, trigger) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append("{\"algoId\":1,\"clientAlgoId\":\"")
                    .append(id)
                    .append("\",\"algoType\":\"CONDITIONAL\",\"orderType\":\"STOP_MARKET\",\"symbol\":\"")
                    .append(algoSymbols.getOrDefault(id, symbol))
                    .append("\",\"side\":\"SELL\",\"positionSide\":\"BOTH\",\"timeInForce\":\"GTC\",")
                    .append("\"quantity\":\"0\",\"algoStatus\":\"NEW\",\"triggerPrice\":\"")
                    .append(trigger)
                    .append("\",\"price\":\"0\",\"workingType\":\"MARK_PRICE\",\"closePosition\":true,")
                    .append("\"priceProtect\":false,\"reduceOnly\":false,\"createTime\":1,\"updateTime\":1}");
        });
        return out.append(']').toString();
    }

    /** The venue raises BTCUSDT's maintenance rates (2 % from the first bracket), as Binance may in a crash. */
    synchronized void maintenanceRises() {
        brackets = BRACKETS.replace("\"maintMarginRatio\":0.004,\"cum\":0.0", "\"maintMarginRatio\":0.02,\"cum\":0.0")
                .replace("\"maintMarginRatio\":0.005,\"cum\":50.0", "\"maintMarginRatio\":0.025,\"cum\":250.0")
                .replace("\"maintMarginRatio\":0.01,\"cum\":2550.0", "\"maintMarginRatio\":0.03,\"cum\":2750.0");
    }

    /**
     * Announces a larger request-weight quota than Binance's, for a benchmark that cycles faster than 2,400 a minute
     * allows (the bot keeps to what exchangeInfo says).
     */
    void weightQuota(int perMinute) {
        weightPerMinute = perMinute;
    }

    /** A trader cancels every stop by hand in the venue's app: no stream event says so. */
    synchronized void cancelStopsByHand() {
        openAlgos.clear();
    }

    /** What Binance pushes on the user stream after a position or balance changed. */
    private void accountUpdate(String reason) {
        if (userSilent) {
            return;
        }
        long now = System.currentTimeMillis();
        String frame = "{\"e\":\"ACCOUNT_UPDATE\",\"E\":" + now + ",\"T\":" + now + ",\"a\":{\"m\":\"" + reason
                + "\",\"B\":[{\"a\":\"USDT\",\"wb\":\""
                + available.add(isolatedWallet).toPlainString()
                + "\",\"cw\":\"" + available.toPlainString() + "\",\"bc\":\"0\"}],\"P\":[{\"s\":\"BTCUSDT\",\"pa\":\""
                + positionAmt.toPlainString() + "\",\"ep\":\"" + entry.toPlainString()
                + "\",\"bep\":\"0\",\"cr\":\"0\",\"up\":\"0\",\"mt\":\"isolated\",\"iw\":\""
                + isolatedWallet.toPlainString() + "\",\"ps\":\"BOTH\"}]}}";
        for (WebSocket ws : userSockets) {
            ws.send(frame);
        }
    }

    private static MockResponse ok(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .addHeader("X-MBX-USED-WEIGHT-1M", "5")
                .body(body)
                .build();
    }

    private static MockResponse error(int status, int code, String message) {
        return new MockResponse.Builder()
                .code(status)
                .addHeader("Content-Type", "application/json")
                .body("{\"code\":" + code + ",\"msg\":\"" + message + "\"}")
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

    @Override
    public void close() throws IOException {
        ticker.shutdownNow();
        // Closing the server closes its connections, WebSockets included (a server-side socket cannot be cancelled).
        server.close();
    }
}
