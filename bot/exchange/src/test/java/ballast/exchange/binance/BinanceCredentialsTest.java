package ballast.exchange.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BinanceCredentialsTest {

    static final String KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    static final String SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    @Test
    void to_string_masks_key_and_secret() {
        String shown = new BinanceCredentials(KEY, SECRET).toString();

        assertThat(shown)
                .doesNotContain(KEY)
                .doesNotContain(SECRET)
                .isEqualTo("BinanceCredentials[apiKey=***, secret=***]");
    }

    @Test
    void reads_both_from_the_environment() {
        Map<String, String> env = Map.of("BINANCE_API_KEY", KEY, "BINANCE_API_SECRET", SECRET, "PATH", "/usr/bin");

        BinanceCredentials credentials =
                BinanceCredentials.fromEnvironment(env, "BINANCE_API_KEY", "BINANCE_API_SECRET");

        assertThat(credentials.apiKey()).isEqualTo(KEY);
        assertThat(credentials.secret()).isEqualTo(SECRET);
    }

    @Test
    void a_missing_variable_is_named_and_no_value_is_shown() {
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(
                        Map.of("BINANCE_API_KEY", KEY), "BINANCE_API_KEY", "BINANCE_API_SECRET"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable BINANCE_API_SECRET is not set or is empty")
                .message()
                .doesNotContain(KEY);
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(
                        Map.of("BINANCE_API_KEY", " ", "BINANCE_API_SECRET", SECRET),
                        "BINANCE_API_KEY",
                        "BINANCE_API_SECRET"))
                .hasMessage("environment variable BINANCE_API_KEY is not set or is empty");
    }

    /** A trailing newline from a secrets file would otherwise reach OkHttp, whose header error quotes the value. */
    @Test
    void a_malformed_value_is_refused_without_echoing_it() {
        assertThatThrownBy(() -> BinanceCredentials.fromEnvironment(
                        Map.of("BINANCE_API_KEY", KEY + "\n", "BINANCE_API_SECRET", SECRET),
                        "BINANCE_API_KEY",
                        "BINANCE_API_SECRET"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BINANCE_API_KEY")
                .hasMessageContaining("position 64")
                .message()
                .doesNotContain(KEY)
                .doesNotContain(SECRET);
        assertThatThrownBy(() -> new BinanceCredentials(KEY, "sécret"))
                .hasMessageStartingWith("secret contains")
                .message()
                .doesNotContain("sécret");
    }

    @Test
    void endpoints_are_the_documented_hosts_or_a_loopback_override() {
        assertThat(BinanceEndpoints.live().rest().toString()).isEqualTo("https://fapi.binance.com/");
        assertThat(BinanceEndpoints.testnet().rest().toString()).isEqualTo("https://testnet.binancefuture.com/");
        assertThat(BinanceEndpoints.demo().rest().toString()).isEqualTo("https://demo-fapi.binance.com/");
        assertThat(BinanceEndpoints.of("http://127.0.0.1:8089").rest().port()).isEqualTo(8089);

        assertThatThrownBy(() -> BinanceEndpoints.of("http://fapi.binance.com"))
                .hasMessageContaining("plain HTTP is allowed to a loopback address only");
        assertThatThrownBy(() -> BinanceEndpoints.of("https://fapi.binance.com/fapi"))
                .hasMessageContaining("scheme, host and port only");
        assertThatThrownBy(() -> BinanceEndpoints.of("fapi.binance.com")).hasMessageContaining("not an http(s) URL");
    }
}
