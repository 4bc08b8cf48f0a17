package ballast.app.plan;

import ballast.core.Side;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionBook;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.RiskLevel;
import ballast.strategies.BudgetPolicy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the budget policy will do to one isolated position on the way down, before it happens: the mark walks steadily
 * against the position from where it is; at every mark where the policy acts (found exactly, by bisection on the price,
 * to a hundredth), the cut it makes, what is left, the loss realised so far (with the cost of each cut), the
 * liquidation price after it, and what the position would lose if the mark then gapped straight to that liquidation
 * price. The policy is the one the bot runs, with the same settings; volatility is held where the trader puts it.
 */
public final class BudgetPlan {
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final int MAX_LEVELS = 200;

    /** One level of the plan: where the policy acts and what is left after it. */
    public record Level(
            BigDecimal mark,
            BigDecimal fromEntry,
            String action,
            BigDecimal cut,
            BigDecimal qtyLeft,
            BigDecimal lossSoFar,
            Liquidation liquidationAfter,
            BigDecimal cushionAfter,
            BigDecimal lossIfItGaps,
            String why) {}

    /**
     * The plan, with the budget, the loss if the mark gapped from where it is now to the liquidation price (no level
     * reached), and the worst of all the gaps.
     */
    public record Plan(
            BigDecimal budget,
            BudgetPolicy.Measure now,
            Liquidation liquidationNow,
            BigDecimal lossIfItGapsNow,
            List<Level> levels,
            BigDecimal worstGap) {}

    private final MarginRules rules;
    private final BudgetPolicy policy;
    private final BigDecimal cost;
    private final BigDecimal conviction;

    /** A plan at full conviction. */
    public BudgetPlan(MarginRules rules, BudgetPolicy policy, BigDecimal costPct) {
        this(rules, policy, costPct, BigDecimal.ONE);
    }

    /**
     * @param costPct what a cut costs (fee and slippage), percent of its notional: the policy's own {@code costPct}
     * @param conviction the trader's conviction in the position, in [0, 1], held throughout the plan
     */
    public BudgetPlan(MarginRules rules, BudgetPolicy policy, BigDecimal costPct, BigDecimal conviction) {
        this.rules = rules;
        this.policy = policy;
        this.cost = costPct.divide(HUNDRED, MC);
        this.conviction = conviction;
    }

    /**
     * @param opened the position as it was opened (its entry, size and margin)
     * @param mark where the mark is now
     * @param sigma the volatility over the horizon the policy is to assume (a fraction)
     * @param accountEquity the account's equity (for a budget given as a share of it)
     */
    public Plan plan(MarginState opened, BigDecimal mark, BigDecimal sigma, BigDecimal accountEquity) {
        Side side = opened.position().side();
        BigDecimal entry = opened.position().entryPrice();
        PositionBook openingBook = new PositionBook(
                opened.wallet(),
                opened.wallet(),
                opened.position().qty(),
                opened.position().qty().multiply(entry),
                rules.distanceToLiquidation(opened, entry),
                accountEquity,
                BigDecimal.ZERO);
        BigDecimal budget = policy.budget(openingBook);
        MarginState state = opened;
        // What the cuts sent to the free balance (negative: took from it), and what the position's wallet paid itself.
        BigDecimal realised = BigDecimal.ZERO;
        BigDecimal walletPaid = BigDecimal.ZERO;
        RiskLevel level = RiskLevel.WATCH;
        BigDecimal price = mark;
        List<Level> levels = new ArrayList<>();
        PolicyInput first = input(state, price, sigma, realised, openingBook, level);
        BudgetPolicy.Measure now = policy.measure(first);
        BigDecimal gapNow = gapLoss(opened, rules.liquidation(opened), mark);
        BigDecimal worst = gapNow;
        for (int i = 0; i < MAX_LEVELS && state.position().qty().signum() > 0; i++) {
            BigDecimal at = nextAction(state, price, sigma, realised, openingBook, level);
            if (at == null) {
                break;
            }
            price = at;
            Decision d = policy.decide(input(state, price, sigma, realised, openingBook, level));
            level = d.level();
            Optional<Action> act = d.actions().stream()
                    .filter(a -> a instanceof Action.ReducePosition || a instanceof Action.ClosePosition)
                    .findFirst();
            if (act.isEmpty()) {
                break;
            }
            BigDecimal held = state.position().qty();
            BigDecimal sold =
                    act.get() instanceof Action.ReducePosition r ? r.qty().min(held) : held;
            PartialCloseRelease margin =
                    act.get() instanceof Action.ReducePosition r ? r.margin() : PartialCloseRelease.PRO_RATA;
            BigDecimal net = state.position()
                    .withQty(sold)
                    .unrealizedPnl(price)
                    .subtract(sold.multiply(price).multiply(cost));
            BigDecimal left = held.subtract(sold);
            // A cut that keeps its margin net of its loss pays the loss from the position's own wallet; otherwise the
            // loss (or gain) reaches the free balance. The book is the same; the wallet, and so a gap, is not.
            boolean walletPays = left.signum() > 0 && margin == PartialCloseRelease.KEEP_NET && net.signum() < 0;
            if (walletPays) {
                walletPaid = walletPaid.add(net.negate());
            } else {
                realised = realised.add(net);
            }
            Liquidation after;
            if (left.signum() > 0) {
                MarginState next = rules.afterPartialClose(
                        state,
                        left,
                        margin == PartialCloseRelease.PRO_RATA
                                ? PartialCloseRelease.PRO_RATA
                                : PartialCloseRelease.KEEP_MARGIN);
                state = walletPays ? next.withWallet(next.wallet().add(net).max(BigDecimal.ZERO)) : next;
                after = rules.liquidation(state);
            } else {
                after = new Liquidation.Never("the position is closed");
            }
            BigDecimal lossSoFar = realised.negate().add(walletPaid);
            BigDecimal gap = left.signum() > 0 ? lossSoFar.add(gapLoss(state, after, price)) : lossSoFar;
            worst = worst.max(gap);
            BigDecimal cushion = left.signum() > 0
                    ? policy.measure(input(state, price, sigma, realised, openingBook, level))
                            .cushion()
                    : budget.subtract(lossSoFar);
            levels.add(new Level(
                    price,
                    price.subtract(entry).divide(entry, MC),
                    left.signum() > 0 ? "cut" : "close",
                    sold,
                    left,
                    lossSoFar,
                    after,
                    cushion,
                    gap,
                    act.get().reason()));
            if (left.signum() == 0) {
                break;
            }
        }
        return new Plan(budget, now, rules.liquidation(opened), gapNow, levels, worst);
    }

