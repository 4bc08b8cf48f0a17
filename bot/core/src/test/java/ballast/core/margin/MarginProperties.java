package ballast.core.margin;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Decimals;
import ballast.core.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.Scale;

/**
 * Properties of the margin engine over generated positions: both sides, isolated and cross, on the real bracket tables of
 * {@link DocTables} and on flat tables with a random rate and maintenance amount. Each one states something the
 * formulas of margin-math.md §1.1 and §2.1 imply and that a broken implementation would get wrong.
 */
class MarginProperties {

    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal MIN_NOTIONAL = new BigDecimal("5");
    /** Relative tolerance for identities that hold exactly but for 34-digit division. */
    private static final BigDecimal TINY = new BigDecimal("1e-20");
    /** Absolute slack on a distance (a fraction of the mark). */
    private static final BigDecimal DISTANCE_SLACK = new BigDecimal("1e-18");

    // ------------------------------------------------------------------------------------------------ generators

    /** What a property runs on: the venue's rules, the position with its margin, and the current mark. */
    record Scenario(MarginRules rules, MarginState state, BigDecimal mark) {

        Position position() {
            return state.position();
        }

        BigDecimal qty() {
            return state.position().qty();
        }

        Side side() {
            return state.position().side();
        }

        BigDecimal notional() {
            return state.position().entryNotional();
        }

        Scenario withWallet(BigDecimal wallet) {
            return new Scenario(rules, state.withWallet(wallet), mark);
        }

        @Override
        public String toString() {
            String venue = rules instanceof MarkValueRules m
                    ? rules.venue().id() + "(fee " + m.feeInRate().toPlainString() + ", extra fee "
                            + m.extraMarginFee().toPlainString() + ")"
                    : rules.venue().id();
            RiskTierTable t = state.tiers();
            String table = t.isFlat()
                    ? "flat mmr " + t.tiers().get(0).maintMarginRate().toPlainString() + " cum "
                            + t.tiers().get(0).maintAmount().toPlainString()
                    : t.symbol() + " " + t.tiers().size() + " tiers ("
                            + t.tiers().get(1).notionalFloor().toPlainString() + "...)";
            return venue + " " + state.mode().label() + " " + side().label() + " qty " + qty().toPlainString()
                    + " @ " + position().entryPrice().toPlainString() + ", wallet "
                    + state.wallet().toPlainString()
                    + ", lev " + state.leverage().toPlainString() + ", rest " + state.rest() + ", " + table
                    + ", mark " + mark.toPlainString();
        }
    }

    /** Leverage, margin beyond the initial margin (a fraction of the notional), and the cross account around it. */
    record Funds(
            int leverage,
            BigDecimal extraFraction,
            boolean cross,
            BigDecimal otherMaintFraction,
            BigDecimal otherPnlFraction) {}

    /** Log-uniform between {@code min} and {@code max}, rounded to {@code scale} decimals. */
    private static Arbitrary<BigDecimal> logUniform(String min, String max, int scale) {
        BigDecimal lo = new BigDecimal(min);
        BigDecimal hi = new BigDecimal(max);
        // Exponent bounds widened to 4 decimals; the result is clamped to [min, max].
        double loExponent = Math.floor(Math.log10(lo.doubleValue()) * 1e4) / 1e4;
        double hiExponent = Math.ceil(Math.log10(hi.doubleValue()) * 1e4) / 1e4;
        return Arbitraries.doubles()
                .between(loExponent, hiExponent)
                .ofScale(6)
                .map(e -> BigDecimal.valueOf(Math.pow(10, e))
                        .setScale(scale, RoundingMode.HALF_EVEN)
                        .max(lo)
                        .min(hi)
                        .setScale(scale, RoundingMode.UNNECESSARY));
    }

    private static Arbitrary<BigDecimal> decimals(String min, String max, int scale) {
        return Arbitraries.bigDecimals()
                .between(new BigDecimal(min), new BigDecimal(max))
                .ofScale(scale);
    }

    private static Arbitrary<BigDecimal> takerFees() {
        return decimals("0", "0.001", 5);
    }

    private static Arbitrary<RiskTierTable> realTables() {
        return Arbitraries.of(
                DocTables.BINANCE_BTCUSDT_2024_10_24,
                DocTables.BINANCE_ETHUSDT_2024_10_24,
                DocTables.BINANCE_BTCUSDT_2022_05_21,
                DocTables.BYBIT_BTCUSDT);
    }

