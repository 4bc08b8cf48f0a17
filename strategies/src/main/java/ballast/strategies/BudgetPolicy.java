package ballast.strategies;

import ballast.core.Decimals;
import ballast.core.Side;
import ballast.core.margin.CrossAccount;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionBook;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.Quiet;
import ballast.core.policy.RiskLevel;
import ballast.core.policy.ScalingPolicy;
import ballast.core.venue.Capability;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The default scaling policy: a loss budget kept in the manner of constant proportion portfolio insurance, on the
 * venue's own margin rules.
 *
 * <ul>
 *   <li>The trader declares a loss budget {@code B} per position (an amount, a share of the account's equity, or by
 *       default what a buffered exit at the liquidation price would lose from the entry: the same worst case as that
 *       stop, reached in steps).
 *   <li>The cushion {@code C} is what is left of it: {@code B} less what the position has lost since opening (at the
 *       mark, with funding and every loss its cuts realised), less the cost of the cuts made and of closing the rest.
 *   <li>Exposure allowed is {@code m · C}, {@code m = min(maxMultiplier, 1 / (crashZ · σ))} times the trader's
 *       conviction in [0, 1]: the position may hold what a {@code crashZ}-σ move over the horizon could cost without
 *       spending more than the cushion.
 *   <li>Above it: a reduce-only cut to {@code cutToShare · m · C}, keeping the margin it releases in the position, net
 *       of the cut's loss, so its liquidation price moves away while the position pays for its own losses (a gap can
 *       cost no more than the margin it had). A guard cuts back to a safe distance whenever the liquidation price is closer
 *       than {@code max(guardPct, guardZ · σ)} (funding drains, gaps). {@code C ≤ 0}: close.
 *   <li>It never adds size and never tops up (beyond putting back what a cut released); it scales up only by releasing
 *       margin the guard does not need. A cut is never undone: that is the ratchet.
 * </ul>
 *
 * <p>In cross margin it works on the account: the book is the cross account's, the exposure every cross position's,
 * and it cuts the position that takes most from the account (its released margin stays in the cross wallet anyway).
 */
public final class BudgetPolicy implements ScalingPolicy {

    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final BudgetParams params;
    // The percentages as fractions, once: a decision per mark should not divide by a hundred four times.
    private final BigDecimal cost;
    private final BigDecimal guardFloor;
    private final BigDecimal safeFloor;
    private final BigDecimal releaseFloor;

    public BudgetPolicy(BudgetParams params) {
        this.params = params;
        this.cost = params.costPct().divide(HUNDRED, MC);
        this.guardFloor = params.guardPct().divide(HUNDRED, MC);
        this.safeFloor = params.safePct().divide(HUNDRED, MC);
        this.releaseFloor = params.releasePct().divide(HUNDRED, MC);
    }

    @Override
    public String name() {
        return "budget";
    }

    /** Never reads z's speed: the engine need not measure it. */
    @Override
    public boolean readsSpeed() {
        return false;
    }

    @Override
    public Set<Capability> requires() {
        return Set.of(
                Capability.REMOVE_ISOLATED_MARGIN,
                Capability.ADD_ISOLATED_MARGIN,
                Capability.REDUCE_ONLY_ORDER,
                Capability.CLOSE_POSITION);
    }

    /** Everything the policy measured for one decision, for its actions' reasons and for {@code ballast plan}. */
    public record Measure(
            BigDecimal budget,
            BigDecimal cushion,
            BigDecimal exposure,
            BigDecimal multiplier,
            BigDecimal allowed,
            BigDecimal guard,
            BigDecimal safe) {}

    /**
     * The last budget worked out, with the opening figures it came from: a position's opening book does not change, so
     * the next mark of the same position finds it here (compared by identity: the engine hands the same objects).
     * Immutable, so a policy shared between threads sees a whole one or none.
     */
    private record Remembered(
            Optional<BigDecimal> distance,
            BigDecimal notional,
            BigDecimal equity,
            BigDecimal accountEquity,
            BigDecimal budget,
            BigDecimal half) {}

    private volatile Remembered remembered;

    /**
     * What the policy's limits are at one σ, worked out once per σ (the monitor hands the same object while σ holds,
     * as it does for a whole candle or at the floor): the multiplier before conviction, the guard, the safe distance
     * and the distance a release keeps.
     */
    private record AtSigma(
            BigDecimal sigma, BigDecimal multiplier, BigDecimal guard, BigDecimal safe, BigDecimal keep) {}

    private volatile AtSigma atSigma;

    private AtSigma atSigma(BigDecimal sigma) {
        AtSigma last = atSigma;
        if (last != null && last.sigma() == sigma) {
            return last;
        }
        AtSigma figures = limits(sigma);
        atSigma = figures;
        return figures;
    }

    /** The limits at {@code sigma}, worked out: each is monotone in σ, rounding included. */
    private AtSigma limits(BigDecimal sigma) {
        BigDecimal multiplier = sigma.signum() > 0
                ? BigDecimal.ONE.divide(params.crashZ().multiply(sigma), MC).min(params.maxMultiplier())
                : params.maxMultiplier();
        AtSigma figures = new AtSigma(
                sigma,
                multiplier,
                guardFloor.max(params.guardZ().multiply(sigma, MC)),
                safeFloor.max(params.safeZ().multiply(sigma, MC)),
                releaseFloor.max(params.releaseZ().multiply(sigma, MC)));
        return figures;
    }

    /** Half the budget of {@code book}: below it the policy warns. */
    private BigDecimal halfBudget(PositionBook book) {
        return remembered(book).half();
    }

    /** The loss budget of a position with this book. */
    public BigDecimal budget(PositionBook book) {
        return remembered(book).budget();
    }

    private Remembered remembered(PositionBook book) {
        Remembered last = remembered;
        if (last != null
                && last.distance() == book.openingDistance()
                && last.notional() == book.openingNotional()
                && last.equity() == book.openingEquity()
                && last.accountEquity() == book.openingAccountEquity()) {
            return last;
        }
        BigDecimal budget = workOut(book);
        Remembered worked = new Remembered(
                book.openingDistance(),
                book.openingNotional(),
                book.openingEquity(),
                book.openingAccountEquity(),
                budget,
                budget.divide(BigDecimal.TWO, MC));
        remembered = worked;
        return worked;
    }

