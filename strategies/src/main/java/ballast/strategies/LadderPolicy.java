package ballast.strategies;

import ballast.core.Side;
import ballast.core.margin.CrossAccount;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.Quiet;
import ballast.core.policy.RiskLevel;
import ballast.core.policy.ScalingPolicy;
import ballast.core.venue.Capability;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The default scaling policy: a ladder keyed on distance to liquidation in units of mark volatility.
 * watch → warn (alert) → add isolated margin → cut (re-adding what the cut releases) → close; and, once the danger has
 * passed, release of margin no longer needed, which scales effective leverage back up. Every level change has
 * hysteresis; every action a cooldown.
 *
 * <p>In cross margin the ladder acts on the whole account (its distance is one common adverse move of every mark, and the
 * engine presents the position that takes most from the account): there is no per-position margin to add or release,
 * so where it would top up it cuts that position, sized on the account, and it closes at the close level.
 *
 * <p>Top-ups belong where the move is ordinary; the ladder cuts instead when the budget cannot pay for the top-up, when
 * it has topped up too often this episode, or when z falls faster than {@code cascadeZPerMinute} (a cascade outruns
 * top-ups: good money after bad).
 */
public final class LadderPolicy implements ScalingPolicy {

    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final LadderParams params;

    public LadderPolicy(LadderParams params) {
        this.params = params;
    }

    @Override
    public String name() {
        return "ladder";
    }

    @Override
    public Set<Capability> requires() {
        return Set.of(
                Capability.ADD_ISOLATED_MARGIN,
                Capability.REMOVE_ISOLATED_MARGIN,
                Capability.REDUCE_ONLY_ORDER,
                Capability.CLOSE_POSITION);
    }

    @Override
    public Decision decide(PolicyInput input) {
        PositionRisk risk = input.risk();
        RiskLevel level = level(input);
        List<Action> actions = new ArrayList<>();
        boolean stale = risk.markAge().compareTo(params.staleAfter()) > 0;
        if (stale) {
            actions.add(new Action.Alert(
                    risk.symbol(),
                    side(risk),
                    level,
                    "no mark for " + risk.markAge().toSeconds() + " s: acting on the last one, " + describe(risk)));
        } else if (level.isAbove(RiskLevel.WATCH) && !input.level().isAbove(RiskLevel.WATCH)) {
            actions.add(new Action.Alert(risk.symbol(), side(risk), level, describe(risk)));
        }
        switch (level) {
            case WATCH -> release(input).ifPresent(actions::add);
            case WARN -> {}
            case TOP_UP -> actions.addAll(topUpOrCut(input));
            case CUT -> {
                if (cooled(input, params.cutCooldown())) {
                    actions.addAll(cut(input));
                }
            }
            case CLOSE -> actions.add(new Action.ClosePosition(risk.symbol(), side(risk), "close: " + describe(risk)));
        }
        // Nothing done but perhaps an alert: where the marks after it, heard at the level decided (the next input's:
        // no alert comes again), are decided the same way.
        if (Action.onlyAlerts(actions) && !stale) {
            if (level == RiskLevel.WATCH) {
                return new Decision(level, actions, quiet(input.at(level)));
            }
            if (level == RiskLevel.WARN) {
                return new Decision(level, actions, quietAtWarn(input.at(level)));
            }
        }
        return new Decision(level, actions);
    }

    /**
     * Above the release z with nothing released: the venue's initial-margin rule or its maintenance rule left nothing
     * worth releasing ({@link BudgetPolicy#mayRelease}'s bounds, which do not depend on σ), proved over a band of marks
     * as the budget policy proves it; a release the solver alone refused proves nothing. A cross position never
     * releases.
     */
    private Quiet aboveReleaseZ(PositionRisk risk, BigDecimal lowDistance, BigDecimal lowZ) {
        MarginState state = risk.state();
        if (state.mode() != MarginMode.ISOLATED) {
            return new Quiet.Within(null, null, null, null, lowDistance, null, lowZ, null, null);
        }
        if (!state.hedgeLegs().isEmpty()) {
            return Quiet.NEVER;
        }
        // Both rules leave less to release from a smaller wallet: proved at a wallet larger by what ten funding
        // settlements move (BudgetPolicy.WALLET_BAND), the quiet holds for every wallet up to it.
        // (What is worth releasing grows slower than the wallet only up to a whole wallet: beyond it nothing is
        // banded.)
        if (params.releaseMinPct().compareTo(HUNDRED) <= 0) {
            BigDecimal largest = state.wallet()
                    .add(state.position().qty().multiply(risk.mark()).multiply(BudgetPolicy.WALLET_BAND));
            Quiet over = releaseBlocked(risk, state.withWallet(largest), lowDistance, lowZ);
            if (over != Quiet.NEVER) {
                return new Quiet.Wallets(null, largest, over);
            }
        }
        return releaseBlocked(risk, state, lowDistance, lowZ);
    }