    private static Arbitrary<RiskTierTable> flatTables(String maxAmount) {
        return Combinators.combine(decimals("0", "0.1999", 4), decimals("0", maxAmount, 2))
                .as((mmr, cum) -> RiskTierTable.flat("FLAT", mmr, cum, 125));
    }

    private static Arbitrary<RiskTierTable> tables() {
        return Arbitraries.oneOf(realTables(), flatTables("2000"));
    }

    private static Arbitrary<Position> positions(Arbitrary<Side> sides) {
        return Combinators.combine(sides, logUniform("0.001", "5000", 3), logUniform("0.01", "200000", 2))
                .as((side, qty, entry) -> new Position("TEST", side, qty, entry))
                .filter(p -> p.entryNotional().compareTo(MIN_NOTIONAL) >= 0);
    }

    private static Arbitrary<Funds> funds(boolean allowCross) {
        Arbitrary<BigDecimal> extra = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(BigDecimal.ZERO)), Tuple.of(3, decimals("0", "1.5", 4)));
        Arbitrary<Boolean> cross = allowCross ? Arbitraries.of(false, true) : Arbitraries.just(false);
        return Combinators.combine(
                        Arbitraries.integers().between(1, 125),
                        extra,
                        cross,
                        decimals("0", "0.1", 4),
                        decimals("-0.5", "0.5", 4))
                .as(Funds::new);
    }

    private static Scenario scenario(
            MarginRules rules, RiskTierTable tiers, Position position, Funds funds, BigDecimal markFactor) {
        BigDecimal notional = position.entryNotional();
        BigDecimal leverage = BigDecimal.valueOf(funds.leverage());
        BigDecimal wallet = Decimals.divide(notional, leverage)
                .add(notional.multiply(funds.extraFraction()))
                .setScale(8, RoundingMode.CEILING);
        BigDecimal mark = position.entryPrice().multiply(markFactor);
        MarginState state;
        if (funds.cross()) {
            CrossRest rest = new CrossRest(
                    notional.multiply(funds.otherMaintFraction()).setScale(2, RoundingMode.HALF_UP),
                    notional.multiply(funds.otherPnlFraction()).setScale(2, RoundingMode.HALF_UP));
            state = MarginState.cross(position, wallet, leverage, rest, tiers);
        } else {
            state = MarginState.isolated(position, wallet, leverage, tiers);
        }
        return new Scenario(rules, state, mark);
    }

    private static Arbitrary<Scenario> scenarios(
            Arbitrary<MarginRules> rules, Arbitrary<RiskTierTable> tables, boolean allowCross) {
        return scenarios(rules, tables, Arbitraries.of(Side.class), allowCross);
    }

    private static Arbitrary<Scenario> scenarios(
            Arbitrary<MarginRules> rules, Arbitrary<RiskTierTable> tables, Arbitrary<Side> sides, boolean allowCross) {
        return Combinators.combine(rules, tables, positions(sides), funds(allowCross), decimals("0.5", "1.5", 4))
                .as(MarginProperties::scenario);
    }

    /**
     * Cross accounts whose credited wallet sits at, or near, the one that puts the liquidation price at zero: the
     * boundary between a price and Never (long) or Unavoidable (short). Offsets are 0, a cent either way, or a fraction
     * of the notional either way.
     */
    private static Arbitrary<Scenario> zeroPriceBoundary(Side side) {
        Arbitrary<BigDecimal> offsets = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(BigDecimal.ZERO)),
                Tuple.of(1, Arbitraries.of(CENT, CENT.negate())),
                Tuple.of(3, decimals("-0.5", "0.5", 4)));
        return Combinators.combine(scenarios(anyVenueRules(), tables(), Arbitraries.just(side), false), offsets)
                .as((s, offset) -> {
                    MarginState isolated = s.state();
                    BigDecimal shift = offset.abs().compareTo(CENT) == 0
                            ? offset
                            : s.notional().multiply(offset);
                    BigDecimal wallet = s.rules()
                            .walletForLiquidationAt(isolated, BigDecimal.ZERO)
                            .add(shift);
                    MarginState cross = MarginState.cross(
                            isolated.position(), wallet, isolated.leverage(), CrossRest.NONE, isolated.tiers());
                    return new Scenario(s.rules(), cross, s.mark());
                });
    }

    @Provide
    Arbitrary<Scenario> longsAtTheZeroPriceBoundary() {
        return zeroPriceBoundary(Side.LONG);
    }

    @Provide
    Arbitrary<Scenario> shortsAtTheZeroPriceBoundary() {
        return zeroPriceBoundary(Side.SHORT);
    }

    private static Arbitrary<MarginRules> otherVenueRules() {
        return Arbitraries.oneOf(
                Arbitraries.just(MarginRules.bybit()),
                Arbitraries.just(MarginRules.kucoin()),
                takerFees().map(MarginRules::okx),
                takerFees().map(MarginRules::gate),
                takerFees().map(MarginRules::bybitUnified));
    }

    private static Arbitrary<MarginRules> anyVenueRules() {
        return Arbitraries.oneOf(Arbitraries.just(MarginRules.binance()), otherVenueRules());
    }

    @Provide
    Arbitrary<Scenario> binance() {
        return scenarios(Arbitraries.just(MarginRules.binance()), tables(), true);
    }

    @Provide
    Arbitrary<Scenario> binanceIsolated() {
        return scenarios(Arbitraries.just(MarginRules.binance()), tables(), false);
    }

    @Provide
    Arbitrary<Scenario> otherVenues() {
        return scenarios(otherVenueRules(), tables(), true);
    }

    @Provide
    Arbitrary<Scenario> anyVenue() {
        return scenarios(anyVenueRules(), tables(), true);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** {@code |a − b| <= 1e-20 × scale}. */
    private static void assertClose(BigDecimal actual, BigDecimal expected, BigDecimal scale, String what) {
        BigDecimal diff = actual.subtract(expected).abs();
        assertThat(diff)
                .as("%s: %s vs %s", what, actual.toPlainString(), expected.toPlainString())
                .isLessThanOrEqualTo(TINY.multiply(scale.abs()));
    }

    /** Whether the distance is at least {@code target} (no liquidation price counts as infinitely far). */
    private static boolean distanceAtLeast(Scenario s, BigDecimal target) {
        Optional<BigDecimal> d = s.rules().distanceToLiquidation(s.state(), s.mark());
        return d.isEmpty() || d.get().compareTo(target) >= 0;
    }

    private static Liquidation.At at(Liquidation liquidation) {
        Assume.that(liquidation instanceof Liquidation.At);
        return (Liquidation.At) liquidation;
    }

    // ------------------------------------------------------------------------------------------------ properties

    /**
     * 1a. Binance, isolated and cross: at LP the margin balance is the maintenance margin, on the bracket of q·LP, both
     * as the rules compute them and as margin-math.md §1.1 writes them ({@code WB − TMM1 + UPNL1 + side·q·(LP − EP)}
     * against {@code q·LP·MMR − cum}).
     */
    @Property(tries = 1000)
    void binanceMarginBalanceEqualsMaintenanceAtTheLiquidationPrice(@ForAll("binance") Scenario s) {
        checkBalanceEqualsMaintenanceAtTheLiquidationPrice(s);
    }

    /**
     * 1b. Bybit and KuCoin (maintenance on the entry value, §2.1), OKX and Gate with a taker fee in the rate, Bybit
     * unified with extra margin credited as {@code extra / (1 ∓ fee)}: the same identity.
     */
    @Property(tries = 1000)
    void otherVenuesMarginBalanceEqualsMaintenanceAtTheLiquidationPrice(@ForAll("otherVenues") Scenario s) {
        checkBalanceEqualsMaintenanceAtTheLiquidationPrice(s);
    }

    private static void checkBalanceEqualsMaintenanceAtTheLiquidationPrice(Scenario s) {
        Liquidation.At at = at(s.rules().liquidation(s.state()));
        BigDecimal lp = at.price();
        BigDecimal scale = s.notional()
                .max(s.qty().multiply(lp))
                .max(s.rules().creditedWallet(s.state()).abs());
        assertClose(
                s.rules().marginBalance(s.state(), lp),
                s.rules().maintenanceMargin(s.state(), lp),
                scale,
                "rules' margin balance vs maintenance at LP " + lp.toPlainString());
        assertClose(
                formulaMarginBalance(s, lp),
                formulaMaintenance(s, lp),
                scale,
                "formula margin balance vs maintenance at LP " + lp.toPlainString());
        BigDecimal bracketNotional =
                s.rules() instanceof MarkValueRules ? s.qty().multiply(lp) : s.notional();
        RiskTier bracket = bracketOf(s.state().tiers(), bracketNotional);
        assertThat(at.tier()).isEqualTo(bracket);
        assertThat(s.rules().tierAt(s.state(), lp)).isEqualTo(bracket);
    }

    /** The bracket holding {@code notional} (floor inclusive, cap exclusive), the last one beyond the table. */
    private static RiskTier bracketOf(RiskTierTable table, BigDecimal notional) {
        for (RiskTier tier : table.tiers()) {
            if (notional.compareTo(tier.notionalFloor()) >= 0 && notional.compareTo(tier.notionalCap()) < 0) {
                return tier;
            }
        }
        return table.tiers().get(table.tiers().size() - 1);
    }

    /** Wallet (Bybit unified: extra margin over {@code 1 ∓ fee}) + UPNL1 − TMM1 + side·q·(price − EP), from the inputs. */
    private static BigDecimal formulaMarginBalance(Scenario s, BigDecimal price) {
        MarginState state = s.state();
        BigDecimal sign = s.side() == Side.LONG ? BigDecimal.ONE : BigDecimal.ONE.negate();
        BigDecimal wallet = state.wallet();
        if (s.rules() instanceof MarkValueRules m && m.extraMarginFee().signum() != 0) {
            BigDecimal initial = Decimals.divide(s.notional(), state.leverage());
            BigDecimal divisor = BigDecimal.ONE.subtract(sign.multiply(m.extraMarginFee()));
            wallet = initial.add(Decimals.divide(wallet.subtract(initial), divisor));
        }
        return wallet.add(state.rest().otherUnrealizedPnl())
                .subtract(state.rest().otherMaintMargin())
                .add(sign.multiply(s.qty()).multiply(price.subtract(s.position().entryPrice())));
    }

    /** Mark-value venues: {@code q·P·(MMR + fee) − cum} on the bracket of q·P; entry-value: {@code q·EP·MMR − cum}. */
    private static BigDecimal formulaMaintenance(Scenario s, BigDecimal price) {
        if (s.rules() instanceof MarkValueRules m) {
            BigDecimal notional = s.qty().multiply(price);
            RiskTier tier = bracketOf(s.state().tiers(), notional);
            return notional.multiply(tier.maintMarginRate().add(m.feeInRate())).subtract(tier.maintAmount());
        }
        RiskTier tier = bracketOf(s.state().tiers(), s.notional());
        return s.notional().multiply(tier.maintMarginRate()).subtract(tier.maintAmount());
    }

    /**
     * 2. Binance: adding ΔM within a bracket moves LP by ΔM / (q·(1 − MMR)) down for a long, ΔM / (q·(1 + MMR)) up for
     * a short.
     */
    @Property(tries = 1000)
    void binanceTopUpWithinABracketMovesThePriceByTheFormula(
            @ForAll("binance") Scenario s, @ForAll @BigRange(min = "0.0001", max = "2") @Scale(4) BigDecimal fraction) {
        BigDecimal topUp = s.notional()
                .multiply(fraction)
                .setScale(2, RoundingMode.HALF_UP)
                .max(CENT);
        Liquidation.At before = at(s.rules().liquidation(s.state()));
        Liquidation.At after = at(s.rules().afterTopUp(s.state(), topUp));
        Assume.that(before.tier().equals(after.tier()));
        BigDecimal mmr = before.tier().maintMarginRate();
        BigDecimal q = s.qty();
        BigDecimal expected = s.side() == Side.LONG
                ? before.price().subtract(Decimals.divide(topUp, q.multiply(BigDecimal.ONE.subtract(mmr))))
                : before.price().add(Decimals.divide(topUp, q.multiply(BigDecimal.ONE.add(mmr))));
        assertClose(after.price(), expected, before.price().max(after.price()), "LP after top-up of " + topUp);
    }

    /** 3. More margin never brings the liquidation price closer, on any venue (no liquidation price: +infinity). */
    @Property(tries = 1000)
    void distanceGrowsWithMargin(
            @ForAll("anyVenue") Scenario s, @ForAll @BigRange(min = "0", max = "1.5") @Scale(4) BigDecimal fraction) {
        checkDistanceGrows(s, fraction);
    }

    private static void checkDistanceGrows(Scenario s, BigDecimal fraction) {
        BigDecimal more = s.state().wallet().add(s.notional().multiply(fraction).max(CENT));
        Scenario richer = s.withWallet(more);
        Optional<BigDecimal> less = s.rules().distanceToLiquidation(s.state(), s.mark());
        Optional<BigDecimal> bigger = richer.rules().distanceToLiquidation(richer.state(), s.mark());
        assertThat(compareDistances(bigger, less))
                .as(
                        "distance %s (%s) with wallet %s, %s (%s) with %s",
                        bigger,
                        richer.rules().liquidation(richer.state()),
                        more.toPlainString(),
                        less,
                        s.rules().liquidation(s.state()),
                        s.state().wallet().toPlainString())
                .isGreaterThanOrEqualTo(0);
    }

    /** Compares two distances, empty (no liquidation price) being +infinity. */
    private static int compareDistances(Optional<BigDecimal> a, Optional<BigDecimal> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        return a.get().compareTo(b.get());
    }

    /** 3b. The same across the zero-price boundary of a long: from a price to Never, never back. */
    @Property(tries = 500)
    void distanceGrowsWithMarginAcrossTheNeverBoundary(
            @ForAll("longsAtTheZeroPriceBoundary") Scenario s,
            @ForAll @BigRange(min = "0", max = "0.5") @Scale(4) BigDecimal fraction) {
        checkDistanceGrows(s, fraction);
    }

    /**
     * 3c. The same across the zero-price boundary of a short: from Unavoidable to a price. Unavoidable counts as
     * −100 %, the limit of a short whose liquidation price falls to zero, so a little more margin never looks worse.
     */
    @Property(tries = 500)
    void distanceGrowsWithMarginAcrossTheUnavoidableBoundary(
            @ForAll("shortsAtTheZeroPriceBoundary") Scenario s,
            @ForAll @BigRange(min = "0", max = "0.5") @Scale(4) BigDecimal fraction) {
        checkDistanceGrows(s, fraction);
    }

    /** 4. topUpFor: the amount reaches the distance, and a cent less does not. */
    @Property(tries = 1000)
    void topUpReachesTheDistanceAndIsMinimal(
            @ForAll("anyVenue") Scenario s,
            @ForAll @BigRange(min = "0.0001", max = "0.4999") @Scale(4) BigDecimal distance) {
        Assume.that(!(s.rules().liquidation(s.state()) instanceof Liquidation.Never));
        MarginRules.TopUp topUp = s.rules().topUpFor(s.state(), s.mark(), distance);
        BigDecimal amount = topUp.amount();
        assertThat(amount).isGreaterThanOrEqualTo(BigDecimal.ZERO);
        Scenario after = s.withWallet(s.state().wallet().add(amount));
        assertThat(topUp.after()).isEqualTo(after.rules().liquidation(after.state()));
        assertThat(distanceAtLeast(after, distance.subtract(DISTANCE_SLACK)))
                .as("distance %s after adding %s", after.rules().distanceToLiquidation(after.state(), s.mark()), amount)
                .isTrue();
        if (amount.signum() > 0) {
            BigDecimal lessWallet = s.state().wallet().add(amount).subtract(CENT);
            Assume.that(s.state().mode() == MarginMode.CROSS || lessWallet.signum() > 0);
            Scenario less = s.withWallet(lessWallet);
            assertThat(distanceAtLeast(less, distance))
                    .as(
                            "distance %s after adding a cent less than %s",
                            less.rules().distanceToLiquidation(less.state(), s.mark()), amount)
                    .isFalse();
        }
    }

    private static boolean meetsReleaseConstraints(Scenario s, BigDecimal distance) {
        MarginState state = s.state();
        Position p = state.position();
        BigDecimal wallet = state.wallet();
        BigDecimal initialAtMark =
                Decimals.divide(p.notionalAt(s.mark()), state.leverage()).subtract(p.unrealizedPnl(s.mark()));
        return distanceAtLeast(s, distance.subtract(DISTANCE_SLACK))
                && wallet.compareTo(s.rules().maintenanceMargin(state, s.mark())) >= 0
                && wallet.compareTo(initialAtMark) >= 0;
    }

    /**
     * 5. releasable, isolated Binance: what is left keeps the distance, covers maintenance and Binance's
     * {@code mark × qty / leverage − uPnL}; a cent more could not be removed.
     */
    @Property(tries = 1000)
    void releaseKeepsTheDistanceAndBinancesRule(
            @ForAll("binanceIsolated") Scenario s,
            @ForAll @BigRange(min = "0.0001", max = "0.4999") @Scale(4) BigDecimal distance) {
        // Flat tables whose maintenance at the mark is zero or negative are covered by 5b.
        Assume.that(s.rules().maintenanceMargin(s.state(), s.mark()).signum() > 0);
        checkRelease(s, distance);
    }

    /**
     * 5b. Same, on every table, including flat ones whose maintenance at the mark is ≤ 0. When every constraint is ≤ 0
     * the whole wallet may go (Binance's rule allows it for a position in profit), leaving a zero isolated wallet.
     */
    @Property(tries = 1000)
    void releaseKeepsTheDistanceAndBinancesRuleOnEveryTable(
            @ForAll("binanceIsolated") Scenario s,
            @ForAll @BigRange(min = "0.0001", max = "0.4999") @Scale(4) BigDecimal distance) {
        checkRelease(s, distance);
    }

    /** 5b's counterexample with plain numbers: {@code --mmr 0.005 --maint-amount 50}, a 6,000 USDT long 1/6 in profit. */
    @Example
    void releaseFromALongInProfitOnAFlatTableWithAnAmount() {
        MarginState state = MarginState.isolated(
                new Position("BTCUSDT", Side.LONG, new BigDecimal("0.1"), new BigDecimal("60000")),
                new BigDecimal("600"),
                BigDecimal.TEN,
                DocTables.flat("0.005", "50"));
        checkRelease(new Scenario(MarginRules.binance(), state, new BigDecimal("70000")), new BigDecimal("0.1"));
    }

    private static void checkRelease(Scenario s, BigDecimal distance) {
        MarginRules.Release release = s.rules().releasable(s.state(), s.mark(), distance);
        BigDecimal amount = release.amount();
        assertThat(amount).isGreaterThanOrEqualTo(BigDecimal.ZERO);
        assertThat(amount).isLessThanOrEqualTo(s.state().wallet());
        BigDecimal remaining = s.state().wallet().subtract(amount);
        if (amount.signum() > 0) {
            Scenario after = s.withWallet(remaining);
            assertThat(meetsReleaseConstraints(after, distance))
                    .as("constraints after releasing %s (%s)", amount, release.bindingConstraint())
                    .isTrue();
            assertThat(release.after()).isEqualTo(after.rules().liquidation(after.state()));
        }
        BigDecimal centMore = remaining.subtract(CENT);
        if (centMore.signum() > 0) {
            assertThat(meetsReleaseConstraints(s.withWallet(centMore), distance))
                    .as("a cent more than %s could be released", amount)
                    .isFalse();
        }
    }

    /**
     * 6. A long is never liquidated iff its credited wallet covers the notional at entry less what maintenance is at a
     * zero notional (mark-value venues: {@code q·EP − cum₁}; entry-value venues: {@code q·EP + MM(entry)}); a short
     * always has a price or is liquidatable now; a price, when there is one, is > 0.
     */
    @Property(tries = 1000)
    void neverExactlyWhenTheMarginCoversTheNotionalAndPricesArePositive(@ForAll("anyVenue") Scenario s) {
        checkNeverBoundary(s);
    }

    /** 6b. The same for longs whose margin is at, a cent off, or near the Never boundary. */
    @Property(tries = 500)
    void neverExactlyAtTheBoundaryForALong(@ForAll("longsAtTheZeroPriceBoundary") Scenario s) {
        checkNeverBoundary(s);
    }

    /**
     * 6c. Shorts at, a cent off, or near the Unavoidable boundary: a price, when there is one, is > 0; exactly at the
     * boundary the answer is Unavoidable, never a price of zero.
     */
    @Property(tries = 500)
    void pricesArePositiveAtTheBoundaryForAShort(@ForAll("shortsAtTheZeroPriceBoundary") Scenario s) {
        checkNeverBoundary(s);
    }

    private static void checkNeverBoundary(Scenario s) {
        Liquidation liquidation = s.rules().liquidation(s.state());
        if (s.side() == Side.LONG) {
            BigDecimal threshold = s.rules() instanceof MarkValueRules
                    ? s.notional().subtract(s.state().tiers().tiers().get(0).maintAmount())
                    : s.notional().add(s.state().tiers().maintenanceMargin(s.notional()));
            // Bybit unified reserves the close fee on both sides of the condition: it does not help cover the notional.
            BigDecimal margin =
                    s.rules().creditedWallet(s.state()).subtract(s.rules().estimatedCloseFee(s.state()));
            boolean covers = margin.compareTo(threshold) >= 0;
            assertThat(liquidation instanceof Liquidation.Never)
                    .as("Never for credited wallet %s vs threshold %s: %s", margin, threshold, liquidation)
                    .isEqualTo(covers);
        } else {
            assertThat(liquidation).isNotInstanceOf(Liquidation.Never.class);
        }
        if (liquidation instanceof Liquidation.At at) {
            assertThat(at.price().signum())
                    .as("liquidation price %s", at.price())
                    .isPositive();
        }
    }

    /**
     * 7. cutFor: the same cut as a bisection that solves at every midpoint. The search answers most midpoints from the
     * sizes it has solved, which is the same answer as long as meeting a distance is monotone in the size; a table
     * that broke that (or a search that answered a midpoint wrongly) shows here as a different cut.
     */
    @Property(tries = 1000)
    void cutForIsTheBisectionAtEveryMidpoint(
            @ForAll("anyVenue") Scenario s,
            @ForAll @BigRange(min = "0.0001", max = "0.4999") @Scale(4) BigDecimal distance,
            @ForAll PartialCloseRelease release) {
        assertThat(s.rules().cutFor(s.state(), s.mark(), distance, release))
                .isEqualTo(cutAtEveryMidpoint(s.rules(), s.state(), s.mark(), distance, release));
    }

    /**
     * 7a. The same for a cross position hedged by an opposite leg from 1 % to 150 % of its size, where meeting is not
     * monotone in the size (past the leg the net exposure changes side): a review's counterexample, a short of 2.597
     * hedged by a long of 1.007636 whose distance passes through no liquidation price, gave another cut when the
     * sizes solved answered the midpoints.
     */
    @Property(tries = 1000)
    void cutForOfAHedgedPositionIsTheBisectionAtEveryMidpoint(
            @ForAll("anyVenue") Scenario s,
            @ForAll @BigRange(min = "0.01", max = "1.5") @Scale(3) BigDecimal legShare,
            @ForAll @BigRange(min = "0.0001", max = "0.4999") @Scale(4) BigDecimal distance,
            @ForAll PartialCloseRelease release) {
        MarginState state = s.state();
        Assume.that(state.mode() == MarginMode.CROSS);
        Position p = state.position();
        Position leg = new Position(
                p.symbol(),
                p.side() == Side.LONG ? Side.SHORT : Side.LONG,
                p.qty().multiply(legShare),
                p.entryPrice());
        MarginState hedged = new MarginState(
                p, state.mode(), state.wallet(), state.leverage(), state.rest(), state.tiers(), List.of(leg));
        MarginRules.Cut expected;
        try {
            expected = cutAtEveryMidpoint(s.rules(), hedged, s.mark(), distance, release);
        } catch (IllegalArgumentException notModelled) {
            Assume.that(false); // a venue whose cross hedge mode is not modelled (Bybit's formula is isolated only)
            return;
        }
        assertThat(s.rules().cutFor(hedged, s.mark(), distance, release)).isEqualTo(expected);
    }

    /**
     * 7a, the review's counterexample itself: a short hedged by a long of 39 % of its size, cut pro rata (Binance's
     * formula on Bybit's BTCUSDT brackets, OKX's with a 0.1 % fee on Binance's); the search without its fallback gives
     * another cut in each.
     */
    @Example
    void cutForOfTheReviewsHedgedShortIsTheBisectionAtEveryMidpoint() {
        Position shortLeg = new Position("BTCUSDT", Side.SHORT, new BigDecimal("2.597"), new BigDecimal("1.93"));
        Position longLeg = new Position("BTCUSDT", Side.LONG, new BigDecimal("1.007636"), new BigDecimal("1.93"));
        BigDecimal mark = new BigDecimal("2.169513");
        BigDecimal distance = new BigDecimal("0.0012");
        Map<MarginRules, RiskTierTable> cases = Map.of(
                MarginRules.binance(), DocTables.BYBIT_BTCUSDT,
                MarginRules.okx(new BigDecimal("0.001")), DocTables.BINANCE_BTCUSDT_2024_10_24);
        cases.forEach((rules, tiers) -> {
            MarginState hedged = new MarginState(
                    shortLeg,
                    MarginMode.CROSS,
                    new BigDecimal("0.16637657"),
                    BigDecimal.valueOf(87),
                    new CrossRest(new BigDecimal("0.12"), new BigDecimal("-0.03")),
                    tiers,
                    List.of(longLeg));
            assertThat(rules.cutFor(hedged, mark, distance, PartialCloseRelease.PRO_RATA))
                    .as(rules.venue().id())
                    .isEqualTo(cutAtEveryMidpoint(rules, hedged, mark, distance, PartialCloseRelease.PRO_RATA));
        });
    }

    /**
     * 7b. Where the cut keeps the margin and the table is flat, the distance is linear in 1/size, and the search takes
     * at most six solves where the bisection at every midpoint takes about forty. (Keeping the margin net of the cut's
     * loss is linear too until that loss empties the wallet: a kink the secant needs more probes for.)
     */
    @Property(tries = 500)
    void cutForSolvesAFewTimesWhereTheDistanceIsLinear(
            @ForAll("flatIsolated") Scenario s,
            @ForAll @BigRange(min = "0.0001", max = "0.4999") @Scale(4) BigDecimal distance) {
        PartialCloseRelease release = PartialCloseRelease.KEEP_MARGIN;
        MarginRules rules = s.rules();
        MarginState state = s.state();
        BigDecimal mark = s.mark();
        BigDecimal qty = state.position().qty();
        Optional<BigDecimal> now = rules.distanceToLiquidation(state, mark);
        Assume.that(now.isPresent() && now.get().compareTo(distance) < 0);
        BigDecimal tiny = qty.movePointLeft(9);
        Optional<BigDecimal> atTiny =
                rules.distanceToLiquidation(rules.afterPartialClose(state, tiny, release, mark), mark);
        Assume.that(atTiny.isEmpty() || atTiny.get().compareTo(distance) >= 0);
        SizeBisection.Found found = SizeBisection.search(
                size -> rules.distanceToLiquidation(rules.afterPartialClose(state, size, release, mark), mark),
                true,
                distance,
                tiny,
                atTiny,
                qty,
                now.get(),
                qty.movePointLeft(12));
        assertThat(found.solves()).as("solves").isLessThanOrEqualTo(6);
    }

    @Provide
    Arbitrary<Scenario> flatIsolated() {
        return scenarios(anyVenueRules(), flatTables("2000"), false);
    }

    /** The cut as {@link MarginRules#cutFor} worked it out before its search: a liquidation solve at every midpoint. */
    private static MarginRules.Cut cutAtEveryMidpoint(
            MarginRules rules, MarginState state, BigDecimal mark, BigDecimal distance, PartialCloseRelease release) {
        BigDecimal qty = state.position().qty();
        if (meets(rules, state, mark, distance)) {
            return new MarginRules.Cut(BigDecimal.ZERO, qty, rules.liquidation(state), false);
        }
        BigDecimal tiny = qty.movePointLeft(9);
        if (!meets(rules, rules.afterPartialClose(state, tiny, release, mark), mark, distance)) {
            return new MarginRules.Cut(qty, BigDecimal.ZERO, new Liquidation.Never("the position is closed"), true);
        }
        BigDecimal ok = tiny;
        BigDecimal bad = qty;
        BigDecimal tolerance = qty.movePointLeft(12);
        while (bad.subtract(ok).compareTo(tolerance) > 0) {
            BigDecimal mid = Decimals.divide(ok.add(bad), BigDecimal.TWO);
            if (meets(rules, rules.afterPartialClose(state, mid, release, mark), mark, distance)) {
                ok = mid;
            } else {
                bad = mid;
            }
        }
        BigDecimal remaining = ok.setScale(Math.max(qty.scale(), 0) + 8, RoundingMode.FLOOR);
        if (remaining.signum() <= 0) {
            return new MarginRules.Cut(qty, BigDecimal.ZERO, new Liquidation.Never("the position is closed"), true);
        }
        return new MarginRules.Cut(
                Decimals.normalize(qty.subtract(remaining)),
                Decimals.normalize(remaining),
                rules.liquidation(rules.afterPartialClose(state, remaining, release, mark)),
                false);
    }

    private static boolean meets(MarginRules rules, MarginState state, BigDecimal mark, BigDecimal distance) {
        Optional<BigDecimal> d = rules.distanceToLiquidation(state, mark);
        return d.isEmpty() || d.get().compareTo(distance) >= 0;
    }
}
