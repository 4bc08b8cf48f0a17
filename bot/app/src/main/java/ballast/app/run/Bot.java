package ballast.app.run;

import ballast.app.venue.Dispatcher;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Intent;
import ballast.kernel.Step;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The running bot (architecture.md §5): stream threads, jobs and the executor only put events into one bounded
 * {@link Inbox}; one engine thread takes them, calls {@link Engine#step}, journals what the step decided (before any
 * intent leaves), and hands the intents to the executor thread, which sends them through the rate limit, protective
 * first, and puts each outcome back into the inbox as an event. The engine thread is the only one that touches the
 * engine; a {@link Listener} it calls after each step may read it there.
 */
public final class Bot implements AutoCloseable {

    /** Told on the engine thread after every step, and of faults on whichever thread found them. */
    public interface Listener {
        default void stepped(Engine engine, EngineEvent event, Step step) {}

        /**
         * As {@link #stepped(Engine, EngineEvent, Step)}; {@code more}: other events already wait in the inbox (one
         * REST read of 200 positions is 200 events), so a listener may leave work that only the last one needs.
         */
        default void stepped(Engine engine, EngineEvent event, Step step, boolean more) {
            stepped(engine, event, step);
        }

        default void fault(String what) {}

        /** Every one of {@code listeners}, in order. */
        static Listener all(Listener... listeners) {
            return new Listener() {
                @Override
                public void stepped(Engine engine, EngineEvent event, Step step) {
                    stepped(engine, event, step, false);
                }

                @Override
                public void stepped(Engine engine, EngineEvent event, Step step, boolean more) {
                    for (Listener l : listeners) {
                        l.stepped(engine, event, step, more);
                    }
                }

                @Override
                public void fault(String what) {
                    for (Listener l : listeners) {
                        l.fault(what);
                    }
                }
            };
        }
    }

    /**
     * @param inboxCapacity events the inbox holds before an account event counts as an overflow (marks coalesce)
     * @param ordersPerPeriod the venue's order quota per {@code period}
     * @param period the quota's period
     * @param reservePct the share of the quota that only protective intents may use
     * @param heartbeat how often a {@link EngineEvent.TimerFired} is put into the inbox, so the engine notices what has
     *     not happened (a silent feed) as well as what has
     */
    public record Config(int inboxCapacity, int ordersPerPeriod, Duration period, int reservePct, Duration heartbeat) {
        public Config {
            if (heartbeat.isNegative() || heartbeat.isZero()) {
                throw new IllegalArgumentException("the heartbeat must be positive, was " + heartbeat);
            }
            if (reservePct < 0 || reservePct > 100) {
                throw new IllegalArgumentException("the protective reserve must be 0-100 %, was " + reservePct);
            }
            if (ordersPerPeriod < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("an order quota must be at least 1 per a positive period, was "
                        + ordersPerPeriod + " per " + period);
            }
        }

        /** A heartbeat of a second. */
        public Config(int inboxCapacity, int ordersPerPeriod, Duration period, int reservePct) {
            this(inboxCapacity, ordersPerPeriod, period, reservePct, Duration.ofSeconds(1));
        }

