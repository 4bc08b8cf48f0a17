package ballast.exchange.paper;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.CrossAccount;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The monitor's cross account (one common adverse move of every mark, found by bisection on the margin engine's
 * maintenance) against the paper venue's own cross liquidation test (free balance plus PnL against the sum of its own
 * bracket maintenance): a little short of the account's distance the venue keeps every position, a little past it the
 * venue liquidates. Random accounts of one or two positions, long or short, BTCUSDT and ETHUSDT on their real tiers.
 */
class PaperCrossDifferentialProperties {

    static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();
    static final RiskTierTable BTC = TIERS.find(Venue.BINANCE, "BTCUSDT", Optional.of(LocalDate.parse("2024-10-24")))
            .table();
    static final RiskTierTable ETH = TIERS.find(Venue.BINANCE, "ETHUSDT", Optional.of(LocalDate.parse("2024-10-24")))
            .table();
    static final BigDecimal NUDGE = new BigDecimal("0.000001");

    record Leg(Side side, BigDecimal notional, BigDecimal moveBp) {}

    record Case(BigDecimal wallet, Leg btc, Optional<Leg> eth) {}

    @Provide
    Arbitrary<Case> accounts() {
        Arbitrary<Leg> leg = Combinators.combine(
                        Arbitraries.of(Side.values()),
                        Arbitraries.integers().between(500, 400_000).map(BigDecimal::valueOf),
                        Arbitraries.integers().between(-1500, 1500).map(BigDecimal::valueOf))
                .as(Leg::new);
        return Combinators.combine(
                        Arbitraries.integers().between(50, 60_000).map(BigDecimal::valueOf), leg, leg.optional())
                .as(Case::new);
    }

    @Property(tries = 400)
    void the_venue_liquidates_the_cross_account_exactly_past_the_monitors_distance(@ForAll("accounts") Case c) {
        BigDecimal btcEntry = new BigDecimal("60000");
        BigDecimal ethEntry = new BigDecimal("3000");
        List<CrossAccount.Member> members = new ArrayList<>();
        PaperVenue venue = new PaperVenue(
                new PaperVenue.Config(
                        Venue.BINANCE, BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("0.0125"), false, false),
                c.wallet());
        Map<String, BigDecimal> marks = new HashMap<>();
        add(venue, members, marks, "BTCUSDT", c.btc(), btcEntry, BTC);
        c.eth().ifPresent(leg -> add(venue, members, marks, "ETHUSDT", leg, ethEntry, ETH));
        CrossAccount account = new CrossAccount(MarginRules.binance(), c.wallet(), members);

        Optional<BigDecimal> distance = account.distance();
        Assume.that(distance.isPresent()
                && distance.get().compareTo(new BigDecimal("0.001")) > 0
                && distance.get().compareTo(new BigDecimal("0.99")) < 0);
        BigDecimal d = distance.get();

        assertThat(venue.crossBelowMaintenance(moved(members, d.multiply(BigDecimal.ONE.subtract(NUDGE)))))
                .as("a little short of the account's distance %s", d)
                .isFalse();
        assertThat(venue.crossBelowMaintenance(moved(members, d.multiply(BigDecimal.ONE.add(NUDGE)))))
                .as("a little past the account's distance %s", d)
                .isTrue();
    }

    private static void add(
            PaperVenue venue,
            List<CrossAccount.Member> members,
            Map<String, BigDecimal> marks,
            String symbol,
            Leg leg,
            BigDecimal entry,
            RiskTierTable tiers) {
        BigDecimal qty = leg.notional().divide(entry, 6, java.math.RoundingMode.DOWN);
        BigDecimal mark = entry.multiply(BigDecimal.ONE.add(leg.moveBp().movePointLeft(4)));
        venue.open(symbol, leg.side(), MarginMode.CROSS, qty, entry, BigDecimal.ZERO, BigDecimal.TEN, tiers.tiers());
        members.add(new CrossAccount.Member(new Position(symbol, leg.side(), qty, entry), mark, BigDecimal.TEN, tiers));
        marks.put(symbol, mark);
    }

    private static Map<String, BigDecimal> moved(List<CrossAccount.Member> members, BigDecimal delta) {
        Map<String, BigDecimal> marks = new HashMap<>();
        for (CrossAccount.Member m : members) {
            marks.put(m.position().symbol(), CrossAccount.priceAt(m, delta));
        }
        return marks;
    }
}