    /**
     * What the position as it stands loses if the mark jumps from {@code mark} past every level: at a liquidation price,
     * its whole isolated margin; a long that no price liquidates, its value down to zero.
     */
    private static BigDecimal gapLoss(MarginState state, Liquidation liquidation, BigDecimal mark) {
        return switch (liquidation) {
            case Liquidation.At at -> state.wallet();
            case Liquidation.Unavoidable u -> state.wallet();
            case Liquidation.Never n ->
                state.position().side() == Side.LONG
                        ? state.position()
                                .qty()
                                .multiply(mark)
                                .min(state.wallet().add(state.unrealizedPnl(mark)))
                        : state.wallet();
        };
    }

    /** The first mark, from {@code from} against the position, where the policy acts; {@code null} if none. */
    private BigDecimal nextAction(
            MarginState state,
            BigDecimal from,
            BigDecimal sigma,
            BigDecimal realised,
            PositionBook book,
            RiskLevel level) {
        if (acts(state, from, sigma, realised, book, level)) {
            return from;
        }
        boolean isLong = state.position().side() == Side.LONG;
        Liquidation liq = rules.liquidation(state);
        BigDecimal far =
                liq instanceof Liquidation.At at ? at.price() : (isLong ? CENT : from.multiply(BigDecimal.TEN));
        if (!acts(state, far, sigma, realised, book, level)) {
            return null;
        }
        // Acting is monotone along the way down: the cushion only shrinks and liquidation only comes closer.
        BigDecimal calm = from;
        BigDecimal acting = far;
        while (calm.subtract(acting).abs().compareTo(CENT) > 0) {
            BigDecimal mid = calm.add(acting).divide(BigDecimal.TWO, MC).setScale(2, RoundingMode.HALF_UP);
            if (mid.compareTo(calm) == 0 || mid.compareTo(acting) == 0) {
                break;
            }
            if (acts(state, mid, sigma, realised, book, level)) {
                acting = mid;
            } else {
                calm = mid;
            }
        }
        return acting;
    }

    private boolean acts(
            MarginState state,
            BigDecimal mark,
            BigDecimal sigma,
            BigDecimal realised,
            PositionBook book,
            RiskLevel level) {
        if (mark.signum() <= 0) {
            return true;
        }
        return policy.decide(input(state, mark, sigma, realised, book, level)).actions().stream()
                .anyMatch(a -> a instanceof Action.ReducePosition || a instanceof Action.ClosePosition);
    }

    private PolicyInput input(
            MarginState state,
            BigDecimal mark,
            BigDecimal sigma,
            BigDecimal realised,
            PositionBook opening,
            RiskLevel level) {
        Optional<BigDecimal> distance = rules.distanceToLiquidation(state, mark);
        PositionRisk risk = new PositionRisk(
                rules,
                state,
                mark,
                rules.liquidation(state),
                distance,
                sigma,
                distance.map(d -> d.divide(sigma, MC)),
                Optional.empty(), // the budget policy reads no speed
                Duration.ZERO);
        BigDecimal equity = state.wallet().add(state.unrealizedPnl(mark)).add(realised);
        PositionBook book = new PositionBook(
                opening.openingEquity(),
                equity,
                opening.openingQty(),
                opening.openingNotional(),
                opening.openingDistance(),
                opening.openingAccountEquity(),
                BigDecimal.ZERO);
        return new PolicyInput(
                Instant.EPOCH, risk, level, Optional.empty(), 0, BigDecimal.ZERO, BigDecimal.ZERO, book, conviction);
    }
}
