package ballast.app.cli;

import ballast.app.config.Settings;
import ballast.app.config.SettingsFile;
import ballast.app.format.Figures;
import ballast.app.replay.ReplayRunner;
import ballast.app.study.Study;
import ballast.app.study.StudyData;
import ballast.app.study.StudyReport;
import ballast.app.study.StudySpec;
import ballast.core.Side;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast study}: every policy on the same random entries over real history, tails and all. */
@Command(
        name = "study",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Every policy on the same random entries over real history: liquidations, mean, tail, path classes.",
            "Per policy: liquidation rate, mean, median, 5 %% CVaR and worst, with month-clustered standard errors, and",
            "results by path class.",
            "Each entry is an ordinary replay (same engine, paper venue and report as 'ballast replay').",
        },
        footer = {
            "",
            "Examples:",
            "  ballast data download --symbol BTCUSDT,ETHUSDT --interval 1h --mark \\",
            "      --funding --from 2024-01-01 --to 2026-04-01 --dir data",
            "  ballast study --data data --from 2024-01-01 --entries 2000 \\",
            "      --html reports/study.html --csv reports/study.csv",
            "  ballast study --data data --react-every 1h --entries 2000",
        })
public class StudyCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "History: a folder 'ballast data download' wrote (with --mark --funding), or one holding"
                    + " binance_um_SYMBOL_1h.csv, _1h_mark.csv and _funding.csv files.")
    Path data;

    @Option(names = "--symbols", paramLabel = "S,S", description = "Symbols (default: BTCUSDT,ETHUSDT).")
    String symbols = "BTCUSDT,ETHUSDT";

    @Option(names = "--interval", paramLabel = "I", description = "Candle interval of the data (default: 1h).")
    String interval = "1h";

    @Option(names = "--sides", paramLabel = "long,short", description = "Sides (default: both).")
    String sides = "long,short";

    @Option(names = "--leverage", paramLabel = "L,L", description = "Leverages, drawn at random (default: 10).")
    String leverage = "10";

    @Option(names = "--horizons", paramLabel = "D,D", description = "Holding periods (default: 7d,30d).")
    String horizons = "7d,30d";

    @Option(
            names = "--from",
            paramLabel = "DATE",
            description = "First day an entry may open (default: as early as" + " the data allows after the warm-up).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "DATE",
            description = "End of the span, exclusive: every entry closes by then" + " (default: the end of the data).")
    String to;

    @Option(names = "--entries", paramLabel = "N", description = "How many entries (default: 1000).")
    int entries = 1000;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the draw: the same seed, the same entries" + " (default: 1).")
    long seed = 1;

    @Option(names = "--margin", paramLabel = "USDT", description = "Isolated margin of each entry (default: 1000).")
    BigDecimal margin = new BigDecimal("1000");

    @Option(names = "--wallet", paramLabel = "USDT", description = "Free balance beside it (default: 5000).")
    BigDecimal wallet = new BigDecimal("5000");

    @Option(
            names = "--policies",
            paramLabel = "LIST",
            description = "Policies (default: budget,ladder,none,"
                    + "buffer-exit; none and buffer-exit always run, the classes need them).")
    String policies = "budget,ladder,none,buffer-exit";

    @Option(
            names = "--react-every",
            paramLabel = "DURATION",
            description = "Stress: the bot sees a mark and may act only this often (e.g. 1h), while the paper venue"
                    + " still liquidates on every mark.")
    String reactEvery;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: every core).")
    Integer threads;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Settings profile: config/application.yaml overlaid with config/application-NAME.yaml.")
    String profile;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per entry and policy to FILE.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report to FILE.")
    Path html;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    final Supplier<ShippedRiskTiers> shippedTiers;
    final Path configDir;

    public StudyCommand(Supplier<ShippedRiskTiers> shippedTiers, Path configDir) {
        this.shippedTiers = shippedTiers;
        this.configDir = configDir;
    }

    @Override
    public Integer call() {
        Inputs in = inputs(spec.commandLine().getErr());
        List<Study.EntryResult> results = in.study().run(in.spec(), in.threads(), in.progress());
        in.progress().finish();
        StudyReport report = new StudyReport(in.spec(), results);
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.text());
        if (csv != null) {
            out.println("CSV: " + csv.toAbsolutePath() + ReplayCommand.write(csv, report.csv()));
        }
        if (html != null) {
            out.println("HTML report: " + html.toAbsolutePath() + ReplayCommand.write(html, report.html()));
        }
        out.flush();
        return 0;
    }

    /** Everything a study (or a sweep) needs from the flags, checked before anything runs. */
    record Inputs(
            StudySpec spec, Study study, Settings settings, int threads, Progress progress, Optional<Duration> react) {}

    Inputs inputs(PrintWriter err) {
        if (csv != null) {
            ReplayCommand.writable("--csv", csv);
        }
        if (html != null) {
            ReplayCommand.writable("--html", html);
        }
        if (csv != null
                && html != null
                && csv.toAbsolutePath().normalize().equals(html.toAbsolutePath().normalize())) {
            throw new UsageException("--csv and --html name the same file (" + csv + "); give them different names");
        }
        if (entries < 1 || entries > 1_000_000) {
            throw new UsageException("--entries must be between 1 and 1,000,000, was " + entries);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int n = threads == null ? cores : threads;
        if (n < 1 || n > 256) {
            throw new UsageException("--threads must be between 1 and 256, was " + n);
        }
        if (margin.signum() <= 0) {
            throw new UsageException("--margin must be > 0, was " + margin.toPlainString());
        }
        if (wallet.signum() < 0) {
            throw new UsageException("--wallet must be >= 0, was " + wallet.toPlainString());
        }
        List<Side> sideList = list("--sides", sides).stream()
                .map(s -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "long" -> Side.LONG;
                    case "short" -> Side.SHORT;
                    default -> throw new UsageException("--sides takes long and short, was '" + s + "'");
                })
                .distinct()
                .toList();
        List<BigDecimal> leverages = list("--leverage", leverage).stream()
                .map(l -> {
                    try {
                        BigDecimal v = new BigDecimal(l);
                        if (v.compareTo(BigDecimal.ONE) < 0 || v.compareTo(BigDecimal.valueOf(125)) > 0) {
                            throw new UsageException("--leverage must be between 1 and 125, was " + l);
                        }
                        return v;
                    } catch (NumberFormatException e) {
                        throw new UsageException("--leverage takes numbers like 10 or 5,10,20, was '" + l + "'");
                    }
                })
                .toList();
        List<Duration> horizonList = list("--horizons", horizons).stream()
                .map(h -> Flags.positiveDuration("--horizons", h))
                .toList();
        List<String> policyList = new ArrayList<>();
        for (String p : list("--policies", policies)) {
            if (!ReplayRunner.POLICIES.contains(p)) {
                throw new UsageException(
                        "--policies takes " + String.join(", ", ReplayRunner.POLICIES) + ", was '" + p + "'");
            }
            if (!policyList.contains(p)) {
                policyList.add(p);
            }
        }
        Optional<Duration> react = Optional.ofNullable(reactEvery).map(r -> Flags.positiveDuration("--react-every", r));
        List<String> symbolList = list("--symbols", symbols).stream()
                .map(s -> s.toUpperCase(Locale.ROOT))
                .distinct()
                .toList();
        List<StudyData.SymbolFiles> files = StudyData.find(data, symbolList, interval);
        Settings settings = SettingsFile.load(configDir, Optional.ofNullable(profile), List.of());
        ReplayRunner runner = new ReplayRunner(shippedTiers.get(), settings);
        if (react.isPresent()) {
            runner = runner.reactingEvery(react.get());
        }
        Study study = new Study(runner, settings.bufferExit());
        Duration warmUp = ballast.app.replay.Scenario.DEFAULT_WARM_UP;
        // The flags first: a mistake in one is said before every file is read.
        Instant fromFlag = from == null ? null : instant("--from", from);
        Instant toFlag = to == null ? null : instant("--to", to);
        Instant[] covered = study.coverage(files, warmUp, n);
        Instant start = fromFlag == null ? covered[0] : fromFlag;
        Instant end = toFlag == null ? covered[1] : toFlag;
        if (!start.isBefore(end)) {
            throw new UsageException("--from " + start + " is not before --to " + end);
        }
        if (start.isBefore(covered[0]) || end.isAfter(covered[1])) {
            throw new UsageException("the data covers entries from " + covered[0] + " to " + covered[1] + " (after a "
                    + Figures.duration(warmUp) + " warm-up, every symbol), not " + start + " to " + end);
        }
        Duration longest = horizonList.stream().max(Duration::compareTo).orElseThrow();
        if (Duration.between(start, end).compareTo(longest) < 0) {
            throw new UsageException(
                    "the span " + start + " to " + end + " is shorter than the horizon " + Figures.duration(longest));
        }
        StudySpec studySpec = new StudySpec(
                files,
                sideList,
                leverages,
                horizonList,
                start,
                end,
                entries,
                seed,
                margin,
                wallet,
                policyList,
                react,
                warmUp);
        return new Inputs(studySpec, study, settings, n, new Progress(err, Terminal.attached(), entries), react);
    }

    private static List<String> list(String flag, String value) {
        List<String> items = Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        if (items.isEmpty()) {
            throw new UsageException(flag + " needs at least one value, was '" + value + "'");
        }
        return items;
    }

    private static Instant instant(String flag, String text) {
        try {
            return text.contains("T")
                    ? Instant.parse(text)
                    : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(
                    flag + " takes a day (2024-01-01) or a time (2024-01-01T12:00:00Z), was '" + text + "'");
        }
    }

    /** Entries done, on one terminal line; a line per tenth when piped. */
    static final class Progress implements java.util.function.IntConsumer {
        private final PrintWriter err;
        private final boolean terminal;
        private final int total;
        private int shown;

        Progress(PrintWriter err, boolean terminal, int total) {
            this.err = err;
            this.terminal = terminal;
            this.total = total;
        }

        @Override
        public synchronized void accept(int done) {
            int tenth = done * 10 / total;
            if (terminal) {
                err.print("\rstudy: " + done + "/" + total + " entries");
                err.flush();
            } else if (tenth > shown) {
                shown = tenth;
                err.println("study: " + done + "/" + total + " entries");
                err.flush();
            }
        }

        synchronized void finish() {
            if (terminal) {
                err.print("\r" + " ".repeat(40) + "\r");
                err.flush();
            }
        }
    }
}
