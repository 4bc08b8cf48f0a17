package ballast.exchange.binance;

import static java.util.Objects.requireNonNull;

import ballast.core.margin.RiskTier;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.tiers.BinanceBrackets;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Binance USDⓈ-M futures REST: the safety-critical calls (positions, account margin, brackets, isolated margin, reduce-only
 * orders), signed with HMAC-SHA256 and classified into {@link VenueResult}s. Thread-safe; one instance per account.
 *
 * <p>No call here retries. The executor owns retries and rate limiting, and decides from the {@link VenueError} class:
 * reads may be repeated freely; a write that ended {@link VenueError.OutcomeUnknown} must be reconciled first. To keep
 * that promise OkHttp's own silent retry is switched off for writes (their bodies are one-shot), so a POST that reached
 * the wire is never sent twice behind the caller's back.
 *
 * <p>Signed parameters travel in the query string, for POST and DELETE too (Binance signs "query string + body" and
 * accepts either); one format for every method keeps "the string signed is the string sent" easy to see and to test.
 */
public final class BinanceRestClient {

    public static final Duration DEFAULT_RECV_WINDOW = Duration.ofMillis(5000);

    /** Binance's documented maximum for {@code recvWindow}. */
    private static final Duration MAX_RECV_WINDOW = Duration.ofMillis(60_000);

    /** {@code newClientOrderId}: Binance's own rule, {@code ^[.A-Z:/a-z0-9_-]{1,36}$}. */
    private static final Pattern CLIENT_ORDER_ID = Pattern.compile("[.A-Z:/a-z0-9_-]{1,36}");

    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{1,32}");

    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final OkHttpClient http;
    private final BinanceEndpoints endpoints;
    private final String apiKey;
    private final BinanceSigner signer;
    private final Clock clock;
    private final long recvWindowMillis;
    private final BinanceClassifier classifier;
    private final AtomicLong serverOffsetMillis = new AtomicLong();
    /** The IP's request weight and the account's order quotas, as this client spends them. */
    private final BinanceQuotas quotas;

    /** Until when (epoch ms) the venue asked for no requests at all, after a 429 or 418. */
    private final AtomicLong quietUntilMillis = new AtomicLong();
    /** Told of every 429 and 418, on the calling thread (the executor must stop sending, whoever asked). */
    private volatile java.util.function.Consumer<VenueError.RateLimited> rateLimited = limited -> {};

    public BinanceRestClient(
            OkHttpClient shared, BinanceEndpoints endpoints, BinanceCredentials credentials, Clock clock) {
        this(shared, endpoints, credentials, clock, DEFAULT_RECV_WINDOW);
    }

    /**
     * @param shared the process's one OkHttpClient (its timeouts apply); a derived client shares its connection pool
     *     and dispatcher
     * @param recvWindow how long after its timestamp a signed request stays valid at the venue (1 ms … 60 s)
     */
    public BinanceRestClient(
            OkHttpClient shared,
            BinanceEndpoints endpoints,
            BinanceCredentials credentials,
            Clock clock,
            Duration recvWindow) {
        this(shared, endpoints, requireNonNull(credentials, "credentials"), clock, recvWindow, true);
    }

