package ballast.app.study;

import ballast.app.format.Figures;
import ballast.core.Side;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A study's figures: for every policy the liquidation rate, the mean with its month-clustered standard error, the
 * median, the 5 % CVaR and the worst return, what it gains or loses against the buffered exit on the same entries, and
 * the same by path class; as text, as CSV (one row per entry and policy) and as a self-contained HTML page with the
 * distributions.
 */
public final class StudyReport {
    static final BigDecimal FIVE_PCT = new BigDecimal("0.05");

    /** One policy's figures over a set of entries (returns as fractions of the starting equity). */
    public record PolicyFigures(
            String policy,
            int n,
            int liquidated,
            Stats.Estimate liquidationRate,
            Stats.Estimate mean,
            Stats.Estimate median,
            Stats.Estimate cvar,
            BigDecimal worst,
            Stats.Estimate vsExit,
            Optional<BigDecimal> worstOverBudget) {}

    /** One path class: how many entries, and each policy's mean and difference to the buffered exit there. */
    public record ClassFigures(
            Study.PathClass pathClass, int n, Map<String, Stats.Estimate> mean, Map<String, Stats.Estimate> vsExit) {}

    private final StudySpec spec;
    private final List<Study.EntryResult> results;
    private final List<String> policies;
    private final List<PolicyFigures> figures = new ArrayList<>();
    private final List<ClassFigures> classes = new ArrayList<>();

    public StudyReport(StudySpec spec, List<Study.EntryResult> results) {
        this.spec = spec;
        this.results = List.copyOf(results);
        this.policies = results.isEmpty()
                ? spec.policies()
                : List.copyOf(results.get(0).outcomes().keySet());
        // Each policy's figures on a core of its own: the bootstraps are most of a large study's report.
        figures.addAll(policies.parallelStream()
                .map(policy -> figures(policy, this.results))
                .toList());
        for (Study.PathClass c : Study.PathClass.values()) {
            List<Study.EntryResult> in =
                    this.results.stream().filter(r -> r.pathClass() == c).toList();
            Map<String, Stats.Estimate> mean = new LinkedHashMap<>();
            Map<String, Stats.Estimate> vs = new LinkedHashMap<>();
            if (!in.isEmpty()) {
                for (String policy : policies) {
                    mean.put(policy, Stats.meanClustered(returns(in, policy)));
                    vs.put(policy, Stats.meanClustered(versusExit(in, policy)));
                }
            }
            classes.add(new ClassFigures(c, in.size(), mean, vs));
        }
    }

    public List<PolicyFigures> figures() {
        return List.copyOf(figures);
    }

    public List<ClassFigures> classes() {
        return List.copyOf(classes);
    }

    public Optional<PolicyFigures> of(String policy) {
        return figures.stream().filter(f -> f.policy().equals(policy)).findFirst();
    }

    static PolicyFigures figures(String policy, List<Study.EntryResult> results) {
        List<Stats.Obs> rets = returns(results, policy);
        List<Stats.Obs> liquidated = new ArrayList<>();
        List<Stats.Obs> overBudget = new ArrayList<>();
        int count = 0;
        for (Study.EntryResult r : results) {
            Study.Outcome o = r.outcomes().get(policy);
            boolean liq = o.liquidations() > 0;
            count += liq ? 1 : 0;
            liquidated.add(new Stats.Obs(r.entry().month(), liq ? BigDecimal.ONE : BigDecimal.ZERO));
            o.lossBudget()
                    .ifPresent(b -> overBudget.add(new Stats.Obs(
                            r.entry().month(),
                            o.startEquity()
                                    .subtract(o.finalEquity())
                                    .subtract(b)
                                    .divide(o.startEquity(), Stats.MC))));
        }
        long seed = policy.hashCode();
        return new PolicyFigures(
                policy,
                results.size(),
                count,
                Stats.meanClustered(liquidated),
                Stats.meanClustered(rets),
                Stats.bootstrap(rets, Stats.MEDIAN, seed),
                Stats.bootstrap(rets, Stats.cvarOf(FIVE_PCT), seed + 1),
                Stats.worst(rets),
                Stats.meanClustered(versusExit(results, policy)),
                overBudget.isEmpty()
                        ? Optional.empty()
                        : Optional.of(overBudget.stream()
                                .map(Stats.Obs::value)
                                .max(BigDecimal::compareTo)
                                .orElseThrow()));
    }

