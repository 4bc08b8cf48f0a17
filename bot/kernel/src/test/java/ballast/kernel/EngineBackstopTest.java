package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The engine keeps each isolated position's exchange-side backstop at its distance from the liquidation price. */
class EngineBackstopTest {
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final String BTC = "BTCUSDT";
    static final BigDecimal D = new BigDecimal("0.005");

    final Gate gate = new Gate(Gate.Params.defaults());
    final Engine engine = new Engine(
            MarginRules.binance(),
            Map.of(
                    BTC,
                    ShippedRiskTiers.load()
                            .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                            .table()),
            new LadderPolicy(LadderParams.defaults()),
            gate,
            Engine.Params.defaults().withBackstop(Optional.of(D)),
            Monitor.FIXED,
            IntentIds.replay());

    Step position(Instant at, String wallet) {
        return engine.step(new EngineEvent.PositionUpdated(at, MonitorAgreementProperties.btcLong(wallet)));
    }

    BigDecimal liquidation() {
        return ((Liquidation.At) engine.liquidation(BTC, Side.LONG).orElseThrow()).price();
    }

    @Test
    void placed_when_first_seen_re_priced_when_the_liquidation_price_moves_and_cancelled_when_the_position_closes() {
        Step first = position(T0, "3000");
        Action.PlaceBackstop placed =
                (Action.PlaceBackstop) first.intents().getFirst().action();
        // The mark at which the liquidation price is 0.5 % away: L / (1 − d), rounded up to 10⁻⁸.
        BigDecimal expected = liquidation()
                .divide(BigDecimal.ONE.subtract(D), MathContext.DECIMAL64)
                .setScale(8, java.math.RoundingMode.CEILING);
        assertThat(placed.triggerPrice()).isEqualByComparingTo(expected);
        assertThat(placed.triggerPrice()).isGreaterThan(liquidation());
        assertThat(first.decided()).singleElement().isInstanceOf(Decided.Issued.class);

        // Funding took a few cents: the liquidation price barely moved; the backstop stays.
        assertThat(position(T0.plusSeconds(60), "2999.90").intents()).isEmpty();

        // A top-up moved the liquidation price a long way: the backstop follows it.
        Step after = position(T0.plusSeconds(120), "4000");
        assertThat(after.intents())
                .singleElement()
                .satisfies(i -> assertThat(((Action.PlaceBackstop) i.action()).triggerPrice())
                        .isLessThan(placed.triggerPrice()));

        // Refused by the venue: placed again at the next position update.
        engine.step(new EngineEvent.OutcomeReported(
                T0.plusSeconds(121), after.intents().getFirst(), new Outcome.Rejected("-4120", "not supported")));
        assertThat(position(T0.plusSeconds(122), "4000").intents())
                .singleElement()
                .satisfies(i -> assertThat(i.action()).isInstanceOf(Action.PlaceBackstop.class));

        // It spends no budget and passes in any trading state.
        assertThat(gate.daySpent()).isZero();
        engine.step(
                new EngineEvent.OperatorCommand(T0.plusSeconds(130), EngineEvent.OperatorCommand.Command.HALT, "t"));
        Step closed = engine.step(new EngineEvent.PositionClosed(T0.plusSeconds(140), BTC, Side.LONG, false));
        assertThat(closed.intents())
                .singleElement()
                .satisfies(i -> assertThat(i.action()).isInstanceOf(Action.CancelBackstop.class));
        assertThat(List.of(gate.tradingState())).containsExactly(TradingState.HALTED);
    }

