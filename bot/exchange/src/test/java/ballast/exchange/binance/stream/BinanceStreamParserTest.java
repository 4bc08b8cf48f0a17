package ballast.exchange.binance.stream;

import static ballast.exchange.binance.stream.StreamFixture.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.exchange.binance.OrderSide;
import ballast.exchange.binance.OrderStatus;
import ballast.exchange.binance.PositionSide;
import ballast.exchange.binance.stream.BinanceStreamEvent.AccountConfigUpdate;
import ballast.exchange.binance.stream.BinanceStreamEvent.AccountUpdate;
import ballast.exchange.binance.stream.BinanceStreamEvent.ListenKeyExpired;
import ballast.exchange.binance.stream.BinanceStreamEvent.MarginCall;
import ballast.exchange.binance.stream.BinanceStreamEvent.MarkPrice;
import ballast.exchange.binance.stream.BinanceStreamEvent.OrderTradeUpdate;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinanceStreamParserTest {

    static final Instant RECEIVED = Instant.parse("2023-11-14T22:13:21.500Z");

    final BinanceStreamParser parser = new BinanceStreamParser(Clock.fixed(RECEIVED, ZoneOffset.UTC));

    static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    <T extends BinanceStreamEvent> T event(String frame, Class<T> type) {
        ParsedFrame parsed = parser.parse(frame);
        assertThat(parsed).isInstanceOf(ParsedFrame.Event.class);
        BinanceStreamEvent event = ((ParsedFrame.Event) parsed).event();
        assertThat(event).isInstanceOf(type);
        return type.cast(event);
    }

    String malformed(String frame) {
        ParsedFrame parsed = parser.parse(frame);
        assertThat(parsed).isInstanceOf(ParsedFrame.Malformed.class);
        return ((ParsedFrame.Malformed) parsed).reason();
    }

    @Test
    void mark_price_keeps_every_digit_and_both_times() {
        MarkPrice m = event(fixture("mark-price-update.json"), MarkPrice.class);

        // equals, not compareTo: the scale the venue sent is kept, so nothing was rounded on the way.
        assertThat(m.symbol()).isEqualTo("BTCUSDT");
        assertThat(m.mark()).isEqualTo(dec("59500.00000000"));
        assertThat(m.index()).isEqualTo(dec("59490.12345678"));
        assertThat(m.fundingRate()).isEqualTo(dec("0.00010000"));
        assertThat(m.nextFundingTime()).isEqualTo(Instant.ofEpochMilli(1700006400000L));
        assertThat(m.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(m.tsInit()).isEqualTo(RECEIVED);
    }

    @Test
    void mark_price_inside_a_combined_stream_envelope() {
        MarkPrice m = event(fixture("mark-price-update-combined.json"), MarkPrice.class);

        assertThat(m.symbol()).isEqualTo("ETHUSDT");
        assertThat(m.mark()).isEqualTo(dec("3012.45000000"));
        assertThat(m.index()).isEqualTo(dec("3011.98765432"));
        assertThat(m.fundingRate()).isEqualTo(dec("-0.00003125"));
        assertThat(m.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000001000L));
    }

    @Test
    void decimals_sent_as_json_numbers_are_read_exactly_too() {
        MarkPrice m = event(
                "{\"e\":\"markPriceUpdate\",\"E\":1700000000000,\"s\":\"BTCUSDT\",\"p\":59500.10,"
                        + "\"i\":59490.123456789012,\"r\":0.0001,\"T\":1700006400000}",
                MarkPrice.class);

        // Exact in value; Jackson's tree drops trailing zeros of JSON numbers (Binance sends decimals as text).
        assertThat(m.mark()).isEqualByComparingTo(dec("59500.10"));
        assertThat(m.index()).isEqualTo(dec("59490.123456789012"));
        assertThat(m.fundingRate()).isEqualTo(dec("0.0001"));
    }

    @Test
    void account_update_balances_and_positions() {
        AccountUpdate u = event(fixture("account-update.json"), AccountUpdate.class);

        assertThat(u.reason()).isEqualTo("ORDER");
        assertThat(u.transactionTime()).isEqualTo(Instant.ofEpochMilli(1700000001999L));
        assertThat(u.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000002000L));
        assertThat(u.tsInit()).isEqualTo(RECEIVED);
        assertThat(u.balances())
                .containsExactly(
                        new AccountUpdate.Balance("USDT", dec("1060.00000000"), dec("1000.00000000"), dec("0")),
                        new AccountUpdate.Balance("BNB", dec("0.50000000"), dec("0.50000000"), dec("-0.00012000")));
        assertThat(u.positions())
                .containsExactly(
                        new AccountUpdate.Position(
                                "BTCUSDT",
                                dec("0.010"),
                                dec("60000.0"),
                                dec("60024.0"),
                                dec("200.00000000"),
                                dec("-5.00000000"),
                                MarginMode.ISOLATED,
                                dec("60.00000000"),
                                PositionSide.BOTH),
                        new AccountUpdate.Position(
                                "ETHUSDT",
                                dec("-0.500"),
                                dec("3000.00"),
                                dec("2998.80"),
                                dec("0"),
                                dec("-6.22500000"),
                                MarginMode.CROSS,
                                dec("0"),
                                PositionSide.SHORT));
        assertThat(u.positions().get(0).direction()).contains(Side.LONG);
        assertThat(u.positions().get(1).direction()).contains(Side.SHORT);
    }

    @Test
    void account_update_with_no_position_change_has_an_empty_list() {
        AccountUpdate u = event(
                "{\"e\":\"ACCOUNT_UPDATE\",\"E\":1700000002000,\"T\":1700000001999,\"a\":{\"m\":\"FUNDING_FEE\","
                        + "\"B\":[{\"a\":\"USDT\",\"wb\":\"1059.9\",\"cw\":\"999.9\",\"bc\":\"-0.1\"}],\"P\":[]}}",
                AccountUpdate.class);

        assertThat(u.reason()).isEqualTo("FUNDING_FEE");
        assertThat(u.positions()).isEmpty();
        assertThat(u.balances()).hasSize(1);
    }

    @Test
    void one_way_position_direction_follows_the_sign_and_flat_has_none() {
        AccountUpdate u = event(
                "{\"e\":\"ACCOUNT_UPDATE\",\"E\":1,\"T\":1,\"a\":{\"m\":\"ORDER\",\"B\":[],\"P\":["
                        + "{\"s\":\"BTCUSDT\",\"pa\":\"-0.002\",\"ep\":\"60000\",\"bep\":\"60000\",\"cr\":\"0\","
                        + "\"up\":\"0\",\"mt\":\"cross\",\"iw\":\"0\",\"ps\":\"BOTH\"},"
                        + "{\"s\":\"ETHUSDT\",\"pa\":\"0\",\"ep\":\"0.00000\",\"bep\":\"0\",\"cr\":\"0\","
                        + "\"up\":\"0\",\"mt\":\"isolated\",\"iw\":\"0\",\"ps\":\"BOTH\"}]}}",
                AccountUpdate.class);

        assertThat(u.positions().get(0).direction()).contains(Side.SHORT);
        assertThat(u.positions().get(1).direction()).isEmpty();
    }

    @Test
    void order_trade_update() {
        OrderTradeUpdate o = event(fixture("order-trade-update.json"), OrderTradeUpdate.class);

        assertThat(o.symbol()).isEqualTo("BTCUSDT");
        assertThat(o.clientOrderId()).isEqualTo("ballast-cut-BTCUSDT-0001");
        assertThat(o.side()).isEqualTo(OrderSide.SELL);
        assertThat(o.status()).isEqualTo(OrderStatus.FILLED);
        assertThat(o.executionType()).isEqualTo(ExecutionType.TRADE);
        assertThat(o.filledQuantity()).isEqualTo(dec("0.004"));
        assertThat(o.averagePrice()).isEqualTo(dec("59498.70"));
        assertThat(o.reduceOnly()).isTrue();
        assertThat(o.positionSide()).isEqualTo(PositionSide.BOTH);
        assertThat(o.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000003000L));
    }

    @Test
    void cross_margin_call_with_cross_wallet() {
        MarginCall c = event(fixture("margin-call.json"), MarginCall.class);

        assertThat(c.crossWalletBalance()).contains(dec("3.16812045"));
        assertThat(c.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000004000L));
        assertThat(c.positions())
                .containsExactly(new MarginCall.Position(
                        "ETHUSDT",
                        PositionSide.LONG,
                        dec("1.327"),
                        MarginMode.CROSS,
                        dec("0"),
                        dec("187.17127"),
                        dec("-1.166074"),
                        dec("1.614445")));
        assertThat(c.positions().get(0).direction()).contains(Side.LONG);
    }

    @Test
    void isolated_margin_call_has_no_cross_wallet() {
        MarginCall c = event(fixture("margin-call-isolated.json"), MarginCall.class);

        assertThat(c.crossWalletBalance()).isEqualTo(Optional.empty());
        MarginCall.Position p = c.positions().get(0);
        assertThat(p.marginMode()).isEqualTo(MarginMode.ISOLATED);
        assertThat(p.isolatedWallet()).isEqualTo(dec("60.00000000"));
        assertThat(p.markPrice()).isEqualTo(dec("54400.00"));
        assertThat(p.unrealizedPnl()).isEqualTo(dec("-56.00000000"));
        assertThat(p.maintenanceMargin()).isEqualTo(dec("2.17600000"));
    }

    @Test
    void account_config_update_leverage() {
        AccountConfigUpdate u = event(fixture("account-config-update-leverage.json"), AccountConfigUpdate.class);

        assertThat(u.change()).isEqualTo(new AccountConfigUpdate.LeverageChanged("BTCUSDT", 10));
        assertThat(u.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000006000L));
    }

    @Test
    void account_config_update_multi_assets_mode() {
        AccountConfigUpdate u = event(fixture("account-config-update-multi-assets.json"), AccountConfigUpdate.class);

        assertThat(u.change()).isEqualTo(new AccountConfigUpdate.MultiAssetsModeChanged(true));
    }

    @Test
    void listen_key_expired_with_event_time_as_text_in_an_envelope() {
        ListenKeyExpired e = event(fixture("listen-key-expired.json"), ListenKeyExpired.class);

        assertThat(e.tsEvent()).isEqualTo(Instant.ofEpochMilli(1700000008000L));
        assertThat(e.tsInit()).isEqualTo(RECEIVED);
    }

    @Test
    void listen_key_expired_raw() {
        ListenKeyExpired e =
                event("{\"e\":\"listenKeyExpired\",\"E\":1576653824250,\"listenKey\":\"x\"}", ListenKeyExpired.class);

        assertThat(e.tsEvent()).isEqualTo(Instant.ofEpochMilli(1576653824250L));
    }

    @Test
    void unknown_event_type_is_ignored_with_its_name() {
        ParsedFrame parsed = parser.parse("{\"e\":\"TRADE_LITE\",\"E\":1700000000000,\"s\":\"BTCUSDT\"}");

        assertThat(parsed).isInstanceOf(ParsedFrame.Ignored.class);
        assertThat(((ParsedFrame.Ignored) parsed).reason()).contains("unknown event type \"TRADE_LITE\"");
    }

    @Test
    void replies_and_array_payloads_are_ignored_not_malformed() {
        assertThat(parser.parse("{\"result\":null,\"id\":1}")).isInstanceOf(ParsedFrame.Ignored.class);
        assertThat(parser.parse("{\"stream\":\"!markPrice@arr@1s\",\"data\":[]}"))
                .isInstanceOf(ParsedFrame.Ignored.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            bad JSON             | {"e":"markPriceUpdate","p":                                                                      | not valid JSON
            not an object        | [1,2,3]                                                                                          | expected a JSON object
            missing e            | {"E":1700000000000}                                                                              | e is missing
            missing p            | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","i":"1","r":"0","T":1700006400000}        | markPriceUpdate: p is missing
            empty p              | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"","i":"1","r":"0","T":1700006400000} | markPriceUpdate: p must be a decimal number, was ""
            null p               | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":null,"i":"1","r":"0","T":1}           | markPriceUpdate: p is missing
            text p               | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"abc","i":"1","r":"0","T":1}          | markPriceUpdate: p must be a decimal number, was "abc"
            zero p               | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"0","i":"1","r":"0","T":1}            | markPriceUpdate: p must be positive, was 0
            negative index       | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"1","i":"-1","r":"0","T":1}           | markPriceUpdate: i must be positive, was -1
            empty funding rate   | {"e":"markPriceUpdate","E":1700000000000,"s":"BTCUSDT","p":"1","i":"1","r":"","T":1}             | markPriceUpdate: r must be a decimal number, was ""
            fractional time      | {"e":"markPriceUpdate","E":1700000000000.5,"s":"BTCUSDT","p":"1","i":"1","r":"0","T":1}          | markPriceUpdate: E must be whole epoch milliseconds, was 1700000000000.5
            envelope data text   | {"stream":"btcusdt@markPrice@1s","data":"oops"}                                                  | envelope data is STRING
            """)
    void malformed_mark_price_frames_name_the_field_and_value(String label, String frame, String reason) {
        ParsedFrame parsed = parser.parse(frame);

        if (reason.startsWith("envelope")) {
            assertThat(parsed).isInstanceOf(ParsedFrame.Ignored.class);
            assertThat(((ParsedFrame.Ignored) parsed).reason()).contains(reason);
        } else {
            assertThat(malformed(frame)).contains(reason);
        }
    }

    @Test
    void unknown_margin_type_is_refused_not_guessed() {
        String frame = fixture("account-update.json").replace("\"mt\": \"cross\"", "\"mt\": \"portfolio\"");

        assertThat(malformed(frame))
                .isEqualTo("ACCOUNT_UPDATE: a.P[1].mt must be isolated or cross, was \"portfolio\"");
    }

    @Test
    void unknown_order_status_side_or_position_side_is_refused() {
        String order = fixture("order-trade-update.json");

        assertThat(malformed(order.replace("\"X\": \"FILLED\"", "\"X\": \"HALF_DONE\"")))
                .contains("o.X must be one of", "was \"HALF_DONE\"");
        assertThat(malformed(order.replace("\"S\": \"SELL\"", "\"S\": \"sell\"")))
                .contains("o.S must be one of [BUY, SELL], was \"sell\"");
        assertThat(malformed(order.replace("\"ps\": \"BOTH\"", "\"ps\": \"BOTHE\"")))
                .contains("o.ps must be one of [BOTH, LONG, SHORT], was \"BOTHE\"");
        assertThat(malformed(order.replace("\"R\": true", "\"R\": \"maybe\"")))
                .contains("o.R must be true or false, was \"maybe\"");
    }

    @Test
    void malformed_user_data_fields_name_their_path() {
        assertThat(malformed(fixture("account-update.json").replace("\"wb\": \"0.50000000\"", "\"wb\": \"\"")))
                .isEqualTo("ACCOUNT_UPDATE: a.B[1].wb must be a decimal number, was \"\"");
        assertThat(malformed(fixture("account-update.json").replace("\"P\": [", "\"P\": 7, \"X\": [")))
                .isEqualTo("ACCOUNT_UPDATE: a.P must be an array, was 7");
        assertThat(malformed(fixture("margin-call.json").replace("\"mp\": \"187.17127\"", "\"mp\": \"0\"")))
                .isEqualTo("MARGIN_CALL: p[0].mp must be positive, was 0");
        assertThat(malformed(fixture("margin-call.json").replace("\"cw\": \"3.16812045\"", "\"cw\": \"n/a\"")))
                .isEqualTo("MARGIN_CALL: cw must be a decimal number, was \"n/a\"");
        assertThat(malformed(fixture("account-config-update-leverage.json").replace("\"l\":10", "\"l\":0")))
                .isEqualTo("ACCOUNT_CONFIG_UPDATE: ac.l must be at least 1, was 0");
        assertThat(malformed(fixture("account-config-update-leverage.json").replace("\"l\":10", "\"l\":2.5")))
                .isEqualTo("ACCOUNT_CONFIG_UPDATE: ac.l must be a whole number, was 2.5");
        assertThat(malformed("{\"e\":\"ACCOUNT_CONFIG_UPDATE\",\"E\":1,\"T\":1}"))
                .isEqualTo("ACCOUNT_CONFIG_UPDATE: neither ac nor ai is present");
        assertThat(malformed(fixture("order-trade-update.json").replace("\"z\": \"0.004\"", "\"z\": \"-0.004\"")))
                .isEqualTo("ORDER_TRADE_UPDATE: o.z must not be negative, was -0.004");
    }

    @Test
    void empty_and_null_frames_are_malformed_not_exceptions() {
        assertThat(parser.parse(null)).isInstanceOf(ParsedFrame.Malformed.class);
        assertThat(parser.parse("   ")).isInstanceOf(ParsedFrame.Malformed.class);
    }
}