        /** Binance USDⓈ-M's order quota (300 per 10 s per account), a fifth of it kept for protection. */
        public static Config defaults() {
            return new Config(10_000, 300, Duration.ofSeconds(10), 20);
        }
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private final Engine engine;
    private final Journal journal;
    private final Dispatcher dispatcher;
    private final Function<Intent, List<EngineEvent>> truthAfter;
    private final Clock clock;
    private final Listener listener;
    private final Inbox inbox;
    private final Config config;
    private final Lanes lanes = new Lanes();
    private final RateLimiter orders;
    private final int reserve;
    private final Thread engineThread;
    private final Thread executorThread;
    private final java.util.concurrent.ScheduledExecutorService reconciler =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ballast-reconcile-intents");
                t.setDaemon(true);
                return t;
            });

    private final Object idle = new Object();
    /** Events queued and intents handed over, not yet done with: zero when the bot has nothing left to do. */
    private long busy;

    /** Until when the venue told us to send nothing (429 Retry-After, 418 ban), and why. */
    private volatile Instant pausedUntil = Instant.MIN;

    private volatile String pauseReason = "";

    /** An intent waits out a pause this long at most; a longer one answers it NotSent, to be decided again after. */
    static final Duration HOLD = Duration.ofSeconds(30);

    /** The engine's memory as last journalled (engine thread only). */
    private Engine.Memory lastMemory;

    /** Steps since the memory was last compared may have changed it (engine thread only). */
    private boolean memoryDirty;

    private volatile boolean deciding = true;
    private volatile boolean running = true;

    /**
     * @param truthAfter what the venue tells the engine after an intent was carried out (the paper venue: its truth at
     *     once; live: nothing, the streams tell it)
     */
    public Bot(
            Engine engine,
            Journal journal,
            Dispatcher dispatcher,
            Function<Intent, List<EngineEvent>> truthAfter,
            Clock clock,
            Listener listener,
            Config config) {
        this.engine = engine;
        this.journal = journal;
        this.dispatcher = dispatcher;
        this.truthAfter = truthAfter;
        this.clock = clock;
        this.listener = listener;
        this.config = config;
        this.inbox = new Inbox(config.inboxCapacity());
        // Resilience4j's defaults are unsafe for trading (a 500 ns refresh period): everything is set here. The limiter
        // never waits itself; the executor decides what may wait.
        this.orders = RateLimiter.of(
                "orders",
                RateLimiterConfig.custom()
                        .limitForPeriod(config.ordersPerPeriod())
                        .limitRefreshPeriod(config.period())
                        .timeoutDuration(Duration.ZERO)
                        .build());
        this.reserve = config.ordersPerPeriod() * config.reservePct() / 100;
        this.engineThread = new Thread(this::engineLoop, "ballast-engine");
        this.executorThread = new Thread(this::executorLoop, "ballast-executor");
        engineThread.setDaemon(true);
        executorThread.setDaemon(true);
    }

    /**
     * Takes up where the journal left off, then starts the threads: the engine's memory is restored (budgets, episodes,
     * cooldowns, client ids), every intent the last process journalled but never saw answered counts as unknown (its
     * position is blocked), and each is reconciled with the venue before anything else is decided for it. Call before
     * the venue's truth is put.
     */
    public void start() {
        List<Journal.Unsettled> unsettled = journal.unsettled();
        List<Intent> waiting = unsettled.stream().map(Journal.Unsettled::intent).toList();
        journal.memory().ifPresent(memory -> engine.restore(memory, waiting));
        for (Journal.Unsettled u : unsettled) {
            reconcileLater(u.intent(), u.sentAt().orElse(u.issuedAt()), Duration.ZERO, 0);
        }
        engineThread.start();
        executorThread.start();
        long beat = config.heartbeat().toMillis();
        reconciler.scheduleAtFixedRate(
                () -> put(new EngineEvent.TimerFired(clock.instant())),
                beat,
                beat,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Asks the venue what became of {@code intent} after {@code delay}, again with a longer wait while it cannot tell. */
    private void reconcileLater(Intent intent, Instant sent, Duration delay, int attempt) {
        if (reconciler.isShutdown()) {
            // Stopping: the intent stays unsettled in the journal, and the next start reconciles it first.
            return;
        }
        begun();
        try {
            reconciler.schedule(
                    () -> {
                        try {
                            Outcome outcome = dispatcher.reconcile(intent, sent);
                            if (outcome instanceof Outcome.Unknown) {
                                reconcileLater(intent, sent, backoff(attempt), attempt + 1);
                            } else {
                                put(new EngineEvent.OutcomeReported(clock.instant(), intent, outcome));
                                for (EngineEvent event : truthAfter.apply(intent)) {
                                    put(event);
                                }
                            }
                        } catch (RuntimeException e) {
                            listener.fault("the reconcile of " + intent.clientId() + " failed: " + e);
                            reconcileLater(intent, sent, backoff(attempt), attempt + 1);
                        } finally {
                            done();
                        }
                    },
                    delay.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            done();
        }
    }

    /** 1 s, 2 s, 4 s ... up to a minute. */
    private static Duration backoff(int attempt) {
        return Duration.ofSeconds(Math.min(60, 1L << Math.min(attempt, 6)));
    }

    /**
     * The venue said to stop sending until {@code until} (any thread): the executor sends nothing, protective or not,
     * until then. An intent that would wait more than {@link #HOLD} is answered NotSent (its money goes back) so the
     * engine decides again on fresh truth once the venue takes requests again. Tell the engine with an
     * {@link EngineEvent.VenueBanned} as well: it holds trading REDUCING meanwhile.
     */
    public synchronized void pause(Instant until, String reason) {
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
            pauseReason = reason;
        }
    }

    /** Puts an event into the inbox; never blocks (any thread). */
    public void put(EngineEvent event) {
        begun();
        if (!inbox.put(event)) {
            // It replaced a waiting mark: the queue did not grow.
            done();
        }
    }

    /** Waits until every event put so far has been stepped and every intent it issued has been answered. */
    public void awaitIdle() throws InterruptedException {
        synchronized (idle) {
            while (busy > 0) {
                idle.wait();
            }
        }
    }

    /** One more event or intent the bot is not done with; {@link #done} when it is. */
    private void begun() {
        synchronized (idle) {
            busy++;
        }
    }

    private void done() {
        synchronized (idle) {
            busy--;
            if (busy == 0) {
                idle.notifyAll();
            }
        }
    }

    public int inboxDepth() {
        return inbox.depth();
    }

    public int deepestInbox() {
        return inbox.deepest();
    }

    public long inboxOverflows() {
        return inbox.overflows();
    }

    private void engineLoop() {
        while (running) {
            EngineEvent event;
            try {
                event = inbox.take(POLL);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                if (!deciding
                        && (event instanceof EngineEvent.MarkUpdated || event instanceof EngineEvent.TimerFired)) {
                    // Stopping: no new decisions; outcomes and account events are still heard and journalled.
                    continue;
                }
                step(event);
            } catch (RuntimeException e) {
                listener.fault("the engine failed on " + event + ": " + e);
            } finally {
                done();
            }
        }
    }

    private void step(EngineEvent event) {
        long overflowsBefore = inbox.overflows();
        Step step = engine.step(event);
        boolean quietMark = step.isEmpty()
                && (event instanceof EngineEvent.MarkUpdated
                        || event instanceof EngineEvent.CandleClosed
                        || event instanceof EngineEvent.TimerFired);
        // Written before any intent of the step leaves: a restart finds every intent that might have been sent. The
        // memory only when it changed, and, while more events wait and this step sends nothing, once for all of them:
        // a read of 200 positions is 200 events, not 200 comparisons of 200 books (nor 200 synced writes).
        boolean more = inbox.depth() > 0;
        memoryDirty |= !quietMark;
        Engine.Memory memory = null;
        if (memoryDirty && (!more || !step.intents().isEmpty())) {
            memoryDirty = false;
            memory = engine.memory();
            if (memory.equals(lastMemory)) {
                memory = null;
            } else {
                lastMemory = memory;
            }
        }
        journal.stepped(event, step, memory);
        if (step.intents().stream().anyMatch(i -> i.action() instanceof Action.TopUpMargin)) {
            Failpoints.hit(Failpoints.INTENT_JOURNALLED);
        }
        listener.stepped(engine, event, step, more);
        for (Intent intent : step.intents()) {
            if (intent.action() instanceof Action.Alert) {
                continue;
            }
            begun();
            lanes.offer(intent);
        }
        if (inbox.overflows() > overflowsBefore) {
            listener.fault("the engine's inbox is over its capacity (" + inbox.depth() + " waiting): the engine is"
                    + " behind the feeds");
        }
    }

    private void executorLoop() {
        while (running) {
            Intent intent;
            try {
                intent = lanes.take(POLL);
            } catch (InterruptedException e) {
                return;
            }
            if (intent == null) {
                continue;
            }
            try {
                Instant now = clock.instant();
                Instant until = pausedUntil;
                if (now.isBefore(until)) {
                    if (Duration.between(now, until).compareTo(HOLD) > 0) {
                        put(new EngineEvent.OutcomeReported(
                                now,
                                intent,
                                new Outcome.NotSent(
                                        "the venue asked for no requests until " + until + " (" + pauseReason + ")")));
                        continue;
                    }
                    lanes.putBack(intent);
                    begun();
                    Thread.sleep(50);
                    continue;
                }
                if (!permitted(intent)) {
                    lanes.putBack(intent);
                    begun();
                    Thread.sleep(50);
                    continue;
                }
                send(intent);
            } catch (InterruptedException e) {
                return;
            } finally {
                done();
            }
        }
    }

    /** Journals, sends and answers one intent; a failure of ours is told for what it is, never as a venue's answer. */
    private void send(Intent intent) {
        Instant sent = clock.instant();
        try {
            journal.sent(intent.clientId(), sent);
        } catch (RuntimeException e) {
            // Not written to the journal, so not sent: it did not happen, and says so.
            listener.fault("the journal could not record " + intent.clientId() + " as sent: " + e.getMessage());
            put(new EngineEvent.OutcomeReported(
                    sent, intent, new Outcome.NotSent("not journalled: " + e.getMessage())));
            return;
        }
        Outcome outcome;
        try {
            outcome = dispatcher.dispatch(intent);
        } catch (RuntimeException e) {
            listener.fault("the executor failed on " + intent.clientId() + ": " + e);
            outcome = new Outcome.Unknown("the executor failed: " + e.getMessage());
        }
        if (intent.action() instanceof Action.TopUpMargin) {
            Failpoints.hit(Failpoints.ANSWERED);
        }
        put(new EngineEvent.OutcomeReported(clock.instant(), intent, outcome));
        boolean backstop =
                intent.action() instanceof Action.PlaceBackstop || intent.action() instanceof Action.CancelBackstop;
        if (outcome instanceof Outcome.Unknown && !backstop) {
            // It may or may not have happened: ask the venue at once, and again until it can tell. (A backstop is
            // placed again from the venue's truth instead: it moves no money.)
            reconcileLater(intent, sent, Duration.ZERO, 0);
        }
        try {
            for (EngineEvent event : truthAfter.apply(intent)) {
                put(event);
            }
        } catch (RuntimeException e) {
            listener.fault("the venue's truth after " + intent.clientId() + " could not be read: " + e.getMessage());
        }
    }

    /**
     * A protective intent that moves money or size may use the whole quota; any other (the backstop's re-pricing
     * included: it moves no money, and a venue refusing it must not starve a top-up) leaves the reserve for protection.
     */
    private boolean permitted(Intent intent) {
        boolean reserved = intent.action().protective()
                && !(intent.action() instanceof Action.PlaceBackstop)
                && !(intent.action() instanceof Action.CancelBackstop);
        if (!reserved && orders.getMetrics().getAvailablePermissions() <= reserve) {
            return false;
        }
        return orders.acquirePermission();
    }

    /**
     * Stops deciding, waits up to {@code grace} for what is in flight to settle (what has not is left unsettled in the
     * journal for the next start), then stops the threads. Returns whether everything settled.
     */
    public boolean stop(Duration grace) throws InterruptedException {
        deciding = false;
        long deadline = System.nanoTime() + grace.toNanos();
        boolean settled;
        synchronized (idle) {
            while (busy > 0 && System.nanoTime() < deadline) {
                idle.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            }
            settled = busy == 0;
        }
        running = false;
        reconciler.shutdownNow();
        engineThread.join(POLL.toMillis() * 5);
        executorThread.join(POLL.toMillis() * 5);
        return settled;
    }

    @Override
    public void close() {
        if (running) {
            try {
                stop(Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
