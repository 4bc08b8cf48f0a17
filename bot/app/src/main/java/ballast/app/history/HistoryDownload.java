package ballast.app.history;

import ballast.app.format.Figures;
import ballast.app.marketdata.MarketDataFiles;
import ballast.exchange.binance.BinanceHistoryClient;
import ballast.exchange.binance.BinanceHistoryClient.ArchiveFetch;
import ballast.exchange.binance.BinanceHistoryClient.Page;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ballast data download}: Binance USDⓈ-M history for a replay, from the public archive where it has the files
 * and from REST where it does not yet, into {@link HistoryLayout}.
 *
 * <h2>What is fetched, and from where</h2>
 *
 * For each symbol and kind, every UTC month that meets the window:
 *
 * <ul>
 *   <li>a file already there for the month, or for a day, is not fetched again (a {@code .partial} file, today's so
 *       far, always is);
 *   <li>candles (last and mark): a month that is over, wholly inside the window and without day files comes as the
 *       archive's monthly zip; otherwise, and when the monthly zip is not published yet (404), day by day: the
 *       archive's daily zip, and where that is not published yet either, {@code GET /fapi/v1/klines} (or {@code
 *       markPriceKlines}) for that day, one request of up to 1,500 rows;
 *   <li>funding: the archive's monthly zip (it has no daily ones), else {@code GET /fapi/v1/fundingRate} for the
 *       month;
 *   <li>the day or month that is not over yet comes from REST, closed candles only, as a {@code .partial.json}.
 * </ul>
 *
 * <h2>Integrity</h2>
 *
 * Every archive zip is checked against the SHA-256 in its {@code .CHECKSUM} file and opened whole before it is kept;
 * a mismatch deletes the download and stops with an error naming the file. Every file is written under a temporary
 * name ({@code .NAME.part}) in its folder and renamed into place only when complete, so an interrupted run leaves no
 * half-written file under a real name; leftovers of a killed run are removed by the next. A connection that breaks off
 * restarts that file (up to {@value #ATTEMPTS} attempts, with backoff); HTTP 429 waits its {@code Retry-After}; HTTP 418
 * (an IP ban) stops at once, saying for how long.
 */
public final class HistoryDownload {

    static final int ATTEMPTS = 4;
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

    /** Opens a file for writing; a test's may fail like a full disk. */
    public interface Storage {
        OutputStream create(Path file) throws IOException;

        Storage FILES = file -> Files.newOutputStream(file);
    }

    /** What to download. {@code to} is exclusive and not after now. */
    public record Request(
            List<String> symbols, String interval, Instant from, Instant to, Set<HistoryKind> kinds, Path dir) {
        public Request {
            symbols = List.copyOf(symbols);
            kinds = kinds.isEmpty() ? EnumSet.noneOf(HistoryKind.class) : EnumSet.copyOf(kinds);
        }
    }

    /** A failure a person can act on; {@code usage} when it was their input (a symbol, a date), else the world's. */
    public static final class DownloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final boolean usage;

        public DownloadException(String message, boolean usage) {
            super(message);
            this.usage = usage;
        }

        public boolean usage() {
            return usage;
        }
    }

    /** What one series (symbol, kind) came to. */
    public static final class SeriesReport {
        public final String symbol;
        public final HistoryKind kind;
        public final Path folder;
        int monthly;
        int daily;
        int rest;
        int partial;
        int present;
        long rows;
        long bytes;

        SeriesReport(String symbol, HistoryKind kind, Path folder) {
            this.symbol = symbol;
            this.kind = kind;
            this.folder = folder;
        }

        /** "3 monthly and 9 daily archive files, 1 day from REST; 2 already there; 24,120 rows". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            List<String> archive = new ArrayList<>();
            if (monthly > 0) {
                archive.add(monthly + " monthly");
            }
            if (daily > 0) {
                archive.add(daily + " daily");
            }
            if (!archive.isEmpty()) {
                parts.add(String.join(" and ", archive) + " archive file" + (monthly + daily == 1 ? "" : "s"));
            }
            if (rest > 0) {
                parts.add(rest + (kind == HistoryKind.FUNDING ? " month" : " day") + (rest == 1 ? "" : "s")
                        + " from REST (not in the archive yet)");
            }
            if (partial > 0) {
                parts.add("the " + (kind == HistoryKind.FUNDING ? "month" : "day") + " so far from REST");
            }
            String fetched = parts.isEmpty() ? "nothing new" : String.join(", ", parts);
            return fetched
                    + (present > 0 ? "; " + present + " already there" : "")
                    + (rows > 0 ? "; " + Figures.count(rows) + " rows" : "");
        }
    }

    /** Everything a run did. */
    public record Summary(
            List<SeriesReport> series,
            long files,
            long bytes,
            long rows,
            Duration waited,
            Map<String, Instant> listings,
            List<String> notes) {}

    private final BinanceHistoryClient client;
    private final int klineLimit;
    private final Clock clock;
    private final Pacer pacer;
    private final Storage storage;
    private final Progress progress;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Instant> listings = new LinkedHashMap<>();
    private long files;
    private long bytes;
    private long rows;

    public HistoryDownload(
            BinanceHistoryClient client, Clock clock, Sleeper sleeper, Storage storage, Progress progress) {
        this(client, clock, sleeper, storage, progress, BinanceHistoryClient.KLINE_LIMIT);
    }

    /** With a smaller page than the venue's largest: how tests see paging on a day of 1m candles. */
    HistoryDownload(
            BinanceHistoryClient client,
            Clock clock,
            Sleeper sleeper,
            Storage storage,
            Progress progress,
            int klineLimit) {
        this.klineLimit = klineLimit;
        this.client = client;
        this.clock = clock;
        this.pacer = new Pacer(clock, sleeper, 1200, 250);
        this.storage = storage;
        this.progress = progress;
    }

    /** Temporary files being written right now: a shutdown hook deletes them when the run is interrupted. */
    public Set<Path> inFlight() {
        return inFlight;
    }

    /**
     * The time of the first candle Binance has for {@code symbol} at {@code interval}: when it was listed. An unknown
     * symbol stops the run with the venue's own error.
     */
    public Instant listing(String symbol, String interval) throws InterruptedException {
        Instant known = listings.get(symbol + " " + interval);
        if (known != null) {
            return known;
        }
        Page page = rest(
                "symbol check for " + symbol,
                BinanceHistoryClient.klineWeight(1),
                false,
                () -> client.klines(BinanceHistoryClient.KlineKind.LAST, symbol, interval, 0, clock.millis(), 1));
        if (page.isEmpty()) {
            throw new DownloadException(
                    "--symbol " + symbol + ": Binance USDⓈ-M has no " + interval + " candles for it", true);
        }
        Instant listed = Instant.ofEpochMilli(page.times().getFirst());
        listings.put(symbol + " " + interval, listed);
        return listed;
    }

    public Summary run(Request request) throws InterruptedException {
        Instant now = clock.instant();
        if (!request.to().isAfter(request.from())) {
            throw new DownloadException("--to " + request.to() + " must be after --from " + request.from(), true);
        }
        if (request.to().isAfter(now)) {
            throw new DownloadException(
                    "--to " + request.to() + " is in the future (now " + now + "): history ends now", true);
        }
        Map<String, Instant> listings = new LinkedHashMap<>();
        for (String symbol : request.symbols()) {
            Instant listed = listing(symbol, request.interval());
            listings.put(symbol, listed);
            if (request.from().isBefore(listed)) {
                throw new DownloadException(
                        "--from " + request.from() + " is before " + symbol
                                + " was listed on Binance USDⓈ-M (its first "
                                + request.interval() + " candle opened at " + listed + "); start at or after "
                                + listed.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1),
                        true);
            }
        }
        List<SeriesReport> reports = new ArrayList<>();
        List<Step> plan = new ArrayList<>();
        for (String symbol : request.symbols()) {
            for (HistoryKind kind : request.kinds()) {
                SeriesReport report = new SeriesReport(
                        symbol, kind, new HistoryLayout(request.dir()).folder(kind, symbol, request.interval()));
                plan.addAll(series(report, request, now));
                reports.add(report);
            }
        }
        progress.planned(plan.size());
        for (Step step : plan) {
            step.run();
        }
        progress.finish();
        return new Summary(reports, files, bytes, rows, pacer.waited(), listings, List.copyOf(notes));
    }

    // ----- planning -----

    /** What one series needs fetched, in time order; what is there already is counted, not planned. */
    private List<Step> series(SeriesReport s, Request request, Instant now) {
        Path folder = s.folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new DownloadException(
                    "--dir " + request.dir() + ": cannot create folder " + folder + " (" + reason(e) + ")", true);
        }
        removeLeftovers(folder);
        YearMonth first = YearMonth.from(request.from().atZone(ZoneOffset.UTC));
        YearMonth last = YearMonth.from(request.to().minusMillis(1).atZone(ZoneOffset.UTC));
        List<Step> plan = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            YearMonth month = m;
            Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end =
                    month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            boolean over = !end.isAfter(now);
            String monthName = HistoryLayout.monthName(s.kind, s.symbol, request.interval(), month);
            if (present(folder, monthName)) {
                s.present++;
                continue;
            }
            if (s.kind == HistoryKind.FUNDING) {
                plan.add(() -> fundingMonth(s, request, month, over, now));
                continue;
            }
            boolean whole = !request.from().isAfter(start) && !request.to().isBefore(end);
            boolean anyDay =
                    hasDayFiles(folder, HistoryLayout.stem(s.kind, s.symbol, request.interval()) + "-" + month);
            if (over && whole && !anyDay) {
                plan.add(() -> candleMonth(s, request, month, now));
                continue;
            }
            LocalDate from =
                    LocalDate.ofInstant(request.from().isAfter(start) ? request.from() : start, ZoneOffset.UTC);
            LocalDate until = LocalDate.ofInstant(
                    (request.to().isBefore(end) ? request.to() : end).minusMillis(1), ZoneOffset.UTC);
            for (LocalDate d = from; !d.isAfter(until); d = d.plusDays(1)) {
                LocalDate day = d;
                if (present(folder, HistoryLayout.dayName(s.kind, s.symbol, request.interval(), day))) {
                    s.present++;
                    continue;
                }
                plan.add(() -> candleDay(s, request, day, now));
            }
        }
        return plan;
    }

    /** Whether a whole-period file (archive zip or complete REST json) is there under {@code name}. */
    private static boolean present(Path folder, String name) {
        return Files.isRegularFile(folder.resolve(name + ".zip"))
                || Files.isRegularFile(folder.resolve(name + ".json"));
    }

    private static boolean hasDayFiles(Path folder, String monthPrefix) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString())
                    .anyMatch(n -> n.startsWith(monthPrefix + "-") && MarketDataFiles.isDataFile(n));
        } catch (IOException e) {
            throw new DownloadException("cannot list folder " + folder + " (" + reason(e) + ")", false);
        }
    }

    /** {@code .NAME.part} files a killed run left: never complete, never read, removed. */
    private void removeLeftovers(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".part")) {
                    Files.deleteIfExists(p);
                    notes.add("removed " + p + ", left half-written by an interrupted run");
                }
            }
        } catch (IOException e) {
            throw new DownloadException("cannot clean folder " + folder + " (" + reason(e) + ")", false);
        }
    }

    // ----- units -----

    private void candleMonth(SeriesReport s, Request request, YearMonth month, Instant now)
            throws InterruptedException {
        String name = HistoryLayout.monthName(s.kind, s.symbol, request.interval(), month);
        if (archive(s, request.interval(), true, name)) {
            s.monthly++;
            return;
        }
        // Not published yet (the archive publishes a month some days after it ends): day by day instead.
        int days = month.lengthOfMonth();
        progress.planned(days - 1);
        for (int d = 1; d <= days; d++) {
            LocalDate day = month.atDay(d);
            if (present(s.folder, HistoryLayout.dayName(s.kind, s.symbol, request.interval(), day))) {
                s.present++;
                progress.fileDone();
                continue;
            }
            candleDay(s, request, day, now);
        }
    }

    private void candleDay(SeriesReport s, Request request, LocalDate day, Instant now) throws InterruptedException {
        String name = HistoryLayout.dayName(s.kind, s.symbol, request.interval(), day);
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        boolean over = !end.isAfter(now);
        if (over && archive(s, request.interval(), false, name)) {
            s.daily++;
            return;
        }
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<JsonNode> got = new ArrayList<>();
        long cursor = start.toEpochMilli();
        long last = (over ? end : now).toEpochMilli() - 1;
        while (cursor <= last) {
            long from = cursor;
            Page page = rest(
                    s.symbol + " " + s.kind.word + " " + day,
                    BinanceHistoryClient.klineWeight(klineLimit),
                    false,
                    () -> client.klines(
                            s.kind.kline.orElseThrow(), s.symbol, request.interval(), from, last, klineLimit));
            for (int i = 0; i < page.rows().size(); i++) {
                // Closed candles only: one still open would be kept with a close that is not its close.
                if (page.closeTimes().get(i) < now.toEpochMilli()) {
                    got.add(page.rows().get(i));
                }
            }
            if (page.rows().size() < klineLimit) {
                break;
            }
            cursor = page.times().getLast() + 1;
        }
        writeRest(s, name, over, got, day.toString());
    }

    private void fundingMonth(SeriesReport s, Request request, YearMonth month, boolean over, Instant now)
            throws InterruptedException {
        String name = HistoryLayout.monthName(s.kind, s.symbol, request.interval(), month);
        if (over && archive(s, request.interval(), true, name)) {
            s.monthly++;
            return;
        }
        Instant start = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long last = (over ? end : now).toEpochMilli() - 1;
        List<JsonNode> got = new ArrayList<>();
        long cursor = start.toEpochMilli();
        while (cursor <= last) {
            long from = cursor;
            Page page = rest(
                    s.symbol + " funding " + month,
                    0,
                    true,
                    () -> client.fundingRates(s.symbol, from, last, BinanceHistoryClient.FUNDING_LIMIT));
            got.addAll(page.rows());
            if (page.rows().size() < BinanceHistoryClient.FUNDING_LIMIT) {
                break;
            }
            cursor = page.times().getLast() + 1;
        }
        writeRest(s, name, over, got, month.toString());
    }

    // ----- the archive -----

    /** One archive zip into its folder, verified; false when the archive does not have it (yet). */
    private boolean archive(SeriesReport s, String interval, boolean monthly, String name) throws InterruptedException {
        String path = HistoryLayout.archivePath(s.kind, s.symbol, interval, monthly, name);
        Path target = s.folder.resolve(name + ".zip");
        progress.file(s.kind.word + " " + name + ".zip");
        BinanceHistoryClient.ArchiveText checksum = checksumFile(path + ".CHECKSUM");
        switch (checksum.fetch()) {
            case ArchiveFetch.Missing m -> {
                return false;
            }
            case ArchiveFetch.Failed f -> throw new DownloadException(words(f.reason()), false);
            case ArchiveFetch.Got g -> {}
        }
        String expected = BinanceHistoryClient.checksumOf(checksum.text())
                .orElseThrow(() -> new DownloadException(
                        name + ".zip.CHECKSUM from " + client.archiveFile(path + ".CHECKSUM")
                                + " does not hold a SHA-256: " + excerpt(checksum.text()),
                        false));
        Path temp = temp(target);
        for (int attempt = 1; ; attempt++) {
            ArchiveFetch fetch;
            inFlight.add(temp);
            try (OutputStream out = storage.create(temp)) {
                fetch = client.download(path, out, n -> {
                    bytes += n;
                    progress.bytes(n);
                });
            } catch (IOException e) {
                discard(temp);
                throw new DownloadException(
                        "cannot write " + target + " (" + reason(e) + "); nothing half-written was left", false);
            }
            switch (fetch) {
                case ArchiveFetch.Missing m -> {
                    discard(temp);
                    return false;
                }
                case ArchiveFetch.Failed f -> {
                    discard(temp);
                    if (!retry(f, attempt, path)) {
                        throw new DownloadException(
                                words(f.reason()) + (attempt > 1 ? " (after " + attempt + " attempts)" : ""), false);
                    }
                }
                case ArchiveFetch.Got g -> {
                    if (!g.sha256().equals(expected)) {
                        discard(temp);
                        throw new DownloadException(
                                name + ".zip: its SHA-256 is " + g.sha256() + " but its .CHECKSUM says " + expected
                                        + "; the download was deleted (run again; if it repeats, the archive's copy is"
                                        + " damaged)",
                                false);
                    }
                    long count = rowsOfZip(temp, name + ".zip", s.kind == HistoryKind.FUNDING);
                    place(
                            temp(s.folder.resolve(name + ".zip.CHECKSUM")),
                            s.folder.resolve(name + ".zip.CHECKSUM"),
                            checksum.text().getBytes(StandardCharsets.UTF_8));
                    move(temp, target);
                    s.rows += count;
                    s.bytes += g.bytes();
                    rows += count;
                    files++;
                    progress.rows(count);
                    progress.fileDone();
                    return true;
                }
            }
        }
    }

    private BinanceHistoryClient.ArchiveText checksumFile(String path) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            BinanceHistoryClient.ArchiveText text = client.archiveText(path);
            if (!(text.fetch() instanceof ArchiveFetch.Failed f) || !retry(f, attempt, path)) {
                return text;
            }
        }
    }

    /** Whether to try a failed archive request again; waits before saying yes. */
    private boolean retry(ArchiveFetch.Failed f, int attempt, String what) throws InterruptedException {
        if (!f.retryable() || attempt >= ATTEMPTS) {
            return false;
        }
        pacer.sleep(f.retryAfter().orElse(backoff(attempt)));
        return true;
    }

    private static Duration backoff(int attempt) {
        return Duration.ofSeconds(1L << (attempt - 1));
    }

    /**
     * The rows of a downloaded zip, every one read by the loader a replay uses: a zip that does not open whole, or a row
     * the loader would refuse (a price that is not a number), is refused now, not at the replay.
     */
    private long rowsOfZip(Path zip, String name, boolean funding) {
        try {
            return MarketDataFiles.verify(zip, name, funding);
        } catch (MarketDataFiles.DataFileException e) {
            discard(zip);
            throw new DownloadException(
                    e.getMessage() + " (in the archive's copy; the download was deleted: run again, and if it repeats"
                            + " the archive's file is damaged)",
                    false);
        }
    }

    // ----- REST -----

    /**
     * One REST read, paced by its weight (or the funding quota), retried on network trouble and after 429's
     * Retry-After; anything else stops the run with the venue's words.
     */
    private Page rest(String what, int weight, boolean funding, Supplier<VenueResult<Page>> call)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (funding) {
                pacer.beforeFunding();
            } else {
                pacer.beforeWeight(weight);
            }
            VenueResult<Page> result = call.get();
            pacer.venueSaid(result.usage());
            switch (result) {
                case VenueResult.Ok<Page> ok -> {
                    return ok.value();
                }
                case VenueResult.Failed<Page> failed -> {
                    VenueError error = failed.error();
                    switch (error) {
                        case VenueError.RateLimited r
                        when r.banned() ->
                            throw new DownloadException(
                                    "Binance answers 418 to " + what + ": this IP is banned for sending too many"
                                            + " requests"
                                            + r.retryAfter()
                                                    .map(d -> " for " + Figures.duration(d) + " (until "
                                                            + clock.instant().plus(d) + ")")
                                                    .orElse("")
                                            + "; what was downloaded is kept, nothing half-written was left: run the"
                                            + " same command again after that",
                                    false);
                        case VenueError.RateLimited r -> {
                            if (attempt >= ATTEMPTS + 1) {
                                throw new DownloadException(
                                        "Binance kept answering 429 (too many requests) to " + what, false);
                            }
                            pacer.sleep(r.retryAfter().orElse(DEFAULT_RETRY_AFTER));
                        }
                        case VenueError.NotSent n ->
                            retryOrFail(
                                    what,
                                    attempt,
                                    "cannot reach " + client.restUrl().host() + " (" + words(n.reason())
                                            + "); check the connection, or --rest-url");
                        case VenueError.OutcomeUnknown u -> retryOrFail(what, attempt, words(u.describe()));
                        case VenueError.Rejected r
                        when r.code() == -1121 ->
                            throw new DownloadException(
                                    "--symbol: Binance USDⓈ-M answers " + r.code() + " " + r.message() + " (" + what
                                            + ")",
                                    true);
                        case VenueError.Rejected r
                        when r.code() == -1120 ->
                            throw new DownloadException(
                                    "--interval: Binance USDⓈ-M answers " + r.code() + " " + r.message(), true);
                        case VenueError.Rejected r ->
                            throw new DownloadException("Binance refused " + what + ": " + r.describe(), false);
                        case VenueError.Fatal f ->
                            throw new DownloadException(what + ": " + f.describe() + " (is --rest-url right?)", false);
                        case VenueError.BadPayload b ->
                            throw new DownloadException(
                                    what + ": the answer is not what Binance sends (a proxy or captive portal page?): "
                                            + words(b.reason()),
                                    false);
                    }
                }
            }
        }
    }

    private void retryOrFail(String what, int attempt, String reason) throws InterruptedException {
        if (attempt >= ATTEMPTS) {
            throw new DownloadException(what + ": " + reason + " (after " + attempt + " attempts)", false);
        }
        pacer.sleep(backoff(attempt));
    }

    private void writeRest(SeriesReport s, String name, boolean complete, List<JsonNode> got, String period) {
        Path partial = s.folder.resolve(name + ".partial.json");
        if (got.isEmpty()) {
            notes.add(s.symbol + " " + s.kind.word + ": Binance has no " + (complete ? "" : "closed ") + "rows for "
                    + period + (complete ? "" : " yet"));
            progress.fileDone();
            return;
        }
        Path target = s.folder.resolve(name + (complete ? ".json" : ".partial.json"));
        progress.file(s.kind.word + " " + target.getFileName());
        byte[] content = Page.json(got).getBytes(StandardCharsets.UTF_8);
        place(temp(target), target, content);
        if (complete) {
            discard(partial);
            s.rest++;
        } else {
            s.partial++;
        }
        s.rows += got.size();
        s.bytes += content.length;
        rows += got.size();
        bytes += content.length;
        files++;
        progress.bytes(content.length);
        progress.rows(got.size());
        progress.fileDone();
    }

    // ----- files -----

    private Path temp(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    /** Writes {@code content} under a temporary name, then renames it into place. */
    private void place(Path temp, Path target, byte[] content) {
        inFlight.add(temp);
        try (OutputStream out = storage.create(temp)) {
            out.write(content);
        } catch (IOException e) {
            discard(temp);
            throw new DownloadException(
                    "cannot write " + target + " (" + reason(e) + "); nothing half-written was left", false);
        }
        move(temp, target);
    }

    private void move(Path temp, Path target) {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            discard(temp);
            throw new DownloadException("cannot put " + target + " in place (" + reason(e) + ")", false);
        } finally {
            inFlight.remove(temp);
        }
    }

    private void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            notes.add("could not delete " + file + " (" + reason(e) + "): delete it by hand");
        } finally {
            inFlight.remove(file);
        }
    }

    /** An I/O failure in words, without Java's class names. */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + " is in the way (a file where a folder should be)";
        }
        if (e instanceof java.nio.file.NotDirectoryException f) {
            return f.getFile() + " is a file, not a folder";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : "the file system refused (read-only, or not a real file)";
        }
        return e.getMessage() == null ? "an input/output error" : words(e.getMessage());
    }

    /** A network or library message without the Java class names it carries ("ConnectException: ..."). */
    public static String words(String message) {
        return ballast.exchange.binance.BinanceAccountCheck.words(message);
    }

    private static String excerpt(String text) {
        String one = text.strip().replaceAll("\\s+", " ");
        return one.length() <= 80 ? "\"" + one + "\"" : "\"" + one.substring(0, 80) + "…\"";
    }

    /** One planned fetch. */
    private interface Step {
        void run() throws InterruptedException;
    }
}