    private BigDecimal workOut(PositionBook book) {
        if (params.budgetAmount().isPresent()) {
            return params.budgetAmount().get();
        }
        if (params.budgetPct().isPresent()) {
            return book.openingAccountEquity()
                    .multiply(params.budgetPct().get())
                    .divide(HUNDRED, MC);
        }
        // What a buffered exit would lose from the entry: the move to the liquidation price, less the buffer, on the
        // opening size; never more than the equity behind the position (a hedged cross account loses less than its
        // summed notional says).
        BigDecimal toLiquidation = book.openingDistance()
                .map(d -> book.openingNotional().multiply(d))
                .orElse(book.openingEquity())
                .min(book.openingEquity());
        // Sixteen significant digits, as every figure the policy compares: the opening distance comes with 34, and a
        // budget that long would make every cushion on every mark a long-number sum.
        return toLiquidation.multiply(BigDecimal.ONE.subtract(params.autoBuffer()), MC);
    }

    /** The multiplier as the trader's conviction scales it (full conviction, the plain 1, leaves it as it is). */
    private static BigDecimal convinced(BigDecimal multiplier, BigDecimal conviction) {
        return conviction.equals(BigDecimal.ONE) ? multiplier : multiplier.multiply(conviction, MC);
    }

    /** The cushion, the exposure and the limits for one input. */
    public Measure measure(PolicyInput input) {
        PositionRisk risk = input.risk();
        PositionBook book = input.book();
        BigDecimal budget = budget(book);
        BigDecimal exposure = exposure(risk);
        BigDecimal cushion = budget.subtract(book.loss())
                .subtract(cost.multiply(book.cutNotional().add(exposure)))
                .round(MC);
        AtSigma limits = atSigma(risk.sigma());
        BigDecimal multiplier = convinced(limits.multiplier(), input.conviction());
        BigDecimal allowed = cushion.signum() > 0 ? multiplier.multiply(cushion, MC) : BigDecimal.ZERO;
        return new Measure(budget, cushion, exposure, multiplier, allowed, limits.guard(), limits.safe());
    }

    @Override
    public Decision decide(PolicyInput input) {
        PositionRisk risk = input.risk();
        Measure m = measure(input);
        Side side = risk.state().position().side();
        boolean stale = risk.markAge().compareTo(params.staleAfter()) > 0;
        boolean guardBreached =
                risk.distance().isPresent() && risk.distance().get().compareTo(m.guard()) < 0;
        boolean over = m.exposure().compareTo(m.allowed()) > 0;
        List<Action> actions = new ArrayList<>();

        if (m.cushion().signum() <= 0 || risk.liquidation() instanceof Liquidation.Unavoidable) {
            String why = m.cushion().signum() <= 0
                    ? "the loss budget is spent: " + describe(risk, m)
                    : "liquidation cannot be avoided: " + describe(risk, m);
            alertOnEntry(input, RiskLevel.CLOSE, () -> why, actions);
            actions.add(new Action.ClosePosition(risk.symbol(), side, why));
            return new Decision(RiskLevel.CLOSE, actions);
        }

        RiskLevel level;
        if (over || guardBreached) {
            level = RiskLevel.CUT;
        } else if (m.cushion().compareTo(halfBudget(input.book())) < 0
                || m.exposure().compareTo(params.cutToShare().multiply(m.allowed())) > 0
                || (risk.distance().isPresent() && risk.distance().get().compareTo(m.safe()) < 0)) {
            level = RiskLevel.WARN;
        } else {
            level = RiskLevel.WATCH;
        }
        if (stale && RiskLevel.WARN.isAbove(level)) {
            level = RiskLevel.WARN;
        }
        if (stale) {
            actions.add(new Action.Alert(
                    risk.symbol(),
                    side,
                    level,
                    "no mark for " + risk.markAge().toSeconds() + " s: acting on the last one, " + describe(risk, m)));
        } else if (entering(input, level)) {
            actions.add(new Action.Alert(risk.symbol(), side, level, describe(risk, m)));
        }
        if (!cooled(input)) {
            // Nothing is done before the cooldown ends; at WATCH or WARN that is still a quiet worth proving.
            return quietOrNot(input, m, level, actions, stale);
        }
        if (level == RiskLevel.CUT) {
            actions.addAll(cut(input, m, over, guardBreached));
        } else if (level == RiskLevel.WATCH) {
            Optional<Action> release = release(input, m);
            if (release.isPresent()) {
                actions.add(release.get());
            }
        }
        return quietOrNot(input, m, level, actions, stale);
    }

    /**
     * The decision, with where it holds when it does nothing but perhaps alert at WATCH or WARN: proved for the marks
     * after it, heard at the level it decided (when it moved the level, the next input is at the new one, and no alert
     * comes again).
     */
    private Decision quietOrNot(PolicyInput input, Measure m, RiskLevel level, List<Action> actions, boolean stale) {
        if (stale || !Action.onlyAlerts(actions)) {
            return new Decision(level, actions);
        }
        if (level == RiskLevel.WATCH) {
            return new Decision(level, actions, quiet(input.at(level), m));
        }
        if (level == RiskLevel.WARN) {
            return new Decision(level, actions, quietAtWarn(input.at(level), m));
        }
        return new Decision(level, actions);
    }

    /**
     * How far σ may move either way, as a share of the σ decided on, before the policy is asked again. What σ moves
     * besides the distance bounds (the multiplier, the distance a release keeps) is bounded at the band's ends; the
     * guard and the safe distance, where z bounds them ({@link #zFloor}), are not. Counted on a 1,000-entry study
     * (decisions at a mark): 10 % 136k, 15 % 129k, 20 % 127k, 25 % 129k, 30 % 134k; the band's ends narrow the mark
     * band through the multiplier, so a wider one is not fewer decisions.
     */
    private static final BigDecimal SIGMA_BAND = new BigDecimal("0.20");

