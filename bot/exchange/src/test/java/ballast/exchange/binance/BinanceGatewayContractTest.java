package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.venue.ExchangeGateway;
import ballast.exchange.contract.ExchangeGatewayContract;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Clock;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;

/**
 * The Binance venue passes the same contract as the paper venue: the real signed client and gateway against a Binance
 * account served in Binance's wire format by WireMock on 127.0.0.1.
 */
class BinanceGatewayContractTest extends ExchangeGatewayContract {

    private WireMockServer server;
    private FakeBinanceFutures fake;

    @Override
    protected ExchangeGateway startingVenue() {
        server = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().extensions(fake = new FakeBinanceFutures()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse()));
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(2))
                .build();
        BinanceRestClient client = new BinanceRestClient(
                http,
                BinanceEndpoints.of(server.baseUrl()),
                new BinanceCredentials(FakeBinanceFutures.KEY, FakeBinanceFutures.SECRET),
                Clock.fixed(java.time.Instant.parse("2024-10-24T00:00:00Z"), java.time.ZoneOffset.UTC));
        return new BinanceGateway(
                client,
                false,
                Clock.fixed(java.time.Instant.parse("2024-10-24T00:00:00Z"), java.time.ZoneOffset.UTC),
                java.util.Map.of("BTCUSDT", new java.math.BigDecimal("0.10")));
    }

    @org.junit.jupiter.api.Test
    void the_backstop_goes_to_the_algo_service_on_the_tick_and_a_new_one_replaces_the_old() {
        // A long's trigger is rounded up to the tick: it fires a little earlier, never later.
        assertThat(gateway.placeStop(BTC, ballast.core.Side.LONG, new java.math.BigDecimal("54495.1234"), "bl-stop-1"))
                .isInstanceOf(ballast.core.venue.Outcome.Accepted.class);
        assertThat(fake.openAlgos).containsExactly(java.util.Map.entry("bl-stop-1", "54495.2"));
        assertThat(gateway.placeStop(BTC, ballast.core.Side.LONG, new java.math.BigDecimal("54000"), "bl-stop-2"))
                .isInstanceOf(ballast.core.venue.Outcome.Accepted.class);
        assertThat(fake.openAlgos).containsExactly(java.util.Map.entry("bl-stop-2", "54000"));
        assertThat(gateway.cancelStop(BTC, ballast.core.Side.LONG, "bl-stop-3"))
                .isInstanceOf(ballast.core.venue.Outcome.Accepted.class);
        assertThat(fake.openAlgos).isEmpty();
    }

    @AfterEach
    void stop() {
        server.stop();
    }
}
