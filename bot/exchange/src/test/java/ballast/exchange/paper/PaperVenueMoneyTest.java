package ballast.exchange.paper;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.margin.RiskTier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paper venue never lets an account spend money it does not have, and never stops a replay for it. */
class PaperVenueMoneyTest {

    static final List<RiskTier> TIERS = List.of(new RiskTier(
            1, new BigDecimal("0"), new BigDecimal("50000"), 125, new BigDecimal("0.004"), BigDecimal.ZERO));
    static final Instant T = Instant.parse("2022-11-08T00:00:00Z");

    static BigDecimal dec(String v) {
        return new BigDecimal(v);
    }

    /** A 10x long of 0.5 at 20,000 with 1,000 margin and {@code free} beside it (no fees, no slippage). */
    static PaperVenue venue(String free) {
        PaperVenue venue = new PaperVenue(
                new PaperVenue.Config(
                        ballast.core.Venue.BINANCE, BigDecimal.ZERO, BigDecimal.ZERO, dec("0.0125"), false, false),
                dec(free).add(dec("1000")));
        venue.open(
                "BTCUSDT",
                Side.LONG,
                MarginMode.ISOLATED,
                dec("0.5"),
                dec("20000"),
                dec("1000"),
                BigDecimal.TEN,
                TIERS);
        return venue;
    }

    @Test
    void a_cut_that_keeps_its_margin_puts_back_only_what_the_account_has() {
        PaperVenue venue = venue("0");
        venue.onPrice("BTCUSDT", T, dec("18800"), dec("18800"));

        // Cutting 0.1 at 18,800 releases 200 of margin and realises -120: 80 reach the free balance.
        PaperVenue.Result result = venue.reduce("BTCUSDT", Side.LONG, dec("0.1"), PartialCloseRelease.KEEP_MARGIN);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PaperVenue.Result.Done.class,
                        d -> assertThat(d.readded()).isEqualByComparingTo("80"));
        assertThat(venue.freeBalance()).isEqualByComparingTo("0");
        assertThat(venue.holding("BTCUSDT", Side.LONG).orElseThrow().isolatedWallet())
                .isEqualByComparingTo("880");
        assertThat(venue.ledger().marginKept()).isEqualByComparingTo("80");
        assertThat(venue.ledger().marginAdded()).isEqualByComparingTo("0");
        assertThat(venue.equity()).isGreaterThanOrEqualTo(BigDecimal.ZERO);
    }

    @Test
    void a_cut_that_keeps_its_margin_net_pays_its_own_loss_from_the_wallet() {
        PaperVenue venue = venue("500");
        venue.onPrice("BTCUSDT", T, dec("18800"), dec("18800"));

        // Cutting 0.1 at 18,800 releases 200 and realises −120: the 80 that came back go back; the free balance is
        // untouched, the wallet pays the loss (1,000 − 120 = 880), and a gap now costs at most those 880.
        PaperVenue.Result result = venue.reduce("BTCUSDT", Side.LONG, dec("0.1"), PartialCloseRelease.KEEP_NET);

        assertThat(result)
                .isInstanceOfSatisfying(
                        PaperVenue.Result.Done.class,
                        d -> assertThat(d.readded()).isEqualByComparingTo("80"));
        assertThat(venue.freeBalance()).isEqualByComparingTo("500");
        assertThat(venue.holding("BTCUSDT", Side.LONG).orElseThrow().isolatedWallet())
                .isEqualByComparingTo("880");

        // A cut in profit keeps the margin whole and the gain goes free.
        PaperVenue up = venue("500");
        up.onPrice("BTCUSDT", T, dec("21000"), dec("21000"));
        up.reduce("BTCUSDT", Side.LONG, dec("0.1"), PartialCloseRelease.KEEP_NET);
        assertThat(up.freeBalance()).isEqualByComparingTo("600");
        assertThat(up.holding("BTCUSDT", Side.LONG).orElseThrow().isolatedWallet())
                .isEqualByComparingTo("1000");
    }

    @Test
    void funding_beyond_the_isolated_wallet_is_not_collected_and_the_position_is_liquidated() {
        PaperVenue venue = venue("500");
        // Mark 18,200: margin balance 1,000 − 900 = 100, maintenance 36.4. A 2 % funding charge is 182.
        venue.onPrice("BTCUSDT", T, dec("18200"), dec("18200"));
        List<PaperVenue.VenueEvent> events = venue.onFunding("BTCUSDT", T, dec("0.02"), dec("18200"));

        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOf(PaperVenue.VenueEvent.FundingPaid.class);
        assertThat(events.get(1)).isInstanceOf(PaperVenue.VenueEvent.Liquidated.class);
        assertThat(venue.holding("BTCUSDT", Side.LONG)).isEmpty();
        assertThat(venue.freeBalance())
                .as("the free balance pays nothing for an isolated position")
                .isEqualByComparingTo("500");
        assertThat(venue.ledger().fundingUncollected()).isEqualByComparingTo("0");
    }

    @Test
    void funding_larger_than_the_whole_wallet_leaves_the_wallet_at_zero() {
        PaperVenue venue = venue("500");
        venue.onPrice("BTCUSDT", T, dec("20000"), dec("20000"));
        // 15 % of 10,000 notional: 1,500 owed, 1,000 in the wallet.
        venue.onFunding("BTCUSDT", T, dec("0.15"), dec("20000"));

        assertThat(venue.ledger().fundingUncollected()).isEqualByComparingTo("500");
        assertThat(venue.ledger().funding()).isEqualByComparingTo("-1000");
        assertThat(venue.holding("BTCUSDT", Side.LONG)).as("liquidated at once").isEmpty();
        assertThat(venue.freeBalance()).isEqualByComparingTo("500");
    }

    @Test
    void an_isolated_close_past_bankruptcy_costs_the_account_only_the_margin() {
        PaperVenue venue = venue("300");
        // A gap straight through bankruptcy (18,000) to 17,000 on the last price, the mark lagging at 18,500.
        venue.onPrice("BTCUSDT", T, dec("17000"), dec("18500"));
        venue.reduce("BTCUSDT", Side.LONG, dec("0.5"), PartialCloseRelease.PRO_RATA);

        assertThat(venue.freeBalance()).isEqualByComparingTo("300");
        assertThat(venue.ledger().coveredByVenue()).isEqualByComparingTo("500");
        assertThat(venue.equity()).isEqualByComparingTo("300");
    }
}