    /**
     * What a z bound gives up above the z it stands for: the engine's z is the distance over σ truncated to ten decimals
     * (the fixed-point monitor) or rounded to twelve digits (the exact one), so a z at or above {@code Z + 10⁻⁹} is a
     * distance at or above {@code Z · σ} for any z under a thousand.
     */
    private static final BigDecimal Z_PAD = new BigDecimal("1E-9");
    /** How far the mark may move either way, as a share of the mark decided on, before the policy is asked again. */
    static final BigDecimal MARK_BAND = new BigDecimal("0.05");
    /** What the mark band gives up at each end, as a share of the mark, so its ends are strictly inside. */
    private static final BigDecimal SHRINK = new BigDecimal("1E-9");
    /**
     * The margin the ends are verified with, as a share of the figures compared: more than the 16-digit roundings of
     * the cushion and the allowed exposure can move them.
     */
    private static final BigDecimal SLACK = new BigDecimal("1E-14");

    /**
     * The precision an edge of a quiet is estimated with (where a line crosses a bound, or σ meets a distance): every
     * edge is then moved inward by {@link #SHRINK}, rounded inward to twelve digits and verified exactly where it ends
     * up, so digits beyond sixteen would only slow each estimate (34-digit quotients leave the {@code long} fast path).
     */
    private static final MathContext ESTIMATE = MathContext.DECIMAL64;

    /**
     * Where a decision at WATCH with nothing to do stays so, worked out from what the level and the release depend on:
     * for an isolated one-way position, with σ in {@code σ · (1 ± 20 %)} and the mark within 5 %,
     *
     * <ul>
     *   <li>the cushion {@code c(P) = c₀ + q · (s − cost) · (P − P₀)} is linear in the mark, and so is what the exposure
     *       may be; the mark band is where the cushion stays at or above half the budget and the exposure at or under
     *       {@code cutToShare} of what is allowed at the highest σ (the smallest multiplier), each verified at both
     *       ends with exact arithmetic and a margin for the roundings (a linear function that holds at both ends of an
     *       interval holds inside it);
     *   <li>the distance stays at or above the guard and the safe distance: where the position is past both, as z at or
     *       above both z limits and the distance at or above both floors, whatever σ does ({@link #zFloor}); else at the
     *       highest σ (the band's top lowered, near either, to where they stay under the distance: a position released
     *       down to its safe distance sits there);
     *   <li>once cooled, no release is worth making: the venue's initial-margin rule leaves less than
     *       {@code releaseMinPct} of the wallet anywhere in the mark band (narrowed to where it does), or its
     *       maintenance rule does from some mark up (the maintenance margin never falls as the mark rises, on every
     *       family, with brackets that meet), or the distance
     *       stays at or under where such a release could begin at the highest mark and the lowest σ (the bounds of
     *       {@link #mayRelease}); before the cooldown ends, the quiet lasts until it does.
     * </ul>
     *
     * The limits are monotone in σ (rounding included): a smaller multiplier and a wider guard at a higher σ, a nearer
     * release at a lower one. {@code BudgetQuietProperties} checks the result against {@link #decide}.
     */
    private Quiet quiet(PolicyInput input, Measure m) {
        // What is worth releasing grows slower than the wallet only up to a whole wallet: beyond it nothing is banded.
        return overWallets(input, params.releaseMinPct().compareTo(HUNDRED) <= 0, wallets -> quiet(input, m, wallets));
    }

    /**
     * What {@code prove} proves for the wallet band ({@link #walletBand}), as a {@link Quiet.Wallets}, when it is
     * {@code banded} and proves anything there; else what it proves for the position's own wallet alone.
     */
    private static Quiet overWallets(
            PolicyInput input, boolean banded, java.util.function.Function<BigDecimal[], Quiet> prove) {
        MarginState state = input.risk().state();
        if (banded) {
            BigDecimal[] band = walletBand(state, input.risk().mark());
            Quiet over = prove.apply(band);
            if (over != Quiet.NEVER) {
                return new Quiet.Wallets(band[0], band[1], over);
            }
        }
        return prove.apply(new BigDecimal[] {state.wallet(), state.wallet()});
    }

