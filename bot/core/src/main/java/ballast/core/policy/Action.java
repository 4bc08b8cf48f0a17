package ballast.core.policy;

import static ballast.core.Decimals.requirePositive;

import ballast.core.Side;
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
     * Reduce-only cut of {@code qty}. With {@code readdReleasedMargin}, the isolated margin the venue releases for the
     * closed part is added straight back, so the remaining position keeps the whole wallet and its liquidation price
     * moves away (a cut alone, under pro-rata release, leaves it where it was).
     */
    record ReducePosition(String symbol, Side side, BigDecimal qty, boolean readdReleasedMargin, String reason)
            implements Action {
        public ReducePosition {
            qty = requirePositive("cut qty", qty);
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

    /** Tell a human. */
    record Alert(String symbol, Side side, RiskLevel level, String reason) implements Action {
        @Override
        public boolean protective() {
            return true;
        }
    }
}
