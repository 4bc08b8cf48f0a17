package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.venue.InstrumentSpec;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * XChange (5.2.4) reads instrument metadata correctly on Ballast's classpath, where Resilience4j is 2.x and not the 1.7
 * XChange was built against: the exchange-info call goes to the configured host, once (its retry is off), and tick,
 * step, minimum size and notional come out exact.
 */
class BinanceInstrumentsTest {

    @Test
    void perpetual_metadata_through_xchange_on_resilience4j_2() throws IOException {
        WireMockServer server =
                new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            String body;
            try (var in = getClass().getResourceAsStream("/binance/exchangeInfo-futures.json")) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            server.stubFor(get(urlPathEqualTo("/fapi/v1/exchangeInfo"))
                    .willReturn(aResponse()
                            .withHeader("Content-Type", "application/json")
                            .withBody(body)));

            Map<String, InstrumentSpec> specs = BinanceInstruments.load(server.baseUrl());

            assertThat(specs).containsOnlyKeys("BTCUSDT", "ETHUSDT");
            InstrumentSpec btc = specs.get("BTCUSDT");
            assertThat(btc.tickSize()).isEqualByComparingTo("0.10");
            assertThat(btc.stepSize()).isEqualByComparingTo("0.001");
            assertThat(btc.minQty()).isEqualByComparingTo("0.001");
            assertThat(btc.minNotional()).isEqualByComparingTo("100");
            assertThat(specs.get("ETHUSDT").tickSize()).isEqualByComparingTo("0.01");
            server.verify(1, getRequestedFor(urlPathEqualTo("/fapi/v1/exchangeInfo")));
            // Resilience4j 2.x is what is on the classpath, not XChange's 1.7.
            assertThat(io.github.resilience4j.retry.Retry.class.getPackage().getImplementationVersion())
                    .startsWith("2.");
        } finally {
            server.stop();
        }
    }
}