    /** Where the venue's rules leave nothing worth releasing from the position as {@code state} holds it. */
    private Quiet releaseBlocked(PositionRisk risk, MarginState state, BigDecimal lowDistance, BigDecimal lowZ) {
        BigDecimal worth = state.wallet().multiply(params.releaseMinPct()).divide(HUNDRED, MC);
        BigDecimal mark = risk.mark();
        BigDecimal low =
                mark.multiply(BigDecimal.ONE.subtract(BudgetPolicy.MARK_BAND)).round(BudgetPolicy.UP_12);
        BigDecimal high =
                mark.multiply(BigDecimal.ONE.add(BudgetPolicy.MARK_BAND)).round(BudgetPolicy.DOWN_12);
        BigDecimal[] initial = BudgetPolicy.belowInitial(state, worth, mark, low, high);
        if (initial != null) {
            return new Quiet.Within(initial[0], initial[1], null, null, lowDistance, null, lowZ, null, null);
        }
        if (BudgetPolicy.joined(state.tiers())) {
            BigDecimal from = BudgetPolicy.aboveMaintenance(risk.rules(), state, worth, mark, low);
            if (from != null) {
                return new Quiet.Within(from, high, null, null, lowDistance, null, lowZ, null, null);
            }
        }
        return Quiet.NEVER;
    }

    /**
     * Where a decision at WATCH with nothing to do stays so: the ladder at WATCH reads only the distance and z (not the
     * mark, σ, z's speed, the wallet or the gate's figures), so where no release is in question the quiet holds for any
     * wallet ({@link Quiet.Wallets}): a funding settlement leaves it standing. The distance stays at or above both percent floors, z at or above
     * every level's threshold, and, once cooled, at or under the release z (before that, until the cooldown ends).
     * Nothing liquidates a position without a distance: then nothing changes at all.
     */
    private Quiet quiet(PolicyInput input) {
        PositionRisk risk = input.risk();
        if (risk.distance().isEmpty()) {
            return Quiet.ALWAYS;
        }
        BigDecimal lowDistance = floors();
        BigDecimal lowZ =
                params.closeZ().max(params.cutZ()).max(params.topUpZ()).max(params.warnZ());
        if (!cooled(input, params.cooldown())) {
            Instant until = input.lastActionAt().orElseThrow().plus(params.cooldown());
            return Quiet.Wallets.any(new Quiet.Within(null, null, null, null, lowDistance, null, lowZ, null, until));
        }
        if (risk.z().orElseThrow().compareTo(params.releaseZ()) > 0) {
            return aboveReleaseZ(risk, lowDistance, lowZ);
        }
        return Quiet.Wallets.any(
                new Quiet.Within(null, null, null, null, lowDistance, null, lowZ, params.releaseZ(), null));
    }

    /**
     * Where a decision at WARN, already at WARN, stays so: WARN has no action, and the level reads only the distance
     * and z. It stays while the distance is at or above both percent floors, and z at or above every threshold under
     * WARN's (below one of them it climbs) and at or under WARN's threshold raised by the hysteresis (above it, it falls
     * back to WATCH).
     */
    private Quiet quietAtWarn(PolicyInput input) {
        if (input.risk().distance().isEmpty()) {
            return Quiet.NEVER; // only a stale mark holds WARN without a distance, and a stale mark is never quiet
        }
        BigDecimal lowDistance = floors();
        BigDecimal lowZ = params.closeZ().max(params.cutZ()).max(params.topUpZ());
        BigDecimal highZ = params.warnZ().multiply(BigDecimal.ONE.add(params.hysteresis()));
        return Quiet.Wallets.any(new Quiet.Within(null, null, null, null, lowDistance, null, lowZ, highZ, null));
    }

    /**
     * The distance (a fraction) under which a percent floor moves the level: exactly a hundredth of the higher floor,
     * as the floors are compared with the distance in percent.
     */
    private BigDecimal floors() {
        return params.closeFloorPct().max(params.cutFloorPct()).movePointLeft(2);
    }

    /** The level from z and the percent floors, with hysteresis against the previous level. */
    RiskLevel level(PolicyInput input) {
        RiskLevel measured = measuredLevel(input);
        // Stale or missing data counts as danger: it can raise the level, never lower it.
        boolean stale = input.risk().markAge().compareTo(params.staleAfter()) > 0;
        return stale && RiskLevel.WARN.isAbove(measured) ? RiskLevel.WARN : measured;
    }

