package ballast.exchange.paper;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The paper venue's liquidation test (written from the venues' descriptions) against the monitor's margin engine
 * (solved formulas with the bracket re-check): just on the safe side of the engine's liquidation price the venue must
 * not liquidate, just past it it must. Two independent implementations that agree on generated positions.
 */
class PaperLiquidationDifferentialProperties {

    static final RiskTierTable BTC = ShippedRiskTiers.load()
            .find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
            .table();
    static final BigDecimal NUDGE = new BigDecimal("0.000001");

    record Case(Side side, BigDecimal qty, BigDecimal entry, BigDecimal leverage, BigDecimal extra) {}

    @Provide
    Arbitrary<Case> positions() {
        return Combinators.combine(
                        Arbitraries.of(Side.values()),
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("0.001"), new BigDecimal("400"))
                                .ofScale(3),
                        Arbitraries.bigDecimals()
                                .between(new BigDecimal("1000"), new BigDecimal("120000"))
                                .ofScale(1),
                        Arbitraries.integers().between(1, 100).map(BigDecimal::valueOf),
                        Arbitraries.bigDecimals()
                                .between(BigDecimal.ZERO, new BigDecimal("5000"))
                                .ofScale(2))
                .as(Case::new);
    }

    @Property(tries = 1000)
    void venue_liquidates_exactly_past_the_engines_price(@ForAll("positions") Case c) {
        BigDecimal margin = c.qty()
                .multiply(c.entry())
                .divide(c.leverage(), MathContext.DECIMAL128)
                .add(c.extra());
        MarginState state =
                MarginState.isolated(new Position("BTCUSDT", c.side(), c.qty(), c.entry()), margin, c.leverage(), BTC);
        Liquidation liquidation = MarginRules.binance().liquidation(state);
        Assume.that(liquidation instanceof Liquidation.At);
        BigDecimal lp = ((Liquidation.At) liquidation).price();

        PaperVenue venue = new PaperVenue(
                PaperVenue.Config.binance(), margin.multiply(BigDecimal.TWO).add(BigDecimal.TEN));
        venue.open(
                "BTCUSDT",
                c.side(),
                ballast.core.margin.MarginMode.ISOLATED,
                c.qty(),
                c.entry(),
                margin,
                c.leverage(),
                BTC.tiers());
        BigDecimal safe = c.side() == Side.LONG
                ? lp.multiply(BigDecimal.ONE.add(NUDGE))
                : lp.multiply(BigDecimal.ONE.subtract(NUDGE));
        BigDecimal past = c.side() == Side.LONG
                ? lp.multiply(BigDecimal.ONE.subtract(NUDGE))
                : lp.multiply(BigDecimal.ONE.add(NUDGE));
        assertThat(venue.wouldLiquidate("BTCUSDT", c.side(), safe.setScale(8, RoundingMode.HALF_UP)))
                .as("safe side of %s", lp)
                .isFalse();
        assertThat(venue.wouldLiquidate("BTCUSDT", c.side(), past.setScale(8, RoundingMode.HALF_UP)))
                .as("past %s", lp)
                .isTrue();
        assertThat(venue.onPrice("BTCUSDT", Instant.EPOCH, past, past))
                .singleElement()
                .isInstanceOf(PaperVenue.VenueEvent.Liquidated.class);
    }
}
