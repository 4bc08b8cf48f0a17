package ballast.app.cli;

import ballast.app.config.Settings;
import ballast.app.config.SettingsFile;
import ballast.app.format.Figures;
import ballast.app.replay.ReplayRunner;
import ballast.app.study.Stats;
import ballast.app.study.Study;
import ballast.app.study.StudyReport;
import ballast.app.study.StudySpec;
import ballast.exchange.tiers.ShippedRiskTiers;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ballast sweep}: the budget policy's settings on a grid, each run through the same study (the baselines once),
 * and the frontier between the tail it leaves (5 % CVaR) and the premium it costs on dips the buffered exit never sees.
 */
@Command(
        name = "sweep",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "A grid of budget settings through one study: tail against premium, and the frontier.",
            "Runs the budget policy's settings on a grid through one study (same entries, baselines once) and prints",
            "each setting's tail (CVaR 5 %%, worst), its premium on dips and its gain on rebounds against the buffered",
            "exit, and which settings are on the frontier. Tune on one span, report on another.",
        },
        footer = {
            "",
            "Example (tune on 2019-12 to 2023, then report with 'ballast study' on 2024 on):",
            "  ballast sweep --data data --from 2019-12-01 --to 2024-01-01 \\",
            "      --grid crashZ=2,3,4 --grid maxMultiplier=15,20,30 \\",
            "      --html reports/sweep.html",
        })
public final class SweepCommand extends StudyCommand {

    @Option(
            names = "--grid",
            required = true,
            paramLabel = "KEY=V,V",
            description = "A policy.budget setting and its values, e.g. crashZ=2,3,4 (repeat for more keys).")
    List<String> grid;

    public SweepCommand(Supplier<ShippedRiskTiers> shippedTiers, Path configDir) {
        super(shippedTiers, configDir);
    }

    /** One setting of the grid, and what the study said of it. */
    public record Point(
            String label,
            StudyReport.PolicyFigures figures,
            Stats.Estimate dipPremium,
            Stats.Estimate reboundGain,
            Stats.Estimate quietPremium,
            boolean frontier) {}

