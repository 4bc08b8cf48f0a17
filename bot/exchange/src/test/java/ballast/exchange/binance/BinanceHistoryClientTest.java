package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.exchange.binance.BinanceHistoryClient.ArchiveFetch;
import ballast.exchange.binance.BinanceHistoryClient.KlineKind;
import ballast.exchange.binance.BinanceHistoryClient.Page;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalInt;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The public history client on 127.0.0.1: the archive's answers and the REST payloads, as Binance documents them. */
class BinanceHistoryClientTest {

    WireMockServer server;
    BinanceHistoryClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        client = new BinanceHistoryClient(
                new OkHttpClient(),
                server.baseUrl(),
                server.baseUrl(),
                Clock.fixed(Instant.parse("2024-08-10T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    static final String ZIP = "data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-08-01.zip";

    @Test
    void an_archive_file_arrives_with_its_sha256_and_a_missing_one_is_missing() throws IOException {
        byte[] body = "PK pretend zip".getBytes(StandardCharsets.UTF_8);
        server.stubFor(get(urlPathEqualTo("/" + ZIP))
                .willReturn(aResponse().withStatus(200).withBody(body)));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        ArchiveFetch got = client.download(ZIP, sink, n -> {});

        assertThat(got)
                .isEqualTo(new ArchiveFetch.Got(
                        body.length,
                        // sha256sum of the 14 bytes "PK pretend zip"
                        java.util.HexFormat.of().formatHex(sha256(body))));
        assertThat(sink.toByteArray()).isEqualTo(body);
        assertThat(client.download(ZIP.replace("08-01", "08-02"), new ByteArrayOutputStream(), n -> {}))
                .isInstanceOf(ArchiveFetch.Missing.class);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_broken_connection_or_a_5xx_is_worth_another_try_a_403_is_not() throws IOException {
        server.stubFor(
                get(urlPathEqualTo("/" + ZIP)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        assertThat(client.download(ZIP, new ByteArrayOutputStream(), n -> {}))
                .isInstanceOfSatisfying(
                        ArchiveFetch.Failed.class,
                        f -> assertThat(f.retryable()).isTrue());

        server.stubFor(get(urlPathEqualTo("/" + ZIP))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")));
        assertThat(client.download(ZIP, new ByteArrayOutputStream(), n -> {}))
                .isEqualTo(new ArchiveFetch.Failed(
                        client.archiveFile(ZIP) + ": HTTP 503", true, Optional.of(Duration.ofSeconds(30))));

        server.stubFor(get(urlPathEqualTo("/" + ZIP)).willReturn(aResponse().withStatus(403)));
        assertThat(client.download(ZIP, new ByteArrayOutputStream(), n -> {}))
                .isInstanceOfSatisfying(
                        ArchiveFetch.Failed.class,
                        f -> assertThat(f.retryable()).isFalse());
    }

    @Test
    void checksum_files_hold_a_sha256_and_a_name() {
        String sha = "a".repeat(64);
        assertThat(BinanceHistoryClient.checksumOf(sha + "  BTCUSDT-1h-2024-08.zip\n"))
                .contains(sha);
        assertThat(BinanceHistoryClient.checksumOf(sha.toUpperCase() + "\n")).contains(sha);
        assertThat(BinanceHistoryClient.checksumOf("<html>Not found</html>")).isEmpty();
        assertThat(BinanceHistoryClient.checksumOf(sha + "b  x.zip")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1,1", "99,1", "100,2", "499,2", "500,5", "1000,5", "1001,10", "1500,10"})
    void kline_weight_follows_the_documented_table(int limit, int weight) {
        assertThat(BinanceHistoryClient.klineWeight(limit)).isEqualTo(weight);
    }

    @Test
    void rest_klines_keep_every_value_as_sent_and_report_the_weight_used() {
        String body = "[[1722470400000,\"64628.00\",\"64677.48\",\"64560.00\",\"64577.81\",\"172.634\","
                + "1722473999999,\"11152131.36\",4210,\"88.2\",\"5697360.1\",\"0\"]]";
        server.stubFor(get(urlPathEqualTo("/fapi/v1/markPriceKlines"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("X-MBX-USED-WEIGHT-1M", "17")
                        .withBody(body)));

        VenueResult<Page> result = client.klines(KlineKind.MARK, "BTCUSDT", "1h", 1722470400000L, 1722556799999L, 1500);

        assertThat(result.usage().usedWeight1m()).isEqualTo(OptionalInt.of(17));
        Page page = ((VenueResult.Ok<Page>) result).value();
        assertThat(page.times()).containsExactly(1722470400000L);
        assertThat(page.closeTimes()).containsExactly(1722473999999L);
        assertThat(Page.json(page.rows())).isEqualTo(body + "\n");
        server.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        urlPathEqualTo("/fapi/v1/markPriceKlines"))
                .withQueryParam("symbol", com.github.tomakehurst.wiremock.client.WireMock.equalTo("BTCUSDT"))
                .withQueryParam("limit", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1500")));
    }

    @Test
    void venue_errors_and_bad_payloads_are_classified() {
        server.stubFor(get(urlPathEqualTo("/fapi/v1/klines"))
                .willReturn(aResponse().withStatus(400).withBody("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}")));
        assertThat(client.klines(KlineKind.LAST, "FOOUSDT", "1h", 0, 1, 1))
                .isInstanceOfSatisfying(
                        VenueResult.Failed.class,
                        f -> assertThat(f.error()).isEqualTo(new VenueError.Rejected(-1121, "Invalid symbol.")));

        server.stubFor(get(urlPathEqualTo("/fapi/v1/fundingRate"))
                .willReturn(
                        aResponse().withStatus(200).withBody("[{\"symbol\":\"BTCUSDT\",\"fundingRate\":\"0.1\"}]")));
        assertThat(client.fundingRates("BTCUSDT", 0, 1, 1000))
                .isInstanceOfSatisfying(
                        VenueResult.Failed.class,
                        f -> assertThat(f.error())
                                .isEqualTo(new VenueError.BadPayload(
                                        "GET /fapi/v1/fundingRate row 1: fundingTime must be epoch"
                                                + " milliseconds, found null")));

        server.stubFor(get(urlPathEqualTo("/fapi/v1/klines"))
                .willReturn(aResponse().withStatus(200).withBody("[[1722470400000,\"x\"]]")));
        assertThat(client.klines(KlineKind.LAST, "BTCUSDT", "1h", 0, 1, 1))
                .isInstanceOfSatisfying(
                        VenueResult.Failed.class, f -> assertThat(f.error()).isInstanceOf(VenueError.BadPayload.class));

        server.stubFor(get(urlPathEqualTo("/fapi/v1/klines"))
                .willReturn(aResponse()
                        .withStatus(418)
                        .withHeader("Retry-After", "300")
                        .withBody(
                                "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned until 1723250000000.\"}")));
        assertThat(client.klines(KlineKind.LAST, "BTCUSDT", "1h", 0, 1, 1))
                .isInstanceOfSatisfying(
                        VenueResult.Failed.class,
                        f -> assertThat(f.error()).isInstanceOfSatisfying(VenueError.RateLimited.class, r -> {
                            assertThat(r.banned()).isTrue();
                            assertThat(r.retryAfter()).contains(Duration.ofSeconds(300));
                        }));
    }

    @Test
    void hosts_must_be_https_or_loopback_and_arguments_valid() {
        assertThatThrownBy(() -> new BinanceHistoryClient(
                        new OkHttpClient(), "http://data.binance.vision", BinanceHistoryClient.REST, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the archive URL must be https");
        assertThatThrownBy(() -> client.klines(KlineKind.LAST, "BTCUSDT", "10m", 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.klines(KlineKind.LAST, "BTCUSDT", "1m", 0, 1, 1501))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
