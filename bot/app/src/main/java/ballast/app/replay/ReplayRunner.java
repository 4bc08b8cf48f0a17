package ballast.app.replay;

import ballast.app.config.Settings;
import ballast.app.format.Figures;
import ballast.app.marketdata.MarketDataFiles;
import ballast.app.venue.Dispatcher;
import ballast.app.venue.PaperDispatcher;
import ballast.app.venue.PaperTruth;
import ballast.core.Fixed;
import ballast.core.PositionKey;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.core.market.Candle;
import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import ballast.core.market.Gap;
import ballast.core.policy.Action;
import ballast.core.policy.ScalingPolicy;
import ballast.core.policy.SymbolPolicies;
import ballast.core.venue.Outcome;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.kernel.Intent;
import ballast.kernel.Monitor;
import ballast.kernel.VolatilityMemo;
import ballast.strategies.BudgetPolicy;
import ballast.strategies.BufferExitPolicy;
import ballast.strategies.HoldPolicy;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Replays a scenario through the engine and the paper venue, once per policy. Within each candle the adverse extreme
 * comes first (a long sees the low before the high). Where a mark file is given, the mark follows the last price but
 * never leaves the mark candle's own range, so a last-price wick deeper than the mark's does not liquidate; without one,
 * last price stands in for mark and the report says so.
 */
public final class ReplayRunner {

    public static final List<String> POLICIES = List.of("budget", "ladder", "none", "buffer-exit", "exchange-auto-add");
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final int TRACE_POINTS = 1500;

    /**
     * One market event of the replay: a price sub-step, a funding settlement, or a candle's close (its range). It
     * carries itself as numbers too ({@link Numbers}), worked out once where it is made: a study slices the same walked
     * steps into thousands of windows.
     *
     * @param nanos the time in nanoseconds since the epoch
     * @param units the mark in 10⁻⁸, {@link Numbers#CLOSE} for a close, {@link Numbers#NOT_A_MARK} for funding or a
     *     value beyond the fixed point
     * @param high a close's high in 10⁻⁸ (when {@code seconds} is not -1)
     * @param low a close's low in 10⁻⁸
     * @param seconds a close's interval in seconds; -1 for a close that moves nothing, and for anything else
     */
    private record Step(
            Instant time,
            String symbol,
            BigDecimal last,
            BigDecimal mark,
            Optional<BigDecimal> fundingRate,
            Candle closed,
            Duration interval,
            long nanos,
            long units,
            long high,
            long low,
            long seconds) {

        Step(Instant time, String symbol, BigDecimal last, BigDecimal mark, Optional<BigDecimal> fundingRate) {
            this(time, symbol, last, mark, fundingRate, null, null);
        }

        Step(
                Instant time,
                String symbol,
                BigDecimal last,
                BigDecimal mark,
                Optional<BigDecimal> fundingRate,
                Candle closed,
                Duration interval) {
            this(
                    time,
                    symbol,
                    last,
                    mark,
                    fundingRate,
                    closed,
                    interval,
                    Engine.epochNanos(time),
                    units(mark, fundingRate, closed, interval),
                    closeUnits(closed, interval, true),
                    closeUnits(closed, interval, false),
                    moves(closed, interval) ? interval.toSeconds() : -1);
        }

        /** Whether a close moves the volatility and its range fits the fixed point. */
        private static boolean moves(Candle closed, Duration interval) {
            if (closed == null || !Engine.QuietRun.counts(closed.high(), closed.low(), interval)) {
                return false;
            }
            try {
                Fixed.of(closed.high(), 8);
                Fixed.of(closed.low(), 8);
                return true;
            } catch (ArithmeticException beyondFixedPoint) {
                return false;
            }
        }

        private static long units(BigDecimal mark, Optional<BigDecimal> fundingRate, Candle closed, Duration interval) {
            if (closed != null) {
                // A close that moves the volatility beyond the fixed point is left to the full step.
                return Engine.QuietRun.counts(closed.high(), closed.low(), interval) && !moves(closed, interval)
                        ? Numbers.NOT_A_MARK
                        : Numbers.CLOSE;
            }
            if (fundingRate.isPresent() || mark == null) {
                return Numbers.NOT_A_MARK;
            }
            try {
                return Fixed.of(mark, 8);
            } catch (ArithmeticException beyondFixedPoint) {
                return Numbers.NOT_A_MARK;
            }
        }

        private static long closeUnits(Candle closed, Duration interval, boolean high) {
            return moves(closed, interval) ? Fixed.of(high ? closed.high() : closed.low(), 8) : 0;
        }

        EngineEvent.CandleClosed candleEvent() {
            return new EngineEvent.CandleClosed(time, symbol, closed.high(), closed.low(), interval);
        }

        /** The mark this price step tells the engine. */
        EngineEvent.MarkUpdated markEvent() {
            return new EngineEvent.MarkUpdated(time, symbol, mark, last);
        }

        /** What the engine hears of a price step or a candle's close (not of a settlement). */
        EngineEvent event() {
            return closed != null ? candleEvent() : markEvent();
        }
    }

    /** @param warmUp what the engine hears before the positions open, made once for every policy's run */
    private record Loaded(
            WarmUp warmUp,
            List<Step> steps,
            Map<String, RiskTierTable> tiers,
            Map<String, BigDecimal> openPrices,
            String markSource,
            List<String> notes,
            Duration longestInterval,
            Numbers numbers) {}

    /**
     * The steps as numbers, for runs of quiet marks ({@link Engine#quietRun}): each step's time in nanoseconds since
     * the epoch, its mark in 10⁻⁸ ({@link #CLOSE} for a candle's close, {@link #NOT_A_MARK} for funding or a mark beyond
     * the fixed point), and where the run of marks and closes of one symbol it starts ends.
     *
     * <p>A close's range in 10⁻⁸ and its interval in seconds ({@link #high}, {@link #low}, {@link #seconds}) are read at
     * closes alone: a window of a walk reads them from the walk's arrays, through each step's index in the walk that its
     * {@code moves} hold ({@link Moves#at}), rather than copy three arrays of which it reads one step in thirty; without
     * moves they are the steps' own.
     * {@code symbols} holds each step's symbol, or one for every step (a window of one walk, which had a per-step array
     * of the same name); {@link #symbol} reads either.
     */
    private record Numbers(
            long[] nanos,
            long[] marks,
            int[] runEnd,
            long[] highs,
            long[] lows,
            long[] seconds,
            String[] symbols,
            Moves moves) {
        static final long NOT_A_MARK = Long.MIN_VALUE;
        static final long CLOSE = Long.MIN_VALUE + 1;

        static Numbers of(List<Step> steps) {
            int n = steps.size();
            long[] nanos = new long[n];
            long[] marks = new long[n];
            // A close's range in 10⁻⁸ and its interval in seconds; a close that moves nothing has no seconds (-1).
            long[] highs = new long[n];
            long[] lows = new long[n];
            long[] seconds = new long[n];
            for (int i = 0; i < n; i++) {
                Step step = steps.get(i);
                nanos[i] = step.nanos();
                marks[i] = step.units();
                highs[i] = step.high();
                lows[i] = step.low();
                seconds[i] = step.seconds();
            }
            String[] symbols = new String[n];
            for (int i = 0; i < n; i++) {
                symbols[i] = steps.get(i).symbol();
            }
            int[] runEnd = runEnds(marks, i -> symbols[i + 1].equals(symbols[i]));
            return new Numbers(nanos, marks, runEnd, highs, lows, seconds, symbols, null);
        }

        /** Every step is {@code symbol}'s. */
        static String[] oneSymbol(String symbol) {
            return new String[] {symbol};
        }

        /** Step {@code k}'s symbol. */
        String symbol(int k) {
            return symbols.length == 1 ? symbols[0] : symbols[k];
        }

        /** The high of the close that step {@code k} is, in 10⁻⁸ (0 where the close moves nothing). */
        long high(int k) {
            return highs[inWalk(k)];
        }

        /** The low of the close that step {@code k} is, in 10⁻⁸. */
        long low(int k) {
            return lows[inWalk(k)];
        }

        /** The interval of the close that step {@code k} is, in seconds; -1 where it moves nothing. */
        long seconds(int k) {
            return seconds[inWalk(k)];
        }

        /** Where step {@code k}'s close range is kept: its index in the walk for a window of one, else {@code k}. */
        private int inWalk(int k) {
            return moves == null ? k : moves.at()[k];
        }

        /** Step {@code k}'s time. */
        Instant time(int k) {
            return Engine.instant(nanos[k]);
        }

        /**
         * Where the run of marks and closes each step starts ends: at the next step that is not a mark (funding, a
         * mark beyond the fixed point) or, where {@code sameSymbol} says step {@code i + 1} is another symbol's, there.
         */
        static int[] runEnds(long[] marks, java.util.function.IntPredicate sameSymbol) {
            int n = marks.length;
            int[] runEnd = new int[n];
            for (int i = n - 1; i >= 0; i--) {
                boolean joins = i + 1 < n && marks[i + 1] != NOT_A_MARK && sameSymbol.test(i);
                runEnd[i] = marks[i] == NOT_A_MARK ? i : joins ? runEnd[i + 1] : i + 1;
            }
            return runEnd;
        }
    }

    /**
     * A walk's move terms, for a window of it: {@code at[k]} is step {@code k}'s index in the walk (-1 for a step the
     * walk does not have, a settlement), and {@code walk} holds three numbers for each step {@code w} of the walk from
     * {@code 3w} on: its mark before ({@link Numbers#NOT_A_MARK} for none, or for a step that is no mark), its own mark
     * (both 10⁻⁸), and the move term of the one after the other over a memory of {@code memoryMillis} ({@link
     * VolatilityMemo#moveTerm}; {@link VolatilityMemo#NO_MOVE} where there is none). The same for every engine that
     * replays the walk, so worked out once for all of them; an engine takes a step's term only where its own last mark
     * is the walk's one before. The three lie together: a step's are read at once, from one line of memory.
     */
    private record Moves(int[] at, long[] walk, long memoryMillis) {
        /** The walk's own, for the walk's marks ({@code at} left to each window). */
        static Moves of(long[] marks, long memoryMillis) {
            int n = marks.length;
            long[] walk = new long[Math.multiplyExact(3, n)];
            long last = Numbers.NOT_A_MARK;
            for (int k = 0; k < n; k++) {
                long mark = marks[k];
                long term = VolatilityMemo.NO_MOVE;
                // CLOSE and NOT_A_MARK are negative: only two marks have a move between them.
                if (last > 0 && mark > 0) {
                    try {
                        term = VolatilityMemo.moveTerm(last, mark, memoryMillis);
                    } catch (ArithmeticException beyondTheFixedPoint) {
                        // The engine works it out, and meets the same.
                    }
                }
                walk[3 * k] = mark == Numbers.CLOSE ? Numbers.NOT_A_MARK : last;
                walk[3 * k + 1] = mark;
                walk[3 * k + 2] = term;
                if (mark != Numbers.CLOSE) {
                    // A step beyond the fixed point is a mark all the same: the one after it moves from it.
                    last = mark;
                }
            }
            return new Moves(null, walk, memoryMillis);
        }

        /** These moves for a window whose step {@code k} is the walk's {@code at[k]}. */
        Moves at(int[] at) {
            return new Moves(at, walk, memoryMillis);
        }
    }

    private final ShippedRiskTiers shippedTiers;
    private final Settings settings;
    private final MarketSource source;
    private final Optional<Duration> reactEvery;
    private final Monitor monitor;
    private final int threads;
    /** How many points a run's trace and equity curve keep (at most, besides the points after its events). */
    private final int points;
    /** Whether a run's trace keeps the point after each of its events (an action, a funding payment, ...). */
    private final boolean afterEvents;

