package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

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

    @Override
    protected ExchangeGateway startingVenue() {
        server = new WireMockServer(
                options().bindAddress("127.0.0.1").dynamicPort().extensions(new FakeBinanceFutures()));
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
                client, false, Clock.fixed(java.time.Instant.parse("2024-10-24T00:00:00Z"), java.time.ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop();
    }
}