    /**
     * {@link #quiet(PolicyInput, Measure)} for every isolated wallet from {@code wallets[0]} to {@code wallets[1]}, the
     * position's own among them: each bound is worked out at the wallet where it binds (the cushion's at the lowest,
     * the initial-margin and maintenance rules' at the highest, the distance's at the lowest worth of a release) and
     * holds on the side of it where the band lies.
     */
    private Quiet quiet(PolicyInput input, Measure m, BigDecimal[] wallets) {
        PositionRisk risk = input.risk();
        MarginState state = risk.state();
        BigDecimal sigma = risk.sigma();
        BigDecimal half = halfBudget(input.book());
        if (!provable(risk, half)) {
            return Quiet.NEVER;
        }
        BigDecimal lowSigma = sigma.multiply(BigDecimal.ONE.subtract(SIGMA_BAND));
        BigDecimal highSigma = sigma.multiply(BigDecimal.ONE.add(SIGMA_BAND));
        // The guard and the safe distance as z and a floor, where the position is past both: then σ moves neither.
        BigDecimal lowZ = zFloor(risk, params.guardZ().max(params.safeZ()), guardFloor.max(safeFloor));
        if (risk.distance().isPresent() && lowZ == null) {
            // Near the guard or the safe distance the band's top narrows to where both stay under the distance.
            AtSigma now = atSigma(sigma);
            BigDecimal d = risk.distance().get();
            highSigma = sigmaUnder(highSigma, sigma, d, now.guard(), params.guardZ());
            highSigma = sigmaUnder(highSigma, sigma, d, now.safe(), params.safeZ());
        }
        AtSigma low = limits(lowSigma);
        AtSigma high = limits(highSigma);
        BigDecimal multiplier = convinced(high.multiplier(), input.conviction());
        BigDecimal share = params.cutToShare().multiply(multiplier);
        BigDecimal mark = risk.mark();
        BigDecimal qty = state.position().qty();
        Line line = cushionLine(input, m);
        // The cushion moves with the wallet, one for one: the lowest wallet's is the least.
        Line lowest = line.shifted(wallets[0].subtract(state.wallet()));
        Line highest = line.shifted(wallets[1].subtract(state.wallet()));
        BigDecimal[] band = markBand(mark);
        // c(P) ≥ half, and q · P ≤ share · c(P).
        keepCushion(band, lowest, half, true);
        keepExposure(band, lowest, qty, share, true);
        BigDecimal[] ends = inward(band, mark);
        if (ends == null) {
            return Quiet.NEVER;
        }
        for (Line at : List.of(lowest, highest)) {
            if (!holdsAt(ends[0], at, half, share, qty) || !holdsAt(ends[1], at, half, share, qty)) {
                return Quiet.NEVER;
            }
        }
        BigDecimal lowMark = ends[0];
        BigDecimal highMark = ends[1];
        BigDecimal lowDistance =
                lowZ != null ? guardFloor.max(safeFloor) : high.guard().max(high.safe());
        if (risk.distance().isPresent() && risk.distance().get().compareTo(lowDistance) < 0) {
            // Safe at this σ, not at a slightly higher one: too close to the edge to prove anything.
            return Quiet.NEVER;
        }
        if (!cooled(input)) {
            // No release before the cooldown ends, whatever the distance: quiet until then.
            Instant until = input.lastActionAt().orElseThrow().plus(params.cooldown());
            return new Quiet.Within(lowMark, highMark, lowSigma, highSigma, lowDistance, null, lowZ, null, until);
        }
        // The venue's rules leave more to release from a larger wallet: they are asked at the highest.
        MarginState largest = wallets[1].equals(state.wallet()) ? state : state.withWallet(wallets[1]);
        BigDecimal worthAtLargest = worth(wallets[1]);
        // Either the venue's initial-margin rule leaves nothing worth releasing anywhere in a (narrower) mark band ...
        BigDecimal[] initial = belowInitial(largest, worthAtLargest, mark, lowMark, highMark);
        if (initial != null) {
            return new Quiet.Within(initial[0], initial[1], lowSigma, highSigma, lowDistance, null, lowZ, null, null);
        }
        // ... or the maintenance rule does: what the wallet holds above maintenance stays under what is worth releasing
        // from some mark up (the maintenance margin never falls as the mark rises, on a joined table) ...
        if (joined(state.tiers())) {
            BigDecimal from = aboveMaintenance(risk.rules(), largest, worthAtLargest, mark, lowMark);
            if (from != null) {
                return new Quiet.Within(from, highMark, lowSigma, highSigma, lowDistance, null, lowZ, null, null);
            }
        }
        // ... or the distance stays where the distance bound leaves nothing worth releasing (the least worth a release
        // is the lowest wallet's).
        BigDecimal worth = worth(wallets[0]);
        BigDecimal keep = low.keep();
        BigDecimal factor = state.exposureSide() == Side.SHORT ? shortFactor(state.tiers()) : BigDecimal.ONE;
        BigDecimal highDistance = keep;
        if (worth.signum() > 0) {
            BigDecimal most = qty.multiply(highMark).multiply(factor);
            BigDecimal further = keep.add(worth.divide(most, ESTIMATE)
                    .multiply(BigDecimal.ONE.subtract(SHRINK))
                    .round(ESTIMATE));
            // byDistance at the highest mark and the highest distance must stay under what is worth releasing.
            if (most.multiply(further.subtract(keep)).compareTo(worth) < 0) {
                highDistance = further;
            }
        }
        if (risk.distance().isPresent() && risk.distance().get().compareTo(highDistance) > 0) {
            // Something else kept this mark from a release (the maintenance rule, the solver): nothing proved.
            return Quiet.NEVER;
        }
        return new Quiet.Within(lowMark, highMark, lowSigma, highSigma, lowDistance, highDistance, lowZ, null, null);
    }

    /**
     * The z bound that keeps the distance at or above {@code max(floor, z · σ)} for every σ, {@code z} and a little
     * ({@link #Z_PAD}), where the position is there now (z and the distance measured, the distance at or above {@code
     * floor}, z at or above the bound): with the floor as a distance bound, the quiet then holds whatever σ does to that
     * limit (z = distance / σ ≥ Z gives distance ≥ Z · σ, and {@code Z · σ} is exact in the digits it has). Null where
     * it is not, and the limit is bounded as a distance at the band's highest σ instead.
     */
    private static BigDecimal zFloor(PositionRisk risk, BigDecimal z, BigDecimal floor) {
        BigDecimal bound = z.add(Z_PAD);
        return risk.distance().isPresent()
                        && risk.z().isPresent()
                        && risk.distance().get().compareTo(floor) >= 0
                        && risk.z().get().compareTo(bound) >= 0
                        && bound.compareTo(THOUSAND) < 0
                ? bound
                : null;
    }

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /**
     * The part of {@code [lowMark, highMark]} around {@code mark} where {@link #mayRelease}'s initial-margin bound says
     * no: {@code f(P) = (wallet + uPnL(P) − worth + 1 cent) · leverage − q · P < 0}, linear in the mark, verified exactly
     * at both ends; null when it does not hold at {@code mark}.
     */
    static BigDecimal[] belowInitial(
            MarginState state, BigDecimal worth, BigDecimal mark, BigDecimal lowMark, BigDecimal highMark) {
        if (aboveInitial(state, worth, mark).signum() >= 0) {
            return null;
        }
        BigDecimal qty = state.position().qty();
        BigDecimal leverage = state.leverage();
        // f(P) = f(P₀) + k · (P − P₀), k = (s · leverage − 1) · q.
        BigDecimal k = (state.position().side() == Side.LONG ? leverage : leverage.negate())
                .subtract(BigDecimal.ONE)
                .multiply(qty);
        BigDecimal low = lowMark;
        BigDecimal high = highMark;
        if (k.signum() != 0) {
            BigDecimal edge = mark.subtract(aboveInitial(state, worth, mark).divide(k, ESTIMATE));
            BigDecimal shrink = mark.multiply(SHRINK);
            if (k.signum() > 0) {
                high = high.min(edge.subtract(shrink));
            } else {
                low = low.max(edge.add(shrink));
            }
        }
        if (low.compareTo(mark) > 0
                || high.compareTo(mark) < 0
                || aboveInitial(state, worth, low).signum() >= 0
                || aboveInitial(state, worth, high).signum() >= 0) {
            return null;
        }
        return new BigDecimal[] {low, high};
    }

