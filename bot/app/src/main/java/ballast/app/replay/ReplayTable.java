package ballast.app.replay;

import ballast.app.format.Figures;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** The summary table printed at the end of a replay. */
public final class ReplayTable {
    private ReplayTable() {}

    public static String render(ReplayReport report) {
        StringBuilder out = new StringBuilder();
        out.append(report.scenario())
                .append(" (")
                .append(report.exchange())
                .append(", ")
                .append(report.from())
                .append(" → ")
                .append(report.to())
                .append("), liquidation on ")
                .append(report.markSource().equals("mark") ? "mark price" : "LAST price (no mark file)")
                .append('\n')
                .append("start equity ")
                .append(money(report.startEquity()))
                .append(" USDT (free balance and isolated margin once the positions are open)\n");
        String header = String.format(
                "%-18s %5s %13s %12s %11s %11s %11s %12s %9s %9s %7s %9s%n",
                "policy",
                "liq",
                "final equity",
                "P&L",
                "added",
                "released",
                "cut USDT",
                "cut PnL",
                "fees",
                "funding",
                "actions",
                "min dist");
        out.append(header);
        out.append("-".repeat(header.length() - 1)).append('\n');
        for (ReplayReport.PolicyRun run : report.results()) {
            ReplayReport.Summary s = run.summary();
            out.append(String.format(
                    "%-18s %5s %13s %12s %11s %11s %11s %12s %9s %9s %7d %9s%n",
                    run.policy(),
                    s.liquidations() == 0 ? "no" : "YES " + s.liquidations(),
                    money(s.finalEquity()),
                    signed(s.finalEquity().subtract(report.startEquity())),
                    money(s.marginAdded()),
                    money(s.marginReleased()),
                    money(s.cutNotional()),
                    money(s.lossRealisedByCuts()),
                    money(s.fees()),
                    money(s.funding()),
                    s.actions(),
                    s.minDistancePct()
                            .map(d -> d.setScale(2, RoundingMode.HALF_UP).toPlainString() + " %")
                            .orElse("-")));
        }
        for (ReplayReport.PolicyRun run : report.results()) {
            if (run.lossBudget().isPresent()) {
                BigDecimal budget = run.lossBudget().get();
                BigDecimal lost = report.startEquity().subtract(run.summary().finalEquity());
                out.append(run.policy())
                        .append(": loss budget ")
                        .append(money(budget))
                        .append(" USDT (its worst case, give or take one mark step); ")
                        .append(
                                lost.signum() > 0
                                        ? "it lost " + money(lost) + " USDT, "
                                                + Figures.percent(lost.divide(budget, 6, RoundingMode.HALF_UP))
                                                + " of it"
                                        : "it lost nothing")
                        .append('\n');
            }
        }
        for (String note : report.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        out.append(report.events())
                .append(" market events, ")
                .append(Figures.grouped(BigDecimal.valueOf(report.eventsPerSecond())))
                .append(" events/s across all runs\n");
        return out.toString();
    }

    private static String signed(BigDecimal value) {
        return (value.signum() > 0 ? "+" : "") + money(value);
    }

    /** Amounts as the table shows them: grouped, two decimals, rounded half to even. */
    private static String money(BigDecimal value) {
        return Figures.amount(value, RoundingMode.HALF_EVEN);
    }
}
