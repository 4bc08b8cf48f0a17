package ballast.app.cli;

import ballast.app.format.Figures;
import ballast.app.history.HistoryDownload;
import ballast.app.history.HistoryKind;
import ballast.app.history.HistoryLayout;
import ballast.app.history.HistoryScenario;
import ballast.app.history.Progress;
import ballast.app.history.Sleeper;
import ballast.app.marketdata.MarketDataFiles;
import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import ballast.core.market.Gap;
import ballast.exchange.binance.BinanceHistoryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast data}: history for replays, downloaded from Binance's public archive, listed, and made a scenario. */
@Command(
        name = "data",
        usageHelpAutoWidth = true,
        description = {
            "Binance USDⓈ-M history for replays: download it, list it, make a scenario of it.",
            "Candles, mark prices and funding rates for any symbol and window, from Binance's public archive (and its"
                    + " REST API for the days the archive has not published yet).",
        },
        commandListHeading = "Commands:%n",
        footer = {
            "",
            "Replay your own window in two commands:",
            "  ballast data download --symbol ETHUSDT --from 2024-08-01 --to 2024-09-01 \\",
            "      --interval 5m --mark --funding --scenario eth-aug.yaml --leverage 10",
            "  ballast replay eth-aug.yaml",
        })
public final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What a download needs from outside: the clock, a way to wait, a way to write files, and whether a person is watching. */
    public record World(Clock clock, Sleeper sleeper, HistoryDownload.Storage storage, boolean terminal) {
        public static World real(Clock clock) {
            return new World(
                    clock, d -> Thread.sleep(d.toMillis()), HistoryDownload.Storage.FILES, Terminal.attached());
        }
    }

    private static final Pattern SYMBOL = Pattern.compile("[A-Z0-9]{1,32}");
    private static final Set<String> TOO_LONG_FOR_REPLAY = Set.of("3d", "1w", "1M");

    static List<String> symbols(String value) {
        if (value == null || value.isBlank()) {
            throw new UsageException(
                    "--symbol is required: one or more Binance USDⓈ-M symbols, comma-separated (BTCUSDT,ETHUSDT)");
        }
        Set<String> symbols = new LinkedHashSet<>();
        if (value.replace(",", "").isBlank()) {
            throw new UsageException("--symbol is required: one or more Binance USDⓈ-M symbols, comma-separated"
                    + " (BTCUSDT,ETHUSDT), was '" + value + "'");
        }
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue; // "BTCUSDT," or "BTCUSDT,,ETHUSDT": an extra comma is harmless
            }
            String symbol = part.trim().toUpperCase(Locale.ROOT);
            if (!SYMBOL.matcher(symbol).matches()) {
                throw new UsageException(
                        "--symbol takes symbols like BTCUSDT (letters and digits), comma-separated; was '" + part.trim()
                                + "' in '" + value + "'");
            }
            symbols.add(symbol);
        }
        return List.copyOf(symbols);
    }

    static String interval(String value) {
        if (value == null) {
            throw new UsageException("--interval is required: the candle interval, one of " + replayIntervals()
                    + " (1m for a few weeks, 1h for months)");
        }
        String interval = value.trim();
        if (TOO_LONG_FOR_REPLAY.contains(interval)) {
            throw new UsageException("--interval " + interval
                    + " is served by Binance, but a replay walks candles of at most 1d; use one of "
                    + replayIntervals());
        }
        if (!BinanceHistoryClient.INTERVALS.contains(interval)) {
            String lower = interval.toLowerCase(Locale.ROOT);
            String hint = BinanceHistoryClient.INTERVALS.contains(lower) && !TOO_LONG_FOR_REPLAY.contains(lower)
                    ? " (did you mean " + lower
                            + "? Binance's intervals are case-sensitive: 1m is a minute, 1M a month)"
                    : "";
            throw new UsageException("--interval must be one Binance USDⓈ-M serves: " + replayIntervals() + "; was '"
                    + value + "'" + hint);
        }
        return interval;
    }

    private static String replayIntervals() {
        return String.join(
                ", ",
                BinanceHistoryClient.INTERVALS.stream()
                        .filter(i -> !TOO_LONG_FOR_REPLAY.contains(i))
                        .toList());
    }

    static Instant from(String value) {
        if (value == null) {
            throw new UsageException("--from is required: the first day (YYYY-MM-DD, UTC) or time of the window");
        }
        return Flags.instant("--from", value);
    }

    static Instant to(String value, Clock clock) {
        return value == null
                ? clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                : Flags.instant("--to", value);
    }

    /** The position flags shared by {@code data scenario} and {@code data download --scenario}. */
    public static final class PositionOptions {
        @Option(names = "--side", paramLabel = "long|short", description = "Side of each position (default: long).")
        String side = "long";

        @Option(names = "--leverage", paramLabel = "L", description = "Leverage (default: 10).")
        String leverage = "10";

        @Option(
                names = "--margin",
                paramLabel = "USDT",
                description = "Margin of each position, opened at the first candle's open (default: 1000).")
        String margin = "1000";

        @Option(
                names = "--margin-mode",
                paramLabel = "isolated|cross",
                description = "Margin mode (default: isolated).")
        String marginMode = "isolated";

        @Option(
                names = "--wallet",
                paramLabel = "USDT",
                description = "Free balance beside the positions (default: 5000).")
        String wallet = "5000";

        @Option(
                names = "--warm-up",
                paramLabel = "DURATION",
                description = "History before --from the engine watches before the positions open (default: 1d).")
        String warmUp = "1d";

        @Option(names = "--force", description = "Replace the scenario file if it exists.")
        boolean force;

        HistoryScenario.Position position() {
            return new HistoryScenario.Position(
                    Flags.choice("--side", side, Side.class, "long or short"),
                    Flags.within(
                            "--leverage",
                            Flags.required("--leverage", leverage, "leverage"),
                            "1",
                            "125",
                            "the venues allow 1x to 125x"),
                    Flags.within(
                            "--margin",
                            Flags.positive("--margin", Flags.required("--margin", margin, "margin in USDT")),
                            "0.01",
                            "1000000000000",
                            "USDT"),
                    Flags.choice("--margin-mode", marginMode, MarginMode.class, "isolated or cross"));
        }

        BigDecimal wallet() {
            return Flags.within(
                    "--wallet",
                    Flags.required("--wallet", wallet, "free balance in USDT"),
                    "0",
                    "1000000000000",
                    "USDT");
        }

        Duration warmUp() {
            Duration d = Flags.duration("--warm-up", warmUp);
            if (d.compareTo(Duration.ofDays(30)) > 0) {
                throw new UsageException("--warm-up must be at most 30d, was '" + warmUp + "'");
            }
            return d;
        }

        static Path defaultOut(List<String> symbols, String side, Instant from) {
            return Path.of(
                    "scenarios",
                    String.join("-", symbols).toLowerCase(Locale.ROOT) + "-" + side.toLowerCase(Locale.ROOT) + "-"
                            + from.atZone(ZoneOffset.UTC).toLocalDate() + ".yaml");
        }
    }

    // ----- download -----

    @Command(
            name = "download",
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Downloads the Binance USDⓈ-M history a replay reads.",
                "Candles, and with --mark and --funding the mark price and funding rates, for any symbol and window:"
                        + " from Binance's public archive (monthly and daily zips, each checked against its SHA-256),"
                        + " and from the public REST API for the days the archive has not published yet.",
                "A second run fetches only what is missing; an interrupted run leaves no half-written file.",
            })
    public static final class Download implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--symbol", paramLabel = "S[,S...]", description = "Symbols, e.g. BTCUSDT,ETHUSDT.")
        String symbol;

        @Option(names = "--from", paramLabel = "DATE", description = "First day (UTC), or a time 2024-08-01T12:00:00Z.")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "End of the window, exclusive (default: now).")
        String to;

        @Option(
                names = "--interval",
                paramLabel = "I",
                description = "Candle interval: 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d.")
        String interval;

        @Option(names = "--mark", description = "Also the mark-price candles (liquidation is decided on them).")
        boolean mark;

        @Option(names = "--funding", description = "Also the funding rates.")
        boolean funding;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where to put it (default: data).")
        Path dir = Path.of("data");

        @Option(
                names = "--scenario",
                paramLabel = "FILE",
                description = "Then write a scenario for the window to FILE (position flags below), downloading"
                        + " --warm-up more before --from.")
        Path scenario;

        @Mixin
        PositionOptions position = new PositionOptions();

        @Option(
                names = "--archive-url",
                paramLabel = "URL",
                description = "The public archive (default: ${DEFAULT-VALUE}).")
        String archiveUrl = BinanceHistoryClient.ARCHIVE;

        @Option(
                names = "--rest-url",
                paramLabel = "URL",
                description = "The USDⓈ-M REST API (default: ${DEFAULT-VALUE}).")
        String restUrl = BinanceHistoryClient.REST;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        private final World world;

        public Download(World world) {
            this.world = world;
        }

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<String> symbols = symbols(symbol);
            String iv = interval(interval);
            Instant start = from(from);
            Instant end = to(to, world.clock());
            Instant now = world.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            if (!start.isBefore(now)) {
                throw new UsageException("--from " + start + " is in the future (now " + now + ")");
            }
            if (!end.isAfter(start)) {
                throw new UsageException("--to " + end + " must be after --from " + start);
            }
            if (end.isAfter(now)) {
                throw new UsageException("--to " + end + " is in the future (now " + now + "): history ends now");
            }
            writable(dir);
            Optional<HistoryScenario.Position> pos = Optional.empty();
            Duration warmUp = Duration.ZERO;
            BigDecimal wallet = BigDecimal.ZERO;
            if (scenario != null) {
                pos = Optional.of(position.position());
                warmUp = position.warmUp();
                wallet = position.wallet();
                if (Files.isDirectory(scenario)) {
                    throw new UsageException("--scenario " + scenario + " is a folder; name a file in it");
                }
                if (Files.exists(scenario) && !position.force) {
                    throw new UsageException(
                            "--scenario " + scenario + " exists; choose another name or add --force to replace it");
                }
                ReplayCommand.writable("--scenario", scenario);
            } else {
                for (String flag : List.of(
                        "--side", "--leverage", "--margin", "--margin-mode", "--wallet", "--warm-up", "--force")) {
                    if (spec.commandLine().getParseResult().hasMatchedOption(flag)) {
                        throw new UsageException(flag + " goes with --scenario FILE (it describes the position of the"
                                + " scenario written after the download); without --scenario nothing would use it");
                    }
                }
            }
            BinanceHistoryClient client;
            try {
                client = new BinanceHistoryClient(http(), archiveUrl, restUrl, world.clock());
            } catch (IllegalArgumentException e) {
                throw new UsageException(
                        (e.getMessage().contains("archive") ? "--archive-url: " : "--rest-url: ") + e.getMessage());
            }
            Set<HistoryKind> kinds = EnumSet.of(HistoryKind.CANDLES);
            if (mark) {
                kinds.add(HistoryKind.MARK);
            }
            if (funding) {
                kinds.add(HistoryKind.FUNDING);
            }
            Progress progress = world.terminal() ? Progress.bar(err, world.clock()) : Progress.none();
            HistoryDownload download =
                    new HistoryDownload(client, world.clock(), world.sleeper(), world.storage(), progress);
            Instant fetchFrom = start.minus(warmUp);
            if (warmUp.isPositive()) {
                // The warm-up cannot reach back before the listing; the scenario gets what there is.
                Instant earliest = symbols.stream()
                        .map(s -> listing(download, s, iv))
                        .max(Comparator.naturalOrder())
                        .orElseThrow();
                if (fetchFrom.isBefore(earliest) && !start.isBefore(earliest)) {
                    fetchFrom = earliest;
                }
            }
            out.println("Binance USDⓈ-M " + iv + " " + kindWords(kinds) + " for " + String.join(", ", symbols) + ", "
                    + fetchFrom + " to " + end
                    + (warmUp.isPositive() ? " (" + Figures.duration(warmUp) + " of warm-up before " + start + ")" : "")
                    + ", into " + dir + ":");
            out.flush();
            Thread cleanup =
                    new Thread(() -> download.inFlight().forEach(p -> p.toFile().delete()));
            Runtime.getRuntime().addShutdownHook(cleanup);
            HistoryDownload.Summary summary;
            long started = System.nanoTime();
            try {
                summary = download.run(new HistoryDownload.Request(symbols, iv, fetchFrom, end, kinds, dir));
            } finally {
                progress.finish();
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway
                }
            }
            int width = summary.series().stream()
                    .mapToInt(s -> s.symbol.length() + s.kind.word.length())
                    .max()
                    .orElse(0);
            for (HistoryDownload.SeriesReport s : summary.series()) {
                String label = s.symbol + " " + s.kind.word + ":";
                out.println("  " + label + " ".repeat(width + 2 - label.length() + 1) + s.describe());
            }
            for (String note : summary.notes()) {
                out.println("  note: " + note);
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            out.println("Done: " + summary.files() + " new file" + (summary.files() == 1 ? "" : "s") + ", "
                    + Figures.bytes(summary.bytes()) + ", " + Figures.count(summary.rows()) + " rows in " + seconds
                    + " s"
                    + (summary.waited().isZero()
                            ? ""
                            : " (" + Figures.duration(summary.waited()) + " of it waiting on Binance's limits)")
                    + ". See it: ballast data list --dir " + dir);
            if (scenario != null) {
                HistoryScenario.Written written = HistoryScenario.write(
                        new HistoryScenario.Spec(
                                dir, symbols, iv, start, end, warmUp, pos.orElseThrow(), wallet, scenario),
                        world.clock(),
                        true);
                for (String note : written.notes()) {
                    out.println("  note: " + note);
                }
                out.println("Scenario: " + written.file() + ". Replay it: ballast replay " + written.file());
            }
            out.flush();
            return 0;
        }

        /** The folder exists (made if need be) and takes a file: found now, not after the first download. */
        private static void writable(Path dir) {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UsageException("--dir " + dir + " is a file, not a folder");
            }
            try {
                Files.createDirectories(dir);
                Path probe = Files.createTempFile(dir, ".ballast-write-check", ".part");
                Files.delete(probe);
            } catch (IOException | UnsupportedOperationException e) {
                String why = e instanceof IOException io ? HistoryDownload.reason(io) : e.toString();
                throw new UsageException("--dir " + dir + ": cannot write there (" + why + ")");
            }
        }

        private static Instant listing(HistoryDownload download, String symbol, String interval) {
            try {
                return download.listing(symbol, interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HistoryDownload.DownloadException("interrupted", false);
            }
        }

        private static String kindWords(Set<HistoryKind> kinds) {
            List<String> words = kinds.stream().map(k -> k.word).toList();
            return words.size() == 1
                    ? words.getFirst()
                    : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.getLast();
        }

        private static OkHttpClient http() {
            return new OkHttpClient.Builder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .readTimeout(Duration.ofSeconds(30))
                    .callTimeout(Duration.ZERO)
                    .build();
        }
    }

    // ----- scenario -----

    @Command(
            name = "scenario",
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Writes a ready-to-run scenario for a window of downloaded history.",
                "One position per symbol, with the mark and funding data where they were downloaded. It checks first"
                        + " that the candles cover the window, and says which download fills it if they do not.",
            })
    public static final class Scenario implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--symbol", paramLabel = "S[,S...]", description = "Symbols, one position each.")
        String symbol;

        @Option(names = "--from", paramLabel = "DATE", description = "When the positions open (UTC).")
        String from;

        @Option(names = "--to", paramLabel = "DATE", description = "End of the replay, exclusive.")
        String to;

        @Option(
                names = "--interval",
                paramLabel = "I",
                description = "Which downloaded candles (needed only when several intervals are there).")
        String interval;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where the data is (default: data).")
        Path dir = Path.of("data");

        @Option(
                names = "--out",
                paramLabel = "FILE",
                description = "The scenario file (default: scenarios/<symbols>-<side>-<from>.yaml).")
        Path outFile;

        @Mixin
        PositionOptions position = new PositionOptions();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        private final Clock clock;

        public Scenario(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<String> symbols = symbols(symbol);
            Instant start = from(from);
            if (to == null) {
                throw new UsageException("--to is required: the end of the replay (YYYY-MM-DD, exclusive)");
            }
            Instant end = Flags.instant("--to", to);
            if (!end.isAfter(start)) {
                throw new UsageException("--to " + end + " must be after --from " + start);
            }
            String iv = interval != null ? interval(interval) : HistoryScenario.onlyInterval(dir, symbols.getFirst());
            HistoryScenario.Position pos = position.position();
            Path file = outFile != null ? outFile : PositionOptions.defaultOut(symbols, position.side, start);
            if (Files.isDirectory(file)) {
                throw new UsageException("--out " + file + " is a folder; name a file in it");
            }
            if (Files.exists(file) && !position.force) {
                throw new UsageException("--out " + file + " exists; choose another name or add --force to replace it");
            }
            ReplayCommand.writable("--out", file);
            HistoryScenario.Written written = HistoryScenario.write(
                    new HistoryScenario.Spec(
                            dir, symbols, iv, start, end, position.warmUp(), pos, position.wallet(), file),
                    clock,
                    position.force);
            for (String note : written.notes()) {
                out.println("note: " + note);
            }
            out.println("Scenario: " + written.file() + ". Replay it: ballast replay " + written.file());
            out.flush();
            return 0;
        }
    }

    // ----- list -----

    @Command(
            name = "list",
            sortOptions = false,
            usageHelpAutoWidth = true,
            description = {
                "Shows the downloaded history.",
                "Symbol, kind, interval, first and last time, rows, gaps, files and size; --verify checks every"
                        + " archive zip against its .CHECKSUM again.",
            })
    public static final class ListData implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where the data is (default: data).")
        Path dir = Path.of("data");

        @Option(
                names = "--verify",
                description = "Also check every archive zip against the SHA-256 in its .CHECKSUM file.")
        boolean verify;

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.exists(dir)) {
                throw new UsageException("--dir " + dir + ": no such folder");
            }
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--dir " + dir + " is a file, not a folder");
            }
            Path root = dir.resolve(HistoryLayout.ROOT);
            if (!Files.isDirectory(root)) {
                throw new UsageException("--dir " + dir + ": no downloaded history there (no " + root
                        + "); 'ballast data download' fetches some");
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {
                "symbol", "kind", "interval", "first (UTC)", "last (UTC)", "rows", "gaps", "files", "size"
            });
            int problems = 0;
            for (HistoryKind kind : HistoryKind.values()) {
                Path kindDir = root.resolve(kind.archiveName);
                if (!Files.isDirectory(kindDir)) {
                    continue;
                }
                for (Path symbolDir : sorted(kindDir)) {
                    List<Path> folders = kind.hasInterval() ? sorted(symbolDir) : List.of(symbolDir);
                    for (Path folder : folders) {
                        String symbolName = symbolDir.getFileName().toString();
                        String iv = kind.hasInterval() ? folder.getFileName().toString() : "-";
                        List<Path> files = MarketDataFiles.dataFiles(folder);
                        if (files.isEmpty()) {
                            continue;
                        }
                        long size = 0;
                        for (Path f : files) {
                            size += Files.size(f);
                        }
                        try {
                            if (kind == HistoryKind.FUNDING) {
                                List<FundingRate> rates = MarketDataFiles.loadFunding(folder);
                                rows.add(new String[] {
                                    symbolName,
                                    kind.word,
                                    iv,
                                    TIME.format(rates.getFirst().time()),
                                    TIME.format(rates.getLast().time()),
                                    Figures.count(rates.size()),
                                    "-",
                                    Integer.toString(files.size()),
                                    Figures.bytes(size)
                                });
                            } else {
                                CandleSeries series = MarketDataFiles.loadCandles(folder);
                                String named = iv;
                                if (!intervalOf(iv).equals(Optional.of(series.interval()))) {
                                    problems++;
                                    named = iv + " (rows " + Figures.duration(series.interval()) + " apart!)";
                                }
                                rows.add(new String[] {
                                    symbolName,
                                    kind.word,
                                    named,
                                    TIME.format(series.candles().getFirst().openTime()),
                                    TIME.format(series.candles().getLast().openTime()),
                                    Figures.count(series.candles().size()),
                                    gaps(series),
                                    Integer.toString(files.size()),
                                    Figures.bytes(size)
                                });
                            }
                        } catch (MarketDataFiles.DataFileException e) {
                            problems++;
                            rows.add(new String[] {
                                symbolName,
                                kind.word,
                                iv,
                                "unreadable: " + e.getMessage(),
                                "",
                                "",
                                "",
                                Integer.toString(files.size()),
                                Figures.bytes(size)
                            });
                        }
                        if (verify) {
                            problems += verify(folder, files, out);
                        }
                    }
                }
            }
            if (rows.size() == 1) {
                out.println("No downloaded history under " + dir + ".");
                out.flush();
                return 0;
            }
            print(rows, out);
            if (verify && problems == 0) {
                out.println("Every archive zip matches its .CHECKSUM.");
            }
            out.flush();
            if (problems > 0) {
                spec.commandLine()
                        .getErr()
                        .println("ballast data list: " + problems + " problem" + (problems == 1 ? "" : "s") + " above");
                return 1;
            }
            return 0;
        }

        /** The duration an interval name stands for ({@code 5m}, {@code 1h}, {@code 1d}); empty for others. */
        static Optional<Duration> intervalOf(String name) {
            try {
                return Optional.of(ballast.app.config.SettingsFile.parseDuration(name));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        private static String gaps(CandleSeries series) {
            if (series.gaps().isEmpty()) {
                return "none";
            }
            Gap longest = series.gaps().stream()
                    .max(Comparator.comparing(Gap::length))
                    .orElseThrow();
            long missing = series.gaps().stream().mapToLong(Gap::missingCandles).sum();
            return series.gaps().size() + " (" + Figures.count(missing) + " candles; longest "
                    + Figures.duration(longest.length().minus(series.interval())) + " after "
                    + TIME.format(longest.after()) + ")";
        }

        private static int verify(Path folder, List<Path> files, PrintWriter out) throws IOException {
            int problems = 0;
            for (Path file : files) {
                if (!file.getFileName().toString().endsWith(".zip")) {
                    continue;
                }
                Path checksum = file.resolveSibling(file.getFileName() + ".CHECKSUM");
                if (!Files.isRegularFile(checksum)) {
                    out.println("  " + file + ": no .CHECKSUM beside it");
                    problems++;
                    continue;
                }
                Optional<String> expected = BinanceHistoryClient.checksumOf(Files.readString(checksum));
                String actual = sha256(file);
                if (expected.isEmpty() || !expected.get().equals(actual)) {
                    out.println("  " + file + ": SHA-256 " + actual + " does not match its .CHECKSUM ("
                            + expected.orElse("unreadable") + "); delete it and download again");
                    problems++;
                }
            }
            return problems;
        }

        private static String sha256(Path file) throws IOException {
            try (InputStream in =
                    new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                return HexFormat.of()
                        .formatHex(((DigestInputStream) in).getMessageDigest().digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }

        private static List<Path> sorted(Path dir) throws IOException {
            try (Stream<Path> list = Files.list(dir)) {
                return list.filter(Files::isDirectory).sorted().toList();
            }
        }

        private static void print(List<String[]> rows, PrintWriter out) {
            int[] widths = new int[rows.getFirst().length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    if (!row[i].startsWith("unreadable")) {
                        widths[i] = Math.max(widths[i], row[i].length());
                    }
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(row[i]);
                    if (i < row.length - 1) {
                        line.append(" ".repeat(Math.max(1, widths[i] - row[i].length() + 2)));
                    }
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }
}