    /** @param keyed false only for {@link #unkeyed}: {@code credentials} is null then */
    private BinanceRestClient(
            OkHttpClient shared,
            BinanceEndpoints endpoints,
            BinanceCredentials credentials,
            Clock clock,
            Duration recvWindow,
            boolean keyed) {
        requireNonNull(shared, "shared");
        this.endpoints = requireNonNull(endpoints, "endpoints");
        this.clock = requireNonNull(clock, "clock");
        this.quotas = new BinanceQuotas(clock);
        requireNonNull(recvWindow, "recvWindow");
        if (recvWindow.toMillis() < 1 || recvWindow.compareTo(MAX_RECV_WINDOW) > 0) {
            throw new IllegalArgumentException("recvWindow must be 1 ms to 60 s, was " + recvWindow);
        }
        this.recvWindowMillis = recvWindow.toMillis();
        // No credentials: a client of public data only, which refuses every keyed endpoint before sending it.
        this.apiKey = credentials == null ? null : credentials.apiKey();
        this.signer = credentials == null ? null : new BinanceSigner(credentials.secret());
        this.classifier = new BinanceClassifier(
                clock, credentials == null ? List.of() : List.of(credentials.apiKey(), credentials.secret()));
        this.http = shared.newBuilder()
                // Binance never redirects; following one would turn a POST into a GET somewhere unknown.
                .followRedirects(false)
                .followSslRedirects(false)
                // Network interceptors run only once a connection exists: reaching one means bytes may leave.
                .addNetworkInterceptor(chain -> {
                    SendMark mark = chain.request().tag(SendMark.class);
                    if (mark != null) {
                        mark.sent.set(true);
                    }
                    return chain.proceed(chain.request());
                })
                .build();
    }

    /**
     * A client of Binance's public data only (marks, exchangeInfo): it holds no key, and a keyed or signed endpoint is
     * refused before anything is sent. The paper profile reads its marks with one.
     */
    public static BinanceRestClient unkeyed(OkHttpClient shared, BinanceEndpoints endpoints, Clock clock) {
        return new BinanceRestClient(shared, endpoints, null, clock, DEFAULT_RECV_WINDOW, false);
    }

    /**
     * Who is told when the venue answers 429 (too many requests) or 418 (banned), with its {@code Retry-After}: a bot
     * must stop sending to the venue, not only retry this one request later.
     */
    public void onRateLimited(java.util.function.Consumer<VenueError.RateLimited> listener) {
        this.rateLimited = requireNonNull(listener, "listener");
    }

    /** The quotas this client keeps to: size them from exchangeInfo; read their headroom for metrics. */
    public BinanceQuotas quotas() {
        return quotas;
    }

    /** Until when the venue asked for no requests (after a 429 or 418); in the past when it takes requests. */
    public Instant quietUntil() {
        return Instant.ofEpochMilli(quietUntilMillis.get());
    }

    /** Reads the venue's clock and keeps the offset that every later {@code timestamp} is corrected by. */
    public VenueResult<Duration> syncTime() {
        long before = clock.millis();
        VenueResult<Long> result = send(
                BinanceEndpoint.SERVER_TIME,
                Query.empty(),
                body -> BinanceParsers.serverTime(label(BinanceEndpoint.SERVER_TIME), body));
        long after = clock.millis();
        return switch (result) {
            case VenueResult.Ok<Long> ok -> {
                // The server read its clock somewhere during the round trip; the midpoint is the best guess.
                long offset = ok.value() - (before + (after - before) / 2);
                serverOffsetMillis.set(offset);
                yield new VenueResult.Ok<>(Duration.ofMillis(offset), ok.usage());
            }
            case VenueResult.Failed<Long> failed -> new VenueResult.Failed<>(failed.error(), failed.usage());
        };
    }

    /** The venue's clock minus ours, as of the last successful {@link #syncTime()} (zero before one). */
    public Duration serverTimeOffset() {
        return Duration.ofMillis(serverOffsetMillis.get());
    }

    /** {@code GET /fapi/v1/exchangeInfo}: the venue's quotas and each symbol's price and quantity filters. */
    public VenueResult<BinanceExchangeInfo> exchangeInfo() {
        return send(
                BinanceEndpoint.EXCHANGE_INFO,
                Query.empty(),
                body -> BinanceParsers.exchangeInfo(label(BinanceEndpoint.EXCHANGE_INFO), body));
    }

    /** {@code GET /fapi/v2/positionRisk}: every symbol's position rows, flat ones included. */
    public VenueResult<List<BinancePosition>> positions() {
        return send(
                BinanceEndpoint.POSITION_RISK,
                Query.empty(),
                body -> BinanceParsers.positions(label(BinanceEndpoint.POSITION_RISK), body));
    }

