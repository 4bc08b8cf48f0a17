package ballast.core.policy;

import static ballast.core.Decimals.requirePositive;

import ballast.core.Side;
import ballast.core.margin.PartialCloseRelease;
import java.math.BigDecimal;

/**
 * What a scaling policy asks for. Imperative names; every action names the position it is for and why. The gate, not
 * the policy, decides whether it may be carried out.
 */
public sealed interface Action {

    String symbol();

    Side side();

    String reason();

    /** Protective actions lower the risk of liquidation; only they pass the gate while trading is REDUCING. */
    boolean protective();

    /** Whether {@code actions} ask for nothing but alerts (or nothing at all): nothing that changes the position. */
    static boolean onlyAlerts(java.util.List<Action> actions) {
        for (Action action : actions) {
            if (!(action instanceof Alert)) {
                return false;
            }
        }
        return true;
    }

    /** Add isolated margin from the free balance. */
    record TopUpMargin(String symbol, Side side, BigDecimal amount, String reason) implements Action {
        public TopUpMargin {
            amount = requirePositive("top-up amount", amount);
        }

        @Override
        public boolean protective() {
            return true;
        }
    }

    /** Remove isolated margin that is no longer needed: effective leverage scales back up. */
    record ReleaseMargin(String symbol, Side side, BigDecimal amount, String reason) implements Action {
        public ReleaseMargin {
            amount = requirePositive("release amount", amount);
        }

        @Override
        public boolean protective() {
            return false;
        }
    }

    /**
     * Reduce-only cut of {@code qty}, and what becomes of the isolated margin the venue releases for the closed part:
     * {@link PartialCloseRelease#PRO_RATA} lets it go (the liquidation price stays where it was), {@code KEEP_MARGIN}
     * adds it straight back (the liquidation price moves away; the free balance pays the cut's loss), {@code KEEP_NET}
     * adds back what came back (the liquidation price moves away; the position pays its own loss).
     */
    record ReducePosition(String symbol, Side side, BigDecimal qty, PartialCloseRelease margin, String reason)
            implements Action {
        public ReducePosition {
            qty = requirePositive("cut qty", qty);
            if (margin == null) {
                throw new IllegalArgumentException("a cut must say what becomes of the margin it releases");
            }
        }

        /** Whether released margin goes back into the position (in full or net). */
        public boolean keepsMargin() {
            return margin != PartialCloseRelease.PRO_RATA;
        }

        @Override
        public boolean protective() {
            return true;
        }
    }

    /** Reduce-only close of the whole position. */
    record ClosePosition(String symbol, Side side, String reason) implements Action {
        @Override
        public boolean protective() {
            return true;
        }
    }

    /** Cancel open orders that would add to the position. */
    record CancelRiskAddingOrders(String symbol, Side side, String reason) implements Action {
        @Override
        public boolean protective() {
            return true;
        }
    }

    /**
     * Keep one reduce-only close-all stop on the venue, triggered when the mark reaches {@code triggerPrice}: the
     * exchange-side backstop that closes the position before liquidation if the bot cannot (it died, lost its network,
     * was banned). Replaces the one placed before. The engine places it, never a policy.
     */
    record PlaceBackstop(String symbol, Side side, BigDecimal triggerPrice, String reason) implements Action {
        public PlaceBackstop {
            triggerPrice = requirePositive("backstop trigger price", triggerPrice);
        }

        @Override
        public boolean protective() {
            return true;
        }
    }

    /** Remove the backstop (the position closed, or has no liquidation price to stand before). */
    record CancelBackstop(String symbol, Side side, String reason) implements Action {
        @Override
        public boolean protective() {
            return true;
        }
    }

    /** Tell a human. */
    record Alert(String symbol, Side side, RiskLevel level, String reason) implements Action {
        @Override
        public boolean protective() {
            return true;
        }
    }
}
