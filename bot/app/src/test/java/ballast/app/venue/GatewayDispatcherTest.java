package ballast.app.venue;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.Capability;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.MarginChange;
import ballast.core.venue.Outcome;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Intent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The live dispatcher on the paper venue's port: retries only what was provably not sent; reconciles by reading back. */
class GatewayDispatcherTest {
    static final String BTC = "BTCUSDT";
    static final Instant SENT = Instant.parse("2024-10-24T00:00:00Z");
    /** A reconcile an hour after the sending: what the venue does not show by then never happened. */
    static final java.time.Clock LATER = java.time.Clock.fixed(SENT.plusSeconds(3600), java.time.ZoneOffset.UTC);

    final PaperVenue paper = account();
    final List<Duration> slept = new ArrayList<>();

    GatewayDispatcherTest() {
        // The venue's clock: its history stamps changes with the time of the last price it saw.
        paper.onPrice(BTC, SENT, new BigDecimal("60000"), new BigDecimal("60000"));
    }

    /** A paper account holding a 10x isolated 0.5 BTCUSDT long at 60,000 with 3,000 USDT margin. */
    static PaperVenue account() {
        PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8015"));
        venue.open(
                BTC,
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                ShippedRiskTiers.load()
                        .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                        .table()
                        .tiers());
        return venue;
    }

    /** The paper venue behind a port that answers the first {@code failures} writes NotSent, or reads no history. */
    ExchangeGateway flaky(int failures, boolean historyReadable) {
        int[] left = {failures};
        return new ExchangeGateway() {
            @Override
            public Set<Capability> capabilities() {
                return paper.capabilities();
            }

            @Override
            public Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
                return left[0]-- > 0
                        ? new Outcome.NotSent("connection refused")
                        : paper.addIsolatedMargin(symbol, side, amount, clientId);
            }

            @Override
            public Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
                return paper.removeIsolatedMargin(symbol, side, amount, clientId);
            }

