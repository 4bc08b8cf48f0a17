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
        return engine.step(new EngineEvent.PositionUpdated(
                at,
                new PositionSnapshot(
                        BTC,
                        Side.LONG,
                        MarginMode.ISOLATED,
                        new BigDecimal("0.5"),
                        new BigDecimal("60000"),
                        new BigDecimal(wallet),
                        BigDecimal.TEN,
                        Optional.empty())));
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
}
