package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.exchange.binance.stream.ListenKeyGoneException;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinanceListenKeysTest {

    static final String KEY = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";

    WireMockServer server;
    BinanceListenKeys keys;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        keys = new BinanceListenKeys(new BinanceRestClient(
                new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(5)).build(),
                BinanceEndpoints.of(server.baseUrl()),
                new BinanceCredentials("api-key", "api-secret"),
                Clock.fixed(Instant.parse("2024-10-24T00:00:00Z"), ZoneOffset.UTC)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void create_keep_alive_and_close_carry_the_api_key_and_no_signature() {
        server.stubFor(post(urlPathEqualTo("/fapi/v1/listenKey"))
                .willReturn(aResponse().withBody("{\"listenKey\":\"" + KEY + "\"}")));
        server.stubFor(
                put(urlPathEqualTo("/fapi/v1/listenKey")).willReturn(aResponse().withBody("{}")));
        server.stubFor(delete(urlPathEqualTo("/fapi/v1/listenKey"))
                .willReturn(aResponse().withBody("{}")));

        assertThat(keys.create()).isEqualTo(KEY);
        keys.keepAlive(KEY);
        keys.close(KEY);

        server.verify(postRequestedFor(urlPathEqualTo("/fapi/v1/listenKey"))
                .withHeader("X-MBX-APIKEY", equalTo("api-key"))
                .withoutQueryParam("signature"));
        server.verify(deleteRequestedFor(urlPathEqualTo("/fapi/v1/listenKey"))
                .withHeader("X-MBX-APIKEY", equalTo("api-key")));
    }

    @Test
    void a_key_the_venue_forgot_is_gone_other_failures_are_transient() {
        server.stubFor(put(urlPathEqualTo("/fapi/v1/listenKey"))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withBody("{\"code\":-1125,\"msg\":\"This listenKey does not exist.\"}")));
        assertThatThrownBy(() -> keys.keepAlive(KEY))
                .isInstanceOf(ListenKeyGoneException.class)
                .hasMessageNotContaining(KEY);

        server.stubFor(
                put(urlPathEqualTo("/fapi/v1/listenKey")).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> keys.keepAlive(KEY))
                .isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(ListenKeyGoneException.class);

        server.stubFor(post(urlPathEqualTo("/fapi/v1/listenKey"))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withBody("{\"code\":-2015,\"msg\":\"Invalid API-key, IP, or permissions for action.\"}")));
        assertThatThrownBy(() -> keys.create()).hasMessageContaining("fatal");
    }
}
