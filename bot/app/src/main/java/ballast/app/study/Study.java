package ballast.app.study;

import ballast.app.replay.MarketSource;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.Scenario;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.market.Candle;
import ballast.core.market.CandleSeries;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Replays every entry of a {@link StudySpec} under every policy, the entries in parallel on {@code threads} threads,
 * all of them reading the same history (each file read once, shared read-only). Each entry is an ordinary replay: the
 * same engine, paper venue and report as {@code ballast replay} of that window.
 */
public final class Study {

    /** How one entry's market went, from the buffered exit's point of view (it sets the classes a trader asks about). */
    public enum PathClass {
        QUIET("quiet", "the price never came halfway to the buffered exit's stop"),
        DIP("dip", "a dip the buffered exit never sees: halfway to its stop or further, and back"),
        REBOUND(
                "exit, rebound",
                "the buffered exit left and the price ended back above its stop (below it, for a short)"),
        DOWN("exit, stays down", "the buffered exit left and the price ended at or beyond its stop");

        public final String label;
        public final String meaning;

        PathClass(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }
    }

    /** One policy on one entry. */
    public record Outcome(
            BigDecimal startEquity,
            BigDecimal finalEquity,
            int liquidations,
            int actions,
            Optional<BigDecimal> lossBudget) {

        /** The return on the equity the account started with (a fraction). */
        public BigDecimal ret() {
            return finalEquity.subtract(startEquity).divide(startEquity, Stats.MC);
        }
    }

    /** One entry, its class and every policy's outcome (in the spec's order). */
    public record EntryResult(StudySpec.Entry entry, PathClass pathClass, Map<String, Outcome> outcomes) {}

    private final ReplayRunner runner;
    private final MarketSource source;
    private final BigDecimal buffer;

    /**
     * @param runner the replay runner with the study's settings (and its reaction interval, in the stress mode)
     * @param buffer the buffered exit's buffer, to place its stop for the path classes
     */
    public Study(ReplayRunner runner, BigDecimal buffer) {
        this(runner, buffer, MarketSource.cached());
    }

    /** A study reading from {@code source}: studies that share one read each file once between them. */
    public Study(ReplayRunner runner, BigDecimal buffer, MarketSource source) {
        this.source = source;
        // The study reads each run's summary, its first trace point and its actions: one sampled point is enough, none
        // after an event, and no funding payment among the events.
        this.runner = runner.reading(source).sampling(1, false).withoutFundingEvents();
        this.buffer = buffer;
    }

    /** What this study reads from (to share with the next). */
    public MarketSource source() {
        return source;
    }

    /** Every entry, in entry order; {@code progress} hears the count done (from any thread). */
    public List<EntryResult> run(StudySpec spec, int threads, IntConsumer progress) {
        List<String> policies = new ArrayList<>(spec.policies());
        for (String baseline : List.of("none", "buffer-exit")) {
            if (!policies.contains(baseline)) {
                policies.add(baseline); // the path classes need them; the report shows them as baselines
            }
        }
        return runEach(
                spec,
                threads,
                progress,
                entry -> one(spec, entry, files(spec).get(entry.symbol()), policies),
                (done, again) -> new EntryResult(again, done.pathClass(), done.outcomes()));
    }

    /**
     * Only {@code spec}'s own policies on every entry (no baselines, no classes): a sweep runs the baselines once and
     * then each setting of the policy it tunes.
     */
    public List<Map<String, Outcome>> outcomes(StudySpec spec, int threads, IntConsumer progress) {
        return runEach(
                spec,
                threads,
                progress,
                entry -> outcomes(
                        runner.run(scenario(spec, entry, files(spec).get(entry.symbol())), spec.policies(), e -> {})),
                (done, again) -> done);
    }

    private static Map<String, StudyData.SymbolFiles> files(StudySpec spec) {
        Map<String, StudyData.SymbolFiles> files = new LinkedHashMap<>();
        spec.data().forEach(f -> files.put(f.symbol(), f));
        return files;
    }

