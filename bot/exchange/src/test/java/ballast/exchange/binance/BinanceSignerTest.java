package ballast.exchange.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinanceSignerTest {

    static final String DOC_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    /** The example from Binance's "SIGNED endpoint security" section. */
    @Test
    void reproduces_the_documented_example() {
        String query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
                + "&timestamp=1499827319559";

        assertThat(new BinanceSigner(DOC_SECRET).sign(query))
                .isEqualTo("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    }

    @Test
    void signs_the_exact_string_so_any_change_changes_the_signature() {
        BinanceSigner signer = new BinanceSigner(DOC_SECRET);

        assertThat(signer.sign("symbol=LTCBTC&quantity=1"))
                .isNotEqualTo(signer.sign("quantity=1&symbol=LTCBTC"))
                .isNotEqualTo(signer.sign("symbol=LTCBTC&quantity=1.0"))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void never_shows_the_secret() {
        assertThat(new BinanceSigner(DOC_SECRET).toString())
                .doesNotContain(DOC_SECRET)
                .contains("***");
        assertThatThrownBy(() -> new BinanceSigner("")).isInstanceOf(IllegalArgumentException.class);
    }
}
