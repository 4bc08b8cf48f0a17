package ballast.app.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** {@code ballast replay --json}: one object; amounts are decimal strings. */
public final class ReplayJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReplayJson() {}

    public static String render(ReplayReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("scenario", report.scenario());
        root.put("exchange", report.exchange());
        root.put("from", report.from().toString());
        root.put("to", report.to().toString());
        root.put("events", report.events());
        root.put("eventsPerSecond", report.eventsPerSecond());
        root.put("markSource", report.markSource());
        root.put("startEquity", money(report.startEquity()));
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        ArrayNode results = root.putArray("results");
        for (ReplayReport.PolicyRun run : report.results()) {
            ObjectNode r = results.addObject();
            ReplayReport.Summary s = run.summary();
            r.put("policy", run.policy());
            run.lossBudget().ifPresent(b -> r.put("lossBudget", money(b)));
            r.put("liquidations", s.liquidations());
            r.put("finalEquity", money(s.finalEquity()));
            r.put("pnl", money(s.finalEquity().subtract(report.startEquity())));
            r.put("marginAdded", money(s.marginAdded()));
            r.put("marginKept", money(s.marginKept()));
            r.put("marginReleased", money(s.marginReleased()));
            r.put("cutNotional", money(s.cutNotional()));
            r.put("lossRealisedByCuts", money(s.lossRealisedByCuts()));
            r.put("fees", money(s.fees()));
            r.put("funding", money(s.funding()));
            r.put("actions", s.actions());
            s.minDistancePct()
                    .ifPresentOrElse(
                            d -> r.put(
                                    "minDistancePct",
                                    d.setScale(4, RoundingMode.HALF_UP).toPlainString()),
                            () -> r.putNull("minDistancePct"));
            ArrayNode positions = r.putArray("positions");
            for (ReplayReport.PositionTrace trace : run.positions()) {
                ObjectNode p = positions.addObject();
                p.put("symbol", trace.symbol());
                p.put("side", trace.side().label());
                trace.liquidatedAt()
                        .ifPresentOrElse(t -> p.put("liquidatedAt", t.toString()), () -> p.putNull("liquidatedAt"));
                p.put("qtyAtEnd", plain(trace.qtyAtEnd()));
                p.put("qtyCut", plain(trace.qtyCut()));
                ArrayNode actions = p.putArray("actions");
                for (ReplayReport.ActionEvent e : trace.actions()) {
                    if (e.kind().equals("funding")) {
                        continue;
                    }
                    ObjectNode a = actions.addObject();
                    a.put("time", e.time().toString());
                    a.put("kind", e.kind());
                    a.put("amount", plain(e.amount()));
                    a.put("price", plain(e.price()));
                    a.put("detail", e.detail());
                }
            }
            ArrayNode curve = r.putArray("equity");
            for (ReplayReport.EquityPoint point : run.equity()) {
                curve.addArray().add(point.time().toString()).add(money(point.equity()));
            }
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the replay report as JSON", e);
        }
    }

    static String money(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String plain(BigDecimal value) {
        BigDecimal v = value.setScale(8, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return (v.scale() < 0 ? v.setScale(0) : v).toPlainString();
    }
}