            @Override
            public Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId) {
                return paper.reduceOnly(symbol, side, qty, clientId);
            }

            @Override
            public Outcome closePosition(String symbol, Side side, String clientId) {
                return paper.closePosition(symbol, side, clientId);
            }

            @Override
            public AccountSnapshot snapshot() {
                return paper.snapshot();
            }

            @Override
            public Outcome order(String symbol, String clientId) {
                return paper.order(symbol, clientId);
            }

            @Override
            public Optional<List<MarginChange>> marginChanges(String symbol, Side side, Instant since) {
                return historyReadable ? paper.marginChanges(symbol, side, since) : Optional.empty();
            }
        };
    }

    static Intent topUp(String id, String amount) {
        return new Intent(id, new Action.TopUpMargin(BTC, Side.LONG, new BigDecimal(amount), "test"));
    }

    @Test
    void a_cut_that_keeps_its_margin_leaves_the_account_exactly_as_the_paper_venue_keeps_it_in_a_replay() {
        // The replay's way: the paper venue cuts and keeps the released margin in one step.
        PaperVenue replayed = account();
        for (PaperVenue venue : List.of(paper, replayed)) {
            venue.onPrice(BTC, SENT.plusSeconds(60), new BigDecimal("57000"), new BigDecimal("57000"));
        }
        replayed.reduce(BTC, Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.KEEP_MARGIN);

        // The live way, through the port as Binance offers it: a reduce-only order (which releases its share of the
        // margin), then that share added back.
        Outcome cut = new GatewayDispatcher(flaky(0, true), slept::add, 3, LATER)
                .dispatch(new Intent(
                        "bl0001-7",
                        new Action.ReducePosition(
                                BTC, Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.KEEP_MARGIN, "test")));

        assertThat(cut).isInstanceOf(Outcome.Accepted.class);
        AccountSnapshot live = paper.snapshot();
        AccountSnapshot replay = replayed.snapshot();
        assertThat(live.positions().get(0).qty()).isEqualByComparingTo("0.4");
        assertThat(live.positions().get(0).wallet())
                .isEqualByComparingTo(replay.positions().get(0).wallet())
                .isEqualByComparingTo("3000");
        assertThat(live.freeBalance()).isEqualByComparingTo(replay.freeBalance());
    }

    @Test
    void a_write_provably_not_sent_is_sent_again_with_the_same_id_and_nothing_else_is_repeated() {
        GatewayDispatcher dispatcher = new GatewayDispatcher(flaky(2, true), slept::add, 3, LATER);
        assertThat(dispatcher.dispatch(topUp("bl-1", "100"))).isInstanceOf(Outcome.Accepted.class);
        assertThat(slept).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(paper.holding(BTC, Side.LONG).orElseThrow().isolatedWallet()).isEqualByComparingTo("3100");

        slept.clear();
        GatewayDispatcher giving = new GatewayDispatcher(flaky(5, true), slept::add, 3, LATER);
        assertThat(giving.dispatch(topUp("bl-2", "100"))).isInstanceOf(Outcome.NotSent.class);
        assertThat(slept).hasSize(2);
        assertThat(paper.holding(BTC, Side.LONG).orElseThrow().isolatedWallet()).isEqualByComparingTo("3100");
    }

    @Test
    void a_margin_change_is_reconciled_from_the_history_and_an_order_by_its_client_id() {
        GatewayDispatcher dispatcher = new GatewayDispatcher(flaky(0, true), slept::add, 3, LATER);
        Intent applied = topUp("bl-3", "250");
        dispatcher.dispatch(applied);
        assertThat(dispatcher.reconcile(applied, SENT))
                .isInstanceOfSatisfying(
                        Outcome.Accepted.class, a -> assertThat(a.amount()).isEqualByComparingTo("250"));
        assertThat(dispatcher.reconcile(topUp("bl-4", "77"), SENT))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.message()).contains("no margin change of 77"));

        Intent cut = new Intent(
                "bl-5",
                new Action.ReducePosition(BTC, Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.PRO_RATA, "t"));
        assertThat(dispatcher.reconcile(cut, SENT))
                .isInstanceOfSatisfying(
                        Outcome.Rejected.class, r -> assertThat(r.code()).isEqualTo("-2013"));
        dispatcher.dispatch(cut);
        assertThat(dispatcher.reconcile(cut, SENT))
                .isInstanceOfSatisfying(
                        Outcome.Accepted.class, a -> assertThat(a.amount()).isEqualByComparingTo("0.1"));
        // The same client id again is answered, not filled twice.
        assertThat(dispatcher.dispatch(cut)).isInstanceOf(Outcome.Accepted.class);
        assertThat(paper.holding(BTC, Side.LONG).orElseThrow().qty()).isEqualByComparingTo("0.4");
    }

    @Test
    void what_the_venue_does_not_show_yet_right_after_the_sending_is_unknown_not_refunded() {
        java.time.Clock soon = java.time.Clock.fixed(SENT.plusSeconds(2), java.time.ZoneOffset.UTC);
        GatewayDispatcher dispatcher = new GatewayDispatcher(flaky(0, true), slept::add, 3, soon);
        assertThat(dispatcher.reconcile(topUp("bl-7", "10"), SENT)).isInstanceOf(Outcome.Unknown.class);
        Intent cut = new Intent(
                "bl-8",
                new Action.ReducePosition(BTC, Side.LONG, new BigDecimal("0.1"), PartialCloseRelease.PRO_RATA, "t"));
        assertThat(dispatcher.reconcile(cut, SENT)).isInstanceOf(Outcome.Unknown.class);
    }

    @Test
    void a_history_that_cannot_be_read_leaves_the_outcome_unknown() {
        GatewayDispatcher dispatcher = new GatewayDispatcher(flaky(0, false), slept::add, 3, LATER);
        assertThat(dispatcher.reconcile(topUp("bl-6", "10"), SENT)).isInstanceOf(Outcome.Unknown.class);
    }
}
