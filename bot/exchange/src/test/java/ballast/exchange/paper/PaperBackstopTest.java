package ballast.exchange.paper;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Fixed;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The paper venue's exchange-side backstop: a close-all stop on the mark, and the fast path that proves it untouched. */
class PaperBackstopTest {
    static final Instant T = Instant.parse("2024-10-24T00:00:00Z");
    static final String BTC = "BTCUSDT";

    static PaperVenue venue(Side side) {
        PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8015"));
        venue.open(
                BTC,
                side,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                ShippedRiskTiers.load()
                        .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                        .table()
                        .tiers());
        venue.onPrice(BTC, T, new BigDecimal("60000"), new BigDecimal("60000"));
        return venue;
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void the_mark_reaching_the_trigger_closes_the_position_at_market_and_not_a_cent_before(Side side) {
        PaperVenue venue = venue(side);
        boolean lng = side == Side.LONG;
        BigDecimal trigger = new BigDecimal(lng ? "55000" : "65000");
        assertThat(venue.setBackstop(BTC, side, trigger)).isInstanceOf(PaperVenue.Result.Done.class);
        assertThat(venue.backstop(BTC, side)).contains(trigger);

        // The fast path proves marks safe only strictly before the trigger.
        PaperVenue.SafeRun run = venue.safeRun(BTC);
        long at = Fixed.of(trigger, 8);
        assertThat(run.safe(lng ? at + 1 : at - 1)).isTrue();
        assertThat(run.safe(at)).isFalse();

        BigDecimal before = lng ? new BigDecimal("55000.01") : new BigDecimal("64999.99");
        assertThat(venue.onPrice(BTC, T.plusSeconds(1), before, before)).isEmpty();
        assertThat(venue.holding(BTC, side)).isPresent();

        List<PaperVenue.VenueEvent> events = venue.onPrice(BTC, T.plusSeconds(2), trigger, trigger);
        assertThat(events).singleElement().isInstanceOfSatisfying(PaperVenue.VenueEvent.BackstopTriggered.class, b -> {
            assertThat(b.qty()).isEqualByComparingTo("0.5");
            assertThat(b.trigger()).isEqualByComparingTo(trigger);
            assertThat(b.markPrice()).isEqualByComparingTo(trigger);
        });
        assertThat(venue.holding(BTC, side)).isEmpty();
        assertThat(venue.backstop(BTC, side)).isEmpty();
        // Closed at market before liquidation: the account keeps what the margin had left, less the loss and costs.
        assertThat(venue.freeBalance()).isGreaterThan(new BigDecimal("5000"));
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void a_stop_for_a_position_not_held_is_refused_and_a_cancelled_one_never_fires(Side side) {
        PaperVenue venue = venue(side);
        assertThat(venue.setBackstop(BTC, side.opposite(), new BigDecimal("50000")))
                .isInstanceOf(PaperVenue.Result.Refused.class);
        BigDecimal trigger = new BigDecimal(side == Side.LONG ? "59000" : "61000");
        venue.setBackstop(BTC, side, trigger);
        venue.cancelBackstop(BTC, side);
        assertThat(venue.onPrice(BTC, T.plusSeconds(1), trigger, trigger)).isEmpty();
        assertThat(venue.holding(BTC, side)).isPresent();
    }
}