    @Test
    void settlements_re_price_the_backstop_exactly_where_the_trigger_worked_out_leaves_the_slack() {
        // Wallets moved by settlements of every size, down and up: after each, the backstop is placed again exactly
        // where the trigger worked out from the new liquidation price is more than 0.05 % from the one standing, as
        // the engine's reach (which spares it the division) must agree.
        Step first = position(T0, "3000");
        BigDecimal standing = ((Action.PlaceBackstop) first.intents().getFirst().action()).triggerPrice();
        BigDecimal wallet = new BigDecimal("3000");
        java.util.Random random = new java.util.Random(11);
        int kept = 0;
        int moved = 0;
        for (int i = 1; i <= 400; i++) {
            // From a hundredth of a cent to 40 dollars, either way: a settlement, or many at once.
            BigDecimal by = BigDecimal.valueOf(1 + random.nextInt(400_000), 4);
            wallet = random.nextInt(3) == 0 ? wallet.add(by) : wallet.subtract(by);
            if (wallet.compareTo(new BigDecimal("1500")) < 0) {
                wallet = wallet.add(new BigDecimal("1500"));
            }
            Step step = position(T0.plusSeconds(i), wallet.toPlainString());
            BigDecimal trigger = liquidation()
                    .divide(BigDecimal.ONE.subtract(D), MathContext.DECIMAL64)
                    .setScale(8, java.math.RoundingMode.CEILING);
            boolean outside =
                    trigger.subtract(standing).abs().compareTo(standing.multiply(new BigDecimal("0.0005"))) > 0;
            List<Action.PlaceBackstop> placed = step.intents().stream()
                    .map(Intent::action)
                    .filter(Action.PlaceBackstop.class::isInstance)
                    .map(Action.PlaceBackstop.class::cast)
                    .toList();
            assertThat(placed).as("wallet %s", wallet).hasSize(outside ? 1 : 0);
            if (outside) {
                assertThat(placed.getFirst().triggerPrice()).isEqualByComparingTo(trigger);
                engine.step(new EngineEvent.OutcomeReported(
                        T0.plusSeconds(i), step.intents().getFirst(), new Outcome.Accepted(BigDecimal.ZERO)));
                standing = trigger;
                moved++;
            } else {
                kept++;
            }
        }
        assertThat(kept).as("kept").isGreaterThan(100);
        assertThat(moved).as("moved").isGreaterThan(50);
    }

    @Test
    void a_symbol_may_have_no_backstop_while_the_others_keep_theirs() {
        String eth = "ETHUSDT";
        ShippedRiskTiers shipped = ShippedRiskTiers.load();
        Engine mixed = new Engine(
                MarginRules.binance(),
                Map.of(
                        BTC, shipped.find(Venue.BINANCE, BTC, Optional.empty()).table(),
                        eth, shipped.find(Venue.BINANCE, eth, Optional.empty()).table()),
                new LadderPolicy(LadderParams.defaults()),
                new Gate(Gate.Params.defaults()),
                Engine.Params.defaults()
                        .withBackstop(Optional.of(D))
                        .withSymbolBackstops(Map.of(eth, Optional.empty())),
                Monitor.FIXED,
                IntentIds.replay());
        Step btc = mixed.step(new EngineEvent.PositionUpdated(T0, MonitorAgreementProperties.btcLong("3000")));
        Step ethStep = mixed.step(new EngineEvent.PositionUpdated(
                T0,
                new PositionSnapshot(
                        eth,
                        Side.LONG,
                        MarginMode.ISOLATED,
                        new BigDecimal("5"),
                        new BigDecimal("3000"),
                        new BigDecimal("1500"),
                        BigDecimal.TEN,
                        Optional.empty())));
        assertThat(btc.intents())
                .singleElement()
                .satisfies(i -> assertThat(i.action()).isInstanceOf(Action.PlaceBackstop.class));
        assertThat(ethStep.intents()).isEmpty();
    }

    @Test
    void a_symbol_may_have_its_own_top_up_cap_and_episode_share() {
        Gate.Params common = new Gate.Params(new BigDecimal("20"), new BigDecimal("60"), 3);
        Gate own = new Gate(common, Map.of("ETHUSDT", new Gate.Params(new BigDecimal("10"), new BigDecimal("99"), 1)));
        own.freeBalance(new BigDecimal("10000"));
        own.roll(T0);
        own.startEpisode("ETHUSDT:long");
        own.startEpisode("BTCUSDT:long");
        assertThat(own.budgetLeft("ETHUSDT:long", T0)).isEqualByComparingTo("1000");
        assertThat(own.budgetLeft("BTCUSDT:long", T0)).isEqualByComparingTo("2000");
        Action eth = new Action.TopUpMargin("ETHUSDT", Side.LONG, new BigDecimal("100"), "t");
        Action btc = new Action.TopUpMargin(BTC, Side.LONG, new BigDecimal("100"), "t");
        assertThat(own.admit("ETHUSDT:long", "e1", eth, T0)).isInstanceOf(Gate.Verdict.Admitted.class);
        assertThat(own.admit("ETHUSDT:long", "e2", eth, T0))
                .isEqualTo(new Gate.Verdict.Refused("this episode has had its 1 top-ups"));
        assertThat(own.admit("BTCUSDT:long", "b1", btc, T0)).isInstanceOf(Gate.Verdict.Admitted.class);
        assertThat(own.admit("BTCUSDT:long", "b2", btc, T0)).isInstanceOf(Gate.Verdict.Admitted.class);
        // The day's share is the account's: 60 % of 10,000, whatever ETHUSDT's settings say.
        assertThat(own.dayBudget()).isEqualByComparingTo("6000");
    }