    /** {@code GET /fapi/v3/account}: the account totals. */
    public VenueResult<BinanceAccount> account() {
        return send(
                BinanceEndpoint.ACCOUNT,
                Query.empty(),
                body -> BinanceParsers.account(label(BinanceEndpoint.ACCOUNT), body));
    }

    /** {@code GET /fapi/v1/leverageBracket}: maintenance tiers by symbol, for one symbol or all. */
    public VenueResult<Map<String, List<RiskTier>>> leverageBrackets(Optional<String> symbol) {
        requireNonNull(symbol, "symbol");
        Query query = Query.empty();
        symbol.ifPresent(s -> query.add("symbol", requireSymbol(s)));
        String payload = label(BinanceEndpoint.LEVERAGE_BRACKET);
        return send(BinanceEndpoint.LEVERAGE_BRACKET, query, body -> {
            Map<String, List<RiskTier>> tiers = BinanceBrackets.parse(payload, body);
            // An answer about other symbols would leave the asked-for one on stale tiers without anyone noticing.
            symbol.ifPresent(s -> {
                if (!tiers.containsKey(s)) {
                    throw new PayloadException(payload + ": no brackets for " + s + ", only for " + tiers.keySet());
                }
            });
            return tiers;
        });
    }

    /** {@code GET /fapi/v1/premiumIndex?symbol=}: mark, index and funding. */
    public VenueResult<BinancePremiumIndex> premiumIndex(String symbol) {
        requireSymbol(symbol);
        return send(
                BinanceEndpoint.PREMIUM_INDEX,
                Query.empty().add("symbol", symbol),
                body -> BinanceParsers.premiumIndex(label(BinanceEndpoint.PREMIUM_INDEX), body, symbol));
    }

    /** {@code GET /fapi/v1/positionSide/dual}: true in hedge mode, false in one-way mode. */
    public VenueResult<Boolean> dualSidePosition() {
        return send(
                BinanceEndpoint.POSITION_MODE,
                Query.empty(),
                body -> BinanceParsers.dualSidePosition(label(BinanceEndpoint.POSITION_MODE), body));
    }

    /** {@code POST /fapi/v1/listenKey}: the account's user-data stream key (the active one, extended, if any). */
    public VenueResult<String> createListenKey() {
        return send(
                BinanceEndpoint.LISTEN_KEY_CREATE,
                Query.empty(),
                body -> BinanceParsers.listenKey(label(BinanceEndpoint.LISTEN_KEY_CREATE), body));
    }

    /** {@code PUT /fapi/v1/listenKey}: keeps the key alive for another 60 minutes. */
    public VenueResult<Boolean> keepAliveListenKey() {
        return send(BinanceEndpoint.LISTEN_KEY_KEEPALIVE, Query.empty(), body -> Boolean.TRUE);
    }

    /** {@code DELETE /fapi/v1/listenKey}: closes the user-data stream. */
    public VenueResult<Boolean> closeListenKey() {
        return send(BinanceEndpoint.LISTEN_KEY_CLOSE, Query.empty(), body -> Boolean.TRUE);
    }

    /** {@code GET /fapi/v1/multiAssetsMargin}: true when the account pools several assets as margin. */
    public VenueResult<Boolean> multiAssetsMargin() {
        return send(
                BinanceEndpoint.MULTI_ASSETS_MODE,
                Query.empty(),
                body -> BinanceParsers.multiAssetsMargin(label(BinanceEndpoint.MULTI_ASSETS_MODE), body));
    }

    /** {@code GET /sapi/v1/account/apiRestrictions} (spot host): what this API key is allowed to do. */
    public VenueResult<BinanceApiRestrictions> apiRestrictions() {
        return send(
                BinanceEndpoint.API_RESTRICTIONS,
                Query.empty(),
                body -> BinanceParsers.apiRestrictions(label(BinanceEndpoint.API_RESTRICTIONS), body));
    }