    private static Map<String, Outcome> outcomes(ReplayReport report) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (ReplayReport.PolicyRun run : report.results()) {
            ReplayReport.Summary s = run.summary();
            outcomes.put(
                    run.policy(),
                    new Outcome(
                            report.startEquity(), s.finalEquity(), s.liquidations(), s.actions(), run.lossBudget()));
        }
        return outcomes;
    }

    /**
     * {@code each} of every entry on {@code threads} threads, in entry order. An entry the draw repeated (the same
     * {@link StudySpec.Window}) is replayed once: a replay is a function of its scenario alone, so its repeat is the same result,
     * handed to {@code again} to be told of the repeat's own entry.
     */
    private <T> List<T> runEach(
            StudySpec spec,
            int threads,
            IntConsumer progress,
            java.util.function.Function<StudySpec.Entry, T> each,
            java.util.function.BiFunction<T, StudySpec.Entry, T> again) {
        List<StudySpec.Entry> entries = spec.draw();
        Map<StudySpec.Window, List<StudySpec.Entry>> replays = new LinkedHashMap<>();
        for (StudySpec.Entry entry : entries) {
            replays.computeIfAbsent(entry.window(), k -> new ArrayList<>(1)).add(entry);
        }
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = pool(threads, "study");
        try {
            Map<StudySpec.Window, Future<T>> futures = new LinkedHashMap<>();
            for (Map.Entry<StudySpec.Window, List<StudySpec.Entry>> replay : replays.entrySet()) {
                StudySpec.Entry first = replay.getValue().getFirst();
                int count = replay.getValue().size();
                futures.put(replay.getKey(), pool.submit(() -> {
                    T result = each.apply(first);
                    for (int i = 0; i < count; i++) {
                        progress.accept(done.incrementAndGet()); // one count per entry, repeats included
                    }
                    return result;
                }));
            }
            List<T> results = new ArrayList<>(entries.size());
            for (StudySpec.Entry entry : entries) {
                StudySpec.Window key = entry.window();
                T result = futures.get(key).get();
                results.add(replays.get(key).getFirst() == entry ? result : again.apply(result, entry));
            }
            return results;
        } catch (ExecutionException e) {
            throw unwrapped(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the study was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A pool of {@code threads} (at least one) daemon threads named {@code name}. */
    private static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** A task's failure as it is rethrown: its own unchecked exception, else wrapped. */
    private static RuntimeException unwrapped(ExecutionException e) {
        return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }

    /**
     * The span every symbol's candles cover, less the warm-up at its start: where entries can open. Reads every file of
     * every symbol (candles, marks, funding) into the study's cache first, on up to {@code threads} threads: the
     * replays need them all, and a file read alone keeps a core idle while the other parses.
     */
    public java.time.Instant[] coverage(List<StudyData.SymbolFiles> files, java.time.Duration warmUp, int threads) {
        read(files, threads);
        java.time.Instant first = java.time.Instant.MIN;
        java.time.Instant last = java.time.Instant.MAX;
        for (StudyData.SymbolFiles f : files) {
            CandleSeries all = source.candles(f.candles(), java.time.Instant.MIN, java.time.Instant.MAX);
            if (all.candles().isEmpty()) {
                throw new StudyData.MissingData("--data: " + f.candles() + " holds no candles");
            }
            java.time.Instant start = all.candles().getFirst().openTime().plus(warmUp);
            java.time.Instant end = all.candles().getLast().openTime().plus(all.interval());
            first = start.isAfter(first) ? start : first;
            last = end.isBefore(last) ? end : last;
        }
        return new java.time.Instant[] {first, last};
    }

    /**
     * Reads every file of {@code files} into the cache, on up to {@code threads} threads. A file that
     * cannot be read fails as it would alone; where several cannot, the first in the order of {@code files} (each
     * symbol's candles, mark, funding) is the one reported.
     */
    private void read(List<StudyData.SymbolFiles> files, int threads) {
        if (!source.wholeFiles()) {
            return; // a source that does not keep what it read would read each file again for each window
        }
        List<java.util.concurrent.Callable<Object>> reads = new ArrayList<>();
        for (StudyData.SymbolFiles f : files) {
            reads.add(() -> source.candles(f.candles(), java.time.Instant.MIN, java.time.Instant.MAX));
            f.mark().ifPresent(m -> reads.add(() -> source.candles(m, java.time.Instant.MIN, java.time.Instant.MAX)));
            f.funding()
                    .ifPresent(p -> reads.add(() -> source.funding(p, java.time.Instant.MIN, java.time.Instant.MAX)));
        }
        ExecutorService pool = pool(Math.min(threads, reads.size()), "study-read");
        try {
            // Every read done, then their failures asked for in order.
            for (Future<Object> read : pool.invokeAll(reads)) {
                read.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw unwrapped(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the study was interrupted while reading its data", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The scenario of one entry: what {@code ballast replay} would run for it. */
    public static Scenario scenario(StudySpec spec, StudySpec.Entry entry, StudyData.SymbolFiles files) {
        return new Scenario(
                "study entry " + entry.id(),
                Venue.BINANCE,
                Optional.empty(),
                entry.start(),
                entry.end(),
                spec.warmUp(),
                spec.wallet(),
                List.of(new Scenario.PositionSpec(
                        entry.symbol(),
                        entry.side(),
                        entry.leverage(),
                        spec.margin(),
                        MarginMode.ISOLATED,
                        files.candles(),
                        files.mark(),
                        files.funding(),
                        Optional.empty(),
                        BigDecimal.ZERO,
                        "entry " + entry.id())),
                Optional.empty());
    }

    private EntryResult one(StudySpec spec, StudySpec.Entry entry, StudyData.SymbolFiles files, List<String> policies) {
        Scenario scenario = scenario(spec, entry, files);
        ReplayReport report;
        try {
            report = runner.run(scenario, policies, e -> {});
        } catch (ballast.app.marketdata.MarketDataFiles.DataFileException
                | ballast.app.replay.ScenarioFile.ScenarioException e) {
            throw e; // they name the file and the problem already
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "entry " + entry.id() + " (" + entry.symbol() + " "
                            + entry.side().name().toLowerCase(java.util.Locale.ROOT) + " from " + entry.start() + "): "
                            + e.getMessage(),
                    e);
        }
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (ReplayReport.PolicyRun run : report.results()) {
            ReplayReport.Summary s = run.summary();
            outcomes.put(
                    run.policy(),
                    new Outcome(
                            report.startEquity(), s.finalEquity(), s.liquidations(), s.actions(), run.lossBudget()));
        }
        return new EntryResult(entry, classify(entry, files, report), outcomes);
    }

    /** The entry's class, from the market (mark candles where there are) and from where the buffered exit stood. */
    private PathClass classify(StudySpec.Entry entry, StudyData.SymbolFiles files, ReplayReport report) {
        CandleSeries prices =
                source.candles(files.candles(), entry.start(), entry.end()).between(entry.start(), entry.end());
        CandleSeries path = files.mark()
                .map(m -> source.candles(m, entry.start(), entry.end()).between(entry.start(), entry.end()))
                .filter(s -> !s.candles().isEmpty())
                .orElse(prices);
        if (prices.candles().isEmpty()) {
            return PathClass.QUIET;
        }
        BigDecimal entryPrice = prices.candles().getFirst().open();
        BigDecimal end = path.candles().getLast().close();
        boolean isLong = entry.side() == Side.LONG;
        BigDecimal extreme = extreme(path.candles(), isLong);
        Optional<BigDecimal> liquidation = runOf(report, "none")
                .flatMap(r -> r.positions().stream().findFirst())
                .flatMap(p -> p.points().stream().findFirst())
                .flatMap(ReplayReport.TracePoint::liquidationPrice);
        boolean exitLeft = runOf(report, "buffer-exit")
                .flatMap(r -> r.positions().stream().findFirst())
                .map(p -> p.actions().stream().anyMatch(a -> a.kind().equals("close")))
                .orElse(false);
        if (liquidation.isEmpty()) {
            return exitLeft ? PathClass.DOWN : PathClass.QUIET;
        }
        BigDecimal liq = liquidation.get();
        BigDecimal stop = liq.add(entryPrice.subtract(liq).multiply(buffer));
        if (exitLeft) {
            boolean back = isLong ? end.compareTo(stop) > 0 : end.compareTo(stop) < 0;
            return back ? PathClass.REBOUND : PathClass.DOWN;
        }
        BigDecimal toStop = entryPrice.subtract(stop).abs();
        BigDecimal came = entryPrice.subtract(extreme).abs();
        return came.multiply(BigDecimal.TWO).compareTo(toStop) >= 0 ? PathClass.DIP : PathClass.QUIET;
    }

    /**
     * The lowest low (a long) or highest high (a short) of {@code candles}, at least one. (A method of its own: the JIT
     * compiles its loop once, not {@link #classify} on the stack as well as whole.)
     */
    private static BigDecimal extreme(List<Candle> candles, boolean isLong) {
        BigDecimal extreme = null;
        for (Candle c : candles) {
            BigDecimal adverse = isLong ? c.low() : c.high();
            extreme = extreme == null ? adverse : (isLong ? extreme.min(adverse) : extreme.max(adverse));
        }
        return extreme;
    }

    private static Optional<ReplayReport.PolicyRun> runOf(ReplayReport report, String policy) {
        return report.results().stream().filter(r -> r.policy().equals(policy)).findFirst();
    }
}
