package ballast.core.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a policy may look at for one position: the risk measure, the ladder's own memory (level, episode,
 * cooldown) kept by the engine, and what the gate would still allow. A policy reads it and returns a decision; it
 * cannot reach the clock, the network or the account.
 *
 * @param level the ladder level after the previous decision
 * @param lastActionAt when the last action on this position was carried out
 * @param topUpsThisEpisode top-ups carried out since the level last left WATCH
 * @param budgetLeft what the gate would still let this position spend on top-ups now (the smallest of its budgets)
 * @param freeBalance the account's free balance
 * @param book what the position (cross: the account) has made and lost since it was opened
 * @param conviction the trader's conviction in the position, in [0, 1] (1 unless they said otherwise): a policy may
 *     hold less exposure with less conviction, never more than its budget allows
 */
public record PolicyInput(
        Instant now,
        PositionRisk risk,
        RiskLevel level,
        Optional<Instant> lastActionAt,
        int topUpsThisEpisode,
        BigDecimal budgetLeft,
        BigDecimal freeBalance,
        PositionBook book,
        BigDecimal conviction) {

    public PolicyInput {
        if (conviction.signum() < 0 || conviction.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("conviction must be in [0, 1], was " + conviction.toPlainString());
        }
    }

    /**
     * This input at {@code moved}: what the next mark brings a policy that has just put the position there, where the
     * rest stays (a quiet proved with it holds for the marks after a decision that moved the level).
     */
    public PolicyInput at(RiskLevel moved) {
        return moved == level
                ? this
                : new PolicyInput(
                        now, risk, moved, lastActionAt, topUpsThisEpisode, budgetLeft, freeBalance, book, conviction);
    }
}