    /**
     * {@code POST /fapi/v1/positionMargin}: moves {@code amount} into ({@code add}) or out of an isolated position's
     * margin. {@code side} BOTH means one-way mode; LONG or SHORT means hedge mode, where Binance needs
     * {@code positionSide}.
     */
    public VenueResult<BinanceMarginChange> modifyIsolatedMargin(
            String symbol, PositionSide side, BigDecimal amount, boolean add) {
        requireSymbol(symbol);
        requireNonNull(side, "side");
        requirePositive("amount", amount);
        Query query = Query.empty().add("symbol", symbol);
        if (side.hedge()) {
            query.add("positionSide", side.name());
        }
        query.add("amount", plain(amount)).add("type", add ? "1" : "2");
        return send(
                BinanceEndpoint.POSITION_MARGIN,
                query,
                body -> BinanceParsers.marginChange(label(BinanceEndpoint.POSITION_MARGIN), body));
    }

    /**
     * {@code POST /fapi/v1/order}, a reduce-only MARKET order. One-way mode ({@code positionSide} BOTH) sends
     * {@code reduceOnly=true}; hedge mode sends {@code positionSide} and no {@code reduceOnly} (Binance refuses it
     * there), so in hedge mode the side is checked here instead: only SELL closes a LONG, only BUY a SHORT; the other
     * would open or add to a position.
     *
     * @param clientOrderId the idempotency handle for reconciling an unknown outcome: 1–36 of {@code [.A-Z:/a-z0-9_-]}
     * @throws IllegalArgumentException for a malformed client id or a side that would not reduce (programming errors)
     */
    public VenueResult<BinanceOrder> placeReduceOnly(
            String symbol, OrderSide side, PositionSide positionSide, BigDecimal qty, String clientOrderId) {
        requireSymbol(symbol);
        requireNonNull(side, "side");
        requireNonNull(positionSide, "positionSide");
        requirePositive("qty", qty);
        requireClientOrderId(clientOrderId);
        if (positionSide == PositionSide.LONG && side != OrderSide.SELL
                || positionSide == PositionSide.SHORT && side != OrderSide.BUY) {
            throw new IllegalArgumentException("a " + side + " order on the " + positionSide
                    + " side of a hedge-mode position would add to it, not reduce it");
        }
        Query query = Query.empty().add("symbol", symbol).add("side", side.name());
        if (positionSide.hedge()) {
            query.add("positionSide", positionSide.name());
        }
        query.add("type", "MARKET").add("quantity", plain(qty));
        if (!positionSide.hedge()) {
            query.add("reduceOnly", "true");
        }
        // RESULT (not the default ACK for futures) returns the order after matching: a MARKET order comes back
        // FILLED with its average price, so the usual case needs no follow-up query.
        query.add("newClientOrderId", clientOrderId).add("newOrderRespType", "RESULT");
        return send(
                BinanceEndpoint.NEW_ORDER, query, body -> BinanceParsers.order(label(BinanceEndpoint.NEW_ORDER), body));
    }

