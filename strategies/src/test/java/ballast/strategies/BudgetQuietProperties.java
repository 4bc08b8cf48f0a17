package ballast.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.core.policy.Action;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Where the budget policy says its decision holds ({@link Quiet.Within}), it does: over random isolated positions (every
 * venue family, both sides, leverage 2–50, margin kept by earlier cuts, flat and tiered tables), earlier losses, conviction, a recent action
 * or none, and four ways of giving the budget, {@link BudgetPolicy#decide} at the band's corners and at random points
 * inside it (mark, σ and distance each anywhere in their ranges, together) is the same level (WATCH, or WARN for a
 * position that was warned) with nothing to do. Half the cases
 * first let the policy release what it would at the mark, so that its release bounds are as tight as after a release. The engine skips
 * the policy on such marks, so a band one step too wide would be a missed cut.
 */
class BudgetQuietProperties {

    private static final MathContext MC = MathContext.DECIMAL64;
    private static final Instant NOW = BudgetPolicyProperties.NOW;

    /** The defaults, a budget in percent of the account, a fixed amount, and releases of any size. */
    @Provide
    Arbitrary<RiskLevel> before() {
        return Arbitraries.of(RiskLevel.WATCH, RiskLevel.WATCH, RiskLevel.WARN, RiskLevel.WARN, RiskLevel.CUT);
    }

    @Provide
    Arbitrary<BudgetParams> params() {
        BudgetParams d = BudgetParams.defaults();
        return Arbitraries.of(
                d,
                d.withBudget(Optional.empty(), Optional.of(new BigDecimal("2"))),
                d.withBudget(Optional.of(new BigDecimal("150")), Optional.empty()),
                d.withBudget(Optional.empty(), Optional.empty()).withReleaseMinPct(BigDecimal.ZERO));
    }

    @Provide
    Arbitrary<BudgetPolicyProperties.Case> cases() {
        return new BudgetPolicyProperties().cases();
    }

    @Provide
    Arbitrary<RiskTierTable> tables() {
        return Arbitraries.oneOf(
                Arbitraries.just(BudgetPolicyProperties.TIERS),
                Arbitraries.bigDecimals()
                        .between(new BigDecimal("0.002"), new BigDecimal("0.05"))
                        .ofScale(4)
                        .list()
                        .ofMinSize(2)
                        .ofMaxSize(5)
                        .map(BudgetReleaseScreenProperties::tiered));
    }

    @Provide
    Arbitrary<MarginRules> rules() {
        return new BudgetReleaseScreenProperties().rules();
    }

    /**
     * The wallet as a share of the opening margin: as opened, or drawn down by releases in profit to near the
     * maintenance margin (what the policy does to a short that has gained a lot).
     */
    @Provide
    Arbitrary<BigDecimal> walletShares() {
        return Arbitraries.of("1", "0.3", "0.1", "0.06", "0.03").map(BigDecimal::new);
    }

    /** Seconds since the last action: none, within the cooldown, or long past it. */
    @Provide
    Arbitrary<Optional<Long>> lastAction() {
        return Arbitraries.of(Optional.<Long>empty(), Optional.of(3L), Optional.of(9L), Optional.of(600L));
    }

    /** One input: the case's position and book at {@code mark}, measured with {@code sigma} and {@code distance}. */
    private record At(
            MarginRules rules,
            MarginState state,
            BigDecimal equityAt0,
            BigDecimal mark0,
            PositionBook book,
            Optional<Instant> last) {

        PolicyInput input(BigDecimal mark, BigDecimal sigma, Optional<BigDecimal> distance, BigDecimal conviction) {
            return input(mark, sigma, distance, conviction, RiskLevel.WATCH);
        }

        PolicyInput input(
                BigDecimal mark,
                BigDecimal sigma,
                Optional<BigDecimal> distance,
                BigDecimal conviction,
                RiskLevel level) {
            BigDecimal equity = equityAt0.add(state.unrealizedPnl(mark)).subtract(state.unrealizedPnl(mark0));
            PositionBook moved = new PositionBook(
                    book.openingEquity(),
                    equity,
                    book.openingQty(),
                    book.openingNotional(),
                    book.openingDistance(),
                    book.openingAccountEquity(),
                    book.cutNotional());
            PositionRisk risk = new PositionRisk(
                    rules,
                    state,
                    mark,
                    rules.liquidation(state),
                    distance,
                    sigma,
                    distance.map(d -> d.divide(sigma, MC)),
                    Optional.empty(),
                    Duration.ZERO);
            return new PolicyInput(NOW, risk, level, last, 0, BigDecimal.ZERO, BigDecimal.ZERO, moved, conviction);
        }
    }

    @Property(tries = 3000)
    @StatisticsReport(onFailureOnly = true)
    void inside_its_quiet_a_decision_at_watch_stays_so(
            @ForAll("cases") BudgetPolicyProperties.Case c,
            @ForAll("params") BudgetParams params,
            @ForAll("tables") RiskTierTable table,
            @ForAll("rules") MarginRules rules,
            @ForAll("lastAction") Optional<Long> secondsAgo,
            @ForAll("walletShares") BigDecimal walletShare,
            @ForAll boolean settle,
            @ForAll("before") RiskLevel before,
            @ForAll @BigRange(min = "0", max = "1") @Scale(6) BigDecimal u1,
            @ForAll @BigRange(min = "0", max = "1") @Scale(6) BigDecimal u2,
            @ForAll @BigRange(min = "0", max = "1") @Scale(6) BigDecimal u3,
            @ForAll @BigRange(min = "0", max = "1") @Scale(6) BigDecimal u4) {
        BudgetPolicy policy = new BudgetPolicy(params);
        BigDecimal openingQty = c.qty();
        BigDecimal margin = openingQty
                .multiply(c.entry())
                .divide(BigDecimal.valueOf(c.leverage()), MC)
                .multiply(walletShare);
        BigDecimal qty = openingQty.multiply(c.shareLeft()).setScale(3, RoundingMode.CEILING);
        BigDecimal lev = BigDecimal.valueOf(c.leverage());
        MarginState state = MarginState.isolated(new Position("BTCUSDT", c.side(), qty, c.entry()), margin, lev, table);
        BigDecimal mark = c.entry().multiply(BigDecimal.ONE.add(c.move())).setScale(2, RoundingMode.HALF_UP);
        Optional<BigDecimal> distance = rules.distanceToLiquidation(state, mark);
        if (distance.isPresent() && distance.get().signum() <= 0) {
            return;
        }
        BigDecimal openingNotional = openingQty.multiply(c.entry());
        BigDecimal realised = openingNotional.multiply(c.realisedShare()).multiply(new BigDecimal("0.1"), MC);
        BigDecimal equity = margin.add(state.unrealizedPnl(mark)).add(realised);
        MarginState opened =
                MarginState.isolated(new Position("BTCUSDT", c.side(), openingQty, c.entry()), margin, lev, table);
        PositionBook book = new PositionBook(
                margin,
                equity,
                openingQty,
                openingNotional,
                rules.distanceToLiquidation(opened, c.entry()),
                margin.multiply(BigDecimal.valueOf(4)),
                openingQty.subtract(qty).multiply(c.entry()));
        Optional<Instant> last = secondsAgo.map(NOW::minusSeconds);
        At at = new At(rules, state, equity, mark, book, last);
        if (settle) {
            // Let the policy release what it would at this mark first: its bounds are then tight, as after a release
            // in a replay (the book does not change: released margin is booked as taken out).
            for (int i = 0; i < 6; i++) {
                Decision first = policy.decide(at.input(mark, c.sigma(), distance, c.conviction()));
                Optional<Action.ReleaseMargin> release = first.actions().stream()
                        .filter(Action.ReleaseMargin.class::isInstance)
                        .map(Action.ReleaseMargin.class::cast)
                        .findFirst();
                if (release.isEmpty() || at.last().isPresent()) {
                    break;
                }
                state = state.withWallet(state.wallet().subtract(release.get().amount()));
                distance = rules.distanceToLiquidation(state, mark);
                at = new At(rules, state, equity, mark, book, last);
                Statistics.label("settled").collect("released");
            }
        }
        // The level the position was at: WATCH, WARN or CUT. A decision that does nothing but perhaps alert, at WATCH
        // or WARN, proves its quiet for the next marks heard at the level it decided, whether or not it moved there.
        Decision decision = policy.decide(at.input(mark, c.sigma(), distance, c.conviction(), before));
        RiskLevel level = decision.level();
        boolean watching = (level == RiskLevel.WATCH || level == RiskLevel.WARN)
                && decision.actions().stream().allMatch(Action.Alert.class::isInstance);
        Quiet proved = decision.quiet();
        // A quiet over a band of wallets holds at each of them: the funding settlements to come move the wallet, and
        // the
        // book's equity with it, the position unchanged.
        List<BigDecimal> wallets = List.of(state.wallet());
        if (proved instanceof Quiet.Wallets band) {
            assertThat(band.covers(state.wallet()))
                    .as("%s covers the wallet it was proved at", band)
                    .isTrue();
            wallets = points(band.lowWallet(), band.highWallet(), u4);
            proved = band.quiet();
        }
        Statistics.label("quiet")
                .collect(
                        proved instanceof Quiet.Within
                                ? decision.quiet() instanceof Quiet.Wallets ? "within, over wallets" : "within"
                                : watching ? "watch, nothing proved" : "not watching");
        Statistics.label("quiet")
                .coverage(cov -> cov.check("within, over wallets").percentage(p -> p > 3));
        if (!(proved instanceof Quiet.Within q)) {
            assertThat(decision.quiet()).isEqualTo(Quiet.NEVER);
            return;
        }
        assertThat(watching).isTrue();
        // The guard and the safe distance bounded as z where the position is past both, else as a distance.
        Statistics.label("lower bound").collect(q.lowZ() != null ? "z and a floor" : "distance at the highest σ");
        Statistics.label("lower bound").coverage(cov -> {
            cov.check("z and a floor").percentage(p -> p > 10);
            cov.check("distance at the highest σ").count(n -> n > 0);
        });
        Statistics.label("quiet at").collect(before + " to " + level);
        Statistics.label("quiet at").coverage(cov -> {
            cov.check("WATCH to WATCH").count(n -> n > 0);
            cov.check("WARN to WARN").count(n -> n > 0);
            cov.check("WATCH to WARN").count(n -> n > 0);
            cov.check("WARN to WATCH").count(n -> n > 0);
            cov.check("CUT to WARN").count(n -> n > 0);
        });
        for (BigDecimal wallet : wallets) {
            At moved = new At(
                    rules, state.withWallet(wallet), equity.add(wallet.subtract(state.wallet())), mark, book, last);
            holdsThroughout(policy, moved, q, mark, c.sigma(), distance, c.conviction(), level, u1, u2, u3);
        }
    }

    /** The decision at the corners of {@code q} and at the point {@code u1, u2, u3} of the way inside it. */
    private static void holdsThroughout(
            BudgetPolicy policy,
            At at,
            Quiet.Within q,
            BigDecimal mark,
            BigDecimal sigma,
            Optional<BigDecimal> distance,
            BigDecimal conviction,
            RiskLevel level,
            BigDecimal u1,
            BigDecimal u2,
            BigDecimal u3) {
        assertThat(q.holds(mark, sigma, distance.orElse(null), z(distance, sigma), NOW))
                .as("%s holds the mark %s, distance %s and σ %s it was proved at", q, mark, distance, sigma)
                .isTrue();
        List<BigDecimal> marks = points(q.lowMark(), q.highMark(), u1);
        List<BigDecimal> sigmas = points(q.lowSigma(), q.highSigma(), u2);
        for (BigDecimal p : marks) {
            for (BigDecimal s : sigmas) {
                // A quiet that bounds z holds where the distance is at least that z at this σ: the lowest such distance
                // (in twelve decimals, as the engine hands them out) is among the points, the edge the bound stands on.
                BigDecimal low = q.lowZ() == null
                        ? q.lowDistance()
                        : q.lowDistance().max(q.lowZ().multiply(s).setScale(12, RoundingMode.CEILING));
                BigDecimal high = q.highDistance() == null ? low.add(BigDecimal.TEN) : q.highDistance();
                List<Optional<BigDecimal>> distances = distance.isEmpty()
                        ? List.of(Optional.<BigDecimal>empty())
                        : low.compareTo(high) > 0
                                ? List.of()
                                : points(low, high, u3).stream()
                                        .map(Optional::of)
                                        .toList();
                for (Optional<BigDecimal> d : distances) {
                    if (!q.holds(p, s, d.orElse(null), z(d, s), NOW)) {
                        continue; // z over its upper bound: not a mark the quiet covers
                    }
                    Decision again = policy.decide(at.input(p, s, d, conviction, level));
                    assertThat(again.level())
                            .as("level at mark %s, σ %s, distance %s in %s", p, s, d, q)
                            .isEqualTo(level);
                    assertThat(again.actions())
                            .as("actions at mark %s, σ %s, distance %s in %s", p, s, d, q)
                            .isEmpty();
                }
            }
        }
    }

    /**
     * A case from the 5m half-year replay (2022): a 3x short deep in profit whose wallet the policy has released down
     * to near its maintenance margin (a quarter of the wallet above it is worth a release: at 23,500, 1.7 % below the
     * mark). The maintenance rule is what stops the next release, so the band's lowest mark is where it would begin:
     * quiet above it, a release a little below it.
     */
    @Example
    void a_short_released_down_to_its_maintenance_margin() {
        MarginRules rules = MarginRules.binance();
        RiskTierTable table = BudgetPolicyProperties.TIERS;
        BigDecimal qty = new BigDecimal("0.943");
        BigDecimal entry = new BigDecimal("31797.9");
        BigDecimal lev = new BigDecimal("3");
        MarginState opened = MarginState.isolated(
                new Position("BTCUSDT", Side.SHORT, qty, entry),
                qty.multiply(entry).divide(lev, MC),
                lev,
                table);
        MarginState state = opened.withWallet(new BigDecimal("118.19"));
        BigDecimal mark = new BigDecimal("23903.75");
        BigDecimal sigma = new BigDecimal("0.0150846898");
        PositionBook book = new PositionBook(
                opened.wallet(),
                opened.wallet().add(state.unrealizedPnl(mark)),
                qty,
                qty.multiply(entry),
                rules.distanceToLiquidation(opened, entry),
                opened.wallet().multiply(BigDecimal.valueOf(4)),
                BigDecimal.ZERO);
        At at = new At(rules, state, book.equity(), mark, book, Optional.empty());
        BudgetPolicy policy = new BudgetPolicy(BudgetParams.defaults());
        Optional<BigDecimal> distance = rules.distanceToLiquidation(state, mark);
        Decision decision = policy.decide(at.input(mark, sigma, distance, BigDecimal.ONE));
        assertThat(decision.actions()).isEmpty();
        // Over a band of wallets or (as here, where a larger wallet would release) at this one alone.
        Quiet.Within q =
                (Quiet.Within) (decision.quiet() instanceof Quiet.Wallets band ? band.quiet() : decision.quiet());
        assertThat(q.lowMark()).isBetween(new BigDecimal("23490"), new BigDecimal("23510"));
        BigDecimal half = new BigDecimal("0.5");
        holdsThroughout(policy, at, q, mark, sigma, distance, BigDecimal.ONE, RiskLevel.WATCH, half, half, half);
        BigDecimal below = q.lowMark().multiply(new BigDecimal("0.998"));
        assertThat(policy.decide(at.input(below, sigma, rules.distanceToLiquidation(state, below), BigDecimal.ONE))
                        .actions())
                .as("a release a little below the band")
                .hasAtLeastOneElementOfType(Action.ReleaseMargin.class);
    }

    /** z as the input hands it to the policy ({@link At#input}): the distance over σ. */
    private static BigDecimal z(Optional<BigDecimal> distance, BigDecimal sigma) {
        return distance.map(d -> d.divide(sigma, MC)).orElse(null);
    }

    /** Both ends of {@code [low, high]} and the point {@code u} of the way between them. */
    private static List<BigDecimal> points(BigDecimal low, BigDecimal high, BigDecimal u) {
        List<BigDecimal> points = new ArrayList<>();
        points.add(low);
        points.add(high);
        points.add(low.add(high.subtract(low).multiply(u)));
        return points;
    }
}
