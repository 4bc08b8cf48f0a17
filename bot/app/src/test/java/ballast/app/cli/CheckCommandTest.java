package ballast.app.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.Main;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ballast check} against a Binance account served on 127.0.0.1. */
class CheckCommandTest {

    static final String SECRET = "s3cr3t-never-printed";
    static final Map<String, String> ENV = Map.of("BINANCE_API_KEY", "key-never-printed", "BINANCE_API_SECRET", SECRET);

    WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        stub("/fapi/v1/time", "{\"serverTime\":1729728000000}");
        stub(
                "/sapi/v1/account/apiRestrictions",
                "{\"ipRestrict\":true,\"enableWithdrawals\":false,\"enableFutures\":true}");
        stub("/fapi/v1/positionSide/dual", "{\"dualSidePosition\":false}");
        stub("/fapi/v1/multiAssetsMargin", "{\"multiAssetsMargin\":false}");
        stub(
                "/fapi/v2/positionRisk",
                "[{\"symbol\":\"BTCUSDT\",\"positionAmt\":\"0.010\",\"entryPrice\":\"60000.0\","
                        + "\"markPrice\":\"59500\",\"unRealizedProfit\":\"-5\",\"liquidationPrice\":\"54321.12\",\"leverage\":\"10\","
                        + "\"marginType\":\"isolated\",\"isolatedMargin\":\"55\",\"isAutoAddMargin\":\"true\",\"positionSide\":\"BOTH\","
                        + "\"notional\":\"595\",\"isolatedWallet\":\"60\",\"updateTime\":1700000000000}]");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    void stub(String path, String body) {
        server.stubFor(
                get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200).withBody(body)));
    }

    record Result(int exit, String out, String err) {}

    Result run(Map<String, String> env, String... flags) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[flags.length + 3];
        args[0] = "check";
        args[1] = "--rest-url";
        args[2] = server.baseUrl();
        System.arraycopy(flags, 0, args, 3, flags.length);
        int exit = Main.run(
                args,
                new PrintWriter(out),
                new PrintWriter(err),
                env,
                Clock.fixed(Instant.parse("2024-10-24T00:00:00Z"), ZoneOffset.UTC));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void an_auto_add_position_is_not_fit_until_accepted_and_secrets_never_show() {
        Result refused = run(ENV, "--symbols", "BTCUSDT");
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.out())
                .contains("one-way mode")
                .contains("STOP: BTCUSDT long has Binance's auto-add-margin on")
                .contains("(or accept it: --accept exchange-auto-add)")
                .contains("Not fit: 1 finding(s)")
                .doesNotContain(SECRET)
                .doesNotContain("key-never-printed");

        Result accepted = run(ENV, "--symbols", "BTCUSDT", "--accept", "exchange-auto-add");
        assertThat(accepted.exit()).isZero();
        assertThat(accepted.out())
                .contains("accepted: BTCUSDT long has Binance's auto-add-margin on")
                .contains("Fit:");
    }

    @Test
    void missing_credentials_and_bad_flags_are_one_line_each() {
        Result noKey = run(Map.of(), "--symbols", "BTCUSDT");
        assertThat(noKey.exit()).isEqualTo(2);
        assertThat(noKey.err().strip())
                .isEqualTo("ballast check: environment variable BINANCE_API_KEY is not set or is empty");
        assertThat(run(ENV, "--symbols", "BTC-USDT").err().strip())
                .isEqualTo("ballast check: --symbols takes symbols like BTCUSDT, was 'BTC-USDT'");
        assertThat(run(ENV, "--symbols", "BTCUSDT", "--accept", "everything")
                        .err()
                        .strip())
                .isEqualTo(
                        "ballast check: --accept takes cross-margin, exchange-auto-add, no-ip-restriction, was 'everything'");
        assertThat(run(ENV).err().strip()).startsWith("ballast check: Missing required option: '--symbols=LIST'");
    }
}
