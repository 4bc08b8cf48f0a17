package ballast.app.cli;

import static ballast.app.format.Figures.exact;
import static ballast.app.format.Figures.percentExact;

import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.MarkValueRules;
import ballast.core.margin.RiskTier;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.RoundingMode;

/**
 * The report for machines: one JSON object; every amount a decimal string (never a binary float); a missing figure is
 * {@code null} with a {@code reason}.
 */
final class LiqJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LiqJson() {}

    static String render(LiqReport report) {
        MarginState state = report.query().state();
        MarginRules rules = report.query().rules();
        var p = state.position();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("exchange", rules.venue().id());
        root.put(
                "account",
                rules instanceof MarkValueRules m && m.extraMarginFee().signum() != 0 ? "unified" : "classic");
        root.put("mode", state.mode().label());
        if (p.symbol().equals(LiqCommand.UNNAMED)) {
            root.putNull("symbol");
        } else {
            root.put("symbol", p.symbol());
        }
        root.put("side", p.side().label());
        root.put("qty", exact(p.qty()));
        root.put("entryPrice", exact(p.entryPrice()));
        root.put("wallet", exact(state.wallet()));
        root.put("leverage", exact(state.leverage()));
        root.put("leverageImplied", report.query().leverageImplied());
        if (!state.rest().equals(ballast.core.margin.CrossRest.NONE)) {
            root.put("otherMaintMargin", exact(state.rest().otherMaintMargin()));
            root.put("otherUnrealizedPnl", exact(state.rest().otherUnrealizedPnl()));
        }
        for (var leg : state.hedgeLegs()) {
            ObjectNode hedge = root.putObject("hedgeLeg");
            hedge.put("side", leg.side().label());
            hedge.put("qty", exact(leg.qty()));
            hedge.put("entryPrice", exact(leg.entryPrice()));
        }
        root.put("tiers", state.tiers().source());
        switch (report.liquidation()) {
            case Liquidation.At at -> {
                root.put("liquidationPrice", exact(at.price()));
                root.set("tier", tier(at.tier()));
                root.put("entryTier", at.entryTier().tier());
                root.put("bracketRechecks", at.rechecks());
            }
            case Liquidation.Never never -> {
                root.putNull("liquidationPrice");
                root.put("reason", never.reason());
                root.set("tier", tier(rules.tierAt(state, p.entryPrice())));
            }
            case Liquidation.Unavoidable unavoidable -> {
                root.putNull("liquidationPrice");
                root.put("reason", unavoidable.reason());
                root.put("liquidatableAtEveryPrice", true);
                root.set("tier", tier(rules.tierAt(state, p.entryPrice())));
            }
        }
        report.bankruptcyPrice()
                .ifPresentOrElse(b -> root.put("bankruptcyPrice", exact(b)), () -> root.putNull("bankruptcyPrice"));
        root.put("maintenanceMargin", exact(report.maintenanceAtEntry()));
        root.put("maintenanceMarginAt", "entry");
        root.put("estimatedCloseFee", exact(rules.estimatedCloseFee(state)));
        report.atMark().ifPresent(m -> {
            ObjectNode at = root.putObject("atMark");
            at.put("mark", exact(m.mark()));
            at.set("tier", tier(m.tier()));
            at.put("marginBalance", exact(m.marginBalance()));
            at.put("maintenanceMargin", exact(m.maintenanceMargin()));
            m.marginRatio()
                    .ifPresentOrElse(
                            r -> at.put("marginRatioPct", percentExact(r)), () -> at.putNull("marginRatioPct"));
            m.distance().ifPresentOrElse(d -> at.put("distancePct", percentExact(d)), () -> at.putNull("distancePct"));
        });
        if (report.pastLiquidation() && report.query().targetDistance().isPresent()) {
            ObjectNode none = root.putObject("target");
            none.putNull("topUp");
            none.put("reason", "the mark is past the liquidation price: the venue has liquidated the position already");
        }
        report.target().ifPresent(t -> {
            ObjectNode target = root.putObject("target");
            target.put("distancePct", percentExact(t.distance()));
            target.put("liquidationPrice", exact(t.liquidationPrice()));
            ObjectNode topUp = target.putObject("topUp");
            topUp.put("amount", exact(t.topUp().amount(), RoundingMode.CEILING));
            putLiquidation(topUp, t.topUp().after());
            cut(target.putObject("cut"), t.cut(), rules.partialCloseRelease().name());
            cut(target.putObject("cutKeepingMargin"), t.cutKeepingMargin(), "KEEP_MARGIN");
            t.release().ifPresent(r -> {
                ObjectNode release = target.putObject("release");
                release.put("amount", exact(r.amount(), RoundingMode.FLOOR));
                release.put("limitedBy", r.bindingConstraint());
                putLiquidation(release, r.after());
            });
        });
        var notes = root.putArray("notes");
        report.query().notes().forEach(notes::add);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static void cut(ObjectNode node, MarginRules.Cut cut, String release) {
        node.put("release", release);
        node.put("qty", exact(cut.qty(), RoundingMode.CEILING));
        node.put("remainingQty", exact(cut.remainingQty(), RoundingMode.FLOOR));
        node.put("closesPosition", cut.closes());
        putLiquidation(node, cut.after());
    }

    private static void putLiquidation(ObjectNode node, Liquidation liquidation) {
        switch (liquidation) {
            case Liquidation.At at -> node.put("liquidationPrice", exact(at.price()));
            case Liquidation.Never never -> {
                node.putNull("liquidationPrice");
                node.put("reason", never.reason());
            }
            case Liquidation.Unavoidable unavoidable -> {
                node.putNull("liquidationPrice");
                node.put("reason", unavoidable.reason());
            }
        }
    }

    private static ObjectNode tier(RiskTier tier) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("tier", tier.tier());
        node.put("maintMarginRate", exact(tier.maintMarginRate()));
        node.put("maintAmount", exact(tier.maintAmount()));
        node.put("notionalFloor", exact(tier.notionalFloor()));
        node.put("notionalCap", exact(tier.notionalCap()));
        node.put("maxLeverage", tier.maxLeverage());
        return node;
    }
}