    /**
     * The lowest mark in {@code [lowMark, mark]} from which the wallet holds less than {@code worth} above the
     * maintenance margin, verified there exactly (the maintenance margin does not fall as the mark rises, so it holds
     * above); null when it does not hold at {@code mark}. The estimate follows the maintenance margin's line at the mark
     * (it is linear within a bracket); where a bracket's edge lies between, it moves halfway back towards the mark.
     */
    static BigDecimal aboveMaintenance(
            MarginRules rules, MarginState state, BigDecimal worth, BigDecimal mark, BigDecimal lowMark) {
        BigDecimal most = state.wallet().subtract(worth);
        BigDecimal atMark = rules.maintenanceMargin(state, mark);
        if (atMark.compareTo(most) <= 0) {
            return null;
        }
        if (rules.maintenanceMargin(state, lowMark).compareTo(most) > 0) {
            return lowMark;
        }
        BigDecimal step = mark.multiply(SLOPE_STEP);
        BigDecimal slope = atMark.subtract(rules.maintenanceMargin(state, mark.subtract(step)))
                .divide(step, ESTIMATE);
        if (slope.signum() <= 0) {
            return null;
        }
        BigDecimal shrink = mark.multiply(SHRINK);
        BigDecimal from = mark.subtract(atMark.subtract(most).divide(slope, ESTIMATE))
                .add(shrink)
                .round(UP_12)
                .max(lowMark);
        for (int tries = 0; tries < 4 && from.compareTo(mark) <= 0; tries++) {
            if (rules.maintenanceMargin(state, from).compareTo(most) > 0) {
                return from;
            }
            from = from.add(mark.subtract(from).divide(BigDecimal.TWO, ESTIMATE))
                    .round(UP_12);
        }
        return null;
    }

    private static final BigDecimal SLOPE_STEP = new BigDecimal("1E-6");
    static final MathContext UP_12 = new MathContext(12, RoundingMode.CEILING);
    static final MathContext DOWN_12 = new MathContext(12, RoundingMode.FLOOR);

    /** {@code f(P)} of {@link #belowInitial}: a release worth {@code worth} may pass the initial-margin rule when ≥ 0. */
    private static BigDecimal aboveInitial(MarginState state, BigDecimal worth, BigDecimal p) {
        return state.wallet()
                .add(state.position().unrealizedPnl(p))
                .subtract(worth)
                .add(CENT)
                .multiply(state.leverage())
                .subtract(state.position().qty().multiply(p));
    }

    /**
     * Where a decision at WARN with nothing to do stays so (WARN has no action of its own): no cut, the cushion above
     * zero and the exposure at or under what is allowed at the highest σ, the distance at or above the guard there;
     * and the reason it warns now still holds (the cushion under half the budget, the exposure above {@code cutToShare}
     * of what is allowed at the lowest σ, or the distance under the safe distance at the lowest σ). The same linear
     * bounds as {@link #quiet}, verified exactly at both ends of the mark band.
     */
    private Quiet quietAtWarn(PolicyInput input, Measure m) {
        return overWallets(input, true, wallets -> quietAtWarn(input, m, wallets));
    }

    /**
     * {@link #quietAtWarn(PolicyInput, Measure)} for every isolated wallet from {@code wallets[0]} to {@code wallets[1]}:
     * no close and no cut bound at the lowest wallet's cushion, the reason it warns at the highest's, every check
     * verified at both.
     */
    private Quiet quietAtWarn(PolicyInput input, Measure m, BigDecimal[] wallets) {
        PositionRisk risk = input.risk();
        MarginState state = risk.state();
        BigDecimal sigma = risk.sigma();
        BigDecimal half = halfBudget(input.book());
        if (!provable(risk, half)) {
            return Quiet.NEVER;
        }
        BigDecimal lowSigma = sigma.multiply(BigDecimal.ONE.subtract(SIGMA_BAND));
        BigDecimal highSigma = sigma.multiply(BigDecimal.ONE.add(SIGMA_BAND));
        AtSigma now = atSigma(sigma);
        Optional<BigDecimal> distance = risk.distance();
        // The guard as z and a floor, where the position is past it: then σ does not move it.
        BigDecimal lowZ = zFloor(risk, params.guardZ(), guardFloor);
        // Near the guard or the safe distance the σ band narrows to where they stay on the same side: the σ at which
        // each would meet the midpoint between the distance and where it is now.
        if (distance.isPresent() && lowZ == null) {
            highSigma = sigmaUnder(highSigma, sigma, distance.get(), now.guard(), params.guardZ());
        }
        if (distance.isPresent()
                && distance.get().compareTo(now.safe()) < 0
                && params.safeZ().signum() > 0) {
            BigDecimal mid = distance.get().add(now.safe()).divide(BigDecimal.TWO, ESTIMATE);
            lowSigma = lowSigma.max(mid.divide(params.safeZ(), ESTIMATE).min(sigma))
                    .round(UP_12);
        }
        if (lowSigma.compareTo(sigma) > 0 || highSigma.compareTo(sigma) < 0) {
            return Quiet.NEVER;
        }
        AtSigma low = limits(lowSigma);
        AtSigma high = limits(highSigma);
        BigDecimal most = convinced(high.multiplier(), input.conviction());
        BigDecimal least = convinced(low.multiplier(), input.conviction());
        BigDecimal mark = risk.mark();
        BigDecimal qty = state.position().qty();
        Line line = cushionLine(input, m);
        Line lowest = line.shifted(wallets[0].subtract(state.wallet()));
        Line highest = line.shifted(wallets[1].subtract(state.wallet()));
        BigDecimal[] band = markBand(mark);
        // No close: c(P) > 0. No cut: q · P ≤ most · c(P).
        keepCushion(band, lowest, BigDecimal.ZERO, true);
        keepExposure(band, lowest, qty, most, true);
        BigDecimal highDistance = null;
        int reason;
        if (m.cushion().compareTo(half) < 0) {
            reason = 0;
            keepCushion(band, highest, half, false);
        } else if (m.exposure().compareTo(params.cutToShare().multiply(m.allowed())) > 0) {
            reason = 1;
            keepExposure(band, highest, qty, params.cutToShare().multiply(least), false);
        } else if (distance.isPresent() && distance.get().compareTo(m.safe()) < 0) {
            reason = 2;
            // Under the safe distance at the lowest σ, strictly: the largest twelve-decimal distance below it.
            BigDecimal safe = low.safe();
            highDistance = safe.setScale(DISTANCE_SCALE, RoundingMode.FLOOR);
            if (highDistance.compareTo(safe) >= 0) {
                highDistance = highDistance.subtract(BigDecimal.ONE.movePointLeft(DISTANCE_SCALE));
            }
            if (risk.distance().get().compareTo(highDistance) > 0) {
                return Quiet.NEVER;
            }
        } else {
            return Quiet.NEVER;
        }
        BigDecimal[] ends = inward(band, mark);
        if (ends == null) {
            return Quiet.NEVER;
        }
        BigDecimal lowMark = ends[0];
        BigDecimal highMark = ends[1];
        for (Line at : List.of(lowest, highest)) {
            for (BigDecimal p : ends) {
                if (!warnsAt(p, at, qty, half, most, least, reason)) {
                    return Quiet.NEVER;
                }
            }
        }
        BigDecimal lowDistance = lowZ != null ? guardFloor : high.guard();
        if (risk.distance().isPresent() && risk.distance().get().compareTo(lowDistance) < 0) {
            return Quiet.NEVER;
        }
        return new Quiet.Within(lowMark, highMark, lowSigma, highSigma, lowDistance, highDistance, lowZ, null, null);
    }