    @Override
    public Integer call() {
        List<Map<String, String>> combos = combos();
        PrintWriter err = spec.commandLine().getErr();
        Inputs in = inputs(err);
        // Every setting is checked before anything runs: a typo in the last one does not waste the first ones.
        List<Settings> settings = new ArrayList<>();
        for (Map<String, String> combo : combos) {
            settings.add(settings(combo));
        }
        StudySpec base = with(in.spec(), List.of("none", "buffer-exit"));
        err.println("sweep: the baselines on " + base.entries() + " entries, then " + combos.size()
                + (combos.size() == 1 ? " setting" : " settings"));
        List<Study.EntryResult> baseline = in.study().run(base, in.threads(), in.progress());
        in.progress().finish();
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < combos.size(); i++) {
            ReplayRunner runner = new ReplayRunner(shippedTiers.get(), settings.get(i));
            if (in.react().isPresent()) {
                runner = runner.reactingEvery(in.react().get());
            }
            Study study =
                    new Study(runner, settings.get(i).bufferExit(), in.study().source());
            StudySpec budgetOnly = with(in.spec(), List.of("budget"));
            Progress progress = new Progress(err, Terminal.attached(), base.entries());
            List<Map<String, Study.Outcome>> outcomes = study.outcomes(budgetOnly, in.threads(), progress);
            progress.finish();
            List<Study.EntryResult> merged = new ArrayList<>();
            for (int e = 0; e < baseline.size(); e++) {
                Map<String, Study.Outcome> all = new LinkedHashMap<>();
                all.put("budget", outcomes.get(e).get("budget"));
                all.putAll(baseline.get(e).outcomes());
                merged.add(new Study.EntryResult(
                        baseline.get(e).entry(), baseline.get(e).pathClass(), all));
            }
            StudyReport report = new StudyReport(with(in.spec(), List.of("budget", "none", "buffer-exit")), merged);
            points.add(new Point(
                    label(combos.get(i)),
                    report.of("budget").orElseThrow(),
                    vs(report, Study.PathClass.DIP),
                    vs(report, Study.PathClass.REBOUND),
                    vs(report, Study.PathClass.QUIET),
                    false));
            err.println("sweep: " + (i + 1) + "/" + combos.size() + " " + label(combos.get(i)) + " done");
        }
        points = frontier(points);
        StudyReport exit = new StudyReport(base, baseline);
        PrintWriter out = spec.commandLine().getOut();
        out.print(text(in.spec(), points, exit.of("buffer-exit").orElseThrow()));
        if (csv != null) {
            out.println("CSV: " + csv.toAbsolutePath() + ReplayCommand.write(csv, csv(points)));
        }
        if (html != null) {
            out.println("HTML report: " + html.toAbsolutePath()
                    + ReplayCommand.write(
                            html, html(in.spec(), points, exit.of("buffer-exit").orElseThrow())));
        }
        out.flush();
        return 0;
    }

    private static Stats.Estimate vs(StudyReport report, Study.PathClass c) {
        return report.classes().stream()
                .filter(f -> f.pathClass() == c && f.n() > 0)
                .findFirst()
                .map(f -> f.vsExit().get("budget"))
                .orElse(NO_ENTRIES);
    }

    /** A class no entry fell in: shown as "-", counted as no premium on the frontier. */
    static final Stats.Estimate NO_ENTRIES = new Stats.Estimate(BigDecimal.ZERO, Optional.empty());

    private static String shown(Stats.Estimate e) {
        return e == NO_ENTRIES ? "-" : StudyReport.signed(e);
    }

    /** On the frontier: no other setting has both a better CVaR and a smaller premium on dips. */
    static List<Point> frontier(List<Point> points) {
        List<Point> marked = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = points.stream()
                    .anyMatch(q -> q != p
                            && q.figures()
                                            .cvar()
                                            .value()
                                            .compareTo(p.figures().cvar().value())
                                    >= 0
                            && q.dipPremium().value().compareTo(p.dipPremium().value()) >= 0
                            && (q.figures()
                                                    .cvar()
                                                    .value()
                                                    .compareTo(
                                                            p.figures().cvar().value())
                                            > 0
                                    || q.dipPremium()
                                                    .value()
                                                    .compareTo(p.dipPremium().value())
                                            > 0));
            marked.add(
                    new Point(p.label(), p.figures(), p.dipPremium(), p.reboundGain(), p.quietPremium(), !dominated));
        }
        return marked;
    }

    List<Map<String, String>> combos() {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String g : grid) {
            int eq = g.indexOf('=');
            if (eq <= 0 || eq == g.length() - 1) {
                throw new UsageException("--grid takes KEY=V,V (a policy.budget setting and its values, e.g."
                        + " crashZ=2,3,4), was '" + g + "'");
            }
            String key = g.substring(0, eq).trim();
            List<String> values = List.of(g.substring(eq + 1).split(",")).stream()
                    .map(String::trim)
                    .filter(v -> !v.isEmpty())
                    .toList();
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : values) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(key, v);
                    next.add(m);
                }
            }
            combos = next;
        }
        if (combos.size() > 500) {
            throw new UsageException("--grid makes " + combos.size() + " settings; at most 500 (a study each)");
        }
        return combos;
    }

    private Settings settings(Map<String, String> combo) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode budget = root.putObject("policy").putObject("budget");
        combo.forEach(budget::put);
        return SettingsFile.load(
                configDir,
                Optional.ofNullable(profile),
                List.of(new SettingsFile.Layer("--grid " + label(combo), "", root, Map.of())));
    }

    private static String label(Map<String, String> combo) {
        List<String> parts = new ArrayList<>();
        combo.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    private static StudySpec with(StudySpec s, List<String> policies) {
        return new StudySpec(
                s.data(),
                s.sides(),
                s.leverages(),
                s.horizons(),
                s.from(),
                s.to(),
                s.entries(),
                s.seed(),
                s.margin(),
                s.wallet(),
                policies,
                s.reactEvery(),
                s.warmUp());
    }

    static String text(StudySpec spec, List<Point> points, StudyReport.PolicyFigures exit) {
        StringBuilder out = new StringBuilder("sweep of the budget policy over " + spec.entries() + " entries, "
                + StudyReport.span(spec) + ", seed " + spec.seed() + "\n");
        out.append("buffer-exit: CVaR 5 % ")
                .append(Figures.percent(exit.cvar().value()))
                .append(", worst ")
                .append(Figures.percent(exit.worst()))
                .append(", mean ")
                .append(Figures.percent(exit.mean().value()))
                .append('\n');
        int width = Math.max(
                "setting".length(),
                points.stream().mapToInt(p -> p.label().length()).max().orElse(0));
        String row = "%-" + width + "s %5s %18s %9s %18s %18s %18s %18s %9s %s%n";
        String header = String.format(
                Locale.ROOT,
                row,
                "setting",
                "liq",
                "CVaR 5 %",
                "worst",
                "vs exit, all",
                "dips (premium)",
                "rebounds (gain)",
                "quiet (cost)",
                "over bdg",
                "frontier");
        out.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Point p : points) {
            out.append(String.format(
                    Locale.ROOT,
                    row,
                    p.label(),
                    p.figures().liquidated(),
                    StudyReport.pm(p.figures().cvar()),
                    Figures.percent(p.figures().worst()),
                    StudyReport.signed(p.figures().vsExit()),
                    shown(p.dipPremium()),
                    shown(p.reboundGain()),
                    shown(p.quietPremium()),
                    p.figures().worstOverBudget().map(Figures::percent).orElse("-"),
                    p.frontier() ? "*" : ""));
        }
        out.append("""
                liq: entries liquidated. vs exit: the mean return against the buffered exit's on the same entries,
                all of them and by path class (dips the exit never sees, where protection costs a premium;
                rebounds after the exit left; quiet markets). over bdg: the worst loss beyond the declared loss
                budget, in % of the starting equity (negative: every loss stayed inside it). frontier *: no other
                setting has both a better CVaR 5 % and a smaller premium on dips.
                """);
        return out.toString();
    }

    static String csv(List<Point> points) {
        StringBuilder out = new StringBuilder(
                "setting,liquidated,mean,mean_se,cvar5,cvar5_se,worst,vs_exit,vs_exit_se,dip_premium,dip_premium_se,"
                        + "rebound_gain,rebound_gain_se,quiet_cost,quiet_cost_se,worst_over_budget,frontier\n");
        for (Point p : points) {
            StudyReport.PolicyFigures f = p.figures();
            out.append('"')
                    .append(p.label())
                    .append("\",")
                    .append(f.liquidated())
                    .append(',')
                    .append(e(f.mean()))
                    .append(',')
                    .append(e(f.cvar()))
                    .append(',')
                    .append(Figures.exact(f.worst()))
                    .append(',')
                    .append(e(f.vsExit()))
                    .append(',')
                    .append(e(p.dipPremium()))
                    .append(',')
                    .append(e(p.reboundGain()))
                    .append(',')
                    .append(e(p.quietPremium()))
                    .append(',')
                    .append(f.worstOverBudget().map(Figures::exact).orElse(""))
                    .append(',')
                    .append(p.frontier())
                    .append('\n');
        }
        return out.toString();
    }

    private static String e(Stats.Estimate e) {
        return Figures.exact(e.value()) + "," + e.se().map(Figures::exact).orElse("");
    }

    // ------------------------------------------------------------------ HTML: the frontier as a scatter

    private static final Mustache PAGE = new DefaultMustacheFactory("ballast/study").compile("sweep.mustache");

    public record Dot(String x, String y, String label, String title, boolean frontier) {}

    static String html(StudySpec spec, List<Point> points, StudyReport.PolicyFigures exit) {
        BigDecimal minX = points.stream()
                .map(p -> p.dipPremium().value())
                .min(BigDecimal::compareTo)
                .orElseThrow();
        BigDecimal maxX = points.stream()
                .map(p -> p.dipPremium().value())
                .max(BigDecimal::compareTo)
                .orElseThrow();
        BigDecimal minY = points.stream()
                .map(p -> p.figures().cvar().value())
                .min(BigDecimal::compareTo)
                .orElseThrow();
        BigDecimal maxY = points.stream()
                .map(p -> p.figures().cvar().value())
                .max(BigDecimal::compareTo)
                .orElseThrow();
        minY = minY.min(exit.cvar().value());
        maxY = maxY.max(exit.cvar().value());
        List<Dot> dots = new ArrayList<>();
        for (Point p : points) {
            dots.add(new Dot(
                    scale(p.dipPremium().value(), minX, maxX, 40, 680),
                    scale(p.figures().cvar().value(), maxY, minY, 20, 380),
                    p.label(),
                    p.label() + ": CVaR " + Figures.percent(p.figures().cvar().value()) + ", premium on dips "
                            + Figures.percent(p.dipPremium().value()),
                    p.frontier()));
        }
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("title", "Ballast sweep: " + points.size() + " settings of the budget policy");
        scope.put("describe", text(spec, points, exit).lines().findFirst().orElse(""));
        scope.put("dots", dots);
        scope.put("exitY", scale(exit.cvar().value(), maxY, minY, 20, 380));
        scope.put("exitLabel", "buffer-exit CVaR " + Figures.percent(exit.cvar().value()));
        scope.put("xLow", Figures.percent(minX));
        scope.put("xHigh", Figures.percent(maxX));
        scope.put("yLow", Figures.percent(minY));
        scope.put("yHigh", Figures.percent(maxY));
        scope.put("table", text(spec, points, exit));
        StringWriter out = new StringWriter();
        PAGE.execute(out, scope);
        return out.toString();
    }

    private static String scale(BigDecimal v, BigDecimal lo, BigDecimal hi, int from, int to) {
        if (hi.compareTo(lo) == 0) {
            return Integer.toString((from + to) / 2);
        }
        return v.subtract(lo)
                .multiply(BigDecimal.valueOf(to - from))
                .divide(hi.subtract(lo), 2, RoundingMode.HALF_UP)
                .add(BigDecimal.valueOf(from))
                .toPlainString();
    }
}
