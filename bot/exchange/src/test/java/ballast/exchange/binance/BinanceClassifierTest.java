package ballast.exchange.binance;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.exchange.venue.RateUsage;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The classification table, cell by cell, on the pure function; the WireMock test shows the wire gets there. */
class BinanceClassifierTest {

    static final Instant NOW = Instant.ofEpochMilli(1_700_000_000_000L);
    static final String KEY = "k3yVALUEthatMustNeverLeak0123456789";
    static final String SECRET = "s3cretVALUEthatMustNeverLeak0123456789";
    static final BinanceClassifier CLASSIFIER =
            new BinanceClassifier(Clock.fixed(NOW, ZoneOffset.UTC), List.of(KEY, SECRET));

    static final Function<String, Boolean> DUAL = body -> BinanceParsers.dualSidePosition("dual", body);

    static final Headers USAGE_HEADERS =
            Headers.of("x-mbx-used-weight-1m", "1187", "X-MBX-ORDER-COUNT-10s", "4", "X-Mbx-Order-Count-1M", "31");
    static final RateUsage USAGE = new RateUsage(OptionalInt.of(1187), OptionalInt.of(4), OptionalInt.of(31));

    static VenueResult<Boolean> classify(BinanceEndpoint endpoint, BinanceExchange exchange) {
        return CLASSIFIER.classify(endpoint, exchange, DUAL);
    }

    static VenueResult<Boolean> answer(BinanceEndpoint endpoint, int status, String body) {
        return classify(endpoint, new BinanceExchange.Answered(status, USAGE_HEADERS, body));
    }

    static VenueError error(VenueResult<?> result) {
        assertThat(result).isInstanceOf(VenueResult.Failed.class);
        VenueError error = ((VenueResult.Failed<?>) result).error();
        assertThat(error.describe()).doesNotContain(KEY).doesNotContain(SECRET);
        return error;
    }

    static Stream<BinanceEndpoint> reads() {
        return Arrays.stream(BinanceEndpoint.values()).filter(e -> !e.write());
    }

    static Stream<BinanceEndpoint> writes() {
        return Arrays.stream(BinanceEndpoint.values()).filter(BinanceEndpoint::write);
    }

    @Test
    void writes_are_exactly_the_post_and_delete_calls() {
        assertThat(writes())
                .containsExactlyInAnyOrder(
                        BinanceEndpoint.POSITION_MARGIN,
                        BinanceEndpoint.NEW_ORDER,
                        BinanceEndpoint.CANCEL_ORDER,
                        BinanceEndpoint.NEW_ALGO_ORDER,
                        BinanceEndpoint.CANCEL_ALGO_ORDER,
                        // Listen-key calls change state at the venue too (harmlessly: one key per account).
                        BinanceEndpoint.LISTEN_KEY_CREATE,
                        BinanceEndpoint.LISTEN_KEY_KEEPALIVE,
                        BinanceEndpoint.LISTEN_KEY_CLOSE,
                        BinanceEndpoint.LEVERAGE);
    }