    /**
     * {@code POST /fapi/v1/algoOrder}: a close-all STOP_MARKET on the Algo Service (conditional orders left
     * {@code /fapi/v1/order} on 2025-12-09), triggered by the mark price ({@code workingType=MARK_PRICE}: the default
     * is the last price), {@code closePosition=true} (so no quantity and no reduceOnly), without price protection (a
     * backstop must fire). Returns the client algo id as echoed.
     */
    public VenueResult<String> placeCloseAllStop(
            String symbol, OrderSide side, PositionSide positionSide, BigDecimal triggerPrice, String clientAlgoId) {
        requireSymbol(symbol);
        requireNonNull(side, "side");
        requireNonNull(positionSide, "positionSide");
        requirePositive("triggerPrice", triggerPrice);
        requireClientOrderId(clientAlgoId);
        Query query = Query.empty()
                .add("algoType", "CONDITIONAL")
                .add("symbol", symbol)
                .add("side", side.name());
        if (positionSide.hedge()) {
            query.add("positionSide", positionSide.name());
        }
        query.add("type", "STOP_MARKET")
                .add("triggerPrice", plain(triggerPrice))
                .add("workingType", "MARK_PRICE")
                .add("closePosition", "true")
                .add("priceProtect", "false")
                .add("clientAlgoId", clientAlgoId);
        return send(
                BinanceEndpoint.NEW_ALGO_ORDER,
                query,
                body -> BinanceParsers.algoOrder(label(BinanceEndpoint.NEW_ALGO_ORDER), body));
    }

    /** {@code DELETE /fapi/v1/algoOrder?clientAlgoId=}: cancels a conditional order by our id. */
    public VenueResult<String> cancelAlgoOrder(String clientAlgoId) {
        requireClientOrderId(clientAlgoId);
        return send(
                BinanceEndpoint.CANCEL_ALGO_ORDER,
                Query.empty().add("clientAlgoId", clientAlgoId),
                body -> BinanceParsers.algoOrder(label(BinanceEndpoint.CANCEL_ALGO_ORDER), body));
    }

    /** {@code GET /fapi/v1/openAlgoOrders}: every open conditional order of the account, all symbols (weight 40). */
    public VenueResult<List<BinanceAlgoOrder>> openAlgoOrders() {
        return send(
                BinanceEndpoint.OPEN_ALGO_ORDERS,
                Query.empty().add("algoType", "CONDITIONAL"),
                body -> BinanceParsers.algoOrders(label(BinanceEndpoint.OPEN_ALGO_ORDERS), body));
    }

    /** {@code GET /fapi/v1/order?origClientOrderId=}. An unknown id is {@code Rejected(-2013)}. */
    public VenueResult<BinanceOrder> queryOrder(String symbol, String clientOrderId) {
        requireSymbol(symbol);
        requireClientOrderId(clientOrderId);
        return send(
                BinanceEndpoint.QUERY_ORDER,
                Query.empty().add("symbol", symbol).add("origClientOrderId", clientOrderId),
                body -> BinanceParsers.order(label(BinanceEndpoint.QUERY_ORDER), body));
    }

    /**
     * {@code GET /fapi/v1/positionMargin/history}: the isolated margin changes of {@code symbol} from {@code since} on,
     * oldest first (at most 500); a one-way account's BOTH changes are {@code oneWay}'s.
     */
    public VenueResult<List<ballast.core.venue.MarginChange>> marginHistory(
            String symbol, java.time.Instant since, ballast.core.Side oneWay) {
        requireSymbol(symbol);
        return send(
                BinanceEndpoint.MARGIN_HISTORY,
                Query.empty()
                        .add("symbol", symbol)
                        .add("startTime", String.valueOf(since.toEpochMilli()))
                        .add("limit", "500"),
                body -> BinanceParsers.marginHistory(label(BinanceEndpoint.MARGIN_HISTORY), body, oneWay));
    }

    /** {@code DELETE /fapi/v1/order?origClientOrderId=}. An unknown or finished order is {@code Rejected(-2011)}. */
    public VenueResult<BinanceOrder> cancelOrder(String symbol, String clientOrderId) {
        requireSymbol(symbol);
        requireClientOrderId(clientOrderId);
        return send(
                BinanceEndpoint.CANCEL_ORDER,
                Query.empty().add("symbol", symbol).add("origClientOrderId", clientOrderId),
                body -> BinanceParsers.order(label(BinanceEndpoint.CANCEL_ORDER), body));
    }