    static List<Stats.Obs> returns(List<Study.EntryResult> results, String policy) {
        return results.stream()
                .map(r -> new Stats.Obs(
                        r.entry().month(), r.outcomes().get(policy).ret()))
                .toList();
    }

    /** Per entry, the policy's return less the buffered exit's on the same entry: the premium or the gain. */
    static List<Stats.Obs> versusExit(List<Study.EntryResult> results, String policy) {
        return results.stream()
                .map(r -> new Stats.Obs(
                        r.entry().month(),
                        r.outcomes()
                                .get(policy)
                                .ret()
                                .subtract(r.outcomes().get("buffer-exit").ret())))
                .toList();
    }

    // ---------------------------------------------------------------- text

    /** How far the worst loss went beyond the declared budget ({@code over}: a share of the starting equity). */
    static String budgetNote(BigDecimal over) {
        return over.signum() <= 0
                ? ": never beyond its declared budget; the worst loss stayed " + Figures.percent(over.negate())
                        + " of the starting equity inside it"
                : ": the worst loss went " + Figures.percent(over) + " of the starting equity beyond its declared"
                        + " budget";
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(describe()).append('\n');
        long months = results.stream().map(r -> r.entry().month()).distinct().count();
        if (months < 2) {
            out.append("returns on the equity each entry starts with; every entry opened in one month, so there is no")
                    .append(
                            " standard error (errors are clustered by month: entries of one month share their market)\n");
        } else {
            out.append("returns on the equity each entry starts with; ± is a standard error (month-clustered for means")
                    .append(" and rates, a month bootstrap for median and CVaR; ")
                    .append(months)
                    .append(" months)\n");
        }
        String header = String.format(
                Locale.ROOT,
                "%-18s %14s %20s %20s %20s %10s %20s%n",
                "policy",
                "liquidated",
                "mean",
                "median",
                "CVaR 5 %",
                "worst",
                "vs buffer-exit");
        out.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (PolicyFigures f : figures) {
            out.append(String.format(
                    Locale.ROOT,
                    "%-18s %14s %20s %20s %20s %10s %20s%n",
                    f.policy(),
                    f.liquidated() + " (" + Figures.percent(f.liquidationRate().value()) + ")",
                    pm(f.mean()),
                    pm(f.median()),
                    pm(f.cvar()),
                    Figures.percent(f.worst()),
                    f.policy().equals("buffer-exit") ? "-" : pm(f.vsExit())));
        }
        for (PolicyFigures f : figures) {
            f.worstOverBudget()
                    .ifPresent(w -> out.append(f.policy()).append(budgetNote(w)).append('\n'));
        }
        out.append("\nby path class: mean return, and the difference to the buffered exit on the same entries\n");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-18s %6s", "class", "n"));
        for (String p : policies) {
            head.append(String.format(Locale.ROOT, " %24s", p));
        }
        out.append(head).append('\n').append("-".repeat(head.length())).append('\n');
        for (ClassFigures c : classes) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-18s %6d", c.pathClass().label, c.n()));
            for (String p : policies) {
                String cell = c.n() == 0
                        ? "-"
                        : Figures.percent(c.mean().get(p).value())
                                + (p.equals("buffer-exit")
                                        ? ""
                                        : " (" + signed(c.vsExit().get(p)) + ")");
                row.append(String.format(Locale.ROOT, " %24s", cell));
            }
            out.append(row).append('\n');
        }
        for (Study.PathClass c : Study.PathClass.values()) {
            out.append("  ").append(c.label).append(": ").append(c.meaning).append('\n');
        }
        return out.toString();
    }

    String describe() {
        List<String> symbols =
                spec.data().stream().map(StudyData.SymbolFiles::symbol).toList();
        String sides = spec.sides().stream()
                .map(s -> s == Side.LONG ? "long" : "short")
                .collect(Collectors.joining(" and "));
        // A draw from a short span repeats entries: each repeat counts as drawn, but the trader should see how few
        // different windows there were.
        long distinct = results.stream().map(r -> r.entry().window()).distinct().count();
        String repeats = distinct < results.size() ? " (" + distinct + " different: the draw repeats some)" : "";
        return "study: " + results.size() + " entries" + repeats + ", " + String.join(", ", symbols) + ", " + sides
                + ", "
                + spec.leverages().stream().map(l -> l.toPlainString() + "x").collect(Collectors.joining(", "))
                + ", " + spec.horizons().stream().map(Figures::duration).collect(Collectors.joining(" and "))
                + ", " + span(spec) + ", seed " + spec.seed() + ", "
                + Figures.amount(spec.margin()) + " USDT margin and " + Figures.amount(spec.wallet())
                + " free each"
                + spec.reactEvery()
                        .map(d -> "; the bot acts only every " + Figures.duration(d))
                        .orElse("");
    }

    public static String pm(Stats.Estimate e) {
        return Figures.percent(e.value()) + e.se().map(se -> " ± " + points(se)).orElse("");
    }

    public static String signed(Stats.Estimate e) {
        String v = Figures.percent(e.value());
        return (e.value().signum() > 0 ? "+" : "")
                + v
                + e.se().map(se -> " ± " + points(se)).orElse("");
    }

    /**
     * Where a study's entries lie in time, as its reports (and a sweep's) say it: they open from the spec's start and
     * close by its end, so the last opens a horizon before that end.
     */
    public static String span(StudySpec spec) {
        return "opened from " + spec.from() + " and closed by " + spec.to();
    }

    /** A standard error in percentage points, two decimals. */
    static String points(BigDecimal fraction) {
        return fraction.movePointRight(2).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    // ---------------------------------------------------------------- CSV

    public String csv() {
        StringBuilder out = new StringBuilder(
                "entry,symbol,side,leverage,start,horizon_hours,month,class,policy,start_equity,final_equity,return,"
                        + "liquidations,actions,loss_budget\n");
        for (Study.EntryResult r : results) {
            StudySpec.Entry e = r.entry();
            for (Map.Entry<String, Study.Outcome> o : r.outcomes().entrySet()) {
                Study.Outcome out2 = o.getValue();
                out.append(e.id())
                        .append(',')
                        .append(e.symbol())
                        .append(',')
                        .append(e.side() == Side.LONG ? "long" : "short")
                        .append(',')
                        .append(e.leverage().toPlainString())
                        .append(',')
                        .append(e.start())
                        .append(',')
                        .append(e.horizon().toHours())
                        .append(',')
                        .append(e.month())
                        .append(',')
                        .append(r.pathClass().name().toLowerCase(Locale.ROOT))
                        .append(',')
                        .append(o.getKey())
                        .append(',')
                        .append(Figures.exact(out2.startEquity()))
                        .append(',')
                        .append(Figures.exact(out2.finalEquity()))
                        .append(',')
                        .append(Figures.exact(out2.ret()))
                        .append(',')
                        .append(out2.liquidations())
                        .append(',')
                        .append(out2.actions())
                        .append(',')
                        .append(out2.lossBudget().map(Figures::exact).orElse(""))
                        .append('\n');
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- HTML

    private static final Mustache PAGE = new DefaultMustacheFactory("ballast/study").compile("study.mustache");

    /** A bar of a histogram, in SVG user units. */
    public record Bar(String x, String y, String width, String height, String title) {}

    /** One policy's histogram of returns, on the axis all policies share. */
    public record Histogram(String policy, List<Bar> bars, String cvarX, String meanX) {}

    public record Row(List<String> cells, boolean baseline) {}

    public record Tick(String x, String label) {}

    public String html() {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("title", "Ballast study: " + results.size() + " entries");
        scope.put("describe", describe());
        scope.put("headers", List.of("policy", "liquidated", "mean", "median", "CVaR 5 %", "worst", "vs buffer-exit"));
        List<Row> rows = new ArrayList<>();
        for (PolicyFigures f : figures) {
            rows.add(new Row(
                    List.of(
                            f.policy(),
                            f.liquidated() + " ("
                                    + Figures.percent(f.liquidationRate().value()) + ")",
                            pm(f.mean()),
                            pm(f.median()),
                            pm(f.cvar()),
                            Figures.percent(f.worst()),
                            f.policy().equals("buffer-exit") ? "\u2014" : signed(f.vsExit())),
                    f.policy().equals("buffer-exit") || f.policy().equals("none")));
        }
        scope.put("rows", rows);
        List<String> budgetNotes = new ArrayList<>();
        for (PolicyFigures f : figures) {
            f.worstOverBudget().ifPresent(w -> budgetNotes.add(f.policy() + budgetNote(w)));
        }
        scope.put("budgetNotes", budgetNotes);
        List<String> classHeaders = new ArrayList<>(List.of("class", "entries"));
        classHeaders.addAll(policies);
        scope.put("classHeaders", classHeaders);
        List<Row> classRows = new ArrayList<>();
        for (ClassFigures c : classes) {
            List<String> cells = new ArrayList<>(List.of(c.pathClass().label, Integer.toString(c.n())));
            for (String p : policies) {
                cells.add(
                        c.n() == 0
                                ? "\u2014"
                                : Figures.percent(c.mean().get(p).value())
                                        + (p.equals("buffer-exit")
                                                ? ""
                                                : " (" + signed(c.vsExit().get(p)) + ")"));
            }
            classRows.add(new Row(cells, false));
        }
        scope.put("classRows", classRows);
        scope.put(
                "classMeanings",
                java.util.Arrays.stream(Study.PathClass.values())
                        .map(c -> c.label + ": " + c.meaning)
                        .toList());
        histograms(scope);
        StringWriter out = new StringWriter();
        PAGE.execute(out, scope);
        return out.toString();
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 110;

    /**
     * The distributions: every policy's returns in bins of one percentage point, wider if the range is wide (the page
     * says how wide).
     */
    private void histograms(Map<String, Object> scope) {
        BigDecimal lo = null;
        BigDecimal hi = null;
        for (Study.EntryResult r : results) {
            for (Study.Outcome o : r.outcomes().values()) {
                BigDecimal pct = o.ret().movePointRight(2);
                lo = lo == null ? pct : lo.min(pct);
                hi = hi == null ? pct : hi.max(pct);
            }
        }
        if (lo == null) {
            scope.put("histograms", List.of());
            scope.put("binWidth", "percentage point");
            scope.put("ticks", List.of());
            return;
        }
        int from = lo.setScale(0, RoundingMode.FLOOR).intValue();
        int to = hi.setScale(0, RoundingMode.CEILING).intValue() + 1;
        int width = Math.max(1, (to - from + 79) / 80);
        int bins = Math.max(1, (to - from + width - 1) / width);
        Map<String, int[]> counts = new LinkedHashMap<>();
        int most = 1;
        for (String p : policies) {
            int[] c = new int[bins];
            for (Study.EntryResult r : results) {
                int bin = r.outcomes()
                                .get(p)
                                .ret()
                                .movePointRight(2)
                                .setScale(0, RoundingMode.FLOOR)
                                .intValue()
                        - from;
                c[Math.min(bins - 1, Math.max(0, bin / width))]++;
            }
            for (int v : c) {
                most = Math.max(most, v);
            }
            counts.put(p, c);
        }
        BigDecimal binWidth = BigDecimal.valueOf(WIDTH).divide(BigDecimal.valueOf(bins), 3, RoundingMode.HALF_UP);
        List<Histogram> out = new ArrayList<>();
        for (String p : policies) {
            int[] c = counts.get(p);
            List<Bar> bars = new ArrayList<>();
            for (int i = 0; i < bins; i++) {
                if (c[i] == 0) {
                    continue;
                }
                BigDecimal h = BigDecimal.valueOf((long) HEIGHT * c[i])
                        .divide(BigDecimal.valueOf(most), 2, RoundingMode.HALF_UP);
                int left = from + i * width;
                bars.add(new Bar(
                        binWidth.multiply(BigDecimal.valueOf(i)).toPlainString(),
                        BigDecimal.valueOf(HEIGHT).subtract(h).toPlainString(),
                        binWidth.subtract(new BigDecimal("0.5"))
                                .max(new BigDecimal("0.5"))
                                .toPlainString(),
                        h.toPlainString(),
                        (c[i] == 1 ? "1 entry" : c[i] + " entries") + " from " + left + " % to " + (left + width)
                                + " %"));
            }
            PolicyFigures f = of(p).orElseThrow();
            out.add(new Histogram(
                    p, bars, x(f.cvar().value(), from, bins * width), x(f.mean().value(), from, bins * width)));
        }
        scope.put("histograms", out);
        scope.put("binWidth", width == 1 ? "percentage point" : width + " percentage points");
        List<Tick> ticks = new ArrayList<>();
        int step = Math.max(1, (bins * width) / 10);
        for (int t = from; t <= from + bins * width; t += step) {
            ticks.add(new Tick(x(BigDecimal.valueOf(t).movePointLeft(2), from, bins * width), t + " %"));
        }
        scope.put("ticks", ticks);
        scope.put("width", WIDTH);
        scope.put("height", HEIGHT);
    }

    private static String x(BigDecimal fraction, int from, int span) {
        return fraction.movePointRight(2)
                .subtract(BigDecimal.valueOf(from))
                .multiply(BigDecimal.valueOf(WIDTH))
                .divide(BigDecimal.valueOf(span), 2, RoundingMode.HALF_UP)
                .toPlainString();
    }
}
