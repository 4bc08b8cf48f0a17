package ballast.app.cli;

import ballast.app.format.Figures;
import ballast.app.run.StatusBoard;
import ballast.app.run.StatusReader;
import ballast.kernel.Engine;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast status}: the running bot at a glance, read from its loopback status endpoint. */
@Command(
        name = "status",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "The running bot at a glance: each position's mark, liquidation price, distance, z and level, the budgets"
                    + " left, what it waits for, the trading state, the feeds' age and the last actions."
        })
public final class StatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Mixin
    WhichBot which;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    @Override
    public Integer call() {
        int at = which.port();
        StatusBoard.Snapshot s = StatusReader.read(at);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Ballast " + s.profile() + " bot at " + TIME.format(s.time()) + " UTC: trading " + s.tradingState()
                + "; inbox " + s.inboxDepth() + " waiting"
                + (s.inboxOverflows() > 0 ? ", " + s.inboxOverflows() + " OVER CAPACITY" : "")
                + s.oldestMark()
                        .map(a -> "; oldest mark " + Figures.duration(a) + " old")
                        .orElse(""));
        out.println("free balance " + Figures.amount(s.freeBalance()) + " USDT; today's top-up budget "
                + Figures.amount(s.dayBudget()) + ", spent " + Figures.amount(s.daySpent()));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "position",
            "qty",
            "margin",
            "mark",
            "liquidation",
            "distance",
            "z",
            "backstop",
            "level",
            "episode left",
            "waiting for"
        });
        for (Engine.PositionView p : s.positions()) {
            rows.add(new String[] {
                p.key().label(),
                Figures.qty(p.qty()),
                Figures.amount(p.wallet()),
                p.mark().map(Figures::price).orElse("-"),
                p.liquidationPrice().map(Figures::price).orElse("none"),
                p.distance().map(Figures::percent).orElse("-"),
                p.z().map(z -> Figures.exact(z.setScale(1, java.math.RoundingMode.DOWN)))
                        .orElse("-"),
                p.backstop().map(Figures::price).orElse("none"),
                p.level().name(),
                p.episodeBudget().signum() == 0 && p.episodeSpent().signum() == 0
                        ? "no episode"
                        : Figures.amount(p.episodeBudget().subtract(p.episodeSpent())),
                p.waitingFor().orElse("-")
            });
        }
        if (s.positions().isEmpty()) {
            out.println("(no position held)");
        } else {
            print(out, rows);
        }
        out.println();
        out.println(s.lastActions().isEmpty() ? "no action yet" : "last actions:");
        s.lastActions().forEach(a -> out.println("  " + a));
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]).append(" ".repeat(width[i] - row[i].length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