    /**
     * At a mark of {@code p}, on the cushion {@code line}: no close (the cushion above zero), no cut (the exposure at or
     * under {@code most} of the cushion) and the reason the policy warns still there, each with a margin for the
     * roundings.
     */
    private boolean warnsAt(
            BigDecimal p, Line line, BigDecimal qty, BigDecimal half, BigDecimal most, BigDecimal least, int reason) {
        BigDecimal c = line.at(p);
        BigDecimal exposure = qty.multiply(p);
        BigDecimal limit = most.multiply(c);
        boolean warns = switch (reason) {
            case 0 -> half.subtract(c).compareTo(c.abs().multiply(SLACK)) >= 0;
            case 1 -> {
                BigDecimal share = params.cutToShare().multiply(least).multiply(c);
                yield exposure.subtract(share).compareTo(share.abs().multiply(SLACK)) >= 0;
            }
            default -> true;
        };
        return c.compareTo(c.abs().multiply(SLACK)) >= 0
                && limit.subtract(exposure).compareTo(limit.abs().multiply(SLACK)) >= 0
                && warns;
    }

    /**
     * The top of a σ band, at most {@code highest}, under which a distance of {@code z·σ} (the guard or the safe
     * distance, {@code atSigma} at {@code sigma}) stays on the same side of {@code distance}: the σ at which it would
     * meet the midpoint between the two, or {@code sigma} itself when it is there already; twelve digits, rounded down.
     * The bound that uses it is checked exactly at the band's top all the same.
     */
    private static BigDecimal sigmaUnder(
            BigDecimal highest, BigDecimal sigma, BigDecimal distance, BigDecimal atSigma, BigDecimal z) {
        if (z.signum() <= 0) {
            return highest;
        }
        BigDecimal mid = distance.add(atSigma).divide(BigDecimal.TWO, ESTIMATE);
        return highest.min(mid.divide(z, ESTIMATE).max(sigma)).round(DOWN_12);
    }

    /**
     * Whether a quiet can be proved at all: an isolated one-way position (a cross account or hedge legs are decided on
     * every mark) that can still be saved, with a volatility and a budget to work from.
     */
    private static boolean provable(PositionRisk risk, BigDecimal half) {
        MarginState state = risk.state();
        return state.mode() == MarginMode.ISOLATED
                && state.hedgeLegs().isEmpty()
                && risk.account().isEmpty()
                && !(risk.liquidation() instanceof Liquidation.Unavoidable)
                && risk.sigma().signum() > 0
                && half.signum() > 0;
    }

    /** The fixed point of the distances the engine hands out (10⁻¹²). */
    private static final int DISTANCE_SCALE = 12;

    /**
     * The cushion as a line in the mark, {@code c(P) = c₀ + slope · (P − mark)}, before rounding: {@code c₀} from the
     * budget, the loss and the cost of cutting, {@code slope = q · (s − cost)} with {@code s} the side's sign.
     */
    private record Line(BigDecimal mark, BigDecimal c0, BigDecimal slope) {
        BigDecimal at(BigDecimal p) {
            return c0.add(slope.multiply(p.subtract(mark)));
        }

        /**
         * The line after the isolated wallet moved by {@code by}: the book's equity moves with it, the loss the other
         * way, and the cushion by {@code by} at every mark.
         */
        Line shifted(BigDecimal by) {
            return by.signum() == 0 ? this : new Line(mark, c0.add(by), slope);
        }
    }

    /**
     * How far the isolated wallet may move either way while a quiet holds, as a share of the notional at the mark: ten
     * funding settlements at the usual 0.01 %.
     */
    static final BigDecimal WALLET_BAND = new BigDecimal("0.001");

    /**
     * The wallets a quiet is proved for: {@link #WALLET_BAND} of the notional either way of the position's own (none
     * under zero).
     */
    static BigDecimal[] walletBand(MarginState state, BigDecimal mark) {
        BigDecimal by = state.position().qty().multiply(mark).multiply(WALLET_BAND);
        return new BigDecimal[] {
            state.wallet().subtract(by).max(BigDecimal.ZERO), state.wallet().add(by)
        };
    }

    /** What is worth releasing from a wallet of {@code wallet}. */
    private BigDecimal worth(BigDecimal wallet) {
        return wallet.multiply(params.releaseMinPct()).divide(HUNDRED, MC);
    }

    private Line cushionLine(PolicyInput input, Measure m) {
        PositionBook book = input.book();
        MarginState state = input.risk().state();
        BigDecimal c0 = m.budget()
                .subtract(book.loss())
                .subtract(cost.multiply(book.cutNotional().add(m.exposure())));
        BigDecimal sign = state.position().side() == Side.LONG ? BigDecimal.ONE : MINUS_ONE;
        return new Line(
                input.risk().mark(),
                c0,
                sign.subtract(cost).multiply(state.position().qty()));
    }

    /** The widest band a quiet may hold: the mark, {@link #MARK_BAND} either way. */
    private static BigDecimal[] markBand(BigDecimal mark) {
        return new BigDecimal[] {
            mark.multiply(BigDecimal.ONE.subtract(MARK_BAND)), mark.multiply(BigDecimal.ONE.add(MARK_BAND))
        };
    }

