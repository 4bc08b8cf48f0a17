package ballast.app.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.venue.Outcome;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper profile's account survives a restart whole: what a reconcile reads back after a kill is in its file. */
class PaperAccountTest {

    private static final String BTC = "BTCUSDT";
    private static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();
    private static final Instant NOW = Instant.parse("2026-12-02T09:00:00Z");

    private static PaperAccount create(Path file, Clock clock) {
        return PaperAccount.create(
                PaperVenue.Config.binance(),
                new BigDecimal("5000"),
                file,
                clock,
                symbol -> TIERS.find(Venue.BINANCE, symbol, Optional.empty()).tiers(),
                venue -> venue.open(
                        BTC,
                        Side.LONG,
                        MarginMode.ISOLATED,
                        new BigDecimal("0.1"),
                        new BigDecimal("60000"),
                        new BigDecimal("600"),
                        BigDecimal.TEN,
                        TIERS.find(Venue.BINANCE, BTC, Optional.empty()).tiers()));
    }

    @Test
    void every_accepted_request_is_in_the_file_before_its_answer(@TempDir Path dir) {
        Path file = dir.resolve("paper-account.json");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        PaperAccount account = create(file, clock);
        assertThat(account.onMark(BTC, NOW.minusSeconds(5), new BigDecimal("57000")))
                .isEmpty();
        assertThat(account.addIsolatedMargin(BTC, Side.LONG, new BigDecimal("150.5"), "bl-x-1"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(account.reduceOnly(BTC, Side.LONG, new BigDecimal("0.03"), "bl-x-2"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(account.placeStop(BTC, Side.LONG, new BigDecimal("53000"), "bl-x-3"))
                .isInstanceOf(Outcome.Accepted.class);

        PaperAccount restarted = account.reloaded();
        assertThat(restarted.state()).isEqualTo(account.state());
        assertThat(restarted.snapshot()).isEqualTo(account.snapshot());
        // The order is known under its client id, and the margin change is stamped with the time it arrived.
        assertThat(restarted.order(BTC, "bl-x-2")).isEqualTo(account.order(BTC, "bl-x-2"));
        assertThat(restarted.marginChanges(BTC, Side.LONG, NOW).orElseThrow())
                .singleElement()
                .satisfies(c -> assertThat(c.amount()).isEqualByComparingTo("150.5"));
        // The same client id again is answered as the first time, not filled twice, after the restart too.
        assertThat(restarted.reduceOnly(BTC, Side.LONG, new BigDecimal("0.03"), "bl-x-2"))
                .isEqualTo(account.order(BTC, "bl-x-2"));
        assertThat(restarted.state().positions().get(0).qty()).isEqualByComparingTo("0.07");
        assertThat(restarted.state().positions().get(0).backstop()).contains(new BigDecimal("53000"));
    }

    @Test
    void a_backstop_the_mark_reaches_closes_the_position_and_is_written(@TempDir Path dir) {
        Path file = dir.resolve("paper-account.json");
        PaperAccount account = create(file, Clock.fixed(NOW, ZoneOffset.UTC));
        account.placeStop(BTC, Side.LONG, new BigDecimal("56000"), "bl-x-1");
        assertThat(account.onMark(BTC, NOW, new BigDecimal("55990")))
                .singleElement()
                .isInstanceOf(PaperVenue.VenueEvent.BackstopTriggered.class);
        assertThat(account.reloaded().state().positions()).isEmpty();
        assertThat(account.reloaded().state().free()).isEqualTo(account.state().free());
    }

    @Test
    void a_funding_settlement_is_paid_from_the_isolated_wallet_and_written(@TempDir Path dir) {
        PaperAccount account = create(dir.resolve("paper-account.json"), Clock.fixed(NOW, ZoneOffset.UTC));
        // A long pays 0.01 % of 0.1 BTC at 60,000: 0.6 USDT.
        assertThat(account.onFunding(BTC, NOW, new BigDecimal("0.0001"), new BigDecimal("60000")))
                .singleElement()
                .isInstanceOf(PaperVenue.VenueEvent.FundingPaid.class);
        assertThat(account.reloaded().state().positions().get(0).isolatedWallet())
                .isEqualByComparingTo("599.4");
        assertThat(account.reloaded().state().ledger().funding()).isEqualByComparingTo("-0.6");
    }

    @Test
    void a_file_that_is_not_an_account_is_named_and_left_alone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("paper-account.json");
        Files.writeString(file, "{\"free\": \"lots\"}");
        assertThatThrownBy(() -> PaperAccount.load(
                        PaperVenue.Config.binance(),
                        file,
                        Clock.systemUTC(),
                        symbol -> TIERS.find(Venue.BINANCE, symbol, Optional.empty())
                                .tiers()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("move it away to start a new account");
        assertThat(Files.readString(file)).isEqualTo("{\"free\": \"lots\"}");
    }
}
