package ballast.app.replay;

import ballast.core.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code ballast replay} produced: the scenario, how fast it ran, where its mark came from, and one run per
 * policy (the chosen policy first, then each compared baseline). Rendered as a table, as JSON and as an HTML page.
 *
 * @param markSource {@code mark} when a mark-price file drove liquidation, {@code last} when last price stood in
 * @param notes what a reader must know (gaps in the data, last price standing in for mark, the tier table used)
 */
public record ReplayReport(
        String scenario,
        String exchange,
        Instant from,
        Instant to,
        long events,
        long eventsPerSecond,
        String markSource,
        List<String> notes,
        List<PolicyRun> results) {

    public ReplayReport {
        notes = List.copyOf(notes);
        results = List.copyOf(results);
    }

    /** One policy over the whole scenario. */
    public record PolicyRun(String policy, Summary summary, List<PositionTrace> positions) {
        public PolicyRun {
            positions = List.copyOf(positions);
        }
    }

    /**
     * Totals of a run, in the account's quote currency (USDT).
     *
     * @param finalEquity free balance plus every open position's margin balance at the last mark
     * @param sizeCut base quantity removed by reduce-only cuts and closes (liquidations not included)
     * @param lossRealisedByCuts realised PnL of cuts and closes made by the policy (negative is a loss)
     * @param fees trading and liquidation fees paid (positive)
     * @param funding net funding received (negative when paid)
     * @param minDistancePct the smallest distance to liquidation seen, in percent of the mark; empty if never measured
     */
    public record Summary(
            int liquidations,
            BigDecimal finalEquity,
            BigDecimal marginAdded,
            BigDecimal marginReleased,
            BigDecimal sizeCut,
            BigDecimal lossRealisedByCuts,
            BigDecimal fees,
            BigDecimal funding,
            int actions,
            Optional<BigDecimal> minDistancePct) {}

    /** The path of one position under one policy, downsampled for charts. */
    public record PositionTrace(
            String symbol,
            Side side,
            List<TracePoint> points,
            List<ActionEvent> actions,
            Optional<Instant> liquidatedAt,
            BigDecimal qtyAtEnd) {
        public PositionTrace {
            points = List.copyOf(points);
            actions = List.copyOf(actions);
        }
    }

    /** Last and mark price, and the liquidation price in force (empty when there is none or the position is gone). */
    public record TracePoint(Instant time, BigDecimal last, BigDecimal mark, Optional<BigDecimal> liquidationPrice) {}

    /**
     * Something that happened to a position: {@code kind} is one of {@code top-up}, {@code release}, {@code cut},
     * {@code close}, {@code auto-add}, {@code liquidation}, {@code funding}; {@code amount} is the margin moved or the
     * size cut; {@code price} the mark (or fill price) at that moment.
     */
    public record ActionEvent(Instant time, String kind, BigDecimal amount, BigDecimal price, String detail) {}
}
