package ballast.kernel;

import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * The liquidation prices the engines of one window's policies solved, each replayed after the other on one thread: an
 * engine whose isolated position stands as another's stood when it solved (the same size, entry, wallet, leverage,
 * tiers and rules, as every policy's does until it acts) takes that price instead of solving it again. A solve reads
 * nothing but the state and the rules, so equal inputs give the equal price. A replay settles funding about ninety
 * times a window for each policy; while the policies have not acted, three of each four solves are served here. Not
 * thread-safe: one per thread, emptied for each window ({@link #reset}).
 */
public final class LiquidationMemo {
    private record Kept(MarginRules rules, MarginState state, Liquidation liquidation) {}

    /** By the wallet: the one figure a settlement moves. */
    private final Map<BigDecimal, Kept> byWallet = new HashMap<>();

    private long served;

    /** Forgets every price: the next window's positions are others. */
    public void reset() {
        byWallet.clear();
    }

    /** How many solves this memo served since it was made (for tests and counts). */
    public long served() {
        return served;
    }

    /** The liquidation of {@code state} under {@code rules}: another engine's where it solved the same, else solved. */
    Liquidation solve(MarginRules rules, MarginState state) {
        if (state.mode() != MarginMode.ISOLATED || !state.hedgeLegs().isEmpty()) {
            return rules.liquidation(state);
        }
        Kept kept = byWallet.get(state.wallet());
        if (kept != null && same(kept, rules, state)) {
            served++;
            return kept.liquidation();
        }
        Liquidation solved = rules.liquidation(state);
        byWallet.put(state.wallet(), new Kept(rules, state, solved));
        return solved;
    }

    /** Whether {@code kept} was solved for this state under these rules (its wallet is equal: it is the key). */
    private static boolean same(Kept kept, MarginRules rules, MarginState state) {
        MarginState was = kept.state();
        return was == state
                || ((kept.rules() == rules || kept.rules().equals(rules))
                        && was.tiers() == state.tiers()
                        && was.mode() == state.mode()
                        && was.position().equals(state.position())
                        && was.leverage().equals(state.leverage())
                        && was.rest().equals(state.rest())
                        && was.hedgeLegs().equals(state.hedgeLegs()));
    }
}