    /** Whether a run's trace keeps its funding payments among its events (their sum is in the summary either way). */
    private final boolean fundingEvents;
    /** The shipped tables chosen so far (see {@link #tiers}). */
    private final Map<TiersKey, ChosenTiers> chosenTiers = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whole files walked once, when the source reads whole files (a study); else null. */
    private final Map<WalkKey, Walk> walks;

    public ReplayRunner(ShippedRiskTiers shippedTiers, Settings settings) {
        this(shippedTiers, settings, MarketSource.FILES, Optional.empty(), Monitor.FIXED, 1, TRACE_POINTS, true, true);
    }

    private ReplayRunner(
            ShippedRiskTiers shippedTiers,
            Settings settings,
            MarketSource source,
            Optional<Duration> reactEvery,
            Monitor monitor,
            int threads,
            int points,
            boolean afterEvents,
            boolean fundingEvents) {
        this.shippedTiers = shippedTiers;
        this.settings = settings;
        this.source = source;
        this.reactEvery = reactEvery;
        this.monitor = monitor;
        this.threads = threads;
        this.points = points;
        this.afterEvents = afterEvents;
        this.fundingEvents = fundingEvents;
        this.walks = source.wholeFiles() ? new java.util.concurrent.ConcurrentHashMap<>() : null;
    }

    /** The same runner reading its data from {@code source} (a study's shared cache). */
    public ReplayRunner reading(MarketSource source) {
        return new ReplayRunner(
                shippedTiers, settings, source, reactEvery, monitor, threads, points, afterEvents, fundingEvents);
    }

    /**
     * The same runner keeping only {@code points} points of each run's trace and equity curve (besides the points after
     * its events, and the equity at the start and the end): a study, which reads only the summaries, the first trace
     * point and the actions, keeps one. The summaries are the same whatever the sampling.
     */
    public ReplayRunner sampling(int points) {
        return sampling(points, afterEvents);
    }

    /**
     * {@link #sampling(int)}, and with {@code afterEvents} false no point after each event either: the trace keeps its
     * first point and every {@code points}-th. A study, which reads the first point alone, keeps no others: a point
     * after every funding payment made a step of the window again (its time and prices as decimals) and asked the
     * engine for its liquidation price, about 280 times an entry, for nothing.
     */
    public ReplayRunner sampling(int points, boolean afterEvents) {
        if (points < 1) {
            throw new IllegalArgumentException("points must be at least 1, was " + points);
        }
        return new ReplayRunner(
                shippedTiers, settings, source, reactEvery, monitor, threads, points, afterEvents, fundingEvents);
    }

    /**
     * The same runner keeping no funding payment among a trace's events: a study reads the actions alone (and the
     * summaries, whose funding is the same either way), and a payment's event was made about 270 times an entry.
     */
    public ReplayRunner withoutFundingEvents() {
        return new ReplayRunner(
                shippedTiers, settings, source, reactEvery, monitor, threads, points, afterEvents, false);
    }

    /** The same runner with the engine's monitor doing its arithmetic {@code monitor}'s way (tests compare the two). */
    public ReplayRunner measuring(Monitor monitor) {
        return new ReplayRunner(
                shippedTiers, settings, source, reactEvery, monitor, threads, points, afterEvents, fundingEvents);
    }

