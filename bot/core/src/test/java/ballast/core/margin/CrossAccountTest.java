package ballast.core.margin;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cross account measured whole: with one position it agrees with that position's own cross liquidation price; with
 * two, the rest of the account counts (what {@code ballast liq --other-maint-margin --other-upnl} computes for one
 * position with the others held still), and one common move comes before either position's own price.
 */
class CrossAccountTest {

    static final RiskTierTable TIERS = new RiskTierTable(
            "TEST",
            "test",
            List.of(
                    new RiskTier(
                            1, BigDecimal.ZERO, new BigDecimal("50000"), 125, new BigDecimal("0.004"), BigDecimal.ZERO),
                    new RiskTier(
                            2,
                            new BigDecimal("50000"),
                            new BigDecimal("500000"),
                            100,
                            new BigDecimal("0.005"),
                            new BigDecimal("50"))));
    static final MarginRules BINANCE = MarginRules.binance();

    static BigDecimal dec(String v) {
        return new BigDecimal(v);
    }

    @Test
    void one_position_is_its_own_cross_liquidation_price() {
        Position btc = new Position("BTCUSDT", Side.LONG, dec("0.5"), dec("60000"));
        CrossAccount account = new CrossAccount(
                BINANCE, dec("3000"), List.of(new CrossAccount.Member(btc, dec("58000"), BigDecimal.TEN, TIERS)));

        Liquidation.At at = (Liquidation.At)
                BINANCE.liquidation(MarginState.cross(btc, dec("3000"), BigDecimal.TEN, CrossRest.NONE, TIERS));
        BigDecimal expected = MarginRules.distance(Side.LONG, dec("58000"), at.price());

        assertThat(account.distance().orElseThrow())
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(dec("1e-9")));
    }

    @Test
    void two_positions_share_one_account_and_fall_together() {
        Position btc = new Position("BTCUSDT", Side.LONG, dec("0.5"), dec("60000"));
        Position eth = new Position("ETHUSDT", Side.LONG, dec("10"), dec("3000"));
        CrossAccount.Member b = new CrossAccount.Member(btc, dec("57000"), BigDecimal.TEN, TIERS);
        CrossAccount.Member e = new CrossAccount.Member(eth, dec("2800"), BigDecimal.TEN, TIERS);
        CrossAccount account = new CrossAccount(BINANCE, dec("6000"), List.of(b, e));

        // BTC's own price with ETH held at its mark, as `ballast liq --mode cross --other-...` computes it.
        CrossRest ethAsRest = CrossRest.of(List.of(new CrossRest.Other(eth, dec("2800"), TIERS)));
        Liquidation.At btcAlone = (Liquidation.At)
                BINANCE.liquidation(MarginState.cross(btc, dec("6000"), BigDecimal.TEN, ethAsRest, TIERS));
        BigDecimal btcOwn = MarginRules.distance(Side.LONG, dec("57000"), btcAlone.price());
        BigDecimal common = account.distance().orElseThrow();

        assertThat(common).isPositive().isLessThan(btcOwn);
        // At the common move the margin balance is exactly the maintenance margin.
        assertThat(account.marginBalance(common)
                        .subtract(account.maintenanceMargin(common))
                        .abs())
                .isLessThan(dec("0.01"));
        // The position that takes most from the account: BTC loses 1,500 with 114 maintenance, ETH 2,000 with 112.
        assertThat(account.contributor().orElseThrow().position().symbol()).isEqualTo("ETHUSDT");
    }

    @Test
    void a_cut_is_sized_on_the_whole_account() {
        Position btc = new Position("BTCUSDT", Side.LONG, dec("0.5"), dec("60000"));
        Position eth = new Position("ETHUSDT", Side.LONG, dec("10"), dec("3000"));
        CrossAccount.Member e = new CrossAccount.Member(eth, dec("2800"), BigDecimal.TEN, TIERS);
        CrossAccount account = new CrossAccount(
                BINANCE, dec("6000"), List.of(new CrossAccount.Member(btc, dec("57000"), BigDecimal.TEN, TIERS), e));
        BigDecimal before = account.distance().orElseThrow();
        BigDecimal target = before.add(dec("0.02"));

        CrossAccount.Cut cut = account.cutFor(e, target, dec("0.0005"));

        assertThat(cut.closes()).isFalse();
        assertThat(cut.qty()).isPositive().isLessThan(dec("10"));
        assertThat(cut.distanceAfter().orElseThrow()).isGreaterThanOrEqualTo(target);
        // A little less would not do.
        assertThat(account.afterCut(e, cut.qty().multiply(dec("0.99")), dec("0.0005"))
                        .distance()
                        .orElseThrow())
                .isLessThan(target);
    }

    @Test
    void an_account_below_maintenance_is_minus_one_and_an_empty_one_has_no_distance() {
        Position btc = new Position("BTCUSDT", Side.LONG, dec("0.5"), dec("60000"));
        CrossAccount under = new CrossAccount(
                BINANCE, dec("100"), List.of(new CrossAccount.Member(btc, dec("59000"), BigDecimal.TEN, TIERS)));
        assertThat(under.distance()).contains(BigDecimal.ONE.negate());
        assertThat(new CrossAccount(BINANCE, dec("100"), List.of()).distance()).isEmpty();
        CrossAccount covered = new CrossAccount(
                BINANCE, dec("40000"), List.of(new CrossAccount.Member(btc, dec("59000"), BigDecimal.TEN, TIERS)));
        assertThat(covered.distance())
                .as("a long whose margin covers its notional")
                .isEmpty();
    }
}