    /** {@code POST /fapi/v1/leverage}: the initial leverage for new positions of the symbol (1 … 125). */
    public VenueResult<BinanceLeverage> setLeverage(String symbol, int leverage) {
        requireSymbol(symbol);
        if (leverage < 1 || leverage > 125) {
            throw new IllegalArgumentException("leverage must be 1 to 125, was " + leverage);
        }
        return send(
                BinanceEndpoint.LEVERAGE,
                Query.empty().add("symbol", symbol).add("leverage", Integer.toString(leverage)),
                body -> BinanceParsers.leverage(label(BinanceEndpoint.LEVERAGE), body));
    }

    private <T> VenueResult<T> send(BinanceEndpoint endpoint, Query params, Function<String, T> parser) {
        long quiet = quietUntilMillis.get();
        if (clock.millis() < quiet) {
            // The venue said to stop: another request now would only lengthen a ban. Provably not sent.
            return new VenueResult.Failed<>(
                    new VenueError.NotSent(
                            "the venue asked for no requests until " + Instant.ofEpochMilli(quiet) + " (429/418)"),
                    ballast.exchange.venue.RateUsage.UNKNOWN);
        }
        if ((endpoint.signed || endpoint.keyed) && apiKey == null) {
            return new VenueResult.Failed<>(
                    new VenueError.NotSent(endpoint.path + " needs an API key; this client reads public data only"),
                    ballast.exchange.venue.RateUsage.UNKNOWN);
        }
        if (endpoint.spotHost() == false) {
            Optional<String> over = quotas.admit(endpoint);
            if (over.isPresent()) {
                // Sending it would earn a 429 (and, repeated, a ban): provably not sent, the caller tries later.
                return new VenueResult.Failed<>(
                        new VenueError.NotSent(over.get()), ballast.exchange.venue.RateUsage.UNKNOWN);
            }
        }
        String query = params.encoded();
        if (endpoint.signed) {
            query = append(query, "recvWindow=" + recvWindowMillis);
            query = append(query, "timestamp=" + (clock.millis() + serverOffsetMillis.get()));
            // The signature goes last and covers every byte before it, exactly as sent.
            query = append(query, "signature=" + signer.sign(query));
        }
        HttpUrl.Builder url = (endpoint.spotHost() ? endpoints.spot() : endpoints.rest())
                .newBuilder()
                .encodedPath(endpoint.path);
        if (!query.isEmpty()) {
            url.encodedQuery(query);
        }
        SendMark mark = new SendMark();
        Request.Builder request = new Request.Builder().url(url.build()).tag(SendMark.class, mark);
        if (endpoint.keyed) {
            request.header("X-MBX-APIKEY", apiKey);
        }
        switch (endpoint.method) {
            case "GET" -> request.get();
            case "POST" -> request.post(new OneShotEmptyBody());
            case "PUT" -> request.put(new OneShotEmptyBody());
            case "DELETE" -> request.delete(new OneShotEmptyBody());
            default -> throw new IllegalStateException("no such method: " + endpoint.method);
        }
        BinanceExchange exchange;
        try (Response response = http.newCall(request.build()).execute()) {
            Headers headers = response.headers();
            try {
                exchange = new BinanceExchange.Answered(
                        response.code(), headers, new String(response.body().bytes(), StandardCharsets.UTF_8));
            } catch (IOException bodyLost) {
                exchange = new BinanceExchange.Unanswered(bodyLost, true, headers);
            }
        } catch (IOException e) {
            exchange = new BinanceExchange.Unanswered(e, mark.sent.get(), Headers.EMPTY);
        }
        VenueResult<T> result = classifier.classify(endpoint, exchange, parser);
        if (!endpoint.spotHost()) {
            quotas.observed(result.usage());
        }
        if (result instanceof VenueResult.Failed<T> limited && limited.error() instanceof VenueError.RateLimited r) {
            // Without a Retry-After (Binance sends one), a 429 waits 10 s and a 418 two minutes.
            Duration wait = r.retryAfter().orElse(r.banned() ? Duration.ofMinutes(2) : Duration.ofSeconds(10));
            quietUntilMillis.accumulateAndGet(clock.millis() + wait.toMillis(), Math::max);
            rateLimited.accept(r);
        }
        if (endpoint != BinanceEndpoint.SERVER_TIME
                && result instanceof VenueResult.Failed<T> failed
                && failed.error() instanceof VenueError.Rejected rejected
                && rejected.code() == -1021) {
            // Our clock and the venue's disagree by more than recvWindow: measure again so the caller's retry is
            // stamped right. Best effort: if this fails too, the next -1021 tries again.
            syncTime();
        }
        return result;
    }