    /**
     * The same runner replaying the policies of one scenario side by side on up to {@code threads} threads (each run
     * has its own venue, engine, gate and policy and reads the same loaded steps); the report is the same as one thread
     * gives. A study, which already runs its entries in parallel, keeps one.
     */
    public ReplayRunner parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        return new ReplayRunner(
                shippedTiers, settings, source, reactEvery, monitor, threads, points, afterEvents, fundingEvents);
    }

    /**
     * The same runner with a slow bot: the engine sees a mark (and may act) only once every {@code every}, while the
     * paper venue still fills, charges funding and liquidates on every mark. An outage, a slow venue, a cron job.
     */
    public ReplayRunner reactingEvery(Duration every) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the reaction interval must be > 0, was " + every);
        }
        return new ReplayRunner(
                shippedTiers,
                settings,
                source,
                Optional.of(every),
                monitor,
                threads,
                points,
                afterEvents,
                fundingEvents);
    }

    /**
     * Runs {@code policies} (names from {@link #POLICIES}) over {@code scenario}; {@code progress} hears, now and then,
     * how many events all runs together have replayed (at most the scenario's events times the runs).
     */
    public ReplayReport run(Scenario scenario, List<String> policies, LongConsumer progress) {
        return prepare(scenario).run(policies, progress);
    }

    /**
     * A scenario loaded and walked into its price steps, ready to be replayed under any policy, any number of times
     * (each run starts from a fresh venue, engine and gate). The benchmarks time {@link #runPolicy} apart from loading.
     */
    public final class Prepared {
        private final Scenario scenario;
        private final Loaded loaded;

        private Prepared(Scenario scenario, Loaded loaded) {
            this.scenario = scenario;
            this.loaded = loaded;
        }

        /** The market events of the window (price steps, candle closes, funding), as a report counts them. */
        public long events() {
            return loaded.steps().size();
        }

        /**
         * One policy over the window, with no report around it, working out every σ itself (a benchmark that repeats it
         * must not time a memo of its own earlier runs).
         */
        public ReplayReport.PolicyRun runPolicy(String policy) {
            return runOne(scenario, loaded, policy, e -> {}, new ArrayList<>(), false);
        }

        public ReplayReport run(List<String> policies, LongConsumer progress) {
            return ReplayRunner.this.run(scenario, loaded, policies, progress);
        }

        public Scenario scenario() {
            return scenario;
        }

        /** A fresh paper account with the positions open, for one policy: what a run of it starts from. */
        public Opening open(String policy) {
            return ReplayRunner.this.open(scenario, loaded, policy);
        }

        /** The warm-up the engine hears before the positions open (marks and candle closes). */
        public List<EngineEvent> warmUp() {
            return loaded.warmUp().events();
        }

        /** The window's market events in the order a replay takes them. */
        public List<MarketStep> steps() {
            List<MarketStep> out = new ArrayList<>(loaded.steps().size());
            for (Step step : loaded.steps()) {
                out.add(new MarketStep(
                        step.time(),
                        step.symbol(),
                        step.mark(),
                        step.last(),
                        step.fundingRate(),
                        step.closed() == null ? Optional.empty() : Optional.of(step.candleEvent())));
            }
            return out;
        }
    }

    private static List<EngineEvent> warmUpEvents(List<Step> warmUp) {
        List<EngineEvent> events = new ArrayList<>(warmUp.size());
        for (Step step : warmUp) {
            events.add(step.event());
        }
        return List.copyOf(events);
    }

    /**
     * The warm-up: the engine watches the marks before any position exists, so its volatility estimate starts from the
     * market. Nothing can be decided yet (there is nothing to protect), and the venue sees none of it. It is made once
     * for every policy's run: as events, or, for a window of one symbol sliced from a whole-file walk, as that walk's
     * steps, which each run's engine takes as numbers where it can ({@link Engine#watchRun}) and as events where not
     * (the symbol's first mark, a mark beyond the fixed point), with the same result.
     */
    private static final class WarmUp {
        /** The walk the steps are sliced from, or null for {@link #events} alone. */
        private final Walk walk;

        private final int from;
        private final int to;
        private List<EngineEvent> events;

        private WarmUp(Walk walk, int from, int to, List<EngineEvent> events) {
            this.walk = walk;
            this.from = from;
            this.to = to;
            this.events = events;
        }

        static WarmUp of(List<Step> steps) {
            return new WarmUp(null, 0, 0, warmUpEvents(steps));
        }

        /** Steps {@code range[0]} to {@code range[1]} (not included) of {@code walk}, whose steps are in time order. */
        static WarmUp walked(Walk walk, int[] range) {
            return new WarmUp(walk, range[0], range[1], null);
        }

        /** The warm-up as the events an engine hears (made when first asked, for a walk's). */
        synchronized List<EngineEvent> events() {
            if (events == null) {
                events = warmUpEvents(walk.steps.subList(from, to));
            }
            return events;
        }

        /** Has {@code engine}, which holds nothing yet, hear the warm-up. */
        void play(Engine engine) {
            if (walk == null) {
                for (EngineEvent event : events) {
                    engine.step(event);
                }
                return;
            }
            int k = from;
            while (k < to) {
                Engine.QuietRun run = engine.watchRun(walk.symbol);
                if (run != null) {
                    k = take(run, k);
                    if (k >= to) {
                        break;
                    }
                }
                // What a run cannot take: the step in full.
                engine.step(walk.step(k).event());
                k++;
            }
        }

        /** Takes the walk's steps from {@code k} on into {@code run} while it can, and ends it; returns the next. */
        private int take(Engine.QuietRun run, int k) {
            Numbers numbers = walk.numbers;
            long[] marks = numbers.marks();
            long[] nanos = numbers.nanos();
            int j = k;
            int lastMark = -1;
            while (j < to) {
                long mark = marks[j];
                if (mark == Numbers.CLOSE) {
                    if (numbers.seconds(j) >= 0) {
                        run.candle(numbers.high(j), numbers.low(j), numbers.seconds(j));
                    }
                    j++;
                    continue;
                }
                if (mark == Numbers.NOT_A_MARK || !run.take(nanos[j], mark)) {
                    break;
                }
                lastMark = j;
                j++;
            }
            if (lastMark >= 0) {
                run.finish(walk.step(lastMark).markEvent());
            }
            if (j > k && j - 1 != lastMark) {
                run.end(numbers.time(j - 1));
            } else if (j == k) {
                run.abandon();
            }
            return j;
        }
    }

    /**
     * One market event of a window, for a runtime that plays it as a feed: a price (mark and last), a funding settlement
     * ({@code fundingRate}), or a candle's close ({@code closed}).
     */
    public record MarketStep(
            Instant time,
            String symbol,
            BigDecimal mark,
            BigDecimal last,
            Optional<BigDecimal> fundingRate,
            Optional<EngineEvent.CandleClosed> closed) {}

    /** Loads {@code scenario}'s data and walks its candles: what every policy run of it shares. */
    public Prepared prepare(Scenario scenario) {
        return new Prepared(scenario, load(scenario));
    }

    private ReplayReport run(Scenario scenario, Loaded loaded, List<String> policies, LongConsumer progress) {
        long started = System.nanoTime();
        List<ReplayReport.PolicyRun> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>(loaded.notes());
        MarginRules rules = rules(scenario.exchange(), settings.paper());
        for (Scenario.PositionSpec spec : scenario.positions()) {
            if (spec.marginMode() != MarginMode.ISOLATED) {
                continue;
            }
            BigDecimal open = loaded.openPrices().get(spec.symbol());
            BigDecimal qty =
                    spec.margin().multiply(spec.leverage()).divide(open, MC).setScale(6, RoundingMode.DOWN);
            if (qty.signum() <= 0) {
                continue;
            }
            Liquidation at = rules.liquidation(MarginState.isolated(
                    new Position(spec.symbol(), spec.side(), qty, open),
                    spec.margin(),
                    spec.leverage(),
                    loaded.tiers().get(spec.symbol())));
            if (at instanceof Liquidation.At a
                            && spec.side()
                                            .sign()
                                            .multiply(a.price().subtract(open))
                                            .signum()
                                    >= 0
                    || at instanceof Liquidation.Unavoidable) {
                notes.add("WARNING " + spec.symbol() + ": at " + spec.leverage().toPlainString()
                        + "x its margin is below the maintenance margin already at the open price: it is liquidated"
                        + " at once (a venue would refuse to open it)");
            }
        }
        runs.addAll(runAll(scenario, loaded, policies, progress, notes));
        long nanos = Math.max(1, System.nanoTime() - started);
        long events = loaded.steps().size();
        long perSecond = events * policies.size() * 1_000_000_000L / nanos;
        return new ReplayReport(
                scenario.name(),
                scenario.exchange().id(),
                scenario.from(),
                scenario.to(),
                events,
                perSecond,
                loaded.markSource(),
                startEquity(scenario),
                notes,
                runs);
    }

    /** Every policy's run, in the order given, on this runner's threads; each run's notes follow in that order. */
    private List<ReplayReport.PolicyRun> runAll(
            Scenario scenario, Loaded loaded, List<String> policies, LongConsumer progress, List<String> notes) {
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        LongConsumer total = delta -> {
            long sum = done.addAndGet(delta);
            synchronized (progress) {
                progress.accept(sum);
            }
        };
        int pool = Math.min(threads, policies.size());
        List<List<String>> runNotes = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            runNotes.add(new ArrayList<>());
        }
        List<ReplayReport.PolicyRun> runs = new ArrayList<>();
        if (pool <= 1) {
            for (int i = 0; i < policies.size(); i++) {
                runs.add(runOne(scenario, loaded, policies.get(i), total, runNotes.get(i), true));
            }
        } else {
            java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(pool);
            try {
                List<java.util.concurrent.Future<ReplayReport.PolicyRun>> futures = new ArrayList<>();
                for (int i = 0; i < policies.size(); i++) {
                    String policy = policies.get(i);
                    List<String> mine = runNotes.get(i);
                    // Each run on a thread of its own: no other policy's σ to share there.
                    futures.add(executor.submit(() -> runOne(scenario, loaded, policy, total, mine, false)));
                }
                for (java.util.concurrent.Future<ReplayReport.PolicyRun> future : futures) {
                    runs.add(future.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the replay was interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                // A run's own error (a scenario the venue refuses, say) is the replay's, as on one thread.
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                executor.shutdownNow();
            }
        }
        runNotes.forEach(notes::addAll);
        return runs;
    }

    /**
     * One policy's pass over a window's steps: the loop's state lives here, not in the locals of one long method, so
     * that each step (or quiet run of steps) is a call the JIT compiles once. Left as one long loop, it was replaced on
     * the stack instead, an on-stack compile of the whole engine inlined that took seconds, again after every
     * deoptimisation (four times in a 1,000-entry study: half of C2's time).
     */
    private final class Pass {
        final Scenario scenario;
        final Engine engine;
        final PaperVenue venue;
        final Dispatcher dispatcher;
        final Map<PositionKey, TraceBuilder> traces;
        final LongConsumer progress;
        final List<Step> steps;
        final Numbers numbers;
        /** What the engines of this thread's earlier runs of the same steps worked out of σ (another policy's). */
        final VolatilityMemo memo;

        final int equityStride;
        final List<ReplayReport.EquityPoint> equity = new ArrayList<>();
        final Map<String, BigDecimal[]> lastMarks = new LinkedHashMap<>();
        // The last step's symbol and its holder: consecutive steps of one symbol need no lookup.
        String markedSymbol;
        BigDecimal[] markHolder;
        Instant nextReaction = Instant.MIN;
        long done;
        int nextSignal;
        int liquidations;
        int actions;
        BigDecimal cutNotional = BigDecimal.ZERO;

        Pass(
                Scenario scenario,
                Loaded loaded,
                Engine engine,
                PaperVenue venue,
                Dispatcher dispatcher,
                Map<PositionKey, TraceBuilder> traces,
                LongConsumer progress,
                boolean shareSigma) {
            this.scenario = scenario;
            this.engine = engine;
            this.venue = venue;
            this.dispatcher = dispatcher;
            this.traces = traces;
            this.progress = progress;
            this.steps = loaded.steps();
            this.numbers = loaded.numbers();
            this.memo = shareSigma ? memos(loaded).memo : null;
            Moves moves = loaded.numbers().moves();
            if (memo != null && moves != null) {
                memo.moves(moves.at(), moves.walk(), moves.memoryMillis());
            }
            this.equityStride = Math.max(1, steps.size() / points);
            equity.add(new ReplayReport.EquityPoint(steps.get(0).time(), venue.equity()));
        }

        /** Where {@code symbol}'s last mark is kept (the last symbol's without a lookup). */
        private BigDecimal[] holder(String symbol) {
            if (symbol != markedSymbol) {
                markedSymbol = symbol;
                markHolder = lastMarks.computeIfAbsent(symbol, k -> new BigDecimal[1]);
            }
            return markHolder;
        }

        void run() {
            int index = 0;
            while (index < steps.size()) {
                index = step(index);
            }
        }

        /** Takes the step at {@code index}, or the quiet run it starts; returns the index of the next step. */
        private int step(int index) {
            if (venue.holdsNothing() && engine.tracksNothing()) {
                tail(index);
                return steps.size();
            }
            if (reactEvery.isEmpty() && numbers.marks()[index] != Numbers.NOT_A_MARK) {
                int next = quietly(
                        index, steps, numbers, engine, venue, traces, done, equityStride, scenario, nextSignal, memo);
                if (next > index) {
                    // Inside a run every step is a mark or a close: the run's last mark is the symbol's last.
                    for (int j = next - 1; j >= index; j--) {
                        if (numbers.marks()[j] != Numbers.CLOSE) {
                            holder(numbers.symbol(index))[0] = steps.get(j).mark();
                            break;
                        }
                    }
                    // Counted at once, as a step at a time would count them: one report for each multiple passed.
                    long before = done;
                    done += next - index;
                    for (long k = done / PROGRESS_EVERY - before / PROGRESS_EVERY; k > 0; k--) {
                        progress.accept(PROGRESS_EVERY);
                    }
                    return next;
                }
            }
            Step step = steps.get(index);
            done++;
            if (done % PROGRESS_EVERY == 0) {
                progress.accept(PROGRESS_EVERY);
            }
            while (nextSignal < scenario.signals().size()
                    && !scenario.signals().get(nextSignal).at().isAfter(step.time())) {
                Scenario.Signal signal = scenario.signals().get(nextSignal++);
                engine.step(new EngineEvent.ConvictionSet(step.time(), signal.symbol(), signal.conviction()));
            }
            if (step.closed() != null) {
                engine.step(step.candleEvent());
                return index + 1;
            }
            if (step.fundingRate().isPresent()) {
                BigDecimal[] held = step.symbol() == markedSymbol ? markHolder : lastMarks.get(step.symbol());
                if (held == null) {
                    return index + 1;
                }
                BigDecimal mark = held[0];
                for (PaperVenue.VenueEvent event : venue.onFunding(
                        step.symbol(), step.time(), step.fundingRate().get(), mark)) {
                    liquidations += onVenueEvent(event, engine, venue, dispatcher, traces);
                }
                // Each position was told at its payment; the free balance (and the cross positions on it) now.
                tell(engine, dispatcher, PaperTruth.balance(venue, step.time()));
                return index + 1;
            }
            holder(step.symbol())[0] = step.mark();
            for (PaperVenue.VenueEvent event : venue.onPrice(step.symbol(), step.time(), step.last(), step.mark())) {
                liquidations += onVenueEvent(event, engine, venue, dispatcher, traces);
            }
            List<Intent> intents = List.of();
            if (reactEvery.isEmpty() || !step.time().isBefore(nextReaction)) {
                intents = engine.step(step.markEvent()).intents();
                if (reactEvery.isPresent()) {
                    nextReaction = step.time().plus(reactEvery.get());
                }
            }
            for (Intent intent : intents) {
                Action action = intent.action();
                if (action instanceof Action.Alert) {
                    continue;
                }
                Outcome outcome = dispatcher.dispatch(intent);
                engine.step(new EngineEvent.OutcomeReported(step.time(), intent, outcome));
                if (outcome instanceof Outcome.Accepted d) {
                    BigDecimal filledAt = d.price().orElse(null);
                    actions++;
                    String kind = switch (action) {
                        case Action.TopUpMargin t -> "top-up";
                        case Action.ReleaseMargin r -> "release";
                        case Action.ReducePosition r -> "cut";
                        case Action.ClosePosition c -> "close";
                        default -> "other";
                    };
                    TraceBuilder trace = trace(traces, action.symbol(), action.side());
                    if (action instanceof Action.ReducePosition || action instanceof Action.ClosePosition) {
                        cutNotional = cutNotional.add(d.amount().multiply(filledAt));
                        trace.qtyCut = trace.qtyCut.add(d.amount());
                    }
                    trace.event(
                            step.time(),
                            kind,
                            d.amount(),
                            kind.equals("cut") || kind.equals("close") ? filledAt : step.mark(),
                            action.reason());
                }
                tell(engine, dispatcher, PaperTruth.afterAction(venue, action.symbol(), action.side(), step.time()));
            }
            for (TraceBuilder trace : traces.values()) {
                if (trace.symbol.equals(step.symbol()) && trace.due()) {
                    trace.point(step, engine, venue);
                }
            }
            if (done % equityStride == 0) {
                equity.add(new ReplayReport.EquityPoint(step.time(), venue.equity()));
            }
            return index + 1;
        }

        /**
         * Every position is gone and a replay opens none: no step from {@code from} on can act, pay funding or move
         * the equity any more, so the rest only samples the trace and the equity as {@link #step} would.
         */
        private void tail(int from) {
            BigDecimal still = venue.equity();
            long[] marks = numbers.marks();
            // The samples come every so many steps (the equity) and marks (each trace): counted down here, where the
            // loop would take a remainder per step, as step does.
            TraceBuilder[] traced = traces.values().toArray(new TraceBuilder[0]);
            long[] untilDue = new long[traced.length];
            for (int t = 0; t < traced.length; t++) {
                untilDue[t] = (traced[t].stride - traced[t].count % traced[t].stride) % traced[t].stride;
            }
            long untilEquity = equityStride - done % equityStride;
            for (int index = from; index < steps.size(); index++) {
                done++;
                if (done % PROGRESS_EVERY == 0) {
                    progress.accept(PROGRESS_EVERY);
                }
                boolean equityDue = --untilEquity == 0;
                if (equityDue) {
                    untilEquity = equityStride;
                }
                // A step is asked for only where its numbers do not say what it is, or where it is sampled.
                long mark = marks[index];
                if (mark == Numbers.CLOSE) {
                    continue;
                }
                if (mark == Numbers.NOT_A_MARK) {
                    Step step = steps.get(index);
                    if (step.closed() != null || step.fundingRate().isPresent()) {
                        continue;
                    }
                }
                String symbol = numbers.symbol(index);
                for (int t = 0; t < traced.length; t++) {
                    TraceBuilder trace = traced[t];
                    if (trace.symbol.equals(symbol)) {
                        // As trace.due(): every stride-th mark of its symbol, and the one after an event.
                        boolean due = untilDue[t] == 0 || trace.forceNext;
                        trace.count++;
                        untilDue[t] = untilDue[t] == 0 ? trace.stride - 1 : untilDue[t] - 1;
                        if (due) {
                            trace.point(steps.get(index), Optional.empty());
                        }
                    }
                }
                if (equityDue) {
                    equity.add(new ReplayReport.EquityPoint(numbers.time(index), still));
                }
            }
        }
    }

    /** A thread's memo of σ and the steps it was last used for: a study runs an entry's policies on one thread. */
    private static final class Memo {
        final VolatilityMemo memo = new VolatilityMemo();
        final ballast.kernel.LiquidationMemo liquidations = new ballast.kernel.LiquidationMemo();
        Loaded servedFor;
    }

    private static final ThreadLocal<Memo> MEMOS = ThreadLocal.withInitial(Memo::new);

    /** This thread's memos for {@code loaded}'s steps: emptied when they last served other steps. */
    private static Memo memos(Loaded loaded) {
        Memo held = MEMOS.get();
        if (held.servedFor != loaded) {
            held.memo.reset(loaded.steps().size());
            held.liquidations.reset();
            held.servedFor = loaded;
        }
        return held;
    }

    /** How many events a run replays between two progress reports. */
    private static final int PROGRESS_EVERY = 4096;

    /** The free balance and every isolated position's margin, once the positions are open. */
    static BigDecimal startEquity(Scenario scenario) {
        BigDecimal equity = scenario.wallet();
        for (Scenario.PositionSpec spec : scenario.positions()) {
            if (spec.marginMode() == MarginMode.ISOLATED) {
                equity = equity.add(spec.margin());
            }
        }
        return equity;
    }

    private Loaded load(Scenario scenario) {
        List<String> notes = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<Step> warmUp = new ArrayList<>();
        Instant warmFrom = scenario.from().minus(scenario.warmUp());
        Map<String, RiskTierTable> tiers = new LinkedHashMap<>();
        Map<String, BigDecimal> openPrices = new LinkedHashMap<>();
        Map<String, Boolean> symbolsDone = new LinkedHashMap<>();
        boolean allMark = true;
        Duration longestInterval = Duration.ZERO;
        boolean oneSymbol = scenario.positions().stream()
                        .map(Scenario.PositionSpec::symbol)
                        .distinct()
                        .count()
                == 1;
        // A study's window of one symbol: the slice of its whole-file walk, settlements merged in as numbers.
        Walk window = null;
        int[] windowRange = null;
        // A warm-up of one symbol sliced from its walk: taken as numbers by each run's engine.
        WarmUp walkedWarmUp = null;
        List<Step> windowSettlements = List.of();
        for (Scenario.PositionSpec spec : scenario.positions()) {
            tiers.computeIfAbsent(spec.symbol(), s -> tiers(scenario, spec, notes));
            if (symbolsDone.containsKey(spec.symbol())) {
                continue;
            }
            symbolsDone.put(spec.symbol(), true);
            CandleSeries all = source.candles(spec.candles(), warmFrom, scenario.to());
            CandleSeries candles = all.between(scenario.from(), scenario.to());
            if (candles.candles().isEmpty()) {
                throw new MarketDataFiles.DataFileException(spec.candles().getFileName() + " has no candles between "
                        + scenario.from() + " and " + scenario.to() + held(all)
                        + "; 'ballast data download' fetches Binance history");
            }
            for (Gap gap : candles.gaps()) {
                notes.add(spec.symbol() + ": " + gap.missingCandles() + " candles missing after " + gap.after()
                        + " (not filled)");
            }
            CandleSeries warm = all.between(warmFrom, scenario.from());
            // A window slices a whole-file walk only where it starts and ends on the candles' grid: a candle cut by
            // the window's end would walk past it, into mark candles that a walk of the window alone does not read.
            boolean sliced = walks != null && onGrid(all, scenario.from()) && onGrid(all, scenario.to());
            // A mark candle matters if it is open at any moment of the warm-up or the window.
            Optional<CandleSeries> wholeMarks =
                    spec.mark().map(p -> source.candles(p, warmFrom.minus(Duration.ofDays(1)), scenario.to()));
            Optional<CandleSeries> marks =
                    wholeMarks.map(m -> m.between(warmFrom.minus(m.interval()).plusMillis(1), scenario.to()));
            if (marks.isEmpty()) {
                allMark = false;
                notes.add(spec.symbol()
                        + ": no mark file: last price stands in for mark (conservative: last-price wicks are deeper)");
            }
            openPrices.put(spec.symbol(), candles.candles().get(0).open());
            Instant dataEnd = candles.candles().getLast().openTime().plus(candles.interval());
            if (candles.candles().getFirst().openTime().isAfter(scenario.from().plus(candles.interval()))
                    || dataEnd.isBefore(scenario.to())) {
                notes.add(spec.symbol() + ": the data covers only "
                        + candles.candles().getFirst().openTime() + " to "
                        + dataEnd + " of the window " + scenario.from() + " to " + scenario.to()
                        + ": the replay runs on what there is");
            }
            plausible(spec, spec.candles(), candles.candles().get(0).open(), notes);
            if (spec.mark().isPresent()
                    && marks.isPresent()
                    && !marks.get().candles().isEmpty()) {
                plausible(
                        spec,
                        spec.mark().get(),
                        marks.get().candles().getFirst().open(),
                        notes);
            }
            if (candles.interval().compareTo(longestInterval) > 0) {
                longestInterval = candles.interval();
            }
            boolean longFirst = scenario.positions().stream()
                    .filter(p -> p.symbol().equals(spec.symbol()))
                    .anyMatch(p -> p.side() == Side.LONG);
            if (scenario.warmUp().isPositive()) {
                if (warm.candles().isEmpty()) {
                    notes.add(spec.symbol() + ": no candles in the " + Figures.duration(scenario.warmUp())
                            + " warm-up before " + scenario.from()
                            + ": the volatility estimate starts at its floor");
                } else {
                    Walk walked = sliced ? walk(spec, all, wholeMarks, longFirst) : null;
                    if (walked != null && oneSymbol && walked.ordered) {
                        walkedWarmUp = WarmUp.walked(walked, walked.range(warmFrom, scenario.from()));
                    } else if (walked != null) {
                        walked.add(warmFrom, scenario.from(), warmUp);
                    } else {
                        addPriceSteps(spec.symbol(), warm, marks, longFirst, warmUp, new ArrayList<>());
                    }
                    Instant first = warm.candles().getFirst().openTime();
                    // Candles open on their interval's grid: only a start later than the first grid point after
                    // warmFrom means the data itself starts late.
                    if (first.isAfter(warmFrom.plus(warm.interval()))) {
                        notes.add(spec.symbol() + ": warm-up from " + first + " only (the data starts there), not "
                                + warmFrom);
                    }
                }
            }
            if (sliced) {
                Walk walked = walk(spec, all, wholeMarks, longFirst);
                int[] range = walked.range(scenario.from(), scenario.to());
                if (oneSymbol && walked.ordered) {
                    window = walked;
                    windowRange = range;
                } else {
                    steps.addAll(walked.steps.subList(range[0], range[1]));
                }
                int uncovered = walked.uncovered(range);
                // A window the mark file does not reach at all is walked on last prices without a word, as alone.
                if (uncovered > 0 && marks.isPresent() && !marks.get().candles().isEmpty()) {
                    notes.add(spec.symbol() + ": " + uncovered
                            + " price steps outside the mark file; last price stood in for them");
                }
            } else {
                addPriceSteps(spec.symbol(), candles, marks, longFirst, steps, notes);
            }
            if (spec.funding().isPresent()) {
                // Ascending by time: a study's cached source hands over the whole file, so the window is searched for.
                List<FundingRate> rates = source.funding(spec.funding().get(), scenario.from(), scenario.to());
                List<Step> settlements = settlements(rates, spec.symbol(), scenario.from(), scenario.to());
                if (window != null && inTimeOrder(settlements)) {
                    windowSettlements = settlements;
                } else {
                    if (window != null) {
                        steps.addAll(window.steps.subList(windowRange[0], windowRange[1]));
                        window = null;
                    }
                    steps.addAll(settlements);
                }
            } else {
                notes.add(spec.symbol() + ": no funding file: funding not simulated");
            }
        }
        warmUp.sort(Comparator.comparingLong(Step::nanos));
        List<Step> replayed;
        Numbers numbers;
        if (window != null) {
            Window w = window.window(
                    windowRange,
                    windowSettlements,
                    settings.engine().volatilityMemory().toMillis());
            replayed = w.steps();
            numbers = w.numbers();
        } else {
            steps.sort(Comparator.comparingLong(Step::nanos));
            replayed = List.copyOf(steps);
            numbers = Numbers.of(replayed);
        }
        return new Loaded(
                walkedWarmUp != null ? walkedWarmUp : WarmUp.of(warmUp),
                replayed,
                tiers,
                openPrices,
                allMark ? "mark" : "last",
                notes,
                longestInterval,
                numbers);
    }

    /**
     * The settlements of {@code rates} (ascending) from {@code from} to before {@code to}, as steps of {@code symbol}.
     * (A method of its own, as every loop a window runs: the JIT compiles it once, rather than {@link #load} on the
     * stack as well as whole.)
     */
    private static List<Step> settlements(List<FundingRate> rates, String symbol, Instant from, Instant to) {
        List<Step> settlements = new ArrayList<>();
        for (int i = ballast.core.market.InTimeOrder.firstAtOrAfter(rates, FundingRate::time, from);
                i < rates.size() && rates.get(i).time().isBefore(to);
                i++) {
            FundingRate rate = rates.get(i);
            settlements.add(new Step(rate.time(), symbol, null, null, Optional.of(rate.rate())));
        }
        return settlements;
    }

    private static boolean inTimeOrder(List<Step> steps) {
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).nanos() < steps.get(i - 1).nanos()) {
                return false;
            }
        }
        return true;
    }

    /** Rough bounds of the shipped symbols' prices over their whole history, to catch one symbol's data under another. */
    private static final Map<String, BigDecimal[]> PRICE_RANGES = Map.of(
            "BTCUSDT", new BigDecimal[] {new BigDecimal("2000"), new BigDecimal("1000000")},
            "ETHUSDT", new BigDecimal[] {new BigDecimal("50"), new BigDecimal("20000")});

    /** A data file whose name or prices say it is another symbol's: worth a warning, not a stop. */
    private static final java.util.regex.Pattern SYMBOL_IN_PATH =
            java.util.regex.Pattern.compile("([A-Z0-9]{2,15}USDT)");

    private static void plausible(Scenario.PositionSpec spec, Path file, BigDecimal open, List<String> notes) {
        String path = file.toString().toUpperCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = SYMBOL_IN_PATH.matcher(path);
        while (m.find()) {
            if (!m.group(1).equals(spec.symbol()) && !m.group(1).endsWith("_" + spec.symbol())) {
                notes.add("WARNING " + spec.symbol() + ": the path of " + file.getFileName() + " names " + m.group(1)
                        + ": is this the right data for the position?");
                break;
            }
        }
        BigDecimal[] range = PRICE_RANGES.get(spec.symbol());
        if (range != null && (open.compareTo(range[0]) < 0 || open.compareTo(range[1]) > 0)) {
            notes.add("WARNING " + spec.symbol() + ": the first price in " + file.getFileName() + ", "
                    + open.toPlainString() + ", is outside what "
                    + spec.symbol() + " has ever traded at (" + range[0].toPlainString() + " to "
                    + range[1].toPlainString() + "): is this the right data for the position?");
        }
    }

    /** ", which holds 2022-11-05T00:00:00Z to 2022-11-10T23:00:00Z": what a file or folder does cover. */
    private static String held(CandleSeries series) {
        if (series.candles().isEmpty()) {
            return "";
        }
        return " (" + series.source() + " holds " + series.candles().getFirst().openTime() + " to "
                + series.candles().getLast().openTime() + ")";
    }

    /**
     * Why the venue would refuse to open {@code notional} of {@code symbol} at {@code leverage}: above the most its
     * bracket allows. Empty when it would open.
     */
    public static Optional<String> overBracket(
            RiskTierTable table, String symbol, BigDecimal notional, BigDecimal leverage) {
        RiskTier bracket = table.tierFor(notional);
        if (leverage.compareTo(BigDecimal.valueOf(bracket.maxLeverage())) <= 0) {
            return Optional.empty();
        }
        return Optional.of("the venue allows at most " + bracket.maxLeverage() + "x for "
                + notional.setScale(0, RoundingMode.HALF_UP) + " USDT of " + symbol + " (bracket " + bracket.tier()
                + ")");
    }

    /** A shipped table as {@link #tiersFor} chose it for a venue, symbol and date, with what it said of it. */
    private record ChosenTiers(RiskTierTable table, List<String> notes) {}

    private record TiersKey(Venue venue, String symbol, LocalDate asOf) {}

    /**
     * {@link #tiersFor}, each shipped table chosen once per venue, symbol and date (a study's thousands of windows ask
     * for a few dates thousands of times, and each of its runs then measures on the same table).
     */
    private RiskTierTable tiers(Scenario scenario, Scenario.PositionSpec spec, List<String> notes) {
        if (spec.mmr().isPresent()) {
            return tiersFor(shippedTiers, scenario, spec, notes);
        }
        ChosenTiers chosen = chosenTiers.computeIfAbsent(
                new TiersKey(scenario.exchange(), spec.symbol(), tiersAsOf(scenario)), key -> {
                    List<String> said = new ArrayList<>();
                    RiskTierTable table = tiersFor(shippedTiers, scenario, spec, said);
                    return new ChosenTiers(table, List.copyOf(said));
                });
        notes.addAll(chosen.notes());
        return chosen.table();
    }

    private static LocalDate tiersAsOf(Scenario scenario) {
        return scenario.tiersAsOf()
                .orElse(scenario.from().atZone(ZoneOffset.UTC).toLocalDate());
    }

    /**
     * The risk tiers a scenario's position is measured on, as the replay chooses them (the scenario's flat rate, the
     * shipped table for its date, or the oldest shipped one, said in {@code notes}).
     */
    public static RiskTierTable tiersFor(
            ShippedRiskTiers shippedTiers, Scenario scenario, Scenario.PositionSpec spec, List<String> notes) {
        String symbol = spec.symbol();
        if (spec.mmr().isPresent()) {
            if (shippedTiers.snapshots().stream()
                    .anyMatch(
                            s -> s.venue() == scenario.exchange() && s.symbol().equals(symbol))) {
                notes.add(symbol + ": the scenario's mmr replaces the shipped "
                        + scenario.exchange().id() + " tiers for it");
            }
            notes.add(symbol + ": maintenance margin "
                    + spec.mmr().get().movePointRight(2).toPlainString()
                    + " % of the notional less " + spec.maintAmount().toPlainString()
                    + " (one flat tier, from the scenario)");
            return RiskTierTable.flat(symbol, spec.mmr().get(), spec.maintAmount(), 125);
        }
        LocalDate asOf = tiersAsOf(scenario);
        ShippedRiskTiers.Snapshot snapshot;
        try {
            snapshot = shippedTiers.find(scenario.exchange(), symbol, Optional.of(asOf));
        } catch (ShippedRiskTiers.UnknownTiersException e) {
            // Older than every shipped table: the oldest one is the closest truth, and the report says so.
            Optional<ShippedRiskTiers.Snapshot> oldest = shippedTiers.snapshots().stream()
                    .filter(s -> s.venue() == scenario.exchange() && s.symbol().equals(symbol))
                    .min(Comparator.comparing(s -> s.asOf().orElse(LocalDate.MAX)));
            if (oldest.isEmpty()) {
                List<String> shipped = shippedTiers.snapshots().stream()
                        .map(s -> s.venue().id() + " " + s.symbol())
                        .distinct()
                        .toList();
                throw new ScenarioFile.ScenarioException(spec.where() + ".symbol: no risk tiers ship for "
                        + scenario.exchange().id() + " " + symbol + " (shipped: " + String.join(", ", shipped)
                        + "); give the position its maintenance rate instead: mmr: 0.005 (and maintAmount: 0), as"
                        + " the venue's risk-limit page states it for this size, was " + symbol);
            }
            snapshot = oldest.get();
            notes.add(symbol + ": risk tiers " + snapshot.label() + " (the oldest shipped; none is as old as " + asOf
                    + ")");
            return snapshot.table();
        }
        notes.add(symbol + ": risk tiers " + snapshot.label());
        return snapshot.table();
    }

    /**
     * The path inside one candle: open, then the adverse extreme, the other extreme, and the close, each leg walked in
     * steps of at most {@link #STEP} of the price, with time spread over the candle in proportion to the distance
     * travelled. Real prices pass through every level between two prints; a live monitor sees them every second, so a
     * replay that jumped from open to low in one step would deny the policy the chances it has live. No price outside
     * the candle's own range is ever produced.
     */
    private static void addPriceSteps(
            String symbol,
            CandleSeries candles,
            Optional<CandleSeries> marks,
            boolean longFirst,
            List<Step> steps,
            List<String> notes) {
        int[] uncovered = new int[1];
        walk(candles, marks, longFirst, new StepSink() {
            @Override
            public void price(
                    int candle,
                    Instant time,
                    BigDecimal last,
                    int lastIs,
                    BigDecimal mark,
                    int markIs,
                    int markCandle,
                    boolean covered) {
                steps.add(new Step(time, symbol, last, mark, Optional.empty()));
                if (!covered) {
                    uncovered[0]++;
                }
            }

            @Override
            public void close(int candle, Candle c, Instant time, Duration interval) {
                steps.add(new Step(time, symbol, null, null, Optional.empty(), c, interval));
            }
        });
        if (uncovered[0] > 0) {
            notes.add(
                    symbol + ": " + uncovered[0] + " price steps outside the mark file; last price stood in for them");
        }
    }

    /** What a price step's last price is: one of its candle's prices, or a price between two of them. */
    private static final int OPEN = 0;

    private static final int LOW = 1;
    private static final int HIGH = 2;
    private static final int CLOSE_PRICE = 3;
    private static final int BETWEEN = 4;
    /** A walk's step that is its candle's close (no price). */
    private static final int CLOSES = 7;
    /** What a price step's mark is (shifted by {@link #MARK_SHIFT}): the last price, or the mark candle's low or high. */
    private static final int AS_LAST = 0;

    private static final int MARK_LOW = 1;
    private static final int MARK_HIGH = 2;
    private static final int MARK_SHIFT = 3;

    /**
     * Hears each step of a walk: a price step (with what its last price and mark are: {@link #OPEN} … {@link #BETWEEN},
     * {@link #AS_LAST} … {@link #MARK_HIGH}, the mark candle's index, and whether one covered it), then the candle's
     * close.
     */
    private interface StepSink {
        void price(
                int candle,
                Instant time,
                BigDecimal last,
                int lastIs,
                BigDecimal mark,
                int markIs,
                int markCandle,
                boolean covered);

        void close(int candle, Candle c, Instant time, Duration interval);
    }

    /** A candle's path: its prices in order, and what each one is ({@link #OPEN} … {@link #BETWEEN}). */
    private static final class PricePath {
        BigDecimal[] prices = new BigDecimal[16];
        int[] kinds = new int[16];
        /** Each price's leg (1 to 3; 0 for the open), and which part of how many of it the price ends. */
        int[] legs = new int[16];

        int[] parts = new int[16];
        int[] partsOf = new int[16];
        int size;
        /** When each price falls, worked out for the candle in hand. */
        final WalkClock clock = new WalkClock();

        void add(BigDecimal price, int kind, int leg, int part, int of) {
            if (size == prices.length) {
                prices = java.util.Arrays.copyOf(prices, size * 2);
                kinds = java.util.Arrays.copyOf(kinds, size * 2);
                legs = java.util.Arrays.copyOf(legs, size * 2);
                parts = java.util.Arrays.copyOf(parts, size * 2);
                partsOf = java.util.Arrays.copyOf(partsOf, size * 2);
            }
            prices[size] = price;
            kinds[size] = kind;
            legs[size] = leg;
            parts[size] = part;
            partsOf[size++] = of;
        }
    }

    /** Walks every candle of {@code candles} into its price steps and its close, in order, into {@code sink}. */
    private static void walk(CandleSeries candles, Optional<CandleSeries> marks, boolean longFirst, StepSink sink) {
        List<Candle> markCandles = marks.map(CandleSeries::candles).orElse(List.of());
        Duration markInterval = marks.map(CandleSeries::interval).orElse(Duration.ZERO);
        int m = 0;
        PricePath path = new PricePath();
        List<Candle> list = candles.candles();
        for (int index = 0; index < list.size(); index++) {
            m = walkCandle(
                    list.get(index), index, candles.interval(), markCandles, markInterval, m, longFirst, path, sink);
        }
    }

    /**
     * One candle of {@link #walk} into its steps and its close (a method of its own, so that the JIT compiles it as one
     * rather than replacing a whole file's loop on the stack); returns the index of the mark candle it reached.
     */
    private static int walkCandle(
            Candle c,
            int index,
            Duration interval,
            List<Candle> markCandles,
            Duration markInterval,
            int markIndex,
            boolean longFirst,
            PricePath path,
            StepSink sink) {
        long candleMillis = interval.toMillis();
        int m = markIndex;
        path.size = 0;
        BigDecimal first = longFirst ? c.low() : c.high();
        BigDecimal second = longFirst ? c.high() : c.low();
        path.add(c.open(), OPEN, 0, 0, 1);
        walk(path, c.open(), first, longFirst ? LOW : HIGH, 1);
        walk(path, first, second, longFirst ? HIGH : LOW, 2);
        walk(path, second, c.close(), CLOSE_PRICE, 3);
        // Each step at the share of the candle's span that the path has travelled by it (the sum of every step's
        // move, over the whole path's), leaving the last millisecond of the candle to the next candle's open.
        path.clock.candle(c.open(), first, second, c.close(), candleMillis - 1);
        for (int k = 0; k < path.size; k++) {
            long offset = path.clock.offset(path.legs[k], path.parts[k], path.partsOf[k], path.prices[k]);
            Instant t = c.openTime().plusMillis(offset);
            BigDecimal last = path.prices[k];
            BigDecimal mark = last;
            int markIs = AS_LAST;
            boolean covered = true;
            if (!markCandles.isEmpty()) {
                while (m + 1 < markCandles.size()
                        && !markCandles.get(m + 1).openTime().isAfter(t)) {
                    m++;
                }
                Candle mc = markCandles.get(m);
                if (!mc.openTime().isAfter(t) && t.isBefore(mc.openTime().plus(markInterval))) {
                    mark = last.max(mc.low()).min(mc.high());
                    markIs = mark == last ? AS_LAST : mark == mc.low() ? MARK_LOW : MARK_HIGH;
                } else {
                    covered = false;
                }
            }
            sink.price(index, t, last, path.kinds[k], mark, markIs, m, covered);
        }
        // Then the candle closes: its range is known from its close on, never before.
        sink.close(index, c, c.openTime().plusMillis(candleMillis), interval);
        return m;
    }

    /**
     * A decimal's unscaled digits as 128 bits, high and low (what {@link #unpack} makes it again from, with its scale);
     * null where they are negative or do not fit 127 bits.
     */
    static long[] pack(BigDecimal value) {
        if (value.signum() >= 0 && value.scale() >= 0 && value.scale() <= 18 && value.precision() <= 18) {
            // Up to 18 digits: the digits as they are held, without a BigInteger.
            return new long[] {0, value.movePointRight(value.scale()).longValue()};
        }
        java.math.BigInteger digits = value.unscaledValue();
        if (digits.signum() < 0 || digits.bitLength() > 127) {
            return null;
        }
        return new long[] {digits.shiftRight(64).longValue(), digits.longValue()};
    }

    /** The decimal of unscaled digits {@code (high, low)} ({@link #pack}'s) and {@code scale}: equal, scale included. */
    static BigDecimal unpack(long high, long low, int scale) {
        if (high == 0 && low >= 0) {
            return BigDecimal.valueOf(low, scale);
        }
        byte[] magnitude = new byte[16];
        for (int i = 0; i < 8; i++) {
            magnitude[7 - i] = (byte) (high >>> (8 * i));
            magnitude[15 - i] = (byte) (low >>> (8 * i));
        }
        return new BigDecimal(new java.math.BigInteger(1, magnitude), scale);
    }

    /**
     * One data file walked whole, once, for a study that replays thousands of windows of it: the steps of every candle,
     * where each candle's steps start, and how many steps before each one no mark candle covered. A window's steps are
     * then a slice, the same steps a walk of the window alone gives (the mark candle that covers a step is the same in
     * the whole file as in the window's slice of it: it opens less than one mark interval before the step).
     *
     * <p>The steps are kept as numbers, not as objects: a walk of a few years of hourly candles has millions of steps,
     * and as objects (each with its time and its prices) they took half a gigabyte that the collector copied, with the
     * study stopped, while the walks were made. A step is made again when a replay asks for it: its time from its
     * nanoseconds, its prices from its candle and mark candle, or, for a price between two of a candle's, from the
     * digits kept of it; every one equal, digit for digit and in scale, to the step the walk made.
     */
    private static final class Walk {
        final String symbol;
        final CandleSeries candles;
        final List<Candle> markCandles;
        /** The steps, made when asked for (each time: a window keeps the ones it made). */
        final List<Step> steps;

        final int[] start;
        final int[] uncoveredBefore;
        /** The steps as numbers, worked out once for the thousands of windows sliced from the walk. */
        final Numbers numbers;
        /** Whether the steps are in time order (a walk's are: each candle's steps lie within it). */
        final boolean ordered;
        /** Each step's candle, its mark candle, and what its last price and mark are ({@link #OPEN}, {@link #AS_LAST}…). */
        private final int[] candleOf;

        private final int[] markOf;
        private final byte[] kinds;
        /** A price between two of a candle's: its unscaled digits (128 bits, high and low) and its scale. */
        private final long[] betweenHigh;

        private final long[] betweenLow;
        private final int[] betweenScale;
        /** The rare price between whose digits do not fit 127 bits, kept as it is. */
        private final Map<Integer, BigDecimal> wide;

        /** The walk's move terms, by the memory they are for: worked out by the first window that asks. */
        private final Map<Long, Moves> moves = new java.util.concurrent.ConcurrentHashMap<>();

        private Walk(
                String symbol,
                CandleSeries candles,
                List<Candle> markCandles,
                int[] start,
                int[] uncoveredBefore,
                Numbers numbers,
                int[] candleOf,
                int[] markOf,
                byte[] kinds,
                long[] betweenHigh,
                long[] betweenLow,
                int[] betweenScale,
                Map<Integer, BigDecimal> wide) {
            this.symbol = symbol;
            this.candles = candles;
            this.markCandles = markCandles;
            this.start = start;
            this.uncoveredBefore = uncoveredBefore;
            this.numbers = numbers;
            this.candleOf = candleOf;
            this.markOf = markOf;
            this.kinds = kinds;
            this.betweenHigh = betweenHigh;
            this.betweenLow = betweenLow;
            this.betweenScale = betweenScale;
            this.wide = wide;
            this.steps = new MadeSteps(this);
            long[] nanos = numbers.nanos();
            boolean inOrder = true;
            for (int k = 1; k < nanos.length && inOrder; k++) {
                inOrder = nanos[k] >= nanos[k - 1];
            }
            this.ordered = inOrder;
        }

        static Walk of(String symbol, CandleSeries all, Optional<CandleSeries> marks, boolean longFirst) {
            // Counted first, so that the arrays are made once, at their size: millions of steps, no copies.
            int n = 0;
            for (Candle c : all.candles()) {
                n = Math.addExact(n, steps(c, longFirst));
            }
            Builder b = new Builder(all.candles().size(), n);
            walk(all, marks, longFirst, b);
            if (b.size != n) {
                throw new IllegalStateException("a walk of " + symbol + " made " + b.size + " steps, counted " + n);
            }
            Numbers numbers = new Numbers(
                    b.nanos,
                    b.marks,
                    Numbers.runEnds(b.marks, i -> true),
                    b.highs,
                    b.lows,
                    b.seconds,
                    Numbers.oneSymbol(symbol),
                    null);
            int[] before = new int[n + 1];
            for (int k = 0; k < n; k++) {
                before[k + 1] = before[k] + (b.uncovered.get(k) ? 1 : 0);
            }
            return new Walk(
                    symbol,
                    all,
                    marks.map(CandleSeries::candles).orElse(List.of()),
                    b.start,
                    before,
                    numbers,
                    b.candleOf,
                    b.markOf,
                    b.kinds,
                    b.betweenHigh,
                    b.betweenLow,
                    b.betweenScale,
                    b.wide);
        }

        /** Step {@code k}, made again: equal to the one the walk made. */
        Step step(int k) {
            Candle c = candles.candles().get(candleOf[k]);
            int kind = kinds[k];
            long nanos = numbers.nanos()[k];
            Instant time = numbers.time(k);
            long units = numbers.marks()[k];
            long high = numbers.high(k);
            long low = numbers.low(k);
            long seconds = numbers.seconds(k);
            if (kind == CLOSES) {
                return new Step(
                        time,
                        symbol,
                        null,
                        null,
                        Optional.empty(),
                        c,
                        candles.interval(),
                        nanos,
                        units,
                        high,
                        low,
                        seconds);
            }
            BigDecimal last = switch (kind & 7) {
                case OPEN -> c.open();
                case LOW -> c.low();
                case HIGH -> c.high();
                case CLOSE_PRICE -> c.close();
                default -> between(k);
            };
            BigDecimal mark = switch (kind >>> MARK_SHIFT) {
                case AS_LAST -> last;
                case MARK_LOW -> markCandles.get(markOf[k]).low();
                default -> markCandles.get(markOf[k]).high();
            };
            return new Step(time, symbol, last, mark, Optional.empty(), null, null, nanos, units, high, low, seconds);
        }

        private BigDecimal between(int k) {
            int scale = betweenScale[k];
            return scale == WIDE ? wide.get(k) : unpack(betweenHigh[k], betweenLow[k], scale);
        }

        /** {@link #betweenScale}'s mark for a price kept whole in {@link #wide}. */
        private static final int WIDE = Integer.MIN_VALUE;

        /** Collects a walk's steps as numbers. */
        private static final class Builder implements StepSink {
            final int[] start;
            final java.util.BitSet uncovered = new java.util.BitSet();
            final Map<Integer, BigDecimal> wide = new java.util.HashMap<>();
            int size;
            long[] nanos;
            long[] marks;
            long[] highs;
            long[] lows;
            long[] seconds;
            int[] candleOf;
            int[] markOf;
            byte[] kinds;
            long[] betweenHigh;
            long[] betweenLow;
            int[] betweenScale;

            Builder(int candles, int capacity) {
                start = new int[candles + 1];
                nanos = new long[capacity];
                marks = new long[capacity];
                highs = new long[capacity];
                lows = new long[capacity];
                seconds = new long[capacity];
                candleOf = new int[capacity];
                markOf = new int[capacity];
                kinds = new byte[capacity];
                betweenHigh = new long[capacity];
                betweenLow = new long[capacity];
                betweenScale = new int[capacity];
            }

            private int next(int candle) {
                candleOf[size] = candle;
                start[candle + 1] = size + 1;
                return size++;
            }

            @Override
            public void price(
                    int candle,
                    Instant time,
                    BigDecimal last,
                    int lastIs,
                    BigDecimal mark,
                    int markIs,
                    int markCandle,
                    boolean covered) {
                int k = next(candle);
                nanos[k] = Engine.epochNanos(time);
                marks[k] = Step.units(mark, Optional.empty(), null, null);
                seconds[k] = -1;
                markOf[k] = markCandle;
                kinds[k] = (byte) (lastIs | markIs << MARK_SHIFT);
                if (lastIs == BETWEEN) {
                    long[] digits = pack(last);
                    if (digits == null) {
                        betweenScale[k] = WIDE;
                        wide.put(k, last);
                    } else {
                        betweenHigh[k] = digits[0];
                        betweenLow[k] = digits[1];
                        betweenScale[k] = last.scale();
                    }
                }
                if (!covered) {
                    uncovered.set(k);
                }
            }

            @Override
            public void close(int candle, Candle c, Instant time, Duration interval) {
                int k = next(candle);
                nanos[k] = Engine.epochNanos(time);
                marks[k] = Step.units(null, Optional.empty(), c, interval);
                highs[k] = Step.closeUnits(c, interval, true);
                lows[k] = Step.closeUnits(c, interval, false);
                seconds[k] = Step.moves(c, interval) ? interval.toSeconds() : -1;
                kinds[k] = CLOSES;
            }
        }

        /** Where the steps of the candles that open in {@code [from, to)} start and end. */
        int[] range(Instant from, Instant to) {
            int firstCandle = candles.firstAtOrAfter(from);
            return new int[] {start[firstCandle], start[Math.max(firstCandle, candles.firstAtOrAfter(to))]};
        }

        /** How many steps of {@code range} no mark candle covered. */
        int uncovered(int[] range) {
            return uncoveredBefore[range[1]] - uncoveredBefore[range[0]];
        }

        /**
         * The steps of {@code range} with {@code settlements} (in time order) merged in, each after the price steps of
         * its moment (what a stable sort by time gives), and their numbers: the times and marks copied from the walk's
         * arrays in runs, the closes' ranges read from the walk's own through each step's index in it.
         */
        Window window(int[] range, List<Step> settlements, long memoryMillis) {
            long[] nanos = numbers.nanos();
            Moves walked = moves.computeIfAbsent(memoryMillis, memory -> Moves.of(numbers.marks(), memory));
            int n = range[1] - range[0] + settlements.size();
            Step[] made = new Step[n];
            int[] from = new int[n];
            long[] times = new long[n];
            long[] marks = new long[n];
            int at = 0;
            int next = range[0];
            for (int f = 0; f <= settlements.size(); f++) {
                Step settlement = f < settlements.size() ? settlements.get(f) : null;
                int to = range[1];
                if (settlement != null) {
                    // The first step after the settlement's moment.
                    int low = next;
                    int high = range[1];
                    while (low < high) {
                        int mid = (low + high) >>> 1;
                        if (nanos[mid] <= settlement.nanos()) {
                            low = mid + 1;
                        } else {
                            high = mid;
                        }
                    }
                    to = low;
                }
                int length = to - next;
                for (int k = 0; k < length; k++) {
                    from[at + k] = next + k;
                }
                System.arraycopy(nanos, next, times, at, length);
                System.arraycopy(numbers.marks(), next, marks, at, length);
                at += length;
                next = to;
                if (settlement != null) {
                    made[at] = settlement;
                    from[at] = -1;
                    times[at] = settlement.nanos();
                    marks[at] = settlement.units();
                    at++;
                }
            }
            return new Window(
                    new WindowSteps(this, from, made),
                    new Numbers(
                            times,
                            marks,
                            Numbers.runEnds(marks, i -> true),
                            numbers.highs(),
                            numbers.lows(),
                            numbers.seconds(),
                            Numbers.oneSymbol(symbol),
                            walked.at(from)));
        }

        /** The steps of the candles that open in {@code [from, to)}; returns how many no mark candle covered. */
        int add(Instant from, Instant to, List<Step> into) {
            int[] range = range(from, to);
            into.addAll(steps.subList(range[0], range[1]));
            return uncovered(range);
        }
    }

    /** A walk's steps as a list: each made when asked for. */
    private static final class MadeSteps extends java.util.AbstractList<Step> implements java.util.RandomAccess {
        private final Walk walk;

        MadeSteps(Walk walk) {
            this.walk = walk;
        }

        @Override
        public Step get(int index) {
            java.util.Objects.checkIndex(index, size());
            return walk.step(index);
        }

        @Override
        public int size() {
            return walk.numbers.nanos().length;
        }
    }

    /**
     * A window's steps: its settlements, and its walk's steps each made the first time a replay asks for it and kept
     * (an entry's policies ask for the same steps). A replay asks only for the steps it takes in full and where a quiet
     * run ends, a small share of the window.
     */
    private static final class WindowSteps extends java.util.AbstractList<Step> implements java.util.RandomAccess {
        private final Walk walk;
        /** Each step's index in the walk, or -1 for a settlement (made already). */
        private final int[] from;

        private final Step[] made;

        WindowSteps(Walk walk, int[] from, Step[] made) {
            this.walk = walk;
            this.from = from;
            this.made = made;
        }

        @Override
        public Step get(int index) {
            Step step = made[index];
            if (step == null) {
                step = walk.step(from[index]);
                made[index] = step;
            }
            return step;
        }

        @Override
        public int size() {
            return made.length;
        }
    }

    /** A window's steps of one symbol and their numbers. */
    private record Window(List<Step> steps, Numbers numbers) {}

    private record WalkKey(String symbol, Path candles, Optional<Path> marks, boolean longFirst) {}

    /** Whether {@code time} is a whole number of candle intervals from the series' first candle. */
    private static boolean onGrid(CandleSeries series, Instant time) {
        if (series.candles().isEmpty()) {
            return false;
        }
        long millis =
                Duration.between(series.candles().getFirst().openTime(), time).toMillis();
        return Math.floorMod(millis, series.interval().toMillis()) == 0;
    }

    /** The whole file of {@code spec} walked, once per file, mark file and side order. */
    private Walk walk(Scenario.PositionSpec spec, CandleSeries all, Optional<CandleSeries> marks, boolean longFirst) {
        return walks.computeIfAbsent(
                new WalkKey(
                        spec.symbol(),
                        spec.candles().toAbsolutePath().normalize(),
                        spec.mark().map(p -> p.toAbsolutePath().normalize()),
                        longFirst),
                k -> Walk.of(spec.symbol(), all, marks, longFirst));
    }

    /** The largest move between two steps of the path inside a candle, as a fraction of the price. */
    static final BigDecimal STEP = WalkClock.STEP;

    /** How many steps a leg from {@code from} to {@code to} adds to a path: none where it does not move. */
    private static int legSteps(BigDecimal from, BigDecimal to) {
        BigDecimal move = to.subtract(from);
        return move.signum() == 0 ? 0 : Math.max(WalkClock.divisions(from, move) - 1, 0) + 1;
    }

    /** How many steps {@link #walkCandle} makes of {@code c}: its open, its three legs' steps and its close. */
    private static int steps(Candle c, boolean longFirst) {
        BigDecimal first = longFirst ? c.low() : c.high();
        BigDecimal second = longFirst ? c.high() : c.low();
        return 2 + legSteps(c.open(), first) + legSteps(first, second) + legSteps(second, c.close());
    }

    private static void walk(PricePath path, BigDecimal from, BigDecimal to, int toIs, int leg) {
        BigDecimal move = to.subtract(from);
        if (move.signum() == 0) {
            return;
        }
        int n = WalkClock.divisions(from, move);
        for (int i = 1; i < n; i++) {
            path.add(
                    from.add(move.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n), MC)),
                    BETWEEN,
                    leg,
                    i,
                    n);
        }
        path.add(to, toIs, leg, Math.max(n, 1), Math.max(n, 1));
    }

    /**
     * A fresh paper account for one policy's run of a scenario, its positions open at the window's first prices, and
     * what an engine for it needs: the policy, the margin rules, the tiers, the engine's and the gate's settings.
     */
    public record Opening(
            PaperVenue venue,
            ScalingPolicy policy,
            MarginRules rules,
            Map<String, RiskTierTable> tiers,
            Engine.Params params,
            Gate.Params gate,
            Instant start,
            List<Scenario.PositionSpec> positions,
            Settings settings) {

        /** The gate for this run: the settings' limits, each symbol's own with them. */
        public Gate newGate() {
            return settings.newGate();
        }

        /** What the engine hears when the positions open: each position as the venue holds it, then the balance. */
        public List<EngineEvent> truth() {
            List<EngineEvent> events = new ArrayList<>();
            for (Scenario.PositionSpec spec : positions) {
                events.add(PaperTruth.position(venue, spec.symbol(), spec.side(), start));
            }
            events.addAll(PaperTruth.balance(venue, start));
            return events;
        }
    }

    private Opening open(Scenario scenario, Loaded loaded, String policyName) {
        boolean autoAdd = policyName.equals("exchange-auto-add");
        PaperVenue.Config config =
                venueConfig(scenario.exchange(), settings.paper()).withAutoAddMargin(autoAdd);
        BigDecimal openingCosts = BigDecimal.ZERO;
        Map<PositionKey, BigDecimal> quantities = new LinkedHashMap<>();
        for (Scenario.PositionSpec spec : scenario.positions()) {
            BigDecimal open = loaded.openPrices().get(spec.symbol());
            BigDecimal qty =
                    spec.margin().multiply(spec.leverage()).divide(open, MC).setScale(6, RoundingMode.DOWN);
            if (qty.signum() <= 0) {
                throw new ScenarioFile.ScenarioException(
                        spec.where() + ".margin: " + spec.margin().toPlainString()
                                + " USDT at " + spec.leverage().toPlainString() + "x buys less than 0.000001 "
                                + spec.symbol() + " at " + open.toPlainString() + ": too small to open");
            }
            Optional<String> refused =
                    overBracket(loaded.tiers().get(spec.symbol()), spec.symbol(), qty.multiply(open), spec.leverage());
            if (refused.isPresent()) {
                throw new ScenarioFile.ScenarioException(spec.where() + ".leverage: " + refused.get() + ", was "
                        + spec.leverage().toPlainString());
            }
            quantities.put(new PositionKey(spec.symbol(), spec.side()), qty);
            BigDecimal margin = spec.marginMode() == MarginMode.ISOLATED ? spec.margin() : BigDecimal.ZERO;
            openingCosts = openingCosts.add(margin).add(qty.multiply(open).multiply(config.takerFee()));
        }
        PaperVenue venue = new PaperVenue(config, scenario.wallet().add(openingCosts));
        ScalingPolicy policy = policy(policyName, settings);
        if (!venue.capabilities().containsAll(policy.requires())) {
            throw new IllegalStateException("policy " + policyName + " needs " + policy.requires() + " but the "
                    + scenario.exchange().id() + " paper venue offers only " + venue.capabilities());
        }
        // A replay sees a symbol only as often as its candles allow: a mark is stale only when a whole candle (and one
        // more) passes without one, not after the live 30 s.
        Engine.Params defaults = settings.engine();
        // Ballast's policies keep an exchange-side backstop; the baselines are what others do, without one.
        boolean ballast = policyName.equals("budget") || policyName.equals("ladder");
        Engine.Params params = new Engine.Params(
                defaults.horizon(),
                defaults.volatilityMemory(),
                defaults.sigmaFloor(),
                defaults.episodeEndsAfter(),
                loaded.longestInterval().multipliedBy(2).plus(defaults.staleAfter()),
                ballast ? defaults.backstop() : Optional.empty(),
                ballast ? settings.engineWithSymbols().symbolBackstops() : Map.of());
        // The venue sees none of the warm-up: opening the positions first changes nothing the engine hears.
        for (Scenario.PositionSpec spec : scenario.positions()) {
            venue.open(
                    spec.symbol(),
                    spec.side(),
                    spec.marginMode(),
                    quantities.get(new PositionKey(spec.symbol(), spec.side())),
                    loaded.openPrices().get(spec.symbol()),
                    spec.margin(),
                    spec.leverage(),
                    loaded.tiers().get(spec.symbol()).tiers());
        }
        return new Opening(
                venue,
                policy,
                rules(scenario.exchange(), settings.paper()),
                loaded.tiers(),
                params,
                settings.gate(),
                loaded.steps().get(0).time(),
                scenario.positions(),
                settings);
    }

    private ReplayReport.PolicyRun runOne(
            Scenario scenario,
            Loaded loaded,
            String policyName,
            LongConsumer progress,
            List<String> notes,
            boolean shareSigma) {
        Opening opening = open(scenario, loaded, policyName);
        PaperVenue venue = opening.venue();
        ScalingPolicy policy = opening.policy();
        Gate gate = opening.newGate();
        Engine engine = new Engine(opening.rules(), opening.tiers(), policy, gate, opening.params(), monitor);
        if (shareSigma) {
            engine.share(memos(loaded).liquidations);
        }
        loaded.warmUp().play(engine);
        Map<PositionKey, TraceBuilder> traces = new LinkedHashMap<>();
        for (Scenario.PositionSpec spec : scenario.positions()) {
            traces.put(
                    new PositionKey(spec.symbol(), spec.side()),
                    new TraceBuilder(
                            spec.symbol(),
                            spec.side(),
                            Math.max(1, loaded.steps().size() / points),
                            afterEvents));
        }
        Dispatcher dispatcher = new PaperDispatcher(venue);
        tell(engine, dispatcher, opening.truth());
        Optional<BigDecimal> lossBudget = Optional.empty();
        if (policy.name().equals("budget")) {
            BigDecimal sum = BigDecimal.ZERO;
            for (Engine.OpeningBook opened : engine.openingBooks()) {
                ScalingPolicy own = policy instanceof SymbolPolicies symbols ? symbols.of(opened.symbol()) : policy;
                sum = sum.add(((BudgetPolicy) own).budget(opened.book()));
            }
            lossBudget = Optional.of(sum);
        }
        Pass pass = new Pass(scenario, loaded, engine, venue, dispatcher, traces, progress, shareSigma);
        pass.run();
        int liquidations = pass.liquidations;
        int actions = pass.actions;
        BigDecimal cutNotional = pass.cutNotional;
        List<ReplayReport.EquityPoint> equity = pass.equity;
        long done = pass.done;
        progress.accept(done % PROGRESS_EVERY);
        equity.add(new ReplayReport.EquityPoint(loaded.steps().getLast().time(), venue.equity()));
        PaperVenue.Ledger ledger = venue.ledger();
        if (ledger.coveredByVenue().signum() > 0) {
            notes.add(policyName + ": "
                    + ledger.coveredByVenue().setScale(2, RoundingMode.HALF_UP).toPlainString()
                    + " USDT of losses beyond the margin behind them (fills past the bankruptcy price) were the"
                    + " venue's, not the account's");
        }
        if (ledger.fundingUncollected().signum() > 0) {
            notes.add(policyName + ": "
                    + ledger.fundingUncollected()
                            .setScale(2, RoundingMode.HALF_UP)
                            .toPlainString()
                    + " USDT of funding exceeded an isolated wallet and could not be collected (the position was"
                    + " liquidated)");
        }
        Optional<BigDecimal> minDistance = Optional.empty();
        List<ReplayReport.PositionTrace> positionTraces = new ArrayList<>();
        for (TraceBuilder trace : traces.values()) {
            // A liquidated position came all the way to its liquidation price, whatever the monitor last measured.
            Optional<BigDecimal> d = trace.liquidatedAt.isPresent()
                    ? Optional.of(BigDecimal.ZERO)
                    : engine.minDistance(trace.symbol, trace.side);
            if (d.isPresent()) {
                minDistance = Optional.of(minDistance.map(x -> x.min(d.get())).orElse(d.get()));
            }
            positionTraces.add(trace.build(venue.holding(trace.symbol, trace.side)
                    .map(PaperVenue.Holding::qty)
                    .orElse(BigDecimal.ZERO)));
        }
        ReplayReport.Summary summary = new ReplayReport.Summary(
                liquidations,
                venue.equity(),
                ledger.marginAdded(),
                ledger.marginKept(),
                ledger.marginRemoved(),
                cutNotional.setScale(2, RoundingMode.HALF_UP),
                ledger.realisedPnl(),
                ledger.fees(),
                ledger.funding(),
                actions,
                minDistance.map(x -> x.multiply(BigDecimal.valueOf(100))));
        return new ReplayReport.PolicyRun(policyName, summary, positionTraces, equity, lossBudget);
    }

    /**
     * Takes the steps from {@code index} on in fixed point while every position is quiet at them and the venue proves
     * them safe ({@link Engine#quietRun}, {@link PaperVenue#safeRun}): marks and candle closes of one symbol, up to the
     * next trace or equity sample, signal, funding or other symbol, exactly as the loop of {@link #runOne} would take
     * them (the closes only move the volatility; nothing else happens on a quiet mark). Returns the first step not
     * taken; {@code index} when none was.
     */
    private static int quietly(
            int index,
            List<Step> steps,
            Numbers numbers,
            Engine engine,
            PaperVenue venue,
            Map<PositionKey, TraceBuilder> traces,
            long done,
            int equityStride,
            Scenario scenario,
            int nextSignal,
            VolatilityMemo memo) {
        String symbol = numbers.symbol(index);
        Engine.QuietRun quiet = engine.quietRun(symbol);
        if (quiet == null) {
            return index;
        }
        PaperVenue.SafeRun safe = venue.safeRun(symbol);
        if (safe == null) {
            quiet.abandon();
            return index;
        }
        TraceBuilder trace = null;
        for (TraceBuilder t : traces.values()) {
            if (t.symbol.equals(symbol)) {
                if (trace != null) {
                    quiet.abandon();
                    return index;
                }
                trace = t;
            }
        }
        // The price step after an event (a funding settlement, say) is sampled: the run records it as the loop would.
        boolean forced = trace != null && trace.forceNext;
        long signalAt = nextSignal < scenario.signals().size()
                ? Engine.epochNanos(scenario.signals().get(nextSignal).at())
                : Long.MAX_VALUE;
        int end = numbers.runEnd()[index];
        // A price step is sampled (trace or equity) by the loop itself: the run stops before it. The loop samples the
        // equity at the step it counts to a multiple of the stride (k + 1 - index more than done), the trace at the
        // mark it counts to a multiple of its own; worked out here once, not as a remainder per mark.
        // (done and the counts are never negative: plain remainders, no sign to branch on.)
        long equityAt = index + equityStride - 1 - done % equityStride;
        long traceAt = trace == null ? Long.MAX_VALUE : (trace.stride - trace.count % trace.stride) % trace.stride;
        int k = index;
        int lastMark = -1;
        int marks = 0;
        while (k < end && numbers.nanos()[k] < signalAt) {
            long mark = numbers.marks()[k];
            if (mark == Numbers.CLOSE) {
                if (numbers.seconds(k) >= 0) {
                    quiet.candle(numbers.high(k), numbers.low(k), numbers.seconds(k), memo, k);
                }
                if (k == equityAt) {
                    equityAt += equityStride;
                }
                k++;
                continue;
            }
            if (k == equityAt
                    || marks == traceAt
                    || !safe.safe(mark)
                    || !quiet.take(numbers.nanos()[k], mark, memo, k)) {
                break;
            }
            if (forced) {
                trace.point(steps.get(k), engine, venue);
                forced = false;
            }
            lastMark = k;
            marks++;
            k++;
            // The marks after it that the memo holds from the same run, each one take would take from its slot: taken
            // at
            // once (Engine.QuietRun#jump), up to the next close, sample or signal, as this loop would take them.
            int limit = (int) Math.min(end, equityAt);
            if (trace != null) {
                limit = (int) Math.min(limit, (long) k + traceAt - marks);
            }
            int jumped =
                    quiet.jump(k, limit, numbers.nanos(), numbers.marks(), safe.low(), safe.high(), signalAt, memo);
            if (jumped > k) {
                marks += jumped - k;
                lastMark = jumped - 1;
                k = jumped;
            }
        }
        if (lastMark >= 0) {
            Step last = steps.get(lastMark);
            quiet.finish(last.markEvent());
            safe.finish(last.time(), last.last(), last.mark());
        }
        if (k > index && k - 1 != lastMark) {
            quiet.end(numbers.time(k - 1));
        } else if (k == index) {
            quiet.abandon();
        }
        if (trace != null) {
            trace.count += marks;
        }
        return k;
    }

    /** What the venue did on its own, into the trace and the engine; 1 for a liquidation, else 0. */
    private int onVenueEvent(
            PaperVenue.VenueEvent event,
            Engine engine,
            PaperVenue venue,
            Dispatcher dispatcher,
            Map<PositionKey, TraceBuilder> traces) {
        switch (event) {
            case PaperVenue.VenueEvent.Liquidated l -> {
                trace(traces, l.symbol(), l.side()).liquidated(l.time(), l.markPrice(), l.marginLost());
                tell(engine, dispatcher, PaperTruth.of(venue, event));
                return 1;
            }
            case PaperVenue.VenueEvent.BackstopTriggered b -> {
                trace(traces, b.symbol(), b.side())
                        .event(
                                b.time(),
                                "backstop",
                                b.qty(),
                                b.fillPrice(),
                                "the mark " + ballast.core.Decimals.readable(b.markPrice())
                                        + " reached the exchange-side backstop at "
                                        + ballast.core.Decimals.readable(b.trigger())
                                        + ": the venue closed the position");
                tell(engine, dispatcher, PaperTruth.of(venue, event));
                return 0;
            }
            case PaperVenue.VenueEvent.AutoAdded a -> {
                trace(traces, a.symbol(), a.side())
                        .event(
                                a.time(),
                                "auto-add",
                                a.amount(),
                                a.markPrice(),
                                "the exchange added one maintenance margin");
                tell(engine, dispatcher, PaperTruth.of(venue, event));
                return 0;
            }
            case PaperVenue.VenueEvent.FundingPaid f -> {
                if (fundingEvents) {
                    trace(traces, f.symbol(), f.side())
                            .event(
                                    f.time(),
                                    "funding",
                                    f.cashFlow(),
                                    f.markPrice(),
                                    "rate " + f.rate().toPlainString());
                } else if (afterEvents) {
                    // The point after it, as the event would have asked for.
                    trace(traces, f.symbol(), f.side()).forceNext = true;
                }
                tell(engine, dispatcher, PaperTruth.of(venue, event));
                return 0;
            }
        }
    }

    /** Tells the engine {@code events}; the backstops it places or cancels on hearing them reach the venue at once. */
    private static void tell(Engine engine, Dispatcher dispatcher, List<EngineEvent> events) {
        for (EngineEvent e : events) {
            for (Intent intent : engine.step(e).intents()) {
                if (intent.action() instanceof Action.PlaceBackstop
                        || intent.action() instanceof Action.CancelBackstop) {
                    engine.step(new EngineEvent.OutcomeReported(e.time(), intent, dispatcher.dispatch(intent)));
                }
            }
        }
    }

    private static TraceBuilder trace(Map<PositionKey, TraceBuilder> traces, String symbol, Side side) {
        return traces.get(new PositionKey(symbol, side));
    }

    /** The paper venue's costs come from the profile; OKX and Gate also count the taker fee in maintenance. */
    public static PaperVenue.Config venueConfig(Venue venue, Settings.Paper paper) {
        boolean feeInMaintenance = venue == Venue.OKX || venue == Venue.GATE;
        return new PaperVenue.Config(
                venue, paper.takerFee(), paper.slippage(), paper.liquidationFee(), feeInMaintenance, false);
    }

    static MarginRules rules(Venue venue, Settings.Paper paper) {
        return switch (venue) {
            case BINANCE -> MarginRules.binance();
            case BYBIT -> MarginRules.bybit();
            case OKX -> MarginRules.okx(paper.takerFee());
            case GATE -> MarginRules.gate(paper.takerFee());
            case KUCOIN -> MarginRules.kucoin();
        };
    }

    /** The policy {@code name} with its settings. */
    public static ScalingPolicy policy(String name, Settings settings) {
        if (!settings.symbols().isEmpty()) {
            Map<String, ScalingPolicy> bySymbol = new LinkedHashMap<>();
            settings.symbols().forEach((symbol, own) -> bySymbol.put(symbol, policy(name, own)));
            return new SymbolPolicies(policy(name, settings.withSymbolsOnly()), bySymbol);
        }
        return switch (name) {
            case "budget" -> new BudgetPolicy(settings.budget());
            case "ladder" -> new LadderPolicy(settings.ladder());
            case "none", "exchange-auto-add" -> new HoldPolicy(name);
            case "buffer-exit" -> new BufferExitPolicy(settings.bufferExit());
            default ->
                throw new IllegalArgumentException(
                        "unknown policy '" + name + "'; known: " + String.join(", ", POLICIES));
        };
    }

    /** Collects one position's downsampled path and its events. */
    private static final class TraceBuilder {
        final String symbol;
        final Side side;
        final int stride;
        final List<ReplayReport.TracePoint> points = new ArrayList<>();
        final List<ReplayReport.ActionEvent> events = new ArrayList<>();
        Optional<Instant> liquidatedAt = Optional.empty();
        BigDecimal qtyCut = BigDecimal.ZERO;
        /** Whether the point after each event is kept. */
        final boolean afterEvents;

        long count;
        boolean forceNext;

        TraceBuilder(String symbol, Side side, int stride, boolean afterEvents) {
            this.symbol = symbol;
            this.side = side;
            this.stride = stride;
            this.afterEvents = afterEvents;
        }

        /** Whether this step is sampled: every {@code stride}-th, and the one after an event. */
        boolean due() {
            return count++ % stride == 0 || forceNext;
        }

        /** The sampled step, with the liquidation the engine measured last while the venue still holds the position. */
        void point(Step step, Engine engine, PaperVenue venue) {
            boolean held = venue.holding(symbol, side).isPresent();
            point(step, engine.liquidation(symbol, side).filter(l -> held));
        }

        /** The sampled step, with the liquidation the monitor measured last (looked up only for sampled steps). */
        void point(Step step, Optional<Liquidation> liquidation) {
            Optional<BigDecimal> price =
                    liquidation.filter(l -> l instanceof Liquidation.At).map(l -> ((Liquidation.At) l).price());
            points.add(new ReplayReport.TracePoint(step.time(), step.last(), step.mark(), price));
            forceNext = false;
        }

        void event(Instant time, String kind, BigDecimal amount, BigDecimal price, String detail) {
            events.add(new ReplayReport.ActionEvent(time, kind, amount, price, detail));
            forceNext = afterEvents;
        }

        void liquidated(Instant time, BigDecimal mark, BigDecimal marginLost) {
            liquidatedAt = Optional.of(time);
            event(
                    time,
                    "liquidation",
                    marginLost,
                    mark,
                    "mark " + ballast.core.Decimals.readable(mark) + " crossed the liquidation price; margin lost");
        }

        ReplayReport.PositionTrace build(BigDecimal qtyAtEnd) {
            return new ReplayReport.PositionTrace(symbol, side, points, events, liquidatedAt, qtyAtEnd, qtyCut);
        }
    }
}
