package ballast.app.cli;

import static ballast.app.format.Figures.amount;
import static ballast.app.format.Figures.percent;
import static ballast.app.format.Figures.price;
import static ballast.app.format.Figures.qty;

import ballast.app.format.Figures;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.RiskTier;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** The report for people: what the position is, where it dies, and what it takes to keep it alive. */
final class LiqText {
    private LiqText() {}

    static String render(LiqReport report) {
        MarginState state = report.query().state();
        MarginRules rules = report.query().rules();
        var p = state.position();
        StringBuilder out = new StringBuilder();
        out.append(rules.venue().displayName())
                .append(
                        rules instanceof ballast.core.margin.MarkValueRules m
                                        && m.extraMarginFee().signum() != 0
                                ? " (unified account)"
                                : "")
                .append(", ")
                .append(state.mode().label())
                .append(", ")
                .append(p.side().label())
                .append(' ')
                .append(qty(p.qty()))
                .append(p.symbol().equals(LiqCommand.UNNAMED) ? "" : " " + p.symbol())
                .append(" at ")
                .append(price(p.entryPrice()))
                .append(state.mode() == MarginMode.CROSS ? ", cross wallet " : ", margin ")
                .append(amount(state.wallet()))
                .append(" (")
                .append(qty(state.leverage().setScale(2, RoundingMode.HALF_UP)))
                .append('x')
                .append(report.query().leverageImplied() ? " effective" : "")
                .append(")\n");
        for (var leg : state.hedgeLegs()) {
            line(
                    out,
                    "Hedge leg",
                    leg.side().label() + " " + qty(leg.qty()) + " at " + price(leg.entryPrice())
                            + " (shares the liquidation price; net " + qty(state.netQty()) + ")");
        }
        if (state.mode() == MarginMode.CROSS) {
            line(
                    out,
                    "Rest of account",
                    "maintenance " + amount(state.rest().otherMaintMargin()) + ", unrealised PnL "
                            + amount(state.rest().otherUnrealizedPnl()));
        }
        line(out, "Risk tiers", state.tiers().source());
        switch (report.liquidation()) {
            case Liquidation.At at -> {
                line(out, "Liquidation price", price(at.price()));
                line(
                        out,
                        "  bracket",
                        describe(at.tier())
                                + (at.rechecks() > 0
                                        ? " (re-checked at the liquidation price; at entry it was tier "
                                                + at.entryTier().tier() + ")"
                                        : ""));
            }
            case Liquidation.Never never -> line(out, "Liquidation price", "none: " + never.reason());
            case Liquidation.Unavoidable unavoidable ->
                line(out, "Liquidation price", "every price: " + unavoidable.reason());
        }
        line(
                out,
                "Bankruptcy price",
                report.bankruptcyPrice()
                        .map(Figures::price)
                        .orElse(
                                state.netQty().signum() == 0
                                        ? "none (the hedge legs offset exactly)"
                                        : "none (margin covers the notional)"));
        line(out, "Maintenance margin", amount(report.maintenanceAtEntry()) + " at the entry price");
        BigDecimal closeFee = rules.estimatedCloseFee(state);
        if (closeFee.signum() != 0) {
            line(
                    out,
                    "Close-fee reserve",
                    amount(closeFee)
                            + " (in initial and maintenance margin alike; it cancels out of the liquidation price)");
        }
        report.atMark().ifPresent(m -> {
            out.append("At mark ").append(price(m.mark())).append(":\n");
            line(out, "  margin balance", amount(m.marginBalance()));
            line(out, "  maintenance", amount(m.maintenanceMargin()) + " (" + describe(m.tier()) + ")");
            line(
                    out,
                    "  margin ratio",
                    m.marginRatio().map(Figures::percent).orElse("past bankruptcy (balance <= 0)")
                            + "  (liquidation at 100 %)");
            line(
                    out,
                    "  distance",
                    m.distance()
                            .map(d -> percent(d) + (d.signum() < 0 ? "  PAST THE LIQUIDATION PRICE" : ""))
                            .orElse("no liquidation price"));
        });
        if (report.pastLiquidation() && report.query().targetDistance().isPresent()) {
            out.append("No target: the mark is past the liquidation price, so the venue has liquidated this position"
                    + " already; there is nothing left to add margin to or cut.\n");
        }
        report.target().ifPresent(t -> {
            out.append("To put liquidation ")
                    .append(percent(t.distance()))
                    .append(" from the mark (at ")
                    .append(price(t.liquidationPrice()))
                    .append(" or farther):\n");
            line(
                    out,
                    "  add margin",
                    amount(t.topUp().amount(), RoundingMode.CEILING)
                            + after(t.topUp().after()));
            line(
                    out,
                    "  or cut",
                    cut(
                            t.cut(),
                            rules.partialCloseRelease()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', '-')));
            line(out, "  or cut + re-add", cut(t.cutKeepingMargin(), "keeping the released margin in the position"));
            t.release()
                    .ifPresent(r -> line(
                            out,
                            "  can release",
                            amount(r.amount(), RoundingMode.FLOOR) + (r.amount().signum() > 0 ? after(r.after()) : "")
                                    + "  (limit: " + r.bindingConstraint() + ")"));
        });
        for (String note : report.query().notes()) {
            out.append("Note: ").append(note).append('\n');
        }
        return out.toString();
    }

    private static String cut(MarginRules.Cut cut, String how) {
        if (cut.qty().signum() == 0) {
            return "nothing (already that far)";
        }
        if (cut.closes()) {
            return qty(cut.qty()) + ", the whole position: a partial cut (" + how
                    + ") does not move liquidation that far";
        }
        return qty(cut.qty()) + " reduce-only (" + how + "), " + qty(cut.remainingQty()) + " left" + after(cut.after());
    }

    private static String after(Liquidation liquidation) {
        return switch (liquidation) {
            case Liquidation.At at -> " -> liquidation " + price(at.price());
            case Liquidation.Never never -> " -> no liquidation price";
            case Liquidation.Unavoidable unavoidable -> " -> still liquidatable";
        };
    }

    private static String describe(RiskTier tier) {
        return "tier " + tier.tier() + ", MMR " + percent(tier.maintMarginRate()) + ", maintenance amount "
                + amount(tier.maintAmount());
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format("%-20s%s%n", label, value));
    }
}