    /** The position's backstop placed and answered: what a check then compares with. */
    Action.PlaceBackstop placedAndAnswered() {
        Step first = position(T0, "3000");
        Intent placed = first.intents().getFirst();
        engine.step(new EngineEvent.OutcomeReported(T0.plusSeconds(1), placed, new Outcome.Accepted(BigDecimal.ZERO)));
        return (Action.PlaceBackstop) placed.action();
    }

    @Test
    void a_backstop_missing_on_the_venue_is_alerted_and_placed_again() {
        Action.PlaceBackstop placed = placedAndAnswered();
        Step check = engine.step(new EngineEvent.StopsRead(T0.plusSeconds(60), List.of()));
        assertThat(check.intents())
                .extracting(i -> i.action().getClass().getSimpleName())
                .containsExactly("Alert", "PlaceBackstop");
        assertThat(((Action.Alert) check.intents().get(0).action()).reason())
                .contains("is not on the venue")
                .contains(placed.triggerPrice().toPlainString());
        assertThat(((Action.PlaceBackstop) check.intents().get(1).action()).triggerPrice())
                .isEqualByComparingTo(placed.triggerPrice());
    }

    @Test
    void a_check_read_before_the_backstop_was_answered_changes_nothing() {
        position(T0, "3000");
        assertThat(engine.step(new EngineEvent.StopsRead(T0.plusSeconds(60), List.of()))
                        .intents())
                .isEmpty();
    }

    @Test
    void the_stop_where_it_was_placed_is_left_alone_one_elsewhere_is_moved_and_an_orphan_is_cancelled() {
        Action.PlaceBackstop placed = placedAndAnswered();
        ballast.core.venue.StopOrder there = new ballast.core.venue.StopOrder(
                BTC, Side.LONG, placed.triggerPrice().setScale(1, java.math.RoundingMode.CEILING), "bl-1");
        assertThat(engine.step(new EngineEvent.StopsRead(T0.plusSeconds(60), List.of(there)))
                        .intents())
                .isEmpty();
        ballast.core.venue.StopOrder elsewhere =
                new ballast.core.venue.StopOrder(BTC, Side.LONG, new BigDecimal("50000"), "bl-1");
        ballast.core.venue.StopOrder orphan =
                new ballast.core.venue.StopOrder("ETHUSDT", Side.SHORT, new BigDecimal("4000"), "bl-9");
        Step check = engine.step(new EngineEvent.StopsRead(T0.plusSeconds(120), List.of(elsewhere, orphan)));
        assertThat(check.intents())
                .extracting(i -> i.action().getClass().getSimpleName())
                .containsExactly("Alert", "PlaceBackstop", "CancelBackstop");
        assertThat(check.intents().get(2).action().symbol()).isEqualTo("ETHUSDT");
        assertThat(((Action.Alert) check.intents().get(0).action()).reason()).contains("triggers at 50000");
    }

    @Test
    void new_brackets_move_the_liquidation_price_and_the_backstop_with_it() {
        Action.PlaceBackstop placed = placedAndAnswered();
        BigDecimal before = liquidation();
        Step update = engine.step(new EngineEvent.TiersUpdated(
                T0.plusSeconds(60),
                ballast.core.margin.RiskTierTable.flat(BTC, new BigDecimal("0.02"), BigDecimal.ZERO, 125)));
        assertThat(liquidation()).isGreaterThan(before);
        assertThat(update.intents())
                .singleElement()
                .satisfies(i -> assertThat(((Action.PlaceBackstop) i.action()).triggerPrice())
                        .isGreaterThan(placed.triggerPrice()));
    }
}
