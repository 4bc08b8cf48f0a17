package ballast.strategies;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The loss-budget policy's settings.
 *
 * @param budgetAmount the loss budget per position, in the quote currency; empty: see {@code budgetPct}
 * @param budgetPct the loss budget per position, in percent of the account's equity when it was opened; empty with an
 *     empty amount: automatic, what a buffered exit at the liquidation price would lose from the entry
 * @param autoBuffer the automatic budget's buffer, as Freqtrade's {@code liquidation_buffer}: the exit lies this share
 *     of the entry-to-liquidation gap on the safe side of the liquidation price
 * @param crashZ the adverse move, in σ over the horizon, that the cushion must be able to pay for: exposure allowed is
 *     {@code m · C} with {@code m = min(maxMultiplier, 1 / (crashZ · σ))}
 * @param maxMultiplier the most exposure allowed per unit of cushion, however quiet the market
 * @param cutToShare a cut takes the exposure down to this share of what is allowed (hysteresis: no churn)
 * @param closeBelowPct a cut that would leave less than this share of the opening size (percent) closes instead: a
 *     remnant is not worth its orders
 * @param guardPct closer to liquidation than this (percent of the mark) ...
 * @param guardZ ... or than this many σ, the position is cut back to a safe distance whatever the cushion says
 * @param safePct the safe distance a guard cut restores, percent ...
 * @param safeZ ... and in σ, the larger of the two
 * @param releasePct margin is released only where the liquidation price is further than this (percent) ...
 * @param releaseZ ... and this many σ, and only down to the larger of the two, never into the guard's way
 * @param releaseMinPct a release smaller than this share of the wallet (percent) is not worth a request
 * @param costPct what one unit of notional costs to trade (taker fee plus slippage, percent): the cushion pays for
 *     every cut made and for the exit of what is left
 * @param cooldown the least time between two cuts or releases on a position (a close does not wait)
 * @param staleAfter a mark older than this raises an alert and holds the level at WARN at least
 */
public record BudgetParams(
        Optional<BigDecimal> budgetAmount,
        Optional<BigDecimal> budgetPct,
        BigDecimal autoBuffer,
        BigDecimal crashZ,
        BigDecimal maxMultiplier,
        BigDecimal cutToShare,
        BigDecimal closeBelowPct,
        BigDecimal guardPct,
        BigDecimal guardZ,
        BigDecimal safePct,
        BigDecimal safeZ,
        BigDecimal releasePct,
        BigDecimal releaseZ,
        BigDecimal releaseMinPct,
        BigDecimal costPct,
        Duration cooldown,
        Duration staleAfter) {

    public BudgetParams {
        require(budgetAmount.isEmpty() || budgetPct.isEmpty(), "give the budget as an amount or a percent, not both");
        require(budgetAmount.map(a -> a.signum() > 0).orElse(true), "the budget amount must be > 0");
        require(
                budgetPct
                        .map(p -> p.signum() > 0 && p.compareTo(BigDecimal.valueOf(100)) <= 0)
                        .orElse(true),
                "the budget percent must be in (0, 100]");
        require(autoBuffer.signum() >= 0 && autoBuffer.compareTo(BigDecimal.ONE) < 0, "autoBuffer must be in [0, 1)");
        require(crashZ.signum() > 0, "crashZ must be > 0");
        require(maxMultiplier.signum() > 0, "maxMultiplier must be > 0");
        require(cutToShare.signum() > 0 && cutToShare.compareTo(BigDecimal.ONE) < 0, "cutToShare must be in (0, 1)");
        require(
                closeBelowPct.signum() >= 0 && closeBelowPct.compareTo(BigDecimal.valueOf(100)) < 0,
                "closeBelowPct must be in [0, 100)");
        require(guardPct.signum() > 0 && guardZ.signum() >= 0, "guardPct must be > 0 and guardZ >= 0");
        require(
                safePct.compareTo(guardPct) > 0 && safeZ.compareTo(guardZ) >= 0,
                "safePct/safeZ must be above guardPct/guardZ, or a guard cut would not leave the guard");
        require(
                releasePct.compareTo(safePct) > 0 && releaseZ.compareTo(safeZ) >= 0,
                "releasePct/releaseZ must be above safePct/safeZ, or a release would walk into the guard");
        require(releaseMinPct.signum() >= 0, "releaseMinPct must be >= 0");
        require(costPct.signum() >= 0, "costPct must be >= 0");
        require(!cooldown.isNegative() && !staleAfter.isNegative(), "durations must be >= 0");
    }

    /** The defaults (see docs/benchmarks.md, "Choosing the budget policy's defaults"). */
    public static BudgetParams defaults() {
        return new BudgetParams(
                Optional.empty(),
                Optional.empty(),
                new BigDecimal("0.05"),
                new BigDecimal("3"),
                new BigDecimal("40"),
                new BigDecimal("0.8"),
                new BigDecimal("5"),
                new BigDecimal("3"),
                new BigDecimal("6"),
                new BigDecimal("6"),
                new BigDecimal("8"),
                new BigDecimal("30"),
                new BigDecimal("12"),
                new BigDecimal("25"),
                new BigDecimal("0.1"),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    /** The same settings with the budget given as {@code amount} USDT or {@code pct} of equity (or neither: automatic). */
    public BudgetParams withBudget(Optional<BigDecimal> amount, Optional<BigDecimal> pct) {
        return copy(amount, pct, releaseMinPct);
    }

    /** The same settings releasing only what is worth {@code pct} of the wallet or more. */
    public BudgetParams withReleaseMinPct(BigDecimal pct) {
        return copy(budgetAmount, budgetPct, pct);
    }

    private BudgetParams copy(Optional<BigDecimal> amount, Optional<BigDecimal> pct, BigDecimal minPct) {
        return new BudgetParams(
                amount,
                pct,
                autoBuffer,
                crashZ,
                maxMultiplier,
                cutToShare,
                closeBelowPct,
                guardPct,
                guardZ,
                safePct,
                safeZ,
                releasePct,
                releaseZ,
                minPct,
                costPct,
                cooldown,
                staleAfter);
    }

    private static void require(boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("budget: " + rule);
        }
    }
}