    private static String label(BinanceEndpoint endpoint) {
        return endpoint.label();
    }

    private static String append(String query, String parameter) {
        return query.isEmpty() ? parameter : query + "&" + parameter;
    }

    /** Decimals as the venue reads them: no exponent, no trailing zeros ({@code 1E+1} would be rejected). */
    private static String plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    private static String requireSymbol(String symbol) {
        requireNonNull(symbol, "symbol");
        if (!SYMBOL.matcher(symbol).matches()) {
            throw new IllegalArgumentException("not a Binance futures symbol: \"" + symbol + "\"");
        }
        return symbol;
    }

    private static void requirePositive(String name, BigDecimal value) {
        requireNonNull(value, name);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value.toPlainString());
        }
    }

    private static void requireClientOrderId(String clientOrderId) {
        requireNonNull(clientOrderId, "clientOrderId");
        if (!CLIENT_ORDER_ID.matcher(clientOrderId).matches()) {
            throw new IllegalArgumentException(
                    "client order id must be 1-36 of [.A-Z:/a-z0-9_-], was \"" + clientOrderId + "\"");
        }
    }

    @Override
    public String toString() {
        return "BinanceRestClient[" + endpoints.rest() + ", recvWindow=" + recvWindowMillis + " ms]";
    }

    /** Set once the request reaches the network layer, i.e. once it may have been (partly) written. */
    private static final class SendMark {
        final AtomicBoolean sent = new AtomicBoolean();
    }

    /** Parameters in order, percent-encoded the way they are signed and sent. */
    private static final class Query {
        private final StringBuilder encoded = new StringBuilder();

        static Query empty() {
            return new Query();
        }

        Query add(String name, String value) {
            if (!encoded.isEmpty()) {
                encoded.append('&');
            }
            encoded.append(name).append('=').append(percentEncode(value));
            return this;
        }

        String encoded() {
            return encoded.toString();
        }

        /**
         * RFC 3986: everything but unreserved characters is escaped, so a client id's {@code :} and {@code /} go out
         * as {@code %3A} and {@code %2F}; OkHttp leaves an already-encoded query as it is, so the signed bytes are the
         * sent bytes.
         */
        private static String percentEncode(String value) {
            StringBuilder out = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c >= 'A' && c <= 'Z'
                        || c >= 'a' && c <= 'z'
                        || c >= '0' && c <= '9'
                        || c == '-'
                        || c == '_'
                        || c == '.'
                        || c == '~') {
                    out.append((char) c);
                } else {
                    out.append('%')
                            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
            return out.toString();
        }
    }

    /**
     * An empty POST/DELETE body that OkHttp may not replay: with a one-shot body OkHttp neither retries after a
     * failure once sending started nor follows up (408, 503 Retry-After: 0) by resending.
     */
    private static final class OneShotEmptyBody extends RequestBody {
        @Override
        public MediaType contentType() {
            return FORM;
        }

        @Override
        public long contentLength() {
            return 0;
        }

        @Override
        public void writeTo(BufferedSink sink) {
            // Nothing to write: the parameters are in the query string.
        }

        @Override
        public boolean isOneShot() {
            return true;
        }
    }
}
