package ballast.kernel;

import ballast.core.policy.Action;
import ballast.core.policy.RiskLevel;
import java.time.Instant;

/**
 * One thing a {@link Engine#step} decided, in the order it decided them. The journal, the alerts, the metrics and the
 * tests all read these same facts.
 */
public sealed interface Decided {

    Instant time();

    /** The gate admitted an action: it goes to the executor with this client id. */
    record Issued(Instant time, Book book, Intent intent) implements Decided {}

    /**
     * The policy proposed an action and it was not sent: the gate refused it, or the position waits for the venue's
     * truth (an accepted action not yet seen in a position update, an unknown outcome, an interrupted feed).
     */
    record Refused(Instant time, Book book, Action action, String reason) implements Decided {}

    /** The ladder's level of a book moved. */
    record LevelMoved(Instant time, Book book, RiskLevel from, RiskLevel to) implements Decided {}

    /** What the gate lets through changed, and why. */
    record TradingStateMoved(Instant time, TradingState from, TradingState to, String reason) implements Decided {}
}
