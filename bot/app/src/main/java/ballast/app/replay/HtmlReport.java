package ballast.app.replay;

import ballast.app.replay.ReplayReport.ActionEvent;
import ballast.app.replay.ReplayReport.PolicyRun;
import ballast.app.replay.ReplayReport.PositionTrace;
import ballast.app.replay.ReplayReport.Summary;
import ballast.app.replay.ReplayReport.TracePoint;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ReplayReport} as one self-contained HTML5 page: inline CSS, inline SVG charts drawn here, no scripts, fonts,
 * images or links to anything outside the file, so it opens offline and can be mailed around. The markup is also
 * well-formed XML (void elements self-closed, only XML's own entities), which lets tests parse it.
 *
 * <p>What a trader should judge from it (risk-ladder §4): per policy, liquidated or not and when, the smallest distance
 * reached, every action with time, size and price, margin added and released, loss realised by cuts, fees, funding,
 * final equity and what is still held, side by side with the baselines.
 *
 * <p>All numbers are {@link BigDecimal}; pixel coordinates too, rounded to one decimal.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final MathContext MC = MathContext.DECIMAL64;

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TICK_HM =
            DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TICK_HMS =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TICK_DAY =
            DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TICK_DAY_YEAR =
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    // Chart geometry in SVG user units (the SVG scales to the page width).
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 240;
    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int TOP = 12;
    private static final int BOTTOM = 38;

    /** Tick spacings tried for the time axis, in seconds; the first giving at most {@link #MAX_X_TICKS} wins. */
    private static final long[] TIME_STEPS = {
        1,
        2,
        5,
        10,
        15,
        30,
        60,
        120,
        300,
        600,
        900,
        1_800,
        3_600,
        7_200,
        10_800,
        21_600,
        43_200,
        86_400,
        172_800,
        604_800,
        2_592_000,
        31_536_000
    };

    private static final int MAX_X_TICKS = 8;
    private static final int Y_TICKS = 5;

    /** Every action kind the replay emits, in legend order. */
    private record Kind(String id, String label, String colour, String meaning) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("top-up", "top-up", "#1a9850", "margin added by the policy"),
            new Kind("release", "release", "#2b83ba", "margin taken back out"),
            new Kind("cut", "cut", "#f17c16", "reduce-only cut of size"),
            new Kind("close", "close", "#7b3294", "position closed by the policy"),
            new Kind("auto-add", "auto-add", "#a6761d", "margin added by the exchange's auto-add"),
            new Kind("liquidation", "liquidation", "#e00000", "position liquidated"),
            new Kind("funding", "funding", "#666666", "funding paid or received"));

    private static final String CSS = """
            *{box-sizing:border-box}
            body{margin:0;background:#f4f5f7;color:#1d2330;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,\
            "Helvetica Neue",Arial,sans-serif}
            main{max-width:1360px;margin:0 auto;padding:18px 22px 40px}
            h1{font-size:22px;margin:0 0 6px;word-break:break-word}
            h2{font-size:18px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #d5d9e0}
            h3{font-size:15px;margin:16px 0 6px}
            .card{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 16px;margin:10px 0}
            dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
            dl.meta dt{color:#5b6472}
            dl.meta dd{margin:0}
            .warn{background:#fff4e5;border:1px solid #f0a640;border-left:6px solid #e8890c;border-radius:4px;\
            padding:8px 12px;margin:10px 0;color:#5c3a00}
            .notes{margin:6px 0 0;padding-left:20px}
            .verdict{font-size:15px}
            nav a{margin-right:14px}
            a{color:#1f4fa8}
            table{border-collapse:collapse;width:100%;background:#fff}
            th,td{border:1px solid #dde1e7;padding:5px 8px;vertical-align:top}
            th{background:#eef0f4;text-align:left;font-weight:600;white-space:nowrap}
            th[title]{cursor:help;text-decoration:underline dotted #99a}
            table.cmp{font-size:13px}
            table.cmp th{white-space:normal;vertical-align:bottom}
            table.actions{table-layout:fixed}
            .nowrap{white-space:nowrap}
            .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .neg{color:#b3261e}
            .muted{color:#7a8290}
            tr.chosen td{background:#fff8d6}
            tr.chosen td:first-child{box-shadow:inset 4px 0 0 #e0b000}
            tr.liquidated td{background:#fdeceb}
            tr.chosen.liquidated td{background:#fbe0dc}
            .badge{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.04em;padding:1px 6px;\
            border-radius:3px;vertical-align:1px;white-space:nowrap}
            .badge.liq{background:#d11a1a;color:#fff}
            .badge.ok{background:#e3f4e6;color:#1d6b2f}
            .badge.chosen{background:#e0b000;color:#2a2000}
            .legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0 4px;font-size:13px}
            .legend span{display:inline-flex;align-items:center;gap:5px}
            figure.run{margin:8px 0 14px;background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:6px 8px}
            figure.run.liquidated{border-color:#e8a19b}
            figure.run figcaption{font-size:13px;margin:0 0 2px 4px}
            svg.chart{display:block;width:100%;height:auto}
            .chart text{font-size:11px;fill:#4a5261}
            .chart .plot{fill:#fcfcfd;stroke:#c9ced6}
            .chart .grid{stroke:#e6e9ee;stroke-width:1}
            .chart .tick{stroke:#9aa1ad}
            .chart .gone{fill:#fdecec}
            .chart .l-last{fill:none;stroke:#a9c4e4;stroke-width:1}
            .chart .l-mark{fill:none;stroke:#1f3b73;stroke-width:1.6;stroke-linejoin:round}
            .chart .l-liq{fill:none;stroke:#d0342c;stroke-width:1.6;stroke-dasharray:6 3}
            .chart .liq-line{stroke:#e00000;stroke-width:2}
            .chart text.liq-label{fill:#c00000;font-weight:700;font-size:12px;paint-order:stroke;stroke:#fff;\
            stroke-width:3px}
            .chart .mk{cursor:help}
            .chart text.empty{font-size:13px;fill:#7a8290}
            table.actions svg{vertical-align:-2px}
            tr.k-liquidation td{background:#fdeceb;font-weight:600}
            details>summary{cursor:pointer;font-weight:600;font-size:15px;margin:14px 0 6px}
            footer{margin-top:30px;font-size:12px;color:#7a8290}
            """;

    /** The whole page. */
    public static String render(ReplayReport report) {
        StringBuilder out = new StringBuilder(64 * 1024);
        List<PolicyRun> runs = report.results();
        String scenario = text(report.scenario());
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Ballast replay \u2014 ")
                .append(esc(scenario))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n<main>\n");
        header(out, report);
        verdict(out, runs);
        Map<String, List<RunTrace>> positions = positions(runs);
        nav(out, positions);
        comparison(out, runs, report.startEquity());
        equityChart(out, report);
        charts(out, report, positions);
        logs(out, runs);
        out.append("<footer>Generated by Ballast. Times are UTC. Amounts in the account's quote currency")
                .append(" (USDT); sizes in base units. Hover a marker for its details.</footer>\n")
                .append("</main>\n</body>\n</html>\n");
        return out.toString();
    }

    // ---------------------------------------------------------------- header

    private static void header(StringBuilder out, ReplayReport report) {
        out.append("<header class=\"card\">\n<h1>Replay: ")
                .append(esc(text(report.scenario())))
                .append("</h1>\n<dl class=\"meta\">\n");
        meta(out, "Exchange", esc(text(report.exchange())));
        String window;
        if (report.from() != null && report.to() != null) {
            window = esc(MINUTES.format(report.from())) + " \u2192 " + esc(MINUTES.format(report.to())) + " UTC"
                    + " <span class=\"muted\">(" + esc(duration(Duration.between(report.from(), report.to())))
                    + ")</span>";
        } else {
            window = "\u2014";
        }
        meta(out, "Window", window);
        if (report.startEquity() != null) {
            meta(
                    out,
                    "Start equity",
                    money(report.startEquity())
                            + " <span class=\"muted\">(free balance and isolated margin once the positions are"
                            + " open; every P&amp;L below is against it)</span>");
        }
        boolean last = isLastMark(report.markSource());
        meta(
                out,
                "Mark source",
                "<b>" + esc(text(report.markSource())) + "</b>"
                        + (last
                                ? " <span class=\"muted\">(last price stood in for mark)</span>"
                                : " <span class=\"muted\">(mark-price file drove liquidation)</span>"));
        meta(
                out,
                "Events",
                grouped(BigDecimal.valueOf(report.events())) + " replayed at "
                        + grouped(BigDecimal.valueOf(report.eventsPerSecond())) + " events/s");
        out.append("</dl>\n");
        if (last) {
            out.append("<div class=\"warn warn-mark\">\u26a0 <b>Mark source is <code>last</code>: last price stood")
                    .append(" in for mark.</b> Liquidation was judged against last price, which spikes further than")
                    .append(" the exchange's mark; liquidation times and distances are approximate.</div>\n");
        }
        if (!report.notes().isEmpty()) {
            out.append("<div><b>Notes</b>\n<ul class=\"notes\">\n");
            for (String note : report.notes()) {
                out.append("<li>").append(esc(text(note))).append("</li>\n");
            }
            out.append("</ul></div>\n");
        }
        out.append("</header>\n");
    }

    private static void meta(StringBuilder out, String name, String valueHtml) {
        out.append("<dt>").append(name).append("</dt><dd>").append(valueHtml).append("</dd>\n");
    }

    private static boolean isLastMark(String markSource) {
        return markSource != null && markSource.trim().equalsIgnoreCase("last");
    }

    /** One sentence on the chosen policy, against {@code none} when that baseline ran. */
    private static void verdict(StringBuilder out, List<PolicyRun> runs) {
        if (runs.isEmpty()) {
            out.append("<p class=\"card\">This replay has no policy runs.</p>\n");
            return;
        }
        PolicyRun chosen = runs.get(0);
        Summary s = chosen.summary();
        out.append("<p class=\"card verdict\">Chosen policy <b>")
                .append(esc(text(chosen.policy())))
                .append("</b>: ");
        if (liquidated(chosen)) {
            out.append(liqBadge()).append(' ');
            liquidationTimes(chosen).stream()
                    .findFirst()
                    .ifPresent(t -> out.append("first at ")
                            .append(esc(SECONDS.format(t)))
                            .append(" UTC, "));
        } else {
            out.append("<span class=\"badge ok\">no liquidation</span>, ");
        }
        out.append("final equity <b>")
                .append(signedSpan(s.finalEquity(), false))
                .append("</b>");
        Optional<PolicyRun> none = baseline(runs);
        if (none.isPresent() && none.get() != chosen && s.finalEquity() != null) {
            BigDecimal baseEquity = none.get().summary().finalEquity();
            if (baseEquity != null) {
                out.append(" (").append(signedSpan(s.finalEquity().subtract(baseEquity), true));
                out.append(" vs <i>none</i>");
                if (liquidated(none.get())) {
                    out.append(", which was liquidated");
                }
                out.append(')');
            }
        }
        chosen.lossBudget()
                .ifPresent(b ->
                        out.append(", loss budget <b>").append(money(b)).append("</b> USDT (its declared worst case)"));
        out.append(", min distance ")
                .append(
                        s.minDistancePct() == null
                                ? "\u2014"
                                : s.minDistancePct().map(HtmlReport::pct).orElse("\u2014"))
                .append(", ")
                .append(s.actions())
                .append(" actions.</p>\n");
    }

    private static Optional<PolicyRun> baseline(List<PolicyRun> runs) {
        return runs.stream().filter(r -> "none".equals(r.policy())).findFirst();
    }

    private static void nav(StringBuilder out, Map<String, List<RunTrace>> positions) {
        out.append("<nav class=\"card\"><b>Jump to:</b> <a href=\"#comparison\">Comparison</a>");
        int i = 0;
        for (String key : positions.keySet()) {
            out.append("<a href=\"#pos-")
                    .append(i++)
                    .append("\">")
                    .append(esc(key))
                    .append("</a>");
        }
        out.append("<a href=\"#logs\">Action logs</a></nav>\n");
    }

    // ---------------------------------------------------------------- comparison table

    private static void comparison(StringBuilder out, List<PolicyRun> runs, BigDecimal start) {
        Optional<PolicyRun> none = baseline(runs);
        boolean vsNone = none.isPresent() && none.get().summary().finalEquity() != null;
        out.append(
                        "<h2 id=\"comparison\">Policies compared</h2>\n<div style=\"overflow-x:auto\">\n<table class=\"cmp\">\n")
                .append("<thead><tr><th>Policy</th>")
                .append("<th title=\"Liquidations suffered, and when the first happened\">Liquidations</th>")
                .append("<th class=\"num\" title=\"Free balance plus every open position's margin balance at the")
                .append(" last mark\">Final equity</th>")
                .append("<th class=\"num\" title=\"Final equity minus the start equity\">P&amp;L</th>");
        if (vsNone) {
            out.append("<th class=\"num\" title=\"Final equity minus the final equity of the policy none\">")
                    .append("vs none</th>");
        }
        out.append("<th class=\"num\" title=\"New margin: the policy's top-ups and the exchange's auto-add\">")
                .append("Margin added</th>")
                .append("<th class=\"num\" title=\"Margin cuts released and put straight back into the")
                .append(" position\">Margin kept</th>")
                .append("<th class=\"num\">Margin released</th>")
                .append("<th class=\"num\" title=\"What the policy's reduce-only cuts and closes sold or bought")
                .append(" back, at their fill prices (liquidations not included)\">Cut (USDT)</th>")
                .append("<th class=\"num\" title=\"Realised PnL of cuts and closes made by the policy;")
                .append(" negative is a loss\">Loss realised by cuts</th>")
                .append("<th class=\"num\" title=\"Trading and liquidation fees paid\">Fees</th>")
                .append("<th class=\"num\" title=\"Net funding received; negative when paid\">Funding</th>")
                .append("<th class=\"num\">Actions</th>")
                .append("<th class=\"num\" title=\"Smallest distance to liquidation seen, in percent of the")
                .append(" mark\">Min distance</th>")
                .append("<th title=\"Size still held at the end, per position\">Held at end</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < runs.size(); i++) {
            PolicyRun run = runs.get(i);
            Summary s = run.summary();
            boolean liq = liquidated(run);
            String cls = (i == 0 ? "chosen" : "") + (liq ? (i == 0 ? " liquidated" : "liquidated") : "");
            out.append("<tr");
            if (!cls.isEmpty()) {
                out.append(" class=\"").append(cls).append('"');
            }
            out.append(" data-policy=\"").append(esc(text(run.policy()))).append("\">");
            out.append("<td class=\"nowrap\"><a href=\"#log-")
                    .append(i)
                    .append("\"><b>")
                    .append(esc(text(run.policy())));
            out.append("</b></a>");
            if (i == 0) {
                out.append("<br/><span class=\"badge chosen\">CHOSEN</span>");
            }
            out.append("</td><td>");
            if (liq) {
                out.append(liqBadge()).append(" \u00d7").append(Math.max(s.liquidations(), 1));
                List<Instant> times = liquidationTimes(run);
                if (!times.isEmpty()) {
                    out.append("<br/><span class=\"muted nowrap\">first ")
                            .append(esc(SECONDS.format(times.get(0))))
                            .append("</span>");
                }
            } else {
                out.append("<span class=\"badge ok\">survived</span>");
            }
            out.append("</td>");
            numCell(out, s.finalEquity() == null ? "\u2014" : signedSpan(s.finalEquity(), false));
            numCell(
                    out,
                    s.finalEquity() == null || start == null
                            ? "\u2014"
                            : signedSpan(s.finalEquity().subtract(start), true));
            if (vsNone) {
                BigDecimal base = none.get().summary().finalEquity();
                numCell(
                        out,
                        run == none.get() || s.finalEquity() == null
                                ? "<span class=\"muted\">\u2014</span>"
                                : signedSpan(s.finalEquity().subtract(base), true));
            }
            numCell(out, money(s.marginAdded()));
            numCell(out, money(s.marginKept()));
            numCell(out, money(s.marginReleased()));
            numCell(out, money(s.cutNotional()));
            numCell(out, s.lossRealisedByCuts() == null ? "\u2014" : signedSpan(s.lossRealisedByCuts(), false));
            numCell(out, money(s.fees()));
            numCell(out, s.funding() == null ? "\u2014" : signedSpan(s.funding(), false));
            numCell(out, Integer.toString(s.actions()));
            numCell(
                    out,
                    s.minDistancePct() == null
                            ? "\u2014"
                            : s.minDistancePct().map(HtmlReport::pct).orElse("\u2014"));
            out.append("<td class=\"nowrap\">");
            boolean first = true;
            for (PositionTrace p : run.positions()) {
                if (!first) {
                    out.append("<br/>");
                }
                first = false;
                out.append(esc(positionKey(p))).append(' ');
                BigDecimal q = p.qtyAtEnd();
                if (q != null && q.signum() == 0) {
                    out.append("<span class=\"muted\">0 (flat)</span>");
                } else {
                    out.append(qty(q));
                }
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
    }

    private static void numCell(StringBuilder out, String html) {
        out.append("<td class=\"num\">").append(html).append("</td>");
    }

    private static String liqBadge() {
        return "<span class=\"badge liq\">LIQUIDATED</span>";
    }

    private static boolean liquidated(PolicyRun run) {
        if (run.summary() != null && run.summary().liquidations() > 0) {
            return true;
        }
        for (PositionTrace p : run.positions()) {
            if (p.liquidatedAt() != null && p.liquidatedAt().isPresent()) {
                return true;
            }
            for (ActionEvent e : p.actions()) {
                if ("liquidation".equals(e.kind())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every liquidation time of a run, earliest first. */
    private static List<Instant> liquidationTimes(PolicyRun run) {
        List<Instant> times = new ArrayList<>();
        for (PositionTrace p : run.positions()) {
            times.addAll(liquidationTimes(p));
        }
        times.sort(Comparator.naturalOrder());
        return times;
    }

    private static List<Instant> liquidationTimes(PositionTrace p) {
        List<Instant> times = new ArrayList<>();
        if (p.liquidatedAt() != null) {
            p.liquidatedAt().ifPresent(times::add);
        }
        for (ActionEvent e : p.actions()) {
            if ("liquidation".equals(e.kind()) && e.time() != null && !times.contains(e.time())) {
                times.add(e.time());
            }
        }
        times.sort(Comparator.naturalOrder());
        return times;
    }

    // ---------------------------------------------------------------- charts

    private record RunTrace(int index, PolicyRun run, PositionTrace trace) {}

    /** Positions by "SYMBOL side", in order of first appearance (the chosen policy's first). */
    private static Map<String, List<RunTrace>> positions(List<PolicyRun> runs) {
        Map<String, List<RunTrace>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (PositionTrace p : runs.get(i).positions()) {
                byKey.computeIfAbsent(positionKey(p), k -> new ArrayList<>()).add(new RunTrace(i, runs.get(i), p));
            }
        }
        return byKey;
    }

    private static String positionKey(PositionTrace p) {
        return text(p.symbol()) + " " + (p.side() == null ? "?" : p.side().label());
    }

    private static void charts(StringBuilder out, ReplayReport report, Map<String, List<RunTrace>> positions) {
        int i = 0;
        for (Map.Entry<String, List<RunTrace>> entry : positions.entrySet()) {
            List<RunTrace> traces = entry.getValue();
            out.append("<section class=\"position\" id=\"pos-")
                    .append(i++)
                    .append("\">\n<h2>")
                    .append(esc(entry.getKey()))
                    .append(" <span class=\"muted\" style=\"font-weight:400;font-size:13px\">one chart per policy,")
                    .append(" same scales; x = time (UTC), y = price</span></h2>\n");
            legend(out);
            TimeAxis x = timeAxis(report, traces);
            PriceAxis y = priceAxis(traces);
            for (RunTrace rt : traces) {
                chart(out, rt, x, y);
            }
            out.append("</section>\n");
        }
    }

    private static void legend(StringBuilder out) {
        out.append("<div class=\"legend\">")
                .append("<span><svg width=\"28\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\"")
                .append(" stroke=\"#1f3b73\" stroke-width=\"2\"/></svg>mark</span>")
                .append("<span><svg width=\"28\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\"")
                .append(" stroke=\"#a9c4e4\" stroke-width=\"2\"/></svg>last</span>")
                .append("<span><svg width=\"28\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\"")
                .append(" stroke=\"#d0342c\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/></svg>")
                .append("liquidation price</span>");
        for (Kind k : KINDS) {
            out.append("<span title=\"")
                    .append(esc(k.meaning()))
                    .append("\"><svg width=\"16\" height=\"16\" viewBox=\"-8 -8 16 16\">")
                    .append(glyph(k.id()))
                    .append("</svg>")
                    .append(esc(k.label()))
                    .append("</span>");
        }
        out.append("</div>\n");
    }

    /** The marker drawn for an action kind, centred on the origin. */
    private static String glyph(String kind) {
        return switch (kind) {
            case "top-up" -> "<path d=\"M0,-7L6.5,4.5H-6.5Z\" fill=\"#1a9850\" stroke=\"#fff\" stroke-width=\"1\"/>";
            case "release" -> "<path d=\"M0,7L6.5,-4.5H-6.5Z\" fill=\"#2b83ba\" stroke=\"#fff\" stroke-width=\"1\"/>";
            case "cut" -> "<path d=\"M0,-7L6,0L0,7L-6,0Z\" fill=\"#f17c16\" stroke=\"#fff\" stroke-width=\"1\"/>";
            case "close" ->
                "<path d=\"M-5.5,-5.5H5.5V5.5H-5.5Z\" fill=\"#7b3294\" stroke=\"#fff\" stroke-width=\"1\"/>";
            case "auto-add" -> "<circle r=\"5.5\" fill=\"#a6761d\" stroke=\"#fff\" stroke-width=\"1\"/>";
            case "liquidation" ->
                "<path d=\"M-6,-6L6,6M6,-6L-6,6\" stroke=\"#fff\" stroke-width=\"6\""
                        + " stroke-linecap=\"round\"/><path d=\"M-6,-6L6,6M6,-6L-6,6\" stroke=\"#e00000\""
                        + " stroke-width=\"3\" stroke-linecap=\"round\"/>";
            case "funding" -> "<circle r=\"3.5\" fill=\"#fff\" stroke=\"#666666\" stroke-width=\"1.5\"/>";
            default -> "<path d=\"M-5,0H5M0,-5V5\" stroke=\"#222\" stroke-width=\"2\"/>";
        };
    }

    /** A linear map from data values to pixels. */
    private record Linear(BigDecimal lo, BigDecimal pixLo, BigDecimal factor, BigDecimal pixMin, BigDecimal pixMax) {
        static Linear of(BigDecimal lo, BigDecimal hi, int pixLo, int pixHi) {
            BigDecimal span = hi.subtract(lo);
            BigDecimal factor = BigDecimal.valueOf((long) pixHi - pixLo).divide(span, MC);
            BigDecimal a = BigDecimal.valueOf(pixLo);
            BigDecimal b = BigDecimal.valueOf(pixHi);
            return new Linear(lo, a, factor, a.min(b), a.max(b));
        }

        BigDecimal map(BigDecimal v) {
            BigDecimal p = pixLo.add(v.subtract(lo).multiply(factor, MC), MC);
            return p.max(pixMin).min(pixMax);
        }
    }

    private record TimeAxis(long fromMillis, long toMillis, Linear scale) {
        BigDecimal x(Instant t) {
            return scale.map(BigDecimal.valueOf(t.toEpochMilli()));
        }
    }

    private record PriceAxis(BigDecimal lo, BigDecimal hi, BigDecimal step, Linear scale) {
        BigDecimal y(BigDecimal price) {
            return scale.map(price);
        }
    }

    private static TimeAxis timeAxis(ReplayReport report, List<RunTrace> traces) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        List<Instant> all = new ArrayList<>();
        if (report.from() != null) {
            all.add(report.from());
        }
        if (report.to() != null) {
            all.add(report.to());
        }
        for (RunTrace rt : traces) {
            for (TracePoint p : rt.trace().points()) {
                all.add(p.time());
            }
            for (ActionEvent e : rt.trace().actions()) {
                all.add(e.time());
            }
        }
        for (Instant t : all) {
            if (t != null) {
                from = Math.min(from, t.toEpochMilli());
                to = Math.max(to, t.toEpochMilli());
            }
        }
        if (from == Long.MAX_VALUE) {
            from = 0;
            to = 60_000;
        }
        if (to <= from) {
            to = from + 60_000;
        }
        return new TimeAxis(from, to, Linear.of(BigDecimal.valueOf(from), BigDecimal.valueOf(to), LEFT, WIDTH - RIGHT));
    }

    private static PriceAxis priceAxis(List<RunTrace> traces) {
        BigDecimal min = null;
        BigDecimal max = null;
        List<BigDecimal> prices = new ArrayList<>();
        for (RunTrace rt : traces) {
            for (TracePoint p : rt.trace().points()) {
                prices.add(p.mark());
                prices.add(p.last());
                if (p.liquidationPrice() != null) {
                    p.liquidationPrice().ifPresent(prices::add);
                }
            }
        }
        for (BigDecimal v : prices) {
            if (v != null) {
                min = min == null ? v : min.min(v);
                max = max == null ? v : max.max(v);
            }
        }
        if (min == null) {
            min = BigDecimal.ZERO;
            max = BigDecimal.ONE;
        }
        BigDecimal range = max.subtract(min);
        BigDecimal pad = range.signum() == 0
                ? min.abs().multiply(new BigDecimal("0.01"), MC).max(BigDecimal.ONE)
                : range.multiply(new BigDecimal("0.06"), MC);
        BigDecimal lo = min.subtract(pad);
        BigDecimal hi = max.add(pad);
        BigDecimal step = niceStep(hi.subtract(lo), Y_TICKS);
        return new PriceAxis(lo, hi, step, Linear.of(lo, hi, HEIGHT - BOTTOM, TOP));
    }

    /** 1, 2, 2.5 or 5 times a power of ten, giving about {@code target} steps over {@code range}. */
    private static BigDecimal niceStep(BigDecimal range, int target) {
        BigDecimal raw = range.divide(BigDecimal.valueOf(target), MC);
        int exponent = raw.precision() - raw.scale() - 1;
        BigDecimal magnitude = BigDecimal.ONE.scaleByPowerOfTen(exponent);
        BigDecimal normalised = raw.divide(magnitude, MC);
        BigDecimal nice;
        if (normalised.compareTo(BigDecimal.ONE) <= 0) {
            nice = BigDecimal.ONE;
        } else if (normalised.compareTo(BigDecimal.TWO) <= 0) {
            nice = BigDecimal.TWO;
        } else if (normalised.compareTo(new BigDecimal("2.5")) <= 0) {
            nice = new BigDecimal("2.5");
        } else if (normalised.compareTo(BigDecimal.valueOf(5)) <= 0) {
            nice = BigDecimal.valueOf(5);
        } else {
            nice = BigDecimal.TEN;
        }
        return nice.multiply(magnitude).stripTrailingZeros();
    }

    private static void chart(StringBuilder out, RunTrace rt, TimeAxis x, PriceAxis y) {
        PositionTrace trace = rt.trace();
        List<Instant> liqTimes = liquidationTimes(trace);
        boolean liq = !liqTimes.isEmpty();
        out.append("<figure class=\"run")
                .append(liq ? " liquidated" : "")
                .append("\" data-policy=\"")
                .append(esc(text(rt.run().policy())))
                .append("\">\n<figcaption><b>")
                .append(esc(text(rt.run().policy())))
                .append("</b>");
        if (rt.index() == 0) {
            out.append(" <span class=\"badge chosen\">CHOSEN</span>");
        }
        if (liq) {
            out.append(' ')
                    .append(liqBadge())
                    .append(" <b class=\"neg\">at ")
                    .append(esc(SECONDS.format(liqTimes.get(0))))
                    .append(" UTC</b>");
        }
        out.append(" <span class=\"muted\">\u00b7 ").append(esc(positionKey(trace)));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (ActionEvent e : trace.actions()) {
            counts.merge(text(e.kind()), 1, Integer::sum);
        }
        if (counts.isEmpty()) {
            out.append(" \u00b7 no actions");
        }
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            out.append(" \u00b7 ").append(esc(c.getKey())).append(" \u00d7").append(c.getValue());
        }
        out.append(" \u00b7 held at end ").append(qty(trace.qtyAtEnd())).append("</span></figcaption>\n");

        out.append("<svg class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(text(rt.run().policy()) + " " + positionKey(trace)))
                .append(" price chart\">\n");
        String plotBottom = Integer.toString(HEIGHT - BOTTOM);
        String plotTop = Integer.toString(TOP);
        out.append("<rect class=\"plot\" x=\"")
                .append(LEFT)
                .append("\" y=\"")
                .append(TOP)
                .append("\" width=\"")
                .append(WIDTH - RIGHT - LEFT)
                .append("\" height=\"")
                .append(HEIGHT - BOTTOM - TOP)
                .append("\"/>\n");
        if (liq) {
            BigDecimal from = x.x(liqTimes.get(0));
            BigDecimal width = BigDecimal.valueOf(WIDTH - RIGHT).subtract(from);
            if (width.signum() > 0) {
                out.append("<rect class=\"gone\" x=\"")
                        .append(c(from))
                        .append("\" y=\"")
                        .append(TOP)
                        .append("\" width=\"")
                        .append(c(width))
                        .append("\" height=\"")
                        .append(HEIGHT - BOTTOM - TOP)
                        .append("\"/>\n");
            }
        }
        yTicks(out, y);
        xTicks(out, x);

        List<TracePoint> points = trace.points();
        if (points.isEmpty()) {
            out.append("<text class=\"empty\" x=\"")
                    .append((LEFT + WIDTH - RIGHT) / 2)
                    .append("\" y=\"")
                    .append((TOP + HEIGHT - BOTTOM) / 2)
                    .append("\" text-anchor=\"middle\">no price points recorded</text>\n");
        }
        line(out, "l-last", points, x, y, false);
        line(out, "l-mark", points, x, y, true);
        liquidationStep(out, points, x, y);

        for (Instant t : liqTimes) {
            String lx = c(x.x(t));
            out.append("<line class=\"liq-line\" x1=\"")
                    .append(lx)
                    .append("\" y1=\"")
                    .append(plotTop)
                    .append("\" x2=\"")
                    .append(lx)
                    .append("\" y2=\"")
                    .append(plotBottom)
                    .append("\"/>\n");
            boolean rightHalf = x.x(t).compareTo(BigDecimal.valueOf((LEFT + WIDTH - RIGHT) / 2)) > 0;
            out.append("<text class=\"liq-label\" x=\"")
                    .append(c(x.x(t).add(BigDecimal.valueOf(rightHalf ? -5 : 5))))
                    .append("\" y=\"")
                    .append(TOP + 13)
                    .append("\" text-anchor=\"")
                    .append(rightHalf ? "end" : "start")
                    .append("\">LIQUIDATED ")
                    .append(esc(TICK_HMS.format(t)))
                    .append("</text>\n");
        }

        List<ActionEvent> events = new ArrayList<>(trace.actions());
        // Liquidations last so nothing covers them.
        events.sort(Comparator.comparing((ActionEvent e) -> "liquidation".equals(e.kind()))
                .thenComparing(ActionEvent::time, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (ActionEvent e : events) {
            if (e.time() == null) {
                continue;
            }
            BigDecimal price = e.price() != null ? e.price() : markNear(points, e.time());
            BigDecimal py = price == null ? BigDecimal.valueOf(HEIGHT - BOTTOM) : y.y(price);
            out.append("<g class=\"mk k-")
                    .append(kindClass(e.kind()))
                    .append("\" transform=\"translate(")
                    .append(c(x.x(e.time())))
                    .append(',')
                    .append(c(py))
                    .append(")\"><title>")
                    .append(esc(tooltip(trace, e)))
                    .append("</title>")
                    .append(glyph(text(e.kind())))
                    .append("</g>\n");
        }
        out.append("</svg>\n</figure>\n");
    }

    private static String tooltip(PositionTrace trace, ActionEvent e) {
        StringBuilder t = new StringBuilder();
        t.append(SECONDS.format(e.time()))
                .append(" UTC\n")
                .append(text(e.kind()))
                .append(" \u00b7 ")
                .append(positionKey(trace))
                .append("\namount ")
                .append(amount(e))
                .append("\nprice ")
                .append(price(e.price()));
        if (e.detail() != null && !e.detail().isBlank()) {
            t.append('\n').append(e.detail());
        }
        return t.toString();
    }

    private static BigDecimal markNear(List<TracePoint> points, Instant t) {
        TracePoint best = null;
        long bestGap = Long.MAX_VALUE;
        for (TracePoint p : points) {
            if (p.time() == null || p.mark() == null) {
                continue;
            }
            long gap = Math.abs(p.time().toEpochMilli() - t.toEpochMilli());
            if (gap < bestGap) {
                bestGap = gap;
                best = p;
            }
        }
        return best == null ? null : best.mark();
    }

    private static String kindClass(String kind) {
        if (kind == null || !kind.matches("[a-z0-9-]{1,30}")) {
            return "other";
        }
        return kind;
    }

    private static void yTicks(StringBuilder out, PriceAxis y) {
        BigDecimal step = y.step();
        int scale = Math.max(0, step.stripTrailingZeros().scale());
        BigDecimal tick = y.lo().divide(step, 0, RoundingMode.CEILING).multiply(step);
        StringBuilder grid = new StringBuilder();
        for (int n = 0; tick.compareTo(y.hi()) <= 0 && n < 30; n++, tick = tick.add(step)) {
            String py = c(y.y(tick));
            grid.append('M').append(LEFT).append(',').append(py).append('H').append(WIDTH - RIGHT);
            out.append("<text x=\"")
                    .append(LEFT - 6)
                    .append("\" y=\"")
                    .append(py)
                    .append("\" dy=\"0.32em\" text-anchor=\"end\">")
                    .append(grouped(tick.setScale(scale, RoundingMode.HALF_UP)))
                    .append("</text>\n");
        }
        out.append("<path class=\"grid\" d=\"").append(grid).append("\"/>\n");
    }

    private static void xTicks(StringBuilder out, TimeAxis x) {
        long spanSeconds = Math.max(1, (x.toMillis() - x.fromMillis()) / 1000);
        long step = TIME_STEPS[TIME_STEPS.length - 1];
        for (long s : TIME_STEPS) {
            if (spanSeconds / s <= MAX_X_TICKS) {
                step = s;
                break;
            }
        }
        long stepMillis = step * 1000;
        long first = Math.floorDiv(x.fromMillis() + stepMillis - 1, stepMillis) * stepMillis;
        DateTimeFormatter timeFormat = step >= 86_400 ? TICK_DAY : step < 60 ? TICK_HMS : TICK_HM;
        StringBuilder grid = new StringBuilder();
        StringBuilder ticks = new StringBuilder();
        int bottom = HEIGHT - BOTTOM;
        LocalDate previous = null;
        for (long t = first; t <= x.toMillis(); t += stepMillis) {
            Instant at = Instant.ofEpochMilli(t);
            String px = c(x.x(at));
            grid.append('M').append(px).append(',').append(TOP).append('V').append(bottom);
            ticks.append('M').append(px).append(',').append(bottom).append('v').append(4);
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            String second = null;
            if (previous == null) {
                second = (step >= 86_400 ? Integer.toString(day.getYear()) : TICK_DAY_YEAR.format(at)) + " UTC";
            } else if (step < 86_400 && !day.equals(previous)) {
                second = TICK_DAY.format(at);
            }
            previous = day;
            out.append("<text x=\"")
                    .append(px)
                    .append("\" y=\"")
                    .append(bottom + 15)
                    .append("\" text-anchor=\"middle\">")
                    .append(esc(timeFormat.format(at)))
                    .append("</text>\n");
            if (second != null) {
                out.append("<text x=\"")
                        .append(px)
                        .append("\" y=\"")
                        .append(bottom + 29)
                        .append("\" text-anchor=\"middle\" font-weight=\"600\">")
                        .append(esc(second))
                        .append("</text>\n");
            }
        }
        out.append("<path class=\"grid\" d=\"").append(grid).append("\"/>\n");
        out.append("<path class=\"tick\" d=\"").append(ticks).append("\"/>\n");
    }

    /** A polyline of mark or last price; points without the price are skipped. */
    private static void line(
            StringBuilder out, String cls, List<TracePoint> points, TimeAxis x, PriceAxis y, boolean mark) {
        StringBuilder d = new StringBuilder();
        String previous = null;
        int drawn = 0;
        for (TracePoint p : points) {
            BigDecimal v = mark ? p.mark() : p.last();
            if (v == null || p.time() == null) {
                continue;
            }
            String xy = c(x.x(p.time())) + "," + c(y.y(v));
            if (xy.equals(previous)) {
                continue;
            }
            if (drawn == 0) {
                d.append('M').append(xy);
            } else if (drawn == 1) {
                d.append('L').append(xy);
            } else {
                d.append(' ').append(xy);
            }
            previous = xy;
            drawn++;
        }
        if (drawn == 1) {
            d.append("h2");
        }
        if (drawn > 0) {
            out.append("<path class=\"").append(cls).append("\" d=\"").append(d).append("\"/>\n");
        }
    }

    /**
     * The liquidation price as a step line: each value holds until the next point; an empty value breaks the line (no
     * position, or no price in force).
     */
    private static void liquidationStep(StringBuilder out, List<TracePoint> points, TimeAxis x, PriceAxis y) {
        StringBuilder d = new StringBuilder();
        boolean open = false;
        for (int i = 0; i < points.size(); i++) {
            TracePoint p = points.get(i);
            BigDecimal liq = liquidationPrice(p);
            if (liq == null || p.time() == null) {
                open = false;
                continue;
            }
            String py = c(y.y(liq));
            boolean opened = !open;
            if (!open) {
                d.append('M').append(c(x.x(p.time()))).append(',').append(py);
                open = true;
            } else {
                d.append('V').append(py);
            }
            TracePoint next = i + 1 < points.size() ? points.get(i + 1) : null;
            if (next != null && next.time() != null) {
                d.append('H').append(c(x.x(next.time())));
            } else if (opened) {
                d.append("h3");
            }
        }
        if (!d.isEmpty()) {
            out.append("<path class=\"l-liq\" d=\"").append(d).append("\"/>\n");
        }
    }

    private static BigDecimal liquidationPrice(TracePoint p) {
        return p.liquidationPrice() == null ? null : p.liquidationPrice().orElse(null);
    }

    // ---------------------------------------------------------------- equity over time

    private static final String[] EQUITY_COLOURS = {"#1f3b73", "#c0392b", "#2e8b57", "#b8860b", "#6a5acd"};

    /** One chart: every policy's equity over the window, with the start equity as a dashed line. */
    private static void equityChart(StringBuilder out, ReplayReport report) {
        List<PolicyRun> runs = report.results().stream()
                .filter(r -> r.equity() != null && !r.equity().isEmpty())
                .toList();
        if (runs.isEmpty()) {
            return;
        }
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        BigDecimal lo = report.startEquity();
        BigDecimal hi = report.startEquity();
        for (PolicyRun run : runs) {
            for (ReplayReport.EquityPoint p : run.equity()) {
                from = Math.min(from, p.time().toEpochMilli());
                to = Math.max(to, p.time().toEpochMilli());
                lo = lo == null ? p.equity() : lo.min(p.equity());
                hi = hi == null ? p.equity() : hi.max(p.equity());
            }
        }
        if (to <= from) {
            to = from + 60_000;
        }
        BigDecimal range = hi.subtract(lo);
        BigDecimal pad = range.signum() == 0 ? BigDecimal.ONE.max(hi.abs().movePointLeft(2)) : range.movePointLeft(1);
        lo = lo.subtract(pad);
        hi = hi.add(pad);
        TimeAxis x = new TimeAxis(
                from, to, Linear.of(BigDecimal.valueOf(from), BigDecimal.valueOf(to), LEFT, WIDTH - RIGHT));
        PriceAxis y =
                new PriceAxis(lo, hi, niceStep(hi.subtract(lo), Y_TICKS), Linear.of(lo, hi, HEIGHT - BOTTOM, TOP));
        out.append("<h2 id=\"equity\">Equity over time</h2>\n<div class=\"legend\">");
        for (int i = 0; i < runs.size(); i++) {
            out.append("<span><svg width=\"28\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\" stroke=\"")
                    .append(EQUITY_COLOURS[i % EQUITY_COLOURS.length])
                    .append("\" stroke-width=\"2\"/></svg>")
                    .append(esc(text(runs.get(i).policy())))
                    .append("</span>");
        }
        out.append("<span><svg width=\"28\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\"")
                .append(" stroke=\"#7a8290\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/></svg>start equity</span>")
                .append("</div>\n<figure class=\"run\">\n<svg class=\"chart\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"equity over time\">\n")
                .append("<rect class=\"plot\" x=\"")
                .append(LEFT)
                .append("\" y=\"")
                .append(TOP)
                .append("\" width=\"")
                .append(WIDTH - RIGHT - LEFT)
                .append("\" height=\"")
                .append(HEIGHT - BOTTOM - TOP)
                .append("\"/>\n");
        yTicks(out, y);
        xTicks(out, x);
        if (report.startEquity() != null) {
            String sy = c(y.y(report.startEquity()));
            out.append("<path d=\"M")
                    .append(LEFT)
                    .append(',')
                    .append(sy)
                    .append('H')
                    .append(WIDTH - RIGHT)
                    .append("\" stroke=\"#7a8290\" stroke-width=\"1\" stroke-dasharray=\"4 3\" fill=\"none\"/>\n");
        }
        for (int i = 0; i < runs.size(); i++) {
            StringBuilder d = new StringBuilder();
            for (ReplayReport.EquityPoint p : runs.get(i).equity()) {
                d.append(d.isEmpty() ? "M" : " ")
                        .append(c(x.x(p.time())))
                        .append(',')
                        .append(c(y.y(p.equity())));
            }
            out.append("<path d=\"")
                    .append(d)
                    .append("\" stroke=\"")
                    .append(EQUITY_COLOURS[i % EQUITY_COLOURS.length])
                    .append("\" stroke-width=\"1.6\" fill=\"none\"><title>")
                    .append(esc(text(runs.get(i).policy())))
                    .append("</title></path>\n");
        }
        out.append("</svg>\n</figure>\n");
    }

    // ---------------------------------------------------------------- action logs

    private static void logs(StringBuilder out, List<PolicyRun> runs) {
        out.append("<h2 id=\"logs\">Action logs</h2>\n");
        for (int i = 0; i < runs.size(); i++) {
            PolicyRun run = runs.get(i);
            List<Map.Entry<PositionTrace, ActionEvent>> rows = new ArrayList<>();
            for (PositionTrace p : run.positions()) {
                for (ActionEvent e : p.actions()) {
                    rows.add(Map.entry(p, e));
                }
            }
            rows.sort(Comparator.comparing(
                    (Map.Entry<PositionTrace, ActionEvent> r) -> r.getValue().time(),
                    Comparator.nullsFirst(Comparator.naturalOrder())));
            out.append("<section class=\"log\" id=\"log-")
                    .append(i)
                    .append("\" data-policy=\"")
                    .append(esc(text(run.policy())))
                    .append("\">\n<details open=\"open\"><summary>")
                    .append(esc(text(run.policy())));
            if (i == 0) {
                out.append(" <span class=\"badge chosen\">CHOSEN</span>");
            }
            if (liquidated(run)) {
                out.append(' ').append(liqBadge());
            }
            out.append(" <span class=\"muted\" style=\"font-weight:400\">")
                    .append(rows.size())
                    .append(rows.size() == 1 ? " event" : " events")
                    .append("</span></summary>\n");
            if (rows.isEmpty()) {
                out.append("<p class=\"muted\">No actions.</p>\n");
            } else {
                out.append("<table class=\"actions\">\n<colgroup><col style=\"width:13em\"/>")
                        .append("<col style=\"width:10em\"/><col style=\"width:9.5em\"/><col style=\"width:9em\"/>")
                        .append(
                                "<col style=\"width:9em\"/><col/></colgroup>\n<thead><tr><th>Time (UTC)</th><th>Position</th>")
                        .append("<th>Kind</th><th class=\"num\">Amount</th><th class=\"num\">Price</th>")
                        .append("<th>Detail</th></tr></thead>\n<tbody>\n");
                for (Map.Entry<PositionTrace, ActionEvent> row : rows) {
                    ActionEvent e = row.getValue();
                    out.append("<tr class=\"k-")
                            .append(kindClass(e.kind()))
                            .append("\"><td class=\"num\">")
                            .append(e.time() == null ? "\u2014" : esc(SECONDS.format(e.time())))
                            .append("</td><td>")
                            .append(esc(positionKey(row.getKey())))
                            .append("</td><td style=\"white-space:nowrap\"><svg width=\"14\" height=\"14\"")
                            .append(" viewBox=\"-8 -8 16 16\">")
                            .append(glyph(text(e.kind())))
                            .append("</svg> ")
                            .append(esc(text(e.kind())))
                            .append("</td><td class=\"num\">")
                            .append(amountHtml(e))
                            .append("</td><td class=\"num\">")
                            .append(price(e.price()))
                            .append("</td><td>")
                            .append(esc(e.detail() == null ? "" : e.detail()))
                            .append("</td></tr>\n");
                }
                out.append("</tbody>\n</table>\n");
            }
            out.append("</details>\n</section>\n");
        }
    }

    /** Cuts and closes move size (base units); everything else moves money. */
    private static boolean isSize(ActionEvent e) {
        return "cut".equals(e.kind()) || "close".equals(e.kind());
    }

    private static String amount(ActionEvent e) {
        if (e.amount() == null) {
            return "\u2014";
        }
        return isSize(e) ? qty(e.amount()) + " (size)" : money(e.amount());
    }

    private static String amountHtml(ActionEvent e) {
        if (e.amount() == null || isSize(e)) {
            return esc(amount(e));
        }
        return signedSpan(e.amount(), false);
    }

    // ---------------------------------------------------------------- formatting

    /** A coordinate: one decimal is far below a pixel. */
    private static String c(BigDecimal v) {
        String s = v.setScale(1, RoundingMode.HALF_UP).toPlainString();
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static String money(BigDecimal v) {
        return v == null ? "\u2014" : grouped(v.setScale(2, RoundingMode.HALF_UP));
    }

    /** Money with a red class when negative, and a leading + when {@code plus} and positive. */
    private static String signedSpan(BigDecimal v, boolean plus) {
        if (v == null) {
            return "\u2014";
        }
        String text = money(v);
        if (v.signum() < 0) {
            return "<span class=\"neg\">" + text + "</span>";
        }
        return plus && v.signum() > 0 ? "+" + text : text;
    }

    /** Prices: two decimals from 100 up, four from 1, six significant digits below. */
    private static String price(BigDecimal v) {
        if (v == null) {
            return "\u2014";
        }
        BigDecimal abs = v.abs();
        int scale;
        if (abs.compareTo(BigDecimal.valueOf(100)) >= 0 || abs.signum() == 0) {
            scale = 2;
        } else if (abs.compareTo(BigDecimal.ONE) >= 0) {
            scale = 4;
        } else {
            scale = Math.min(12, 6 - abs.precision() + abs.scale());
        }
        return grouped(v.setScale(scale, RoundingMode.HALF_UP));
    }

    /** Base quantities: up to eight decimals, no trailing zeros. */
    private static String qty(BigDecimal v) {
        if (v == null) {
            return "\u2014";
        }
        BigDecimal q = v.setScale(8, RoundingMode.HALF_UP).stripTrailingZeros();
        return grouped(q.scale() < 0 ? q.setScale(0) : q);
    }

    /** A distance already in percent: 4.8826 → "4.88 %". */
    private static String pct(BigDecimal percent) {
        return percent.setScale(2, RoundingMode.HALF_UP).toPlainString() + "\u00a0%";
    }

    /** Thousands separators on the plain form, keeping the value's scale: -1234567.5 → "-1,234,567.5". */
    static String grouped(BigDecimal v) {
        String plain = v.toPlainString();
        String sign = "";
        if (plain.startsWith("-")) {
            sign = "-";
            plain = plain.substring(1);
        }
        int dot = plain.indexOf('.');
        String whole = dot < 0 ? plain : plain.substring(0, dot);
        String fraction = dot < 0 ? "" : plain.substring(dot);
        StringBuilder g = new StringBuilder();
        int lead = whole.length() % 3;
        if (lead > 0) {
            g.append(whole, 0, lead);
        }
        for (int i = lead; i < whole.length(); i += 3) {
            if (!g.isEmpty()) {
                g.append(',');
            }
            g.append(whole, i, i + 3);
        }
        // A negative value that rounds to zero reads better without its sign.
        if (v.signum() == 0) {
            sign = "";
        }
        return sign + g + fraction;
    }

    private static String duration(Duration d) {
        long seconds = Math.abs(d.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        if (minutes > 0) {
            return minutes + " min " + secs + " s";
        }
        return secs + " s";
    }

    private static String text(String s) {
        return s == null || s.isEmpty() ? "\u2014" : s;
    }

    /** Text and attribute values: the five XML specials escaped, characters XML cannot carry dropped. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (ch >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r') {
                        if (ch != 0xFFFE && ch != 0xFFFF) {
                            b.append(ch);
                        }
                    }
                }
            }
        }
        return b.toString();
    }
}
