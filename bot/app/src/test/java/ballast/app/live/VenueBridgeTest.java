package ballast.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.engine.EngineEvent;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.exchange.binance.stream.BinanceStreamEvent;
import ballast.exchange.binance.stream.BinanceStreamParser;
import ballast.exchange.binance.stream.ParsedFrame;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stream frames in Binance's format, through the parser and the bridge, with the paper venue as the REST truth. */
class VenueBridgeTest {

    static final Instant T = Instant.parse("2024-10-24T00:00:00Z");
    final BinanceStreamParser parser = new BinanceStreamParser(Clock.fixed(T, ZoneOffset.UTC));

    PaperVenue venue() {
        var tiers = ShippedRiskTiers.load()
                .find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
                .table();
        PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8015"));
        venue.open(
                "BTCUSDT",
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                tiers.tiers());
        return venue;
    }

    BinanceStreamEvent frame(String json) {
        return ((ParsedFrame.Event) parser.parse(json)).event();
    }

    @Test
    void marks_pass_through_and_a_reconnect_reads_the_rest_truth_whole() {
        PaperVenue venue = venue();
        VenueBridge bridge = new VenueBridge(venue);

        // Before the first connection the engine knows nothing: CONNECTED publishes the REST truth.
        List<EngineEvent> first = bridge.translate(new BinanceStreamEvent.FeedStatus(
                "user-data", BinanceStreamEvent.FeedStatus.Status.CONNECTED, "up", T, T));
        assertThat(first).hasSize(2);
        assertThat(first.get(0)).isInstanceOfSatisfying(EngineEvent.PositionUpdated.class, p -> {
            assertThat(p.position().qty()).isEqualByComparingTo("0.5");
            assertThat(p.position().wallet()).isEqualByComparingTo("3000");
        });
        assertThat(first.get(1))
                .isInstanceOfSatisfying(
                        EngineEvent.BalanceUpdated.class,
                        b -> assertThat(b.freeBalance()).isEqualByComparingTo("5000"));

        List<EngineEvent> mark = bridge.translate(
                frame(
                        "{\"e\":\"markPriceUpdate\",\"E\":1729728000000,\"s\":\"BTCUSDT\",\"p\":\"59500.10\",\"i\":\"59490\",\"r\":\"0.0001\",\"T\":1729756800000}"));
        assertThat(mark).singleElement().isInstanceOfSatisfying(EngineEvent.MarkUpdated.class, m -> {
            assertThat(m.mark()).isEqualByComparingTo("59500.10");
            assertThat(m.time()).isEqualTo(T); // our receive time: staleness is measured from it
        });

        // A drop interrupts; reconnecting re-reads; a position closed meanwhile is reported closed.
        assertThat(bridge.translate(new BinanceStreamEvent.FeedStatus(
                        "user-data", BinanceStreamEvent.FeedStatus.Status.RECONNECTING, "closed by peer", T, T)))
                .singleElement()
                .isInstanceOf(EngineEvent.FeedInterrupted.class);
        venue.closePosition("BTCUSDT", Side.LONG, "bl-1");
        List<EngineEvent> after = bridge.translate(new BinanceStreamEvent.FeedStatus(
                "user-data", BinanceStreamEvent.FeedStatus.Status.CONNECTED, "up", T, T));
        assertThat(after)
                .first()
                .isInstanceOfSatisfying(
                        EngineEvent.PositionClosed.class,
                        c -> assertThat(c.symbol()).isEqualTo("BTCUSDT"));
        assertThat(after).last().isInstanceOf(EngineEvent.BalanceUpdated.class);
        // A CONNECTED with no gap before it changes nothing.
        assertThat(bridge.translate(new BinanceStreamEvent.FeedStatus(
                        "mark", BinanceStreamEvent.FeedStatus.Status.CONNECTED, "up", T, T)))
                .isEmpty();
    }

    @Test
    void an_account_push_is_answered_with_the_rest_truth_not_patched_in() {
        VenueBridge bridge = new VenueBridge(venue());
        List<EngineEvent> events =
                bridge.translate(frame("{\"e\":\"ACCOUNT_UPDATE\",\"E\":1729728000000,\"T\":1729728000000,"
                        + "\"a\":{\"m\":\"ORDER\",\"B\":[{\"a\":\"USDT\",\"wb\":\"8000\",\"cw\":\"5000\",\"bc\":\"0\"}],"
                        + "\"P\":[{\"s\":\"BTCUSDT\",\"pa\":\"0.4\",\"ep\":\"60000\",\"bep\":\"60000\",\"cr\":\"0\",\"up\":\"0\","
                        + "\"mt\":\"isolated\",\"iw\":\"2400\",\"ps\":\"BOTH\"}]}}"));
        // The paper venue (the REST truth here) still holds 0.5: the push is a reason to look, not the answer.
        assertThat(events.get(0))
                .isInstanceOfSatisfying(
                        EngineEvent.PositionUpdated.class,
                        p -> assertThat(p.position().qty()).isEqualByComparingTo("0.5"));
    }
}
