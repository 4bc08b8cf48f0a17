package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.margin.RiskTier;
import ballast.exchange.venue.RateUsage;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against WireMock on 127.0.0.1: what goes on the wire, what comes back parsed, how failures classify. */
class BinanceRestClientTest {

    static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
    static final String KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    static final String SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    static final BinanceCredentials CREDENTIALS = new BinanceCredentials(KEY, SECRET);
    /** Short, for the one test that waits it out; every other call gets a generous timeout so a busy CI never flakes. */
    static final Duration READ_TIMEOUT = Duration.ofMillis(300);

    static final Duration NORMAL_TIMEOUT = Duration.ofSeconds(5);

    static WireMockServer wm;
    static OkHttpClient http;

    BinanceRestClient client;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        http = new OkHttpClient.Builder()
                .connectTimeout(NORMAL_TIMEOUT)
                .readTimeout(NORMAL_TIMEOUT)
                .writeTimeout(NORMAL_TIMEOUT)
                .build();
    }

    @AfterAll
    static void stop() {
        wm.stop();
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
    }

    @BeforeEach
    void fresh() {
        wm.resetAll();
        // Faults poison connections; a fresh pool keeps one test's wreckage out of the next.
        http.connectionPool().evictAll();
        client = new BinanceRestClient(
                http,
                BinanceEndpoints.of("http://127.0.0.1:" + wm.port()),
                CREDENTIALS,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    // --- fixtures and stubs -----------------------------------------------------------------------------------------

    static String fixture(String name) {
        try (InputStream in = BinanceRestClientTest.class.getResourceAsStream("/binance/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void stub(String method, String path, ResponseDefinitionBuilder response) {
        wm.stubFor(request(method, urlPathEqualTo(path)).willReturn(response));
    }

    static ResponseDefinitionBuilder json(String fixture) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-MBX-USED-WEIGHT-1m", "17")
                .withHeader("X-MBX-ORDER-COUNT-10s", "1")
                .withHeader("X-MBX-ORDER-COUNT-1m", "3")
                .withBody(fixture(fixture));
    }

    static ResponseDefinitionBuilder binanceError(int status, int code, String msg) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-MBX-USED-WEIGHT-1m", "42")
                .withBody("{\"code\":" + code + ",\"msg\":\"" + msg + "\"}");
    }

    static final RateUsage FIXTURE_USAGE = new RateUsage(OptionalInt.of(17), OptionalInt.of(1), OptionalInt.of(3));

    static BigDecimal bd(String value) {
        return new BigDecimal(value);
    }

    static <T> T ok(VenueResult<T> result) {
        assertThat(result).isInstanceOf(VenueResult.Ok.class);
        return ((VenueResult.Ok<T>) result).value();
    }

    static VenueError failure(VenueResult<?> result) {
        assertThat(result).isInstanceOf(VenueResult.Failed.class);
        VenueError error = ((VenueResult.Failed<?>) result).error();
        assertThat(error.describe()).doesNotContain(KEY).doesNotContain(SECRET);
        return error;
    }

    static String hmac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String rawQuery(LoggedRequest request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        return q < 0 ? "" : url.substring(q + 1);
    }

    static LoggedRequest only(String method, String path) {
        List<LoggedRequest> requests = wm.findAll(anyRequestedFor(urlPathEqualTo(path))).stream()
                .filter(r -> r.getMethod().getName().equals(method))
                .toList();
        assertThat(requests).as(method + " " + path).hasSize(1);
        return requests.get(0);
    }

    static final BinancePosition BTC_ONE_WAY_LONG = new BinancePosition(
            "BTCUSDT",
            PositionSide.BOTH,
            bd("0.010"),
            bd("60000.0"),
            bd("59500.00000000"),
            Optional.of(bd("54321.12")),
            10,
            MarginMode.ISOLATED,
            bd("60.00000000"),
            bd("55.00000000"),
            bd("-5.00000000"),
            bd("595.00000000"),
            false,
            Instant.ofEpochMilli(1_700_000_000_000L));

    // --- signing ----------------------------------------------------------------------------------------------------

    /** Every signed call, made once, so the signing test sees each endpoint's real parameter list. */
    void callEverySignedEndpoint() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-one-way.json"));
        stub("GET", "/fapi/v3/account", json("account-v3.json"));
        stub("GET", "/fapi/v1/leverageBracket", json("leverageBracket-BTCUSDT.json"));
        stub("GET", "/fapi/v1/positionSide/dual", json("positionSide-dual.json"));
        stub("POST", "/fapi/v1/positionMargin", json("positionMargin-add.json"));
        stub("POST", "/fapi/v1/order", json("order-market-reduce-only-filled.json"));
        stub("GET", "/fapi/v1/order", json("order-query-new.json"));
        stub("DELETE", "/fapi/v1/order", json("order-cancel-canceled.json"));
        stub("POST", "/fapi/v1/leverage", json("leverage.json"));

        List<VenueResult<?>> results = List.of(
                client.positions(),
                client.account(),
                client.leverageBrackets(Optional.of("BTCUSDT")),
                client.dualSidePosition(),
                client.modifyIsolatedMargin("BTCUSDT", PositionSide.BOTH, bd("100"), true),
                client.placeReduceOnly(
                        "BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), "ballast:cut/BTC-0001"),
                client.queryOrder("BTCUSDT", "ballast:cut/BTC-0003"),
                client.cancelOrder("BTCUSDT", "ballast:cut/BTC-0003"),
                client.setLeverage("BTCUSDT", 20));
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(VenueResult.Ok.class));
    }

    @Test
    void every_signed_request_carries_key_timestamp_window_and_a_signature_of_the_bytes_before_it() {
        callEverySignedEndpoint();

        List<LoggedRequest> requests = wm.findAll(anyRequestedFor(anyUrl()));
        assertThat(requests).hasSize(9);
        for (LoggedRequest request : requests) {
            String query = rawQuery(request);
            int cut = query.lastIndexOf("&signature=");
            assertThat(cut).as(request.getUrl()).isPositive();
            String signed = query.substring(0, cut);
            String signature = query.substring(cut + "&signature=".length());

            assertThat(signature)
                    .as("signature last and over everything before it: " + request.getUrl())
                    .isEqualTo(hmac(signed));
            assertThat(request.getHeader("X-MBX-APIKEY")).isEqualTo(KEY);
            assertThat(signed).matches("(.+&)?recvWindow=5000&timestamp=1700000000000");
            assertThat(request.queryParameter("timestamp").values()).containsExactly("1700000000000");
            assertThat(request.queryParameter("recvWindow").values()).containsExactly("5000");
            // Nothing secret travels: the secret is only ever an HMAC key.
            assertThat(request.getUrl() + request.getBodyAsString() + request.getHeaders())
                    .doesNotContain(SECRET);
        }
    }

    @Test
    void exchange_info_gives_the_quotas_and_each_symbols_tick_and_step_exactly() {
        stub("GET", "/fapi/v1/exchangeInfo", json("exchangeInfo-futures.json"));

        BinanceExchangeInfo info = ok(client.exchangeInfo());

        assertThat(info.rateLimits())
                .containsExactly(
                        new BinanceExchangeInfo.RateLimit(
                                BinanceExchangeInfo.LimitType.REQUEST_WEIGHT, Duration.ofMinutes(1), 2400),
                        new BinanceExchangeInfo.RateLimit(
                                BinanceExchangeInfo.LimitType.ORDERS, Duration.ofMinutes(1), 1200),
                        new BinanceExchangeInfo.RateLimit(
                                BinanceExchangeInfo.LimitType.ORDERS, Duration.ofSeconds(10), 300));
        assertThat(info.tightest(BinanceExchangeInfo.LimitType.ORDERS, Duration.ofSeconds(10)))
                .map(BinanceExchangeInfo.RateLimit::limit)
                .contains(300);
        BinanceExchangeInfo.SymbolRules btc = info.symbols().get("BTCUSDT");
        assertThat(btc.trading()).isTrue();
        assertThat(btc.tickSize()).isEqualTo(bd("0.10"));
        assertThat(btc.stepSize()).isEqualTo(bd("0.001"));
        assertThat(btc.minQty()).isEqualTo(bd("0.001"));
        assertThat(info.symbols().get("ETHUSDT").tickSize()).isEqualTo(bd("0.01"));
        assertThat(only("GET", "/fapi/v1/exchangeInfo").containsHeader("X-MBX-APIKEY"))
                .isFalse();
    }

    @Test
    void exchange_info_without_a_symbols_price_filter_is_a_payload_error_not_a_default() {
        stub(
                "GET",
                "/fapi/v1/exchangeInfo",
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"rateLimits\":[],\"symbols\":[{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\","
                                        + "\"filters\":[{\"filterType\":\"LOT_SIZE\",\"stepSize\":\"0.001\",\"minQty\":\"0.001\"}]}]}"));

        VenueResult<BinanceExchangeInfo> result = client.exchangeInfo();

        assertThat(result).isInstanceOf(VenueResult.Failed.class);
        assertThat(((VenueResult.Failed<BinanceExchangeInfo>) result).error().describe())
                .contains("BTCUSDT has no PRICE_FILTER");
    }

    @Test
    void public_market_data_is_neither_signed_nor_sent_with_the_key() {
        stub("GET", "/fapi/v1/premiumIndex", json("premiumIndex-BTCUSDT.json"));
        stub("GET", "/fapi/v1/time", json("time.json"));

        ok(client.premiumIndex("BTCUSDT"));
        ok(client.syncTime());

        LoggedRequest premium = only("GET", "/fapi/v1/premiumIndex");
        assertThat(rawQuery(premium)).isEqualTo("symbol=BTCUSDT");
        assertThat(premium.containsHeader("X-MBX-APIKEY")).isFalse();
        assertThat(rawQuery(only("GET", "/fapi/v1/time"))).isEmpty();
    }

    @Test
    void an_unkeyed_client_reads_public_data_and_refuses_a_keyed_endpoint_before_sending_it() {
        stub("GET", "/fapi/v1/premiumIndex", json("premiumIndex-BTCUSDT.json"));
        BinanceRestClient unkeyed = BinanceRestClient.unkeyed(
                http, BinanceEndpoints.of("http://127.0.0.1:" + wm.port()), Clock.fixed(NOW, ZoneOffset.UTC));

        ok(unkeyed.premiumIndex("BTCUSDT"));
        VenueResult<?> read = unkeyed.positions();

        assertThat(read).isInstanceOf(VenueResult.Failed.class);
        assertThat(((VenueResult.Failed<?>) read).error()).isInstanceOf(VenueError.NotSent.class);
        assertThat(((VenueResult.Failed<?>) read).error().describe()).contains("needs an API key");
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }

    @Test
    void open_algo_orders_are_read_with_their_trigger_kind_and_side() {
        stub("GET", "/fapi/v1/openAlgoOrders", json("openAlgoOrders.json"));
        List<BinanceAlgoOrder> open = ok(client.openAlgoOrders());
        assertThat(open).hasSize(5);
        assertThat(open.get(0).markStopClosingAll())
                .as("a take-profit on the last price")
                .isFalse();
        assertThat(open.get(2))
                .isEqualTo(new BinanceAlgoOrder(
                        "BTCUSDT",
                        "blab12-7",
                        OrderSide.SELL,
                        PositionSide.BOTH,
                        "STOP_MARKET",
                        bd("54489.4"),
                        "MARK_PRICE",
                        true,
                        "NEW"));
        assertThat(open.get(2).markStopClosingAll()).isTrue();
        assertThat(rawQuery(only("GET", "/fapi/v1/openAlgoOrders"))).startsWith("algoType=CONDITIONAL&");
    }

    @Test
    void the_backstop_check_keeps_one_stop_per_position_and_never_touches_the_traders_own() {
        stub("GET", "/fapi/v1/openAlgoOrders", json("openAlgoOrders.json"));
        stub("DELETE", "/fapi/v1/algoOrder", aResponse().withStatus(200).withBody("{\"clientAlgoId\":\"blab12-3\"}"));
        BinanceGateway gateway = new BinanceGateway(client, false, Clock.fixed(NOW, ZoneOffset.UTC));
        gateway.ownIds("blab12-");

        List<ballast.core.venue.StopOrder> stops = gateway.openStops().orElseThrow();

        // BTCUSDT long: two of ours; the first listed is taken up, the other cancelled. ETHUSDT short: ours, kept.
        assertThat(stops)
                .containsExactly(
                        new ballast.core.venue.StopOrder("BTCUSDT", ballast.core.Side.LONG, bd("54000.0"), "blab12-3"),
                        new ballast.core.venue.StopOrder(
                                "ETHUSDT", ballast.core.Side.SHORT, bd("4100.00"), "blab12-5"));
        LoggedRequest cancel = only("DELETE", "/fapi/v1/algoOrder");
        assertThat(rawQuery(cancel)).startsWith("clientAlgoId=blab12-7&");
        // The trader's own close-all stop (web_9f2k) and take-profit are never touched.
    }

    @Test
    void a_read_the_weight_headers_say_would_pass_the_quota_is_not_sent() {
        stub(
                "GET",
                "/fapi/v2/positionRisk",
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-MBX-USED-WEIGHT-1m", "1918")
                        .withBody(fixture("positionRisk-one-way.json")));
        ok(client.positions());
        VenueError refused = failure(client.positions());
        assertThat(refused).isInstanceOf(VenueError.NotSent.class);
        assertThat(refused.describe()).contains("request weight");
        assertThat(wm.getAllServeEvents()).hasSize(1);
    }

    @Test
    void the_recv_window_is_configurable() {
        BinanceRestClient wide = new BinanceRestClient(
                http,
                BinanceEndpoints.of("http://127.0.0.1:" + wm.port()),
                CREDENTIALS,
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofSeconds(10));
        stub("GET", "/fapi/v1/positionSide/dual", json("positionSide-dual.json"));

        ok(wide.dualSidePosition());

        assertThat(only("GET", "/fapi/v1/positionSide/dual")
                        .queryParameter("recvWindow")
                        .firstValue())
                .isEqualTo("10000");
        assertThat(wide.toString()).doesNotContain(KEY).doesNotContain(SECRET);
        assertThatThrownBy(() -> new BinanceRestClient(
                        http,
                        BinanceEndpoints.live(),
                        CREDENTIALS,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Duration.ofSeconds(61)))
                .hasMessageContaining("recvWindow must be 1 ms to 60 s");
    }

    @Test
    void server_time_offset_is_applied_to_every_later_timestamp() {
        stub("GET", "/fapi/v1/time", json("time.json")); // serverTime = NOW + 1 h
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-one-way.json"));

        assertThat(client.syncTime()).isEqualTo(new VenueResult.Ok<>(Duration.ofHours(1), FIXTURE_USAGE));
        assertThat(client.serverTimeOffset()).isEqualTo(Duration.ofHours(1));
        ok(client.positions());

        LoggedRequest positions = only("GET", "/fapi/v2/positionRisk");
        assertThat(positions.queryParameter("timestamp").firstValue())
                .isEqualTo(Long.toString(NOW.plus(Duration.ofHours(1)).toEpochMilli()));
        String query = rawQuery(positions);
        assertThat(query)
                .isEqualTo("recvWindow=5000&timestamp=1700003600000&signature="
                        + hmac("recvWindow=5000&timestamp=1700003600000"));
    }

    @Test
    void minus_1021_is_rejected_and_the_clock_offset_is_measured_again() {
        stub("GET", "/fapi/v1/time", json("time.json"));
        stub(
                "POST",
                "/fapi/v1/order",
                binanceError(400, -1021, "Timestamp for this request is outside of the recvWindow."));

        VenueResult<BinanceOrder> result =
                client.placeReduceOnly("BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), "cut-1");

        assertThat(failure(result))
                .isEqualTo(new VenueError.Rejected(-1021, "Timestamp for this request is outside of the recvWindow."));
        only("GET", "/fapi/v1/time");
        assertThat(client.serverTimeOffset()).isEqualTo(Duration.ofHours(1));
    }

    // --- parsing each call ------------------------------------------------------------------------------------------

    @Test
    void positions_in_one_way_mode_with_a_flat_row_whose_liquidation_price_is_zero() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-one-way.json"));

        VenueResult<List<BinancePosition>> result = client.positions();

        assertThat(result.usage()).isEqualTo(FIXTURE_USAGE);
        List<BinancePosition> positions = ok(result);
        assertThat(positions)
                .containsExactly(
                        BTC_ONE_WAY_LONG,
                        new BinancePosition(
                                "SOLUSDT",
                                PositionSide.BOTH,
                                bd("0"),
                                bd("0"),
                                bd("150.12"),
                                Optional.empty(),
                                20,
                                MarginMode.CROSS,
                                bd("0"),
                                bd("0"),
                                bd("0"),
                                bd("0"),
                                false,
                                Instant.EPOCH));
        assertThat(positions.get(0).side()).contains(Side.LONG);
        assertThat(positions.get(1).flat()).isTrue();
        assertThat(positions.get(1).side()).isEmpty();
    }

    @Test
    void positions_in_hedge_mode() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-hedge.json"));

        assertThat(ok(client.positions()))
                .containsExactly(
                        new BinancePosition(
                                "ETHUSDT",
                                PositionSide.LONG,
                                bd("0.5"),
                                bd("3000"),
                                bd("3100"),
                                Optional.of(bd("2864.32160804")),
                                20,
                                MarginMode.ISOLATED,
                                bd("75"),
                                bd("125"),
                                bd("50"),
                                bd("1550"),
                                true,
                                Instant.ofEpochMilli(1_700_000_100_000L)),
                        new BinancePosition(
                                "ETHUSDT",
                                PositionSide.SHORT,
                                bd("-0.3"),
                                bd("3200"),
                                bd("3100"),
                                Optional.of(bd("3343.28358209")),
                                20,
                                MarginMode.ISOLATED,
                                bd("48"),
                                bd("78"),
                                bd("30"),
                                bd("-930"),
                                false,
                                Instant.ofEpochMilli(1_700_000_200_000L)));
    }

    @Test
    void numbers_sent_as_json_numbers_parse_to_the_same_exact_values() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-numbers.json"));

        assertThat(ok(client.positions())).containsExactly(BTC_ONE_WAY_LONG);
    }

    @Test
    void account_totals() {
        stub("GET", "/fapi/v3/account", json("account-v3.json"));

        assertThat(ok(client.account()))
                .isEqualTo(new BinanceAccount(bd("1000"), bd("1075"), bd("12.475"), bd("886.5")));
    }

    @Test
    void leverage_brackets_for_one_symbol_and_for_all() {
        stub("GET", "/fapi/v1/leverageBracket", json("leverageBracket-BTCUSDT.json"));
        assertThat(ok(client.leverageBrackets(Optional.of("BTCUSDT"))))
                .isEqualTo(
                        Map.of("BTCUSDT", List.of(new RiskTier(1, bd("0"), bd("50000"), 125, bd("0.004"), bd("0")))));
        assertThat(only("GET", "/fapi/v1/leverageBracket")
                        .queryParameter("symbol")
                        .firstValue())
                .isEqualTo("BTCUSDT");

        wm.resetAll();
        stub("GET", "/fapi/v1/leverageBracket", json("leverageBracket-all.json"));
        Map<String, List<RiskTier>> all = ok(client.leverageBrackets(Optional.empty()));
        assertThat(only("GET", "/fapi/v1/leverageBracket")
                        .queryParameter("symbol")
                        .isPresent())
                .isFalse();
        assertThat(all.keySet()).containsExactly("BTCUSDT", "ETHUSDT");
        assertThat(all.get("BTCUSDT"))
                .containsExactly(
                        new RiskTier(1, bd("0"), bd("50000"), 125, bd("0.004"), bd("0")),
                        new RiskTier(2, bd("50000"), bd("500000"), 100, bd("0.005"), bd("50")),
                        new RiskTier(3, bd("500000"), bd("10000000"), 50, bd("0.01"), bd("2550")));
        assertThat(all.get("ETHUSDT"))
                .containsExactly(
                        new RiskTier(1, bd("0"), bd("50000"), 100, bd("0.005"), bd("0")),
                        new RiskTier(2, bd("50000"), bd("500000"), 75, bd("0.0065"), bd("75")));
    }

    @Test
    void brackets_for_another_symbol_are_bad_payload() {
        stub("GET", "/fapi/v1/leverageBracket", json("leverageBracket-BTCUSDT.json"));

        assertThat(failure(client.leverageBrackets(Optional.of("ETHUSDT"))))
                .isEqualTo(new VenueError.BadPayload(
                        "GET /fapi/v1/leverageBracket: no brackets for ETHUSDT, only for [BTCUSDT]"));
    }

    @Test
    void premium_index() {
        stub("GET", "/fapi/v1/premiumIndex", json("premiumIndex-BTCUSDT.json"));

        assertThat(ok(client.premiumIndex("BTCUSDT")))
                .isEqualTo(new BinancePremiumIndex(
                        "BTCUSDT",
                        bd("59500"),
                        bd("59487.21"),
                        bd("0.0001"),
                        Instant.ofEpochMilli(1_700_006_400_000L),
                        Instant.ofEpochMilli(1_700_000_001_000L)));
    }

    @Test
    void premium_index_for_another_symbol_is_bad_payload() {
        stub("GET", "/fapi/v1/premiumIndex", json("premiumIndex-BTCUSDT.json"));

        assertThat(failure(client.premiumIndex("ETHUSDT")))
                .isEqualTo(new VenueError.BadPayload(
                        "GET /fapi/v1/premiumIndex: symbol is \"BTCUSDT\", but \"ETHUSDT\" was asked for"));
    }

    @Test
    void position_mode() {
        stub("GET", "/fapi/v1/positionSide/dual", json("positionSide-dual.json"));

        assertThat(ok(client.dualSidePosition())).isTrue();
    }

    @Test
    void isolated_margin_add_in_one_way_mode_sends_no_position_side() {
        stub("POST", "/fapi/v1/positionMargin", json("positionMargin-add.json"));

        assertThat(ok(client.modifyIsolatedMargin("BTCUSDT", PositionSide.BOTH, bd("100.00"), true)))
                .isEqualTo(new BinanceMarginChange(bd("100"), true));

        String query = rawQuery(only("POST", "/fapi/v1/positionMargin"));
        assertThat(query)
                .startsWith("symbol=BTCUSDT&amount=100&type=1&recvWindow=5000&timestamp=1700000000000&signature=");
    }

    @Test
    void isolated_margin_reduce_in_hedge_mode_names_the_side() {
        stub("POST", "/fapi/v1/positionMargin", json("positionMargin-reduce.json"));

        assertThat(ok(client.modifyIsolatedMargin("ETHUSDT", PositionSide.SHORT, bd("12.5"), false)))
                .isEqualTo(new BinanceMarginChange(bd("12.5"), false));

        assertThat(rawQuery(only("POST", "/fapi/v1/positionMargin")))
                .startsWith("symbol=ETHUSDT&positionSide=SHORT&amount=12.5&type=2&recvWindow=5000&");
    }

    @Test
    void reduce_only_in_one_way_mode_sends_reduce_only_and_an_encoded_client_id() {
        stub("POST", "/fapi/v1/order", json("order-market-reduce-only-filled.json"));

        BinanceOrder order = ok(client.placeReduceOnly(
                "BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.0040"), "ballast:cut/BTC-0001"));

        assertThat(order)
                .isEqualTo(new BinanceOrder(
                        "BTCUSDT",
                        4_045_918_764L,
                        "ballast:cut/BTC-0001",
                        OrderSide.SELL,
                        PositionSide.BOTH,
                        "MARKET",
                        OrderStatus.FILLED,
                        true,
                        bd("0.004"),
                        bd("0.004"),
                        Optional.of(bd("59480")),
                        Instant.ofEpochMilli(1_700_000_002_000L)));
        LoggedRequest sent = only("POST", "/fapi/v1/order");
        assertThat(rawQuery(sent))
                .startsWith("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.004&reduceOnly=true"
                        + "&newClientOrderId=ballast%3Acut%2FBTC-0001&newOrderRespType=RESULT&recvWindow=5000&");
        assertThat(sent.queryParameter("newClientOrderId").firstValue()).isEqualTo("ballast:cut/BTC-0001");
        assertThat(sent.queryParameter("positionSide").isPresent()).isFalse();
    }

    @Test
    void reduce_only_in_hedge_mode_sends_position_side_and_not_reduce_only() {
        stub("POST", "/fapi/v1/order", json("order-hedge-short-cover-filled.json"));

        BinanceOrder order = ok(client.placeReduceOnly(
                "ETHUSDT", OrderSide.BUY, PositionSide.SHORT, bd("0.1"), "ballast-cut-ETH-0002"));

        assertThat(order.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(order.positionSide()).isEqualTo(PositionSide.SHORT);
        assertThat(order.averagePrice()).contains(bd("3101.2"));
        LoggedRequest sent = only("POST", "/fapi/v1/order");
        assertThat(rawQuery(sent))
                .startsWith("symbol=ETHUSDT&side=BUY&positionSide=SHORT&type=MARKET&quantity=0.1"
                        + "&newClientOrderId=ballast-cut-ETH-0002&newOrderRespType=RESULT&recvWindow=5000&");
        assertThat(sent.queryParameter("reduceOnly").isPresent()).isFalse();
    }

    @Test
    void programming_errors_are_thrown_before_anything_is_sent() {
        assertThatThrownBy(() -> client.placeReduceOnly(
                        "BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), "x".repeat(37)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client order id must be 1-36 of [.A-Z:/a-z0-9_-]");
        assertThatThrownBy(() ->
                        client.placeReduceOnly("BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), "cut 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.placeReduceOnly("BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.queryOrder("BTCUSDT", "cut#1")).isInstanceOf(IllegalArgumentException.class);
        // In hedge mode reduceOnly cannot be sent, so a wrong side would open or add instead of cutting.
        assertThatThrownBy(() -> client.placeReduceOnly("ETHUSDT", OrderSide.BUY, PositionSide.LONG, bd("0.1"), "c-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("would add to it");
        assertThatThrownBy(
                        () -> client.placeReduceOnly("ETHUSDT", OrderSide.SELL, PositionSide.SHORT, bd("0.1"), "c-1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.placeReduceOnly("ETHUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0"), "c-1"))
                .hasMessageContaining("qty must be > 0");
        assertThatThrownBy(() -> client.modifyIsolatedMargin("ETHUSDT", PositionSide.BOTH, bd("-1"), true))
                .hasMessageContaining("amount must be > 0");
        assertThatThrownBy(() -> client.setLeverage("BTCUSDT", 0)).hasMessageContaining("leverage must be 1 to 125");
        assertThatThrownBy(() -> client.premiumIndex("btc/usdt")).hasMessageContaining("not a Binance futures symbol");

        assertThat(wm.getAllServeEvents()).isEmpty();
    }

    @Test
    void query_and_cancel_by_client_id() {
        stub("GET", "/fapi/v1/order", json("order-query-new.json"));
        stub("DELETE", "/fapi/v1/order", json("order-cancel-canceled.json"));

        BinanceOrder open = new BinanceOrder(
                "BTCUSDT",
                4_045_919_001L,
                "ballast:cut/BTC-0003",
                OrderSide.SELL,
                PositionSide.BOTH,
                "LIMIT",
                OrderStatus.NEW,
                true,
                bd("0.004"),
                bd("0"),
                Optional.empty(),
                Instant.ofEpochMilli(1_700_000_004_000L));
        assertThat(ok(client.queryOrder("BTCUSDT", "ballast:cut/BTC-0003"))).isEqualTo(open);
        assertThat(ok(client.cancelOrder("BTCUSDT", "ballast:cut/BTC-0003")))
                .isEqualTo(new BinanceOrder(
                        "BTCUSDT",
                        4_045_919_001L,
                        "ballast:cut/BTC-0003",
                        OrderSide.SELL,
                        PositionSide.BOTH,
                        "LIMIT",
                        OrderStatus.CANCELED,
                        true,
                        bd("0.004"),
                        bd("0"),
                        Optional.empty(),
                        Instant.ofEpochMilli(1_700_000_005_000L)));

        for (String method : List.of("GET", "DELETE")) {
            assertThat(rawQuery(only(method, "/fapi/v1/order")))
                    .startsWith("symbol=BTCUSDT&origClientOrderId=ballast%3Acut%2FBTC-0003&recvWindow=5000&");
        }
    }

    @Test
    void set_leverage() {
        stub("POST", "/fapi/v1/leverage", json("leverage.json"));

        assertThat(ok(client.setLeverage("BTCUSDT", 20))).isEqualTo(new BinanceLeverage("BTCUSDT", 20));
        assertThat(rawQuery(only("POST", "/fapi/v1/leverage")))
                .startsWith("symbol=BTCUSDT&leverage=20&recvWindow=5000&");
    }

    // --- payloads in bad shape --------------------------------------------------------------------------------------

    @Test
    void a_missing_field_is_bad_payload_naming_path() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-missing-markPrice.json"));

        assertThat(failure(client.positions()))
                .isEqualTo(new VenueError.BadPayload("GET /fapi/v2/positionRisk: [0].markPrice is missing"));
    }

    @Test
    void an_empty_liquidation_price_is_bad_payload_not_zero_and_not_none() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-empty-liquidationPrice.json"));

        assertThat(failure(client.positions()))
                .isEqualTo(new VenueError.BadPayload(
                        "GET /fapi/v2/positionRisk: [0].liquidationPrice must be a decimal number, was \"\""));
    }

    @Test
    void an_unknown_margin_type_is_bad_payload() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-portfolio-margin.json"));

        assertThat(failure(client.positions()))
                .isEqualTo(new VenueError.BadPayload(
                        "GET /fapi/v2/positionRisk: [1].marginType must be isolated or cross, was \"portfolio\""));
    }

    @Test
    void text_that_is_not_a_number_is_bad_payload() {
        stub("GET", "/fapi/v2/positionRisk", json("positionRisk-garbled-leverage.json"));

        assertThat(failure(client.positions()))
                .isEqualTo(new VenueError.BadPayload(
                        "GET /fapi/v2/positionRisk: [0].leverage must be a decimal number, was \"ten\""));
    }

    @Test
    void an_unknown_order_status_on_a_read_is_bad_payload() {
        stub(
                "GET",
                "/fapi/v1/order",
                aResponse()
                        .withStatus(200)
                        .withBody(fixture("order-query-new.json").replace("\"NEW\"", "\"PENDING\"")));

        assertThat(failure(client.queryOrder("BTCUSDT", "ballast:cut/BTC-0003")))
                .isEqualTo(
                        new VenueError.BadPayload(
                                "GET /fapi/v1/order: status must be one of [NEW, PARTIALLY_FILLED,"
                                        + " FILLED, CANCELED, REJECTED, EXPIRED, EXPIRED_IN_MATCH, NEW_INSURANCE, NEW_ADL], was \"PENDING\""));
    }

    // --- faults -----------------------------------------------------------------------------------------------------

    @Test
    void connection_refused_is_not_sent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        BinanceRestClient nowhere = new BinanceRestClient(
                http,
                BinanceEndpoints.of("http://127.0.0.1:" + closedPort),
                CREDENTIALS,
                Clock.fixed(NOW, ZoneOffset.UTC));

        VenueResult<BinanceOrder> order =
                nowhere.placeReduceOnly("BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), "cut-1");
        VenueResult<List<BinancePosition>> positions = nowhere.positions();

        assertThat(failure(order)).isInstanceOf(VenueError.NotSent.class);
        assertThat(((VenueError.NotSent) failure(order)).reason()).startsWith("POST /fapi/v1/order: ");
        assertThat(failure(positions)).isInstanceOf(VenueError.NotSent.class);
        assertThat(order.usage()).isEqualTo(RateUsage.UNKNOWN);
    }

    VenueResult<?> call(String method) {
        return method.equals("GET")
                ? client.positions()
                : client.placeReduceOnly("BTCUSDT", OrderSide.SELL, PositionSide.BOTH, bd("0.004"), "cut-1");
    }

    static String path(String method) {
        return method.equals("GET") ? "/fapi/v2/positionRisk" : "/fapi/v1/order";
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void connection_reset_after_sending_is_outcome_unknown(String method) {
        stub(method, path(method), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        VenueError error = failure(call(method));

        assertThat(error).isInstanceOf(VenueError.OutcomeUnknown.class);
        assertThat(((VenueError.OutcomeUnknown) error).reason()).startsWith(method + " " + path(method) + ": ");
        if (method.equals("POST")) {
            // OkHttp would silently resend a replayable body after a reset; an order must reach the wire once.
            wm.verify(1, postRequestedFor(urlPathEqualTo("/fapi/v1/order")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void no_answer_within_the_read_timeout_is_outcome_unknown(String method) {
        stub(
                method,
                path(method),
                json(method.equals("GET") ? "positionRisk-one-way.json" : "order-market-reduce-only-filled.json")
                        .withFixedDelay((int) READ_TIMEOUT.toMillis() + 150));
        client = new BinanceRestClient(
                http.newBuilder().readTimeout(READ_TIMEOUT).build(),
                BinanceEndpoints.of("http://127.0.0.1:" + wm.port()),
                CREDENTIALS,
                Clock.fixed(NOW, ZoneOffset.UTC));

        VenueError error = failure(call(method));

        assertThat(error).isInstanceOf(VenueError.OutcomeUnknown.class);
        assertThat(((VenueError.OutcomeUnknown) error).reason())
                .startsWith(method + " " + path(method) + ": SocketTimeoutException");
        if (method.equals("POST")) {
            wm.verify(1, postRequestedFor(urlPathEqualTo("/fapi/v1/order")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST"})
    void a_body_broken_in_transit_is_outcome_unknown(String method) {
        stub(method, path(method), aResponse().withStatus(200).withFault(Fault.MALFORMED_RESPONSE_CHUNK));

        assertThat(failure(call(method))).isInstanceOf(VenueError.OutcomeUnknown.class);
    }

    @Test
    void a_malformed_200_is_bad_payload_on_a_read_and_outcome_unknown_on_a_write() {
        stub("GET", "/fapi/v2/positionRisk", aResponse().withStatus(200).withBody("[{\"symbol\":\"BTCUSDT\","));
        stub("POST", "/fapi/v1/order", aResponse().withStatus(200).withBody("[{\"symbol\":\"BTCUSDT\","));

        VenueError read = failure(client.positions());
        VenueError write = failure(call("POST"));

        assertThat(read).isInstanceOf(VenueError.BadPayload.class);
        assertThat(((VenueError.BadPayload) read).reason())
                .startsWith("GET /fapi/v2/positionRisk: not valid JSON at line 1");
        assertThat(write).isInstanceOf(VenueError.OutcomeUnknown.class);
        assertThat(((VenueError.OutcomeUnknown) write).reason())
                .startsWith("POST /fapi/v1/order: accepted (HTTP 200) but the answer is unreadable: reconcile; "
                        + "POST /fapi/v1/order: not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void server_errors_are_outcome_unknown(int status) {
        for (String method : List.of("GET", "POST")) {
            stub(method, path(method), aResponse().withStatus(status).withBody("<html>" + status + "</html>"));

            VenueError error = failure(call(method));

            assertThat(error)
                    .isEqualTo(new VenueError.OutcomeUnknown(
                            method + " " + path(method) + ": HTTP " + status + " <html>" + status + "</html>"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 418})
    void rate_limits_carry_retry_after_and_the_weight_used(int status) {
        stub(
                "GET",
                "/fapi/v2/positionRisk",
                aResponse()
                        .withStatus(status)
                        .withHeader("Retry-After", status == 418 ? "7200" : "12")
                        .withHeader("X-MBX-USED-WEIGHT-1m", "2417")
                        .withHeader("X-MBX-ORDER-COUNT-1m", "9")
                        .withBody("{\"code\":-1003,\"msg\":\"Too many requests; current limit is 2400 requests per"
                                + " minute. Please use the websocket for live updates to avoid polling the API.\"}"));

        VenueResult<List<BinancePosition>> result = client.positions();

        RateUsage usage = new RateUsage(OptionalInt.of(2417), OptionalInt.empty(), OptionalInt.of(9));
        assertThat(failure(result))
                .isEqualTo(new VenueError.RateLimited(
                        status, Optional.of(Duration.ofSeconds(status == 418 ? 7200 : 12)), usage));
        assertThat(result.usage()).isEqualTo(usage);
    }

    static Stream<Arguments> errorBodies() {
        return Stream.of(
                Arguments.of(400, -1021, "Timestamp for this request is outside of the recvWindow.", "Rejected"),
                Arguments.of(400, -2019, "Margin is insufficient.", "Rejected"),
                Arguments.of(400, -2022, "ReduceOnly Order is rejected.", "Rejected"),
                Arguments.of(400, -4051, "Isolated balance insufficient.", "Rejected"),
                Arguments.of(400, -4054, "Cannot add position margin: position is 0.", "Rejected"),
                Arguments.of(400, -1022, "Signature for this request is not valid.", "Fatal"),
                Arguments.of(
                        401, -2015, "Invalid API-key, IP, or permissions for action, request ip: 203.0.113.7", "Fatal"),
                Arguments.of(
                        400,
                        -1006,
                        "An unexpected response was received from the message bus. Execution status unknown.",
                        "OutcomeUnknown"),
                Arguments.of(
                        400,
                        -1007,
                        "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
                        "OutcomeUnknown"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errorBodies")
    void binance_error_bodies(int status, int code, String msg, String kind) {
        stub("GET", "/fapi/v1/time", json("time.json"));
        stub("POST", "/fapi/v1/positionMargin", binanceError(status, code, msg));

        VenueResult<BinanceMarginChange> result =
                client.modifyIsolatedMargin("BTCUSDT", PositionSide.BOTH, bd("25"), true);

        VenueError expected = switch (kind) {
            case "Rejected" -> new VenueError.Rejected(code, msg);
            case "Fatal" ->
                new VenueError.Fatal("POST /fapi/v1/positionMargin: credentials refused (" + code + " " + msg
                        + "): check the API key, secret, IP allow-list and futures permission");
            default -> new VenueError.OutcomeUnknown("POST /fapi/v1/positionMargin: " + code + " " + msg);
        };
        assertThat(failure(result)).isEqualTo(expected);
        assertThat(result.usage())
                .isEqualTo(new RateUsage(OptionalInt.of(42), OptionalInt.empty(), OptionalInt.empty()));
        // Only -1021 costs a time request.
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo("/fapi/v1/time")))).hasSize(code == -1021 ? 1 : 0);
    }
}