    /**
     * The band's ends moved inward by {@link #SHRINK} and rounded inward to twelve digits (they are compared with
     * every mark while they hold); null when the mark itself is no longer inside.
     */
    private static BigDecimal[] inward(BigDecimal[] band, BigDecimal mark) {
        BigDecimal shrink = mark.multiply(SHRINK);
        BigDecimal low = band[0].add(shrink).round(UP_12);
        BigDecimal high = band[1].subtract(shrink).round(DOWN_12);
        return low.compareTo(mark) > 0 || high.compareTo(mark) < 0 ? null : new BigDecimal[] {low, high};
    }

    /**
     * Narrows {@code band} to where {@code c(P) ≥ bound} ({@code atLeast}) or {@code c(P) ≤ bound}: the line crosses
     * the bound once, and which end it cuts depends on the sign of its slope.
     */
    private static void keepCushion(BigDecimal[] band, Line line, BigDecimal bound, boolean atLeast) {
        if (line.slope().signum() == 0) {
            return;
        }
        BigDecimal edge = line.mark().add(bound.subtract(line.c0()).divide(line.slope(), ESTIMATE));
        if ((line.slope().signum() > 0) == atLeast) {
            band[0] = band[0].max(edge);
        } else {
            band[1] = band[1].min(edge);
        }
    }

    /**
     * Narrows {@code band} to where {@code q · P ≤ k · c(P)} ({@code atMost}) or {@code q · P ≥ k · c(P)}: {@code P ·
     * (q − k · slope)} against {@code k · (c₀ − slope · P₀)}, cut at the end the sign of {@code q − k · slope} says.
     */
    private static void keepExposure(BigDecimal[] band, Line line, BigDecimal qty, BigDecimal k, boolean atMost) {
        BigDecimal a = qty.subtract(k.multiply(line.slope()));
        if (a.signum() == 0) {
            return;
        }
        BigDecimal edge = k.multiply(line.c0().subtract(line.slope().multiply(line.mark())))
                .divide(a, ESTIMATE);
        if ((a.signum() > 0) == atMost) {
            band[1] = band[1].min(edge);
        } else {
            band[0] = band[0].max(edge);
        }
    }

    /**
     * Whether at mark {@code p} the cushion is at least half the budget and the exposure at most {@code share} of it,
     * exactly and with room for the roundings.
     */
    private static boolean holdsAt(BigDecimal p, Line line, BigDecimal half, BigDecimal share, BigDecimal qty) {
        BigDecimal c = line.at(p);
        BigDecimal limit = share.multiply(c);
        return c.subtract(half).compareTo(c.abs().multiply(SLACK)) >= 0
                && limit.subtract(qty.multiply(p)).compareTo(limit.abs().multiply(SLACK)) >= 0;
    }

    private static final BigDecimal MINUS_ONE = BigDecimal.ONE.negate();

    /** The size to cut: enough to bring the exposure under the cushion's limit, and the liquidation price to safety. */
    private List<Action> cut(PolicyInput input, Measure m, boolean over, boolean guardBreached) {
        PositionRisk risk = input.risk();
        Side side = risk.state().position().side();
        Optional<CrossAccount> account = risk.account();
        BigDecimal qty = account.isPresent()
                ? account.get()
                        .member(risk.symbol(), side)
                        .orElseThrow()
                        .position()
                        .qty()
                : risk.state().position().qty();
        BigDecimal mark = risk.mark();
        BigDecimal cutQty = BigDecimal.ZERO;
        boolean closes = false;
        List<String> why = new ArrayList<>();
        if (over) {
            BigDecimal target = params.cutToShare().multiply(m.allowed(), MC);
            BigDecimal excess = m.exposure().subtract(target);
            cutQty = excess.divide(mark, MC);
            closes = cutQty.compareTo(qty) >= 0;
            why.add("exposure " + money(m.exposure()) + " above " + money(m.allowed()) + " allowed, cut to "
                    + money(target));
        }
        if (guardBreached) {
            if (account.isPresent()) {
                CrossAccount.Cut guard = account.get()
                        .cutFor(
                                account.get().member(risk.symbol(), side).orElseThrow(),
                                m.safe(),
                                params.costPct().divide(HUNDRED, MC));
                cutQty = cutQty.max(guard.qty());
                closes |= guard.closes();
            } else {
                MarginRules.Cut guard = risk.rules().cutFor(risk.state(), mark, m.safe(), PartialCloseRelease.KEEP_NET);
                cutQty = cutQty.max(guard.qty());
                closes |= guard.closes();
            }
            why.add("liquidation closer than " + pct(m.guard()) + ", cut back to " + pct(m.safe()));
        }
        String reason = String.join("; ", why) + ": " + describe(risk, m);
        if (closes) {
            return List.of(new Action.ClosePosition(risk.symbol(), side, reason));
        }
        if (cutQty.signum() <= 0) {
            return List.of();
        }
        BigDecimal size =
                cutQty.setScale(Math.max(qty.scale(), 3), RoundingMode.CEILING).min(qty);
        BigDecimal left = m.exposure().subtract(size.multiply(mark));
        BigDecimal remnant =
                input.book().openingNotional().multiply(params.closeBelowPct()).divide(HUNDRED, MC);
        if (size.compareTo(qty) >= 0 || left.compareTo(remnant) < 0) {
            return List.of(new Action.ClosePosition(
                    risk.symbol(),
                    side,
                    size.compareTo(qty) >= 0
                            ? reason
                            : reason + "; what would be left is under "
                                    + params.closeBelowPct().toPlainString() + " % of the opening size: close"));
        }
        // Isolated: what the cut releases goes back net of its loss, so the liquidation price of what is left moves
        // away, the position pays for its own losses, and a gap can cost no more than the margin it had. Cross: the
        // margin stays in the cross wallet whatever the order says.
        PartialCloseRelease margin = risk.state().mode() == MarginMode.ISOLATED
                ? PartialCloseRelease.KEEP_NET
                : PartialCloseRelease.PRO_RATA;
        return List.of(new Action.ReducePosition(risk.symbol(), side, size, margin, reason));
    }

