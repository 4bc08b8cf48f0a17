package ballast.kernel;

import ballast.core.Side;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import java.math.BigDecimal;
import java.time.Instant;

/** What the engine learns, in past tense. Every event carries the time it happened on the venue (or in the replay). */
public sealed interface EngineEvent {

    Instant time();

    /** A new mark (and last) price for a symbol. */
    record MarkUpdated(Instant time, String symbol, BigDecimal mark, BigDecimal last) implements EngineEvent {}

    /**
     * A candle of {@code symbol} closed (live: the venue's kline stream; replay: the data's candles, at their close).
     * Its range feeds the volatility estimate, which a path of marks walked inside a candle would understate.
     */
    record CandleClosed(Instant time, String symbol, BigDecimal high, BigDecimal low, java.time.Duration interval)
            implements EngineEvent {}

    /**
     * The trader's conviction in their positions on {@code symbol}, in [0, 1]: a policy may hold less with less of it,
     * never more than its budget allows. It stands until the next one.
     */
    record ConvictionSet(Instant time, String symbol, BigDecimal conviction) implements EngineEvent {
        public ConvictionSet {
            if (conviction.signum() < 0 || conviction.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException(
                        "conviction must be between 0 and 1, was " + conviction.toPlainString());
            }
        }
    }

    /** The venue's truth about one position: replaces what the engine believed. */
    record PositionUpdated(Instant time, PositionSnapshot position) implements EngineEvent {}

    /** The position no longer exists (closed by us, or liquidated). */
    record PositionClosed(Instant time, String symbol, Side side, boolean liquidated) implements EngineEvent {}

    /** The account's free balance. */
    record BalanceUpdated(Instant time, BigDecimal freeBalance) implements EngineEvent {}

    /**
     * A venue feed dropped or went silent ({@code feed} names it). Until the venue's REST truth has been read again
     * (a {@link PositionUpdated} for each position), nothing but alerts is sent: the account may have changed unseen.
     */
    record FeedInterrupted(Instant time, String feed) implements EngineEvent {}

    /** A clock tick (Quartz live, none in replay): lets the engine notice what has not happened, such as a silent feed. */
    record TimerFired(Instant time) implements EngineEvent {}

    /**
     * How an intent the engine issued ended. An {@link Outcome.Unknown} is reported again, with what the venue then
     * proved, once a reconcile has read it: that second report is what unblocks the position and settles the budget.
     */
    record OutcomeReported(Instant time, Intent intent, Outcome outcome) implements EngineEvent {}

    /**
     * The venue will not take our requests until {@code until}: an IP ban (HTTP 418) or a back-off (429 with
     * Retry-After). Trading is held at REDUCING until then (protective actions only; the executor holds even those
     * back until the ban ends), whatever the marks say.
     */
    /**
     * The venue's close-all stops, as a backstop check read them; {@code time} is when the read was sent (a stop placed
     * after it may be missing from it).
     */
    record StopsRead(Instant time, java.util.List<ballast.core.venue.StopOrder> stops) implements EngineEvent {
        public StopsRead {
            stops = java.util.List.copyOf(stops);
        }
    }

    /** A symbol's maintenance brackets as the venue publishes them now (read again while the bot runs). */
    record TiersUpdated(Instant time, ballast.core.margin.RiskTierTable table) implements EngineEvent {}

    record VenueBanned(Instant time, Instant until, String reason) implements EngineEvent {}

    /** A human's command: HALT holds trading at HALTED (alerts only) until RESUME, which also lifts a fatal halt. */
    record OperatorCommand(Instant time, Command command, String reason) implements EngineEvent {
        public enum Command {
            HALT,
            RESUME
        }
    }
}