    // --- transport -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(BinanceEndpoint.class)
    void no_connection_is_not_sent_for_reads_and_writes(BinanceEndpoint endpoint) {
        for (IOException failure : List.of(
                new ConnectException("Failed to connect to /127.0.0.1:1"),
                new UnknownHostException("fapi.binance.invalid"),
                new SocketTimeoutException("Connect timed out"))) {
            VenueError error = error(classify(endpoint, new BinanceExchange.Unanswered(failure, false, Headers.EMPTY)));

            assertThat(error).isInstanceOf(VenueError.NotSent.class);
            assertThat(((VenueError.NotSent) error).reason())
                    .startsWith(endpoint.label() + ": ")
                    .contains(failure.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(BinanceEndpoint.class)
    void timeout_or_reset_after_sending_is_outcome_unknown_for_reads_and_writes(BinanceEndpoint endpoint) {
        for (IOException failure :
                List.of(new SocketTimeoutException("timeout"), new SocketException("Connection reset"))) {
            VenueResult<Boolean> result =
                    classify(endpoint, new BinanceExchange.Unanswered(failure, true, Headers.EMPTY));

            VenueError.OutcomeUnknown error = (VenueError.OutcomeUnknown) error(result);
            assertThat(error.reason()).startsWith(endpoint.method + " " + endpoint.path + ": ");
            assertThat(error.reason()).contains(failure.getMessage());
            assertThat(error.reason()).contains(endpoint.write() ? "reconcile" : "a read: safe to repeat");
            assertThat(result.usage()).isEqualTo(RateUsage.UNKNOWN);
        }
    }

    @Test
    void a_body_lost_after_the_headers_keeps_the_reported_usage() {
        VenueResult<Boolean> result = classify(
                BinanceEndpoint.NEW_ORDER,
                new BinanceExchange.Unanswered(new IOException("unexpected end of stream"), true, USAGE_HEADERS));

        assertThat(error(result)).isInstanceOf(VenueError.OutcomeUnknown.class);
        assertThat(result.usage()).isEqualTo(USAGE);
    }

    // --- 2xx --------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(BinanceEndpoint.class)
    void a_readable_answer_is_ok_with_usage(BinanceEndpoint endpoint) {
        assertThat(answer(endpoint, 200, "{\"dualSidePosition\":false}")).isEqualTo(new VenueResult.Ok<>(false, USAGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", "[]", "{\"dualSidePosition\":\"maybe\"}", "<html>504 Gateway</html>"})
    void an_unreadable_200_is_bad_payload_for_a_read(String body) {
        reads().forEach(endpoint -> assertThat(error(answer(endpoint, 200, body)))
                .as(endpoint.label())
                .isInstanceOf(VenueError.BadPayload.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", "[]", "{\"dualSidePosition\":\"maybe\"}", "<html>504 Gateway</html>"})
    void an_unreadable_200_is_outcome_unknown_for_a_write(String body) {
        writes().forEach(endpoint -> {
            VenueError error = error(answer(endpoint, 200, body));
            assertThat(error).as(endpoint.label()).isInstanceOf(VenueError.OutcomeUnknown.class);
            assertThat(((VenueError.OutcomeUnknown) error).reason())
                    .startsWith(endpoint.label() + ": accepted (HTTP 200) but the answer is unreadable: reconcile; ");
        });
    }

    @Test
    void bad_payload_names_payload_field_and_value() {
        assertThat(error(answer(BinanceEndpoint.POSITION_MODE, 200, "{\"dualSidePosition\":\"maybe\"}")))
                .isEqualTo(new VenueError.BadPayload("dual: dualSidePosition must be true or false, was \"maybe\""));
    }

    @Test
    void a_success_body_with_code_200_is_not_an_error() {
        VenueResult<BinanceMarginChange> result = CLASSIFIER.classify(
                BinanceEndpoint.POSITION_MARGIN,
                new BinanceExchange.Answered(
                        200,
                        Headers.EMPTY,
                        "{\"amount\":100.0,\"code\":200,\"msg\":\"Successfully modify position margin.\",\"type\":1}"),
                body -> BinanceParsers.marginChange("m", body));

        assertThat(result)
                .isEqualTo(new VenueResult.Ok<>(
                        new BinanceMarginChange(new java.math.BigDecimal("100"), true), RateUsage.UNKNOWN));
    }

    // --- 5xx --------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void server_errors_are_outcome_unknown_for_reads_and_writes(int status) {
        Arrays.stream(BinanceEndpoint.values()).forEach(endpoint -> {
            for (String body : List.of(
                    "",
                    "<html><body>Bad Gateway</body></html>",
                    "{\"code\":-1001,\"msg\":\"Internal error; unable to process your request. Please try again.\"}")) {
                VenueError error = error(answer(endpoint, status, body));
                assertThat(error).isInstanceOf(VenueError.OutcomeUnknown.class);
                assertThat(((VenueError.OutcomeUnknown) error).reason())
                        .startsWith(endpoint.label() + ": HTTP " + status);
            }
        });
    }

    @Test
    void a_503_that_says_throttled_was_not_applied() {
        assertThat(error(answer(
                        BinanceEndpoint.NEW_ORDER,
                        503,
                        "{\"code\":-1008,\"msg\":\"Request throttled by system-level protection.\"}")))
                .isEqualTo(new VenueError.Rejected(-1008, "Request throttled by system-level protection."));
    }

    // --- 429 / 418 --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {429, 418})
    void too_many_requests_and_bans_carry_retry_after_and_usage(int status) {
        Arrays.stream(BinanceEndpoint.values()).forEach(endpoint -> {
            VenueResult<Boolean> result = classify(
                    endpoint,
                    new BinanceExchange.Answered(
                            status,
                            USAGE_HEADERS.newBuilder().add("Retry-After", "37").build(),
                            "{\"code\":-1003,\"msg\":\"Too many requests.\"}"));

            assertThat(error(result))
                    .isEqualTo(new VenueError.RateLimited(status, Optional.of(Duration.ofSeconds(37)), USAGE));
            assertThat(result.usage()).isEqualTo(USAGE);
        });
    }

    @Test
    void retry_after_may_be_absent_unreadable_or_a_date() {
        assertThat(error(answer(BinanceEndpoint.ACCOUNT, 429, "")))
                .isEqualTo(new VenueError.RateLimited(429, Optional.empty(), USAGE));
        assertThat(error(classify(
                        BinanceEndpoint.ACCOUNT,
                        new BinanceExchange.Answered(429, Headers.of("Retry-After", "soon"), ""))))
                .isEqualTo(new VenueError.RateLimited(429, Optional.empty(), RateUsage.UNKNOWN));
        assertThat(error(classify(
                        BinanceEndpoint.ACCOUNT,
                        new BinanceExchange.Answered(
                                418, Headers.of("Retry-After", "Tue, 14 Nov 2023 22:15:20 GMT"), ""))))
                .isEqualTo(new VenueError.RateLimited(418, Optional.of(Duration.ofMinutes(2)), RateUsage.UNKNOWN));
    }

    @Test
    void minus_1003_is_rate_limited_and_a_ban_message_says_until_when() {
        assertThat(error(answer(
                        BinanceEndpoint.POSITION_RISK,
                        400,
                        "{\"code\":-1003,\"msg\":\"Too many requests; current limit is 2400 requests per minute.\"}")))
                .isEqualTo(new VenueError.RateLimited(429, Optional.empty(), USAGE));
        assertThat(error(answer(
                        BinanceEndpoint.POSITION_RISK,
                        418,
                        "{\"code\":-1003,\"msg\":\"Way too much request weight used; IP banned until "
                                + NOW.plusSeconds(600).toEpochMilli()
                                + ". Please use the websocket for live updates to avoid bans.\"}")))
                .isEqualTo(new VenueError.RateLimited(418, Optional.of(Duration.ofMinutes(10)), USAGE));
    }

    // --- Binance error codes ----------------------------------------------------------------------------------------

    static Stream<Arguments> codes() {
        return Stream.of(
                // -1021: not applied; the client re-syncs its clock (tested on the wire).
                rejected(-1021, "Timestamp for this request is outside of the recvWindow."),
                rejected(-2019, "Margin is insufficient."),
                rejected(-2022, "ReduceOnly Order is rejected."),
                rejected(-4051, "Isolated balance insufficient."),
                rejected(-4054, "Cannot add position margin: position is 0."),
                rejected(-4046, "No need to change margin type."),
                rejected(-2011, "Unknown order sent."),
                rejected(-2013, "Order does not exist."),
                rejected(
                        -1008,
                        "Server is currently overloaded with other requests. Please try again in a few minutes."),
                rejected(-1001, "Internal error; unable to process your request. Please try again."),
                rejected(-1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed."),
                rejected(-4061, "Order's position side does not match user's setting."),
                fatal(-1022, "Signature for this request is not valid."),
                fatal(-2014, "API-key format invalid."),
                fatal(-2015, "Invalid API-key, IP, or permissions for action, request ip: 203.0.113.7"),
                fatal(-1002, "You are not authorized to execute this request."),
                unknown(-1006, "An unexpected response was received from the message bus. Execution status unknown."),
                unknown(
                        -1007,
                        "Timeout waiting for response from backend server. Send status unknown; execution status unknown."),
                unknown(-1000, "An unknown error occurred while processing the request."));
    }

    static Arguments rejected(int code, String msg) {
        return Arguments.of(code, msg, new VenueError.Rejected(code, msg));
    }

    static Arguments fatal(int code, String msg) {
        return Arguments.of(
                code,
                msg,
                new VenueError.Fatal("%s: credentials refused (" + code + " " + msg
                        + "): check the API key, secret, IP allow-list and futures permission"));
    }

    static Arguments unknown(int code, String msg) {
        return Arguments.of(code, msg, new VenueError.OutcomeUnknown("%s: " + code + " " + msg));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codes")
    void error_codes_classify_the_same_for_every_call_and_4xx_status(int code, String msg, VenueError expected) {
        String body = "{\"code\":" + code + ",\"msg\":\"" + msg + "\"}";
        for (BinanceEndpoint endpoint : BinanceEndpoint.values()) {
            for (int status : List.of(400, 401, 403, 404)) {
                assertThat(error(answer(endpoint, status, body)))
                        .as(endpoint.label() + " HTTP " + status)
                        .isEqualTo(withLabel(expected, endpoint));
            }
        }
    }

    static VenueError withLabel(VenueError expected, BinanceEndpoint endpoint) {
        return switch (expected) {
            case VenueError.Fatal f -> new VenueError.Fatal(f.reason().formatted(endpoint.label()));
            case VenueError.OutcomeUnknown u ->
                new VenueError.OutcomeUnknown(u.reason().formatted(endpoint.label()));
            default -> expected;
        };
    }

    @Test
    void credentials_echoed_by_the_venue_are_scrubbed() {
        VenueError error = error(answer(
                BinanceEndpoint.ACCOUNT,
                401,
                "{\"code\":-2015,\"msg\":\"Invalid API-key " + KEY + ", IP, or permissions for action\"}"));

        assertThat(error.describe()).contains("Invalid API-key ***, IP");
        assertThat(error(answer(BinanceEndpoint.ACCOUNT, 502, "upstream said " + SECRET))
                        .describe())
                .contains("upstream said ***");
    }

    // --- other statuses ---------------------------------------------------------------------------------------------

    @Test
    void client_errors_without_a_binance_body() {
        assertThat(error(answer(BinanceEndpoint.NEW_ORDER, 408, "")))
                .isEqualTo(new VenueError.OutcomeUnknown(
                        "POST /fapi/v1/order: HTTP 408 without a Binance error body: (empty)"));
        for (int status : List.of(401, 403, 404, 405)) {
            assertThat(error(answer(BinanceEndpoint.POSITION_RISK, status, "<html>Forbidden</html>")))
                    .isEqualTo(new VenueError.Fatal("GET /fapi/v2/positionRisk: HTTP " + status
                            + " without a Binance error body: <html>Forbidden</html>"));
        }
        assertThat(error(answer(BinanceEndpoint.NEW_ORDER, 400, "Bad Request")))
                .isEqualTo(new VenueError.Rejected(
                        400, "POST /fapi/v1/order: HTTP 400 without a Binance error body: Bad Request"));
    }

    @Test
    void a_redirect_means_the_base_url_is_wrong() {
        assertThat(error(classify(
                        BinanceEndpoint.NEW_ORDER,
                        new BinanceExchange.Answered(302, Headers.of("Location", "https://example.net/login"), ""))))
                .isEqualTo(new VenueError.Fatal("POST /fapi/v1/order: unexpected redirect (HTTP 302) to"
                        + " https://example.net/login: check the REST base URL"));
    }

    @Test
    void usage_headers_are_read_whatever_their_case_and_garbage_is_unknown() {
        assertThat(BinanceClassifier.usage(Headers.of("X-MBX-USED-WEIGHT-1m", "5")))
                .isEqualTo(new RateUsage(OptionalInt.of(5), OptionalInt.empty(), OptionalInt.empty()));
        assertThat(BinanceClassifier.usage(Headers.of(
                        "X-MBX-USED-WEIGHT-1M", "lots", "X-MBX-ORDER-COUNT-10S", "-1", "X-MBX-ORDER-COUNT-1M", " 9 ")))
                .isEqualTo(new RateUsage(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(9)));
    }

    // --- properties -------------------------------------------------------------------------------------------------

    /** Whatever comes back, classification answers; and once the venue answered a write, it is never "not sent". */
    @Property(tries = 400)
    void every_answer_is_classified_and_writes_never_look_unsent_or_merely_unreadable(
            @ForAll("endpoints") BinanceEndpoint endpoint,
            @ForAll("statuses") int status,
            @ForAll("bodies") String body) {
        VenueResult<Boolean> result = answer(endpoint, status, body);

        assertThat(result.usage()).isEqualTo(USAGE);
        if (result instanceof VenueResult.Failed<Boolean> failed) {
            assertThat(failed.error()).isNotInstanceOf(VenueError.NotSent.class);
            if (endpoint.write()) {
                assertThat(failed.error()).isNotInstanceOf(VenueError.BadPayload.class);
            }
            if (status >= 500 && !body.contains("-1008") && !body.contains("-1003")) {
                assertThat(failed.error()).isInstanceOf(VenueError.OutcomeUnknown.class);
            }
        } else {
            assertThat(status).isBetween(200, 299);
        }
    }

    @Provide
    Arbitrary<BinanceEndpoint> endpoints() {
        return Arbitraries.of(BinanceEndpoint.class);
    }

    @Provide
    Arbitrary<Integer> statuses() {
        return Arbitraries.oneOf(
                Arbitraries.of(200, 400, 401, 403, 404, 408, 418, 429, 500, 502, 503, 504),
                Arbitraries.integers().between(100, 599));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of(
                        "{\"dualSidePosition\":true}",
                        "{\"dualSidePosition\":\"\"}",
                        "{\"code\":-2019,\"msg\":\"Margin is insufficient.\"}",
                        "{\"code\":-1007,\"msg\":\"Timeout waiting for response from backend server.\"}",
                        "{\"code\":-1008,\"msg\":\"Request throttled by system-level protection.\"}",
                        "{\"code\":-1003,\"msg\":\"Too many requests.\"}",
                        "{\"code\":\"-2019\",\"msg\":1}",
                        "{\"code\":-99999999999,\"msg\":\"\"}",
                        "null",
                        "[]"),
                Arbitraries.integers()
                        .between(-5000, 300)
                        .map(code -> "{\"code\":" + code + ",\"msg\":\"generated\"}"));
    }
}
