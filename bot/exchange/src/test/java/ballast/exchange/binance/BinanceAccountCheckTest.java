package ballast.exchange.binance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BinanceAccountCheckTest {

    WireMockServer server;
    BinanceRestClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        client = new BinanceRestClient(
                new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(2)).build(),
                BinanceEndpoints.of(server.baseUrl()),
                new BinanceCredentials("key", "secret"),
                Clock.fixed(Instant.parse("2024-10-24T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    void stub(String path, String body) {
        server.stubFor(
                get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    void healthy() {
        stub(
                "/sapi/v1/account/apiRestrictions",
                "{\"ipRestrict\":true,\"createTime\":1700000000000,\"enableReading\":true,\"enableWithdrawals\":false,"
                        + "\"enableInternalTransfer\":false,\"enableMargin\":false,\"enableFutures\":true,"
                        + "\"permitsUniversalTransfer\":false,\"enableVanillaOptions\":false,\"enableSpotAndMarginTrading\":false}");
        stub("/fapi/v1/positionSide/dual", "{\"dualSidePosition\":false}");
        stub("/fapi/v1/multiAssetsMargin", "{\"multiAssetsMargin\":false}");
        stub("/fapi/v2/positionRisk", position("isolated", "false"));
    }

    static String position(String marginType, String autoAdd) {
        return "[{\"symbol\":\"BTCUSDT\",\"positionAmt\":\"0.010\",\"entryPrice\":\"60000.0\",\"breakEvenPrice\":\"60024.0\","
                + "\"markPrice\":\"59500.00000000\",\"unRealizedProfit\":\"-5.00000000\",\"liquidationPrice\":\"54321.12\","
                + "\"leverage\":\"10\",\"maxNotionalValue\":\"5000000\",\"marginType\":\"" + marginType + "\","
                + "\"isolatedMargin\":\"55.00000000\",\"isAutoAddMargin\":\"" + autoAdd
                + "\",\"positionSide\":\"BOTH\","
                + "\"notional\":\"595.00000000\",\"isolatedWallet\":\"60.00000000\",\"updateTime\":1700000000000}]";
    }

    @Test
    void a_safe_account_passes() {
        healthy();
        BinanceAccountCheck.Report report = BinanceAccountCheck.run(client, Set.of("BTCUSDT"));
        assertThat(report.findings()).isEmpty();
        assertThat(report.hedgeMode()).contains(false);
    }

    @Test
    void a_key_that_can_withdraw_always_stops_the_bot() {
        healthy();
        stub(
                "/sapi/v1/account/apiRestrictions",
                "{\"ipRestrict\":true,\"enableWithdrawals\":true,\"enableFutures\":true}");
        BinanceAccountCheck.Report report = BinanceAccountCheck.run(client, Set.of("BTCUSDT"));
        assertThat(report.stoppers(EnumSet.allOf(BinanceAccountCheck.Override.class)))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.what()).contains("can withdraw");
                    assertThat(f.change()).contains("without withdrawal permission");
                });
    }

    @Test
    void auto_add_and_cross_stop_the_bot_unless_accepted() {
        healthy();
        stub("/fapi/v2/positionRisk", position("cross", "true"));
        BinanceAccountCheck.Report report = BinanceAccountCheck.run(client, Set.of("BTCUSDT"));
        assertThat(report.stoppers(Set.of())).hasSize(2);
        assertThat(report.stoppers(EnumSet.of(BinanceAccountCheck.Override.CROSS_MARGIN)))
                .singleElement()
                .satisfies(f -> assertThat(f.change()).isEqualTo("turn auto-add margin off for BTCUSDT"));
        assertThat(report.stoppers(EnumSet.of(
                        BinanceAccountCheck.Override.CROSS_MARGIN, BinanceAccountCheck.Override.EXCHANGE_AUTO_ADD)))
                .isEmpty();
        // positionRisk lists every symbol the account can trade (flat ones too): a kept symbol without a row does not
        // exist there, and the check says so rather than passing it.
        assertThat(BinanceAccountCheck.run(client, Set.of("FOOUSDT")).findings())
                .singleElement()
                .satisfies(f -> assertThat(f.what())
                        .isEqualTo("FOOUSDT is not a symbol of this USD-M futures account (positionRisk has no row"
                                + " for it)"));
    }

    @Test
    void multi_assets_mode_and_unreadable_answers_stop_the_bot() {
        healthy();
        stub("/fapi/v1/multiAssetsMargin", "{\"multiAssetsMargin\":true}");
        server.stubFor(get(urlPathEqualTo("/fapi/v1/positionSide/dual"))
                .willReturn(aResponse().withStatus(503)));
        BinanceAccountCheck.Report report = BinanceAccountCheck.run(client, Set.of("BTCUSDT"));
        assertThat(report.stoppers(EnumSet.allOf(BinanceAccountCheck.Override.class)))
                .extracting(BinanceAccountCheck.Finding::what)
                .anySatisfy(w -> assertThat(w).contains("multi-assets"))
                .anySatisfy(w -> assertThat(w).startsWith("could not read the position mode"));
    }

    @Test
    void hedge_mode_is_reported_not_refused() {
        healthy();
        stub("/fapi/v1/positionSide/dual", "{\"dualSidePosition\":true}");
        assertThat(BinanceAccountCheck.run(client, Set.of("BTCUSDT")).hedgeMode())
                .contains(true);
    }
}
