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
 * @param startEquity what the account held once the positions were open: the free balance and every isolated
 *     position's margin (the opening fees are paid before); every run's final equity compares with it
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
        BigDecimal startEquity,
        List<String> notes,
        List<PolicyRun> results) {

    public ReplayReport {
        notes = List.copyOf(notes);
        results = List.copyOf(results);
    }

    /**
     * One policy over the whole scenario, with the account's equity over time (downsampled like the traces) and, for a
     * policy that keeps one, the loss budget it declared (summed over its positions; cross: the account's).
     */
    public record PolicyRun(
            String policy,
            Summary summary,
            List<PositionTrace> positions,
            List<EquityPoint> equity,
            Optional<BigDecimal> lossBudget) {
        public PolicyRun {
            positions = List.copyOf(positions);
            equity = List.copyOf(equity);
        }

        public PolicyRun(String policy, Summary summary, List<PositionTrace> positions, List<EquityPoint> equity) {
            this(policy, summary, positions, equity, Optional.empty());
        }

        public PolicyRun(String policy, Summary summary, List<PositionTrace> positions) {
            this(policy, summary, positions, List.of(), Optional.empty());
        }
    }

    /** The account's equity (free balance plus every open position's margin balance at its mark) at one moment. */
    public record EquityPoint(Instant time, BigDecimal equity) {}

    /**
     * Totals of a run, in the account's quote currency (USDT).
     *
     * @param finalEquity free balance plus every open position's margin balance at the last mark
     * @param marginAdded new margin moved into isolated positions: the policy's top-ups and the exchange's auto-add
     * @param marginKept margin that cuts released and put straight back into their position (not new money: what the
     *     account could otherwise have had back)
     * @param cutNotional what the policy's reduce-only cuts and closes sold or bought back, at their fill prices, in USDT
     *     (a sum across symbols means something in USDT; in base units it would add BTC to ETH); liquidations not
     *     included. Each position's size cut is in its {@link PositionTrace#qtyCut()}.
     * @param lossRealisedByCuts realised PnL of cuts and closes made by the policy (negative is a loss)
     * @param fees trading and liquidation fees paid (positive)
     * @param funding net funding received (negative when paid)
     * @param minDistancePct the smallest distance to liquidation seen, in percent of the mark (0 when a position was
     *     liquidated: the mark reached its liquidation price); empty if never measured
     */
    public record Summary(
            int liquidations,
            BigDecimal finalEquity,
            BigDecimal marginAdded,
            BigDecimal marginKept,
            BigDecimal marginReleased,
            BigDecimal cutNotional,
            BigDecimal lossRealisedByCuts,
            BigDecimal fees,
            BigDecimal funding,
            int actions,
            Optional<BigDecimal> minDistancePct) {}

    /**
     * The path of one position under one policy, downsampled for charts; {@code qtyCut} is the base quantity the policy
     * cut or closed (liquidations not included).
     */
    public record PositionTrace(
            String symbol,
            Side side,
            List<TracePoint> points,
            List<ActionEvent> actions,
            Optional<Instant> liquidatedAt,
            BigDecimal qtyAtEnd,
            BigDecimal qtyCut) {
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