    private RiskLevel measuredLevel(PolicyInput input) {
        PositionRisk risk = input.risk();
        if (risk.distance().isEmpty()) {
            return RiskLevel.WATCH;
        }
        BigDecimal distancePct = risk.distance().get().multiply(HUNDRED);
        if (distancePct.compareTo(params.closeFloorPct()) < 0) {
            return RiskLevel.CLOSE;
        }
        BigDecimal z = risk.z().orElseThrow();
        RiskLevel byZ = byZ(z, input.level());
        if (distancePct.compareTo(params.cutFloorPct()) < 0 && RiskLevel.CUT.isAbove(byZ)) {
            return RiskLevel.CUT;
        }
        return byZ;
    }

    private RiskLevel byZ(BigDecimal z, RiskLevel previous) {
        RiskLevel entered = RiskLevel.WATCH;
        if (z.compareTo(params.closeZ()) < 0) {
            entered = RiskLevel.CLOSE;
        } else if (z.compareTo(params.cutZ()) < 0) {
            entered = RiskLevel.CUT;
        } else if (z.compareTo(params.topUpZ()) < 0) {
            entered = RiskLevel.TOP_UP;
        } else if (z.compareTo(params.warnZ()) < 0) {
            entered = RiskLevel.WARN;
        }
        if (!previous.isAbove(entered)) {
            return entered;
        }
        // Going down a level needs z above the previous level's threshold by the hysteresis margin.
        BigDecimal threshold = switch (previous) {
            case WARN -> params.warnZ();
            case TOP_UP -> params.topUpZ();
            case CUT -> params.cutZ();
            case CLOSE, WATCH -> params.closeZ();
        };
        BigDecimal exit = threshold.multiply(BigDecimal.ONE.add(params.hysteresis()));
        return z.compareTo(exit) > 0 ? entered : (previous == RiskLevel.CLOSE ? RiskLevel.CUT : previous);
    }

    private List<Action> topUpOrCut(PolicyInput input) {
        if (!cooled(input, params.cooldown())) {
            return List.of();
        }
        PositionRisk risk = input.risk();
        if (risk.account().isPresent()) {
            // Cross margin has no per-position margin to add: the ladder cuts where it would top up.
            return cut(input);
        }
        BigDecimal target = targetDistance(risk);
        MarginRules.TopUp topUp = risk.rules().topUpFor(risk.state(), risk.mark(), target);
        if (topUp.amount().signum() == 0) {
            return List.of();
        }
        // A speed not measured is taken as a cascade: unknown counts as danger (the engine measures it for the ladder).
        boolean cascade = risk.speed()
                .map(speed -> speed.compareTo(params.cascadeZPerMinute()) < 0)
                .orElse(true);
        boolean affordable = topUp.amount().compareTo(input.budgetLeft()) <= 0
                && topUp.amount().compareTo(input.freeBalance()) <= 0;
        boolean tooMany = input.topUpsThisEpisode() >= params.maxTopUpsPerEpisode();
        if (cascade || !affordable || tooMany) {
            return cut(input);
        }
        BigDecimal amount = topUp.amount().setScale(2, RoundingMode.CEILING);
        return List.of(new Action.TopUpMargin(
                risk.symbol(), side(risk), amount, "top-up to " + pct(target) + " from the mark: " + describe(risk)));
    }

    private List<Action> cut(PolicyInput input) {
        PositionRisk risk = input.risk();
        BigDecimal target = targetDistance(risk);
        if (risk.account().isPresent()) {
            return crossCut(risk, target);
        }
        MarginRules.Cut cut = risk.rules().cutFor(risk.state(), risk.mark(), target, PartialCloseRelease.KEEP_MARGIN);
        BigDecimal qty = risk.state().position().qty();
        BigDecimal maxCut = qty.multiply(params.maxCutShare()).divide(HUNDRED, MC);
        if (cut.qty().signum() == 0) {
            return List.of();
        }
        if (cut.closes() && maxCut.compareTo(qty) >= 0) {
            return List.of(
                    new Action.ClosePosition(risk.symbol(), side(risk), "no partial cut reaches " + pct(target)));
        }
        BigDecimal size = cut.qty()
                .min(maxCut)
                .setScale(Math.max(qty.scale(), 3), RoundingMode.CEILING)
                .min(qty);
        // Keeping the released margin in the position costs the free balance the cut's realised loss: a top-up in all
        // but name, which the budget must be able to pay (the engine charges it). When it cannot, the cut lets the
        // margin go and the next cut comes sooner.
        BigDecimal hidden = risk.state()
                .position()
                .withQty(size)
                .unrealizedPnl(risk.mark())
                .negate()
                .max(BigDecimal.ZERO);
        boolean keep = hidden.compareTo(input.budgetLeft()) <= 0 && hidden.compareTo(input.freeBalance()) <= 0;
        return List.of(new Action.ReducePosition(
                risk.symbol(),
                side(risk),
                size,
                keep ? PartialCloseRelease.KEEP_MARGIN : PartialCloseRelease.PRO_RATA,
                "cut toward " + pct(target) + " from the mark"
                        + (keep ? "" : " (its realised loss is over the budget left: the released margin goes)")
                        + ": " + describe(risk)));
    }

