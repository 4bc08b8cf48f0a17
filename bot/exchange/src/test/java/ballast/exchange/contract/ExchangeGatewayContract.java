package ballast.exchange.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.Capability;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every venue must do behind the {@link ExchangeGateway} port, paper or real. Each implementation provides a
 * gateway holding one isolated BTCUSDT long of 0.5 at 60,000 with a 3,000 isolated wallet, 5,000 free, marks at 60,000,
 * and answers the same requests the same way.
 */
public abstract class ExchangeGatewayContract {

    protected static final String BTC = "BTCUSDT";

    protected ExchangeGateway gateway;

    /** A fresh venue in the starting state described above. */
    protected abstract ExchangeGateway startingVenue();

    @BeforeEach
    void start() {
        gateway = startingVenue();
    }

    PositionSnapshot position() {
        return gateway.snapshot().positions().stream()
                .filter(p -> p.symbol().equals(BTC) && p.side() == Side.LONG)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void the_starting_snapshot_is_what_the_contract_says() {
        AccountSnapshot snapshot = gateway.snapshot();
        assertThat(snapshot.freeBalance()).isEqualByComparingTo("5000");
        PositionSnapshot p = position();
        assertThat(p.mode()).isEqualTo(MarginMode.ISOLATED);
        assertThat(p.qty()).isEqualByComparingTo("0.5");
        assertThat(p.entryPrice()).isEqualByComparingTo("60000");
        assertThat(p.wallet()).isEqualByComparingTo("3000");
    }

    @Test
    void an_order_is_read_back_by_its_client_id_and_an_id_it_never_had_never_arrived() {
        assertThat(gateway.reduceOnly(BTC, Side.LONG, new BigDecimal("0.1"), "bl-read-1"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(gateway.order(BTC, "bl-read-1"))
                .isInstanceOfSatisfying(
                        Outcome.Accepted.class, a -> assertThat(a.amount()).isEqualByComparingTo("0.1"));
        assertThat(gateway.order(BTC, "bl-never-sent"))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("-2013"));
    }

    @Test
    void a_margin_change_is_found_in_the_history_by_its_amount() {
        java.time.Instant since = java.time.Instant.EPOCH;
        assertThat(gateway.marginChanges(BTC, Side.LONG, since))
                .hasValueSatisfying(h -> assertThat(h).isEmpty());
        assertThat(gateway.addIsolatedMargin(BTC, Side.LONG, new BigDecimal("100"), "bl-m-1"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(gateway.removeIsolatedMargin(BTC, Side.LONG, new BigDecimal("40"), "bl-m-2"))
                .isInstanceOf(Outcome.Accepted.class);
        // A refused change leaves no trace.
        assertThat(gateway.addIsolatedMargin(BTC, Side.LONG, new BigDecimal("99999"), "bl-m-3"))
                .isInstanceOf(Outcome.Rejected.class);
        assertThat(gateway.marginChanges(BTC, Side.LONG, since))
                .hasValueSatisfying(h -> assertThat(h)
                        .extracting(c -> c.amount().stripTrailingZeros().toPlainString())
                        .containsExactly("100", "-40"));
    }

    @Test
    void a_backstop_is_kept_for_a_held_position_replaced_and_cancelled_and_refused_for_one_not_held() {
        assertThat(gateway.placeStop(BTC, Side.LONG, new BigDecimal("54500"), "bl-stop-a"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(gateway.placeStop(BTC, Side.LONG, new BigDecimal("54000"), "bl-stop-b"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(gateway.placeStop(BTC, Side.SHORT, new BigDecimal("66000"), "bl-stop-c"))
                .isInstanceOf(Outcome.Rejected.class);
        // Read back: one stop for the position, the replacement's.
        assertThat(gateway.openStops().orElseThrow()).singleElement().satisfies(stop -> {
            assertThat(stop.symbol()).isEqualTo(BTC);
            assertThat(stop.side()).isEqualTo(Side.LONG);
            assertThat(stop.trigger()).isEqualByComparingTo("54000");
        });
        assertThat(gateway.cancelStop(BTC, Side.LONG, "bl-stop-d")).isInstanceOf(Outcome.Accepted.class);
        assertThat(gateway.openStops().orElseThrow()).isEmpty();
        // The position is untouched by all of it.
        assertThat(position().qty()).isEqualByComparingTo("0.5");
    }

    @Test
    void declares_what_a_protective_ladder_needs() {
        assertThat(gateway.capabilities())
                .contains(Capability.ADD_ISOLATED_MARGIN, Capability.REDUCE_ONLY_ORDER, Capability.CLOSE_POSITION);
    }

    @Test
    void adding_isolated_margin_moves_it_from_free_to_the_position() {
        assertThat(gateway.addIsolatedMargin(BTC, Side.LONG, new BigDecimal("1000"), "bl-1"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(position().wallet()).isEqualByComparingTo("4000");
        assertThat(gateway.snapshot().freeBalance()).isEqualByComparingTo("4000");
    }

    @Test
    void adding_more_than_is_free_is_rejected_and_changes_nothing() {
        Outcome outcome = gateway.addIsolatedMargin(BTC, Side.LONG, new BigDecimal("5000.01"), "bl-2");
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("-2019"));
        assertThat(position().wallet()).isEqualByComparingTo("3000");
    }

    @Test
    void margin_for_a_position_that_does_not_exist_is_rejected() {
        assertThat(gateway.addIsolatedMargin(BTC, Side.SHORT, BigDecimal.TEN, "bl-3"))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("-4054"));
    }

    @Test
    void removing_margin_within_the_venue_limit_is_accepted_beyond_it_rejected() {
        // At mark 60,000: initial margin at the mark is 3,000 with nothing to spare; after adding 1,000, 1,000 can go.
        gateway.addIsolatedMargin(BTC, Side.LONG, new BigDecimal("1000"), "bl-4");
        assertThat(gateway.removeIsolatedMargin(BTC, Side.LONG, new BigDecimal("1000.01"), "bl-5"))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("-4051"));
        assertThat(gateway.removeIsolatedMargin(BTC, Side.LONG, new BigDecimal("1000"), "bl-6"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(position().wallet()).isEqualByComparingTo("3000");
    }

    @Test
    void a_reduce_only_cut_lowers_the_size_and_never_flips_it() {
        assertThat(gateway.reduceOnly(BTC, Side.LONG, new BigDecimal("0.2"), "bl-7"))
                .isInstanceOf(Outcome.Accepted.class);
        assertThat(position().qty()).isEqualByComparingTo("0.3");
        assertThat(gateway.reduceOnly(BTC, Side.SHORT, new BigDecimal("0.1"), "bl-8"))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("-2022"));
    }

    @Test
    void closing_removes_the_position_and_returns_its_margin() {
        assertThat(gateway.closePosition(BTC, Side.LONG, "bl-9")).isInstanceOf(Outcome.Accepted.class);
        assertThat(gateway.snapshot().positions()).isEmpty();
        // The wallet comes back less the fee and the slippage of a market close at the mark.
        assertThat(gateway.snapshot().freeBalance())
                .isGreaterThan(new BigDecimal("7900"))
                .isLessThan(new BigDecimal("8000"));
    }
}
