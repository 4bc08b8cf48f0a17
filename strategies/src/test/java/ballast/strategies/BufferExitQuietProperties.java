package ballast.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionBook;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.Quiet;
import ballast.core.policy.RiskLevel;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;

/**
 * Where the buffered exit says its decision holds, it does, for every wallet its quiet covers: over random isolated
 * positions (every venue family, both sides, leverage 1–50, flat and tiered tables, wallets from near maintenance to
 * twice the opening margin), {@link BufferExitPolicy#decide} at random marks inside the quiet and wallets anywhere in
 * its band (funding settlements of up to ten times the band either way among them) is WATCH with nothing to do. The
 * engine keeps a wallet band's quiet across a funding settlement: a band whose stop were the position's own wallet's
 * would miss the exit of a lower one (it fails that way).
 */
class BufferExitQuietProperties {

    private static final MathContext MC = MathContext.DECIMAL64;
    private static final Instant NOW = Instant.parse("2024-08-05T00:00:00Z");

    @Provide
    Arbitrary<MarginRules> rules() {
        return new BudgetReleaseScreenProperties().rules();
    }

    @Provide
    Arbitrary<RiskTierTable> tables() {
        return new BudgetReleaseScreenProperties().tables();
    }

    @Property(tries = 2000)
    void the_exit_holds_for_every_wallet_and_mark_its_quiet_covers(
            @ForAll("rules") MarginRules rules,
            @ForAll("tables") RiskTierTable table,
            @ForAll Side side,
            @ForAll @BigRange(min = "100", max = "100000") @Scale(2) BigDecimal entry,
            @ForAll @IntRange(min = 1, max = 50) int leverage,
            @ForAll @BigRange(min = "0.001", max = "50") @Scale(3) BigDecimal qty,
            @ForAll @BigRange(min = "0.05", max = "2") @Scale(2) BigDecimal walletShare,
            @ForAll @BigRange(min = "-0.3", max = "0.3") @Scale(4) BigDecimal move,
            @ForAll long seed) {
        BufferExitPolicy policy = new BufferExitPolicy(new BigDecimal("0.05"));
        BigDecimal margin = qty.multiply(entry).divide(BigDecimal.valueOf(leverage), MC);
        BigDecimal wallet = margin.multiply(walletShare).setScale(8, RoundingMode.HALF_UP);
        MarginState state = MarginState.isolated(
                new Position("BTCUSDT", side, qty, entry), wallet, BigDecimal.valueOf(leverage), table);
        BigDecimal mark = entry.multiply(BigDecimal.ONE.add(move)).setScale(2, RoundingMode.HALF_UP);
        Decision decision = policy.decide(input(rules, state, mark));
        if (decision.level() != RiskLevel.WATCH) {
            Statistics.label("decided").collect("exit");
            return;
        }
        Quiet quiet = decision.quiet();
        if (quiet == Quiet.ALWAYS) {
            // Nothing liquidates the position: nothing to exit from, whatever the mark.
            assertThat(rules.liquidation(state)).isNotInstanceOf(Liquidation.At.class);
            Statistics.label("decided").collect("nothing to exit");
            return;
        }
        Statistics.label("decided").collect(quiet instanceof Quiet.Wallets ? "watch, a wallet band" : "watch");
        BigDecimal lowWallet = wallet;
        BigDecimal highWallet = wallet;
        if (quiet instanceof Quiet.Wallets band) {
            assertThat(band.covers(wallet))
                    .as("the band covers the wallet decided on")
                    .isTrue();
            assertThat(band.highWallet()).isNull();
            lowWallet = band.lowWallet();
            highWallet = wallet.add(wallet.subtract(lowWallet).multiply(BigDecimal.TEN));
            quiet = band.quiet();
        }
        Quiet.Within within = (Quiet.Within) quiet;
        assertThat(within.holds(mark, BigDecimal.ONE, null, null, NOW))
                .as("the quiet covers the mark decided on")
                .isTrue();
        Random random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            BigDecimal w = i == 0 ? lowWallet : between(random, lowWallet, highWallet, 8);
            // Marks from the quiet's edge to 40 % beyond it on its safe side (the edge itself first).
            BigDecimal edge = side == Side.LONG ? within.lowMark() : within.highMark();
            BigDecimal far = side == Side.LONG
                    ? edge.multiply(new BigDecimal("1.4"))
                    : edge.multiply(new BigDecimal("0.6")).max(BigDecimal.ONE.movePointLeft(8));
            BigDecimal m = i < 2 ? edge : between(random, edge.min(far), edge.max(far), edge.scale());
            if (!within.holds(m, BigDecimal.ONE, null, null, NOW) || m.signum() <= 0) {
                continue;
            }
            MarginState moved = state.withWallet(w);
            Decision there = policy.decide(input(rules, moved, m));
            assertThat(there.level())
                    .as(
                            "wallet %s (band from %s), mark %s in the quiet decided at wallet %s, mark %s",
                            w, lowWallet, m, wallet, mark)
                    .isEqualTo(RiskLevel.WATCH);
            assertThat(there.actions()).isEmpty();
        }
    }

    private static BigDecimal between(Random random, BigDecimal low, BigDecimal high, int scale) {
        BigDecimal share = BigDecimal.valueOf(random.nextInt(1_000_001), 6);
        return low.add(high.subtract(low).multiply(share))
                .setScale(scale, RoundingMode.DOWN)
                .max(low);
    }

    private static PolicyInput input(MarginRules rules, MarginState state, BigDecimal mark) {
        Liquidation liquidation = rules.liquidation(state);
        Optional<BigDecimal> distance = rules.distanceToLiquidation(state, mark);
        PositionRisk risk = new PositionRisk(
                rules,
                state,
                mark,
                liquidation,
                distance,
                new BigDecimal("0.01"),
                distance.map(d -> d.divide(new BigDecimal("0.01"), MC)),
                Optional.empty(),
                Duration.ZERO);
        BigDecimal equity = state.wallet();
        PositionBook book = new PositionBook(
                equity,
                equity,
                state.position().qty(),
                state.position().qty().multiply(state.position().entryPrice()),
                rules.distanceToLiquidation(state, state.position().entryPrice()),
                equity,
                BigDecimal.ZERO);
        return new PolicyInput(
                NOW,
                risk,
                RiskLevel.WATCH,
                Optional.empty(),
                0,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                book,
                BigDecimal.ONE);
    }
}