    /** Margin the guard does not need, in WATCH, isolated only: the one way the policy scales back up. */
    private Optional<Action> release(PolicyInput input, Measure m) {
        PositionRisk risk = input.risk();
        if (risk.state().mode() != MarginMode.ISOLATED || risk.distance().isEmpty()) {
            return Optional.empty();
        }
        BigDecimal keep = atSigma(risk.sigma()).keep();
        BigDecimal distance = risk.distance().get();
        if (distance.compareTo(keep) <= 0) {
            return Optional.empty();
        }
        BigDecimal worth =
                risk.state().wallet().multiply(params.releaseMinPct()).divide(HUNDRED, MC);
        if (!mayRelease(risk.rules(), risk.state(), risk.mark(), m.exposure(), distance, keep, worth)) {
            return Optional.empty();
        }
        MarginRules.Release release = risk.rules().releasable(risk.state(), risk.mark(), keep);
        BigDecimal amount = release.amount().setScale(2, RoundingMode.FLOOR);
        if (amount.signum() <= 0 || amount.compareTo(worth) < 0) {
            return Optional.empty();
        }
        return Optional.of(new Action.ReleaseMargin(
                risk.symbol(),
                risk.state().position().side(),
                amount,
                "release what the guard does not need, keeping liquidation " + pct(keep) + " away ("
                        + release.bindingConstraint() + "): " + describe(risk, m)));
    }

    /**
     * Whether {@link MarginRules#releasable} could free {@code worth} or more for this position at {@code mark}, told
     * without solving for the liquidation price; false only where the solver would find less. Two bounds, for an
     * isolated one-way position (anything else is solved):
     *
     * <ul>
     *   <li>The distance: a long's margin balance less its maintenance changes by {@code qty · (1 − rate)} per unit of
     *       price, a short's by {@code qty · (1 + rate)} (with a fee the venue counts in maintenance, below 1 %, in the
     *       rate; on entry-value venues by {@code qty}), so moving the liquidation price from {@code distance} to
     *       {@code keep} frees at most {@code notional · (distance − keep)} from a long and
     *       {@code (1 + highest rate + 1 %) · notional · (distance − keep)} from a short.
     *   <li>The venue's rule: no more than {@code wallet + uPnL − notional / leverage} (a cent more for the solver's
     *       rounding: the release is floored to cents), and no more than {@code wallet − maintenance margin}.
     * </ul>
     *
     * {@code BudgetReleaseScreenProperties} checks both against the solver.
     */
    static boolean mayRelease(
            MarginRules rules,
            MarginState state,
            BigDecimal mark,
            BigDecimal notional,
            BigDecimal distance,
            BigDecimal keep,
            BigDecimal worth) {
        if (state.mode() != MarginMode.ISOLATED || !state.hedgeLegs().isEmpty()) {
            return true;
        }
        BigDecimal byDistance = notional.multiply(distance.subtract(keep));
        if (state.exposureSide() == Side.SHORT) {
            byDistance = byDistance.multiply(shortFactor(state.tiers()));
        }
        if (byDistance.compareTo(worth) < 0
                || state.wallet().subtract(rules.maintenanceMargin(state, mark)).compareTo(worth) < 0) {
            return false;
        }
        // The notional of an isolated one-way position is its size at the mark.
        return aboveInitial(state, worth, mark).signum() >= 0;
    }

    /** Whether {@code table} is {@link RiskTierTable#joined}, for the last table asked about. */
    private record Joined(RiskTierTable table, boolean joined) {}

    private static volatile Joined joined;

    static boolean joined(RiskTierTable table) {
        Joined last = joined;
        if (last != null && last.table() == table) {
            return last.joined();
        }
        Joined worked = new Joined(table, table.joined());
        joined = worked;
        return worked.joined();
    }

    /** {@code 1 + the highest rate of the table + 1 %}, for the last table asked about. */
    private record ShortFactor(RiskTierTable table, BigDecimal factor) {}

    private static volatile ShortFactor shortFactor;

    private static BigDecimal shortFactor(RiskTierTable table) {
        ShortFactor last = shortFactor;
        if (last != null && last.table() == table) {
            return last.factor();
        }
        BigDecimal highest = BigDecimal.ZERO;
        for (RiskTier tier : table.tiers()) {
            highest = highest.max(tier.maintMarginRate());
        }
        ShortFactor worked = new ShortFactor(table, BigDecimal.ONE.add(highest).add(CENT));
        shortFactor = worked;
        return worked.factor();
    }

    private static final BigDecimal CENT = new BigDecimal("0.01");

    /** The notional at the mark: the position's, or in cross every cross position's. */
    static BigDecimal exposure(PositionRisk risk) {
        if (risk.account().isPresent()) {
            BigDecimal sum = BigDecimal.ZERO;
            for (CrossAccount.Member member : risk.account().get().members()) {
                sum = sum.add(member.position().qty().multiply(member.mark()));
            }
            return sum;
        }
        return risk.state().position().qty().multiply(risk.mark());
    }

    /** An alert when the level rises out of WATCH; its text is built only then. */
    private static void alertOnEntry(PolicyInput input, RiskLevel level, Supplier<String> why, List<Action> actions) {
        if (entering(input, level)) {
            PositionRisk risk = input.risk();
            actions.add(new Action.Alert(risk.symbol(), risk.state().position().side(), level, why.get()));
        }
    }

    /** Whether {@code level} takes the position out of WATCH: the moment to alert. */
    private static boolean entering(PolicyInput input, RiskLevel level) {
        return level.isAbove(RiskLevel.WATCH) && !input.level().isAbove(RiskLevel.WATCH);
    }

    private boolean cooled(PolicyInput input) {
        Optional<Instant> last = input.lastActionAt();
        return last.isEmpty() || !input.now().isBefore(last.get().plus(params.cooldown()));
    }

    private static String describe(PositionRisk risk, Measure m) {
        return "cushion " + money(m.cushion()) + " of a " + money(m.budget()) + " budget, exposure "
                + money(m.exposure()) + " (allowed " + money(m.allowed()) + ", σ "
                + pct(risk.sigma()) + "), liquidation "
                + risk.distance().map(BudgetPolicy::pct).orElse("none") + " away, mark "
                + Decimals.readable(risk.mark());
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String pct(BigDecimal fraction) {
        return fraction.multiply(HUNDRED).setScale(2, RoundingMode.HALF_UP).toPlainString() + " %";
    }
}