    /**
     * A cut of the position that takes most from the cross account, sized on the whole account (its realised PnL stays
     * in the cross wallet; nothing to put back): at most {@code maxCutSharePct} of it at a time, the whole of it when
     * nothing less reaches the target.
     */
    private List<Action> crossCut(PositionRisk risk, BigDecimal target) {
        CrossAccount account = risk.account().orElseThrow();
        Side side = side(risk);
        CrossAccount.Member member = account.member(risk.symbol(), side).orElseThrow();
        CrossAccount.Cut cut = account.cutFor(member, target, BigDecimal.ZERO);
        BigDecimal qty = member.position().qty();
        BigDecimal maxCut = qty.multiply(params.maxCutShare()).divide(HUNDRED, MC);
        if (cut.qty().signum() == 0) {
            return List.of();
        }
        String why =
                "cross account " + describe(risk) + ": cut the position that takes most from it toward " + pct(target);
        if (cut.closes() && maxCut.compareTo(qty) >= 0) {
            return List.of(new Action.ClosePosition(risk.symbol(), side, why + " (no partial cut reaches it)"));
        }
        BigDecimal size = cut.qty()
                .min(maxCut)
                .setScale(Math.max(qty.scale(), 3), RoundingMode.CEILING)
                .min(qty);
        return List.of(new Action.ReducePosition(risk.symbol(), side, size, PartialCloseRelease.PRO_RATA, why));
    }

    private Optional<Action> release(PolicyInput input) {
        PositionRisk risk = input.risk();
        if (risk.z().isEmpty()
                || risk.z().get().compareTo(params.releaseZ()) <= 0
                || !cooled(input, params.cooldown())
                || risk.state().mode() != ballast.core.margin.MarginMode.ISOLATED) {
            return Optional.empty();
        }
        BigDecimal keep = risk.sigma()
                .multiply(params.releaseTargetZ())
                .max(params.minTargetPct().divide(HUNDRED, MC));
        BigDecimal worth =
                risk.state().wallet().multiply(params.releaseMinPct()).divide(HUNDRED, MC);
        // Most marks above the release z cannot free a release's worth: told without solving (the budget's screen).
        BigDecimal notional = risk.state().position().qty().multiply(risk.mark());
        if (!BudgetPolicy.mayRelease(
                risk.rules(),
                risk.state(),
                risk.mark(),
                notional,
                risk.distance().orElseThrow(),
                keep,
                worth)) {
            return Optional.empty();
        }
        MarginRules.Release release = risk.rules().releasable(risk.state(), risk.mark(), keep);
        BigDecimal amount = release.amount().setScale(2, RoundingMode.FLOOR);
        if (amount.compareTo(worth) < 0 || amount.signum() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new Action.ReleaseMargin(
                risk.symbol(),
                side(risk),
                amount,
                "release to " + pct(keep) + " from the mark (" + release.bindingConstraint() + ")"));
    }

    private BigDecimal targetDistance(PositionRisk risk) {
        return risk.sigma().multiply(params.targetZ()).max(params.minTargetPct().divide(HUNDRED, MC));
    }

    private static boolean cooled(PolicyInput input, Duration cooldown) {
        Optional<Instant> last = input.lastActionAt();
        return last.isEmpty() || !input.now().isBefore(last.get().plus(cooldown));
    }

    private static Side side(PositionRisk risk) {
        return risk.state().position().side();
    }

    private static String describe(PositionRisk risk) {
        return "z "
                + risk.z()
                        .map(z -> z.setScale(2, RoundingMode.HALF_UP).toPlainString())
                        .orElse("∞") + ", distance "
                + risk.distance().map(LadderPolicy::pct).orElse("none") + ", mark "
                + ballast.core.Decimals.readable(risk.mark());
    }

    private static String pct(BigDecimal fraction) {
        return fraction.multiply(HUNDRED).setScale(2, RoundingMode.HALF_UP).toPlainString() + " %";
    }
}
