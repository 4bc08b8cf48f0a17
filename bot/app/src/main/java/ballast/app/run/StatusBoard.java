package ballast.app.run;

import ballast.core.policy.Action;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Step;
import ballast.kernel.TradingState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * What readers may know of the running bot: an immutable {@link Snapshot} the engine thread publishes after every step
 * that decided something or heard of the account, and after quiet marks at most four times a second, and the
 * Prometheus metrics read from it. Readers (the status server, {@code ballast status}) never touch the engine.
 */
public final class StatusBoard implements Bot.Listener {

    /** The bot as it stands: the engine's view, its last actions, its feeds' ages and its inbox. */
    public record Snapshot(
            String profile,
            Instant time,
            TradingState tradingState,
            BigDecimal freeBalance,
            BigDecimal dayBudget,
            BigDecimal daySpent,
            List<Engine.PositionView> positions,
            List<String> lastActions,
            Optional<Duration> oldestMark,
            int inboxDepth,
            long inboxOverflows) {
        public Snapshot {
            positions = List.copyOf(positions);
            lastActions = List.copyOf(lastActions);
        }

        /**
         * Why the bot is not healthy at {@code now} (trading not ACTIVE, a position's newest mark older than
         * {@code staleAfter}), or empty when it is. The marks' age is taken at the question, not at the snapshot: a
         * silent feed publishes no new snapshot.
         */
        public Optional<String> unhealthy(Instant now, Duration staleAfter) {
            if (tradingState != TradingState.ACTIVE) {
                return Optional.of("trading is " + tradingState);
            }
            for (Engine.PositionView p : positions) {
                if (p.markTime().isPresent()) {
                    Duration age = Duration.between(p.markTime().get(), now);
                    if (age.compareTo(staleAfter) > 0) {
                        return Optional.of(p.key().label() + ": no mark for " + age.toSeconds() + " s");
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** When the last mark of any symbol was stepped, by the board's clock (at first: when the board was made). */
    private volatile Instant lastMark;

    /**
     * Why the bot is not healthy at {@code now}: what {@link Snapshot#unhealthy} says, or no mark of any symbol for
     * {@code staleAfter} (a mark stream that never connected leaves no position with an old mark to tell it).
     */
    public Optional<String> unhealthy(Instant now, Duration staleAfter) {
        Optional<Snapshot> snapshot = latest();
        if (snapshot.isEmpty()) {
            return Optional.of("starting: no step taken yet");
        }
        Optional<String> sick = snapshot.get().unhealthy(now, staleAfter);
        if (sick.isPresent()) {
            return sick;
        }
        Duration silent = Duration.between(lastMark, now);
        if (silent.compareTo(staleAfter) > 0) {
            return Optional.of("no mark from the venue for " + silent.toSeconds() + " s");
        }
        return Optional.empty();
    }

    private static final long EVERY_NANOS = 250_000_000L;
    private static final int LAST_ACTIONS = 10;
    private static final long GAUGES_EVERY_NANOS = 1_000_000_000L;
    /** When the per-position gauges were last registered (engine thread only; 0: never). */
    private long gaugesAt;
    /** The positions the gauges were last registered for. */
    private List<ballast.core.PositionKey> gauged = List.of();

    private final String profile;
    private final long quietNanos;
    private final Clock clock;
    private final IntSupplier inboxDepth;
    private final java.util.function.LongSupplier overflows;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final ArrayDeque<String> lastActions = new ArrayDeque<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge distance;
    private final MultiGauge z;
    private final MultiGauge liquidation;
    private final MultiGauge margin;
    private final MultiGauge level;
    private final MultiGauge budgetLeft;
    private long publishedNanos;

    /** An account event was not published because more were waiting: the view is behind the engine. */
    private boolean behind;

    public StatusBoard(String profile, Clock clock, IntSupplier inboxDepth, java.util.function.LongSupplier overflows) {
        this(profile, clock, inboxDepth, overflows, Duration.ofNanos(EVERY_NANOS));
    }

    /**
     * @param quietEvery how often a mark that decided nothing is published: a replayed market moves thousands of marks a
     *     second and a status page needs a few; live, each symbol's mark comes once a second, and every one is shown
     *     ({@link Duration#ZERO})
     */
    public StatusBoard(
            String profile,
            Clock clock,
            IntSupplier inboxDepth,
            java.util.function.LongSupplier overflows,
            Duration quietEvery) {
        this.quietNanos = quietEvery.toNanos();
        this.profile = profile;
        this.clock = clock;
        this.lastMark = clock.instant();
        this.inboxDepth = inboxDepth;
        this.overflows = overflows;
        distance = MultiGauge.builder("ballast.position.distance")
                .description("distance from the mark to the liquidation price, as a fraction of the mark")
                .register(registry);
        z = MultiGauge.builder("ballast.position.z")
                .description("distance to liquidation in σ over the horizon")
                .register(registry);
        liquidation = MultiGauge.builder("ballast.position.liquidation.price")
                .description("liquidation price (USDT)")
                .register(registry);
        margin = MultiGauge.builder("ballast.position.margin")
                .description("the position's margin (isolated wallet, or the cross wallet), USDT")
                .register(registry);
        level = MultiGauge.builder("ballast.position.level")
                .description("risk level: 0 WATCH, 1 WARN, 2 TOP_UP, 3 CUT, 4 CLOSE")
                .register(registry);
        budgetLeft = MultiGauge.builder("ballast.position.episode.budget.left")
                .description("what the position's episode may still spend on top-ups, USDT")
                .register(registry);
        // Gauges take numbers; Micrometer turns them into Prometheus's text. No figure read back from a metric reaches
        // a venue or a ledger.
        Gauge.builder(
                        "ballast.trading.state",
                        () -> latest().map(r -> (Number) r.tradingState().ordinal())
                                .orElse(null))
                .description("0 ACTIVE, 1 REDUCING, 2 HALTED")
                .register(registry);
        Gauge.builder("ballast.inbox.depth", () -> (Number) inboxDepth.getAsInt())
                .description("events waiting for the engine")
                .register(registry);
        Gauge.builder(
                        "ballast.feed.age.seconds",
                        () -> latest().flatMap(Snapshot::oldestMark)
                                .map(d -> (Number) BigDecimal.valueOf(d.toMillis(), 3))
                                .orElse(null))
                .description("age of the oldest newest mark among the positions' symbols")
                .register(registry);
        Gauge.builder(
                        "ballast.free.balance",
                        () -> latest().map(r -> (Number) r.freeBalance()).orElse(null))
                .description("the account's free balance, USDT")
                .register(registry);
    }

    /** The latest snapshot; empty before the first step. */
    public Optional<Snapshot> latest() {
        return Optional.ofNullable(latest.get());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void stepped(Engine engine, EngineEvent event, Step step) {
        stepped(engine, event, step, false);
    }

    /**
     * While more events wait, an account event that decided nothing is not published on its own: the last of a read's
     * events publishes the whole view once (and until it does, a quiet mark is not patched into a stale view).
     */
    @Override
    public void stepped(Engine engine, EngineEvent event, Step step, boolean more) {
        for (Decided d : step.decided()) {
            if (d instanceof Decided.Issued i && !(i.intent().action() instanceof Action.Alert)) {
                remember(i.time() + "  " + Describe.action(i.intent().action()) + "  ["
                        + i.intent().clientId() + "]");
            }
        }
        if (event instanceof EngineEvent.OutcomeReported o) {
            remember(o.time() + "  " + Describe.outcome(o.intent().action(), o.outcome()) + "  ["
                    + o.intent().clientId() + "]");
            Counter.builder("ballast.actions")
                    .description("actions the venue answered, by kind and outcome")
                    .tags("kind", Describe.kind(o.intent().action()), "outcome", Describe.kind(o.outcome()))
                    .register(registry)
                    .increment();
        }
        if (event instanceof EngineEvent.MarkUpdated) {
            lastMark = clock.instant();
        }
        long now = System.nanoTime();
        boolean market = event instanceof EngineEvent.MarkUpdated || event instanceof EngineEvent.CandleClosed;
        if (more && step.isEmpty() && !market) {
            behind = true;
            return;
        }
        if (step.isEmpty() && market && latest.get() != null && now - publishedNanos < quietNanos) {
            return;
        }
        publishedNanos = now;
        Snapshot last = latest.get();
        boolean stale = behind;
        behind = false;
        if (step.isEmpty() && event instanceof EngineEvent.MarkUpdated m && last != null && !stale) {
            // A quiet mark changes its own symbol's positions only: measure those, keep the rest as they were.
            List<Engine.PositionView> fresh = engine.view(m.symbol());
            List<Engine.PositionView> positions =
                    new ArrayList<>(last.positions().size());
            int replaced = 0;
            for (Engine.PositionView p : last.positions()) {
                if (p.key().symbol().equals(m.symbol())) {
                    if (replaced < fresh.size()) {
                        positions.add(fresh.get(replaced++));
                    }
                } else {
                    positions.add(p);
                }
            }
            if (replaced == fresh.size()) {
                publish(new Engine.View(
                        last.tradingState(), last.freeBalance(), last.dayBudget(), last.daySpent(), positions));
                return;
            }
        }
        publish(engine.view());
    }

    private void remember(String line) {
        if (lastActions.size() == LAST_ACTIONS) {
            lastActions.removeFirst();
        }
        lastActions.addLast(line);
    }

    private void publish(Engine.View view) {
        Instant now = clock.instant();
        Optional<Duration> oldest = view.positions().stream()
                .flatMap(p -> p.markTime().stream())
                .map(t -> Duration.between(t, now))
                .max(Duration::compareTo);
        Snapshot snapshot = new Snapshot(
                profile,
                now,
                view.tradingState(),
                view.freeBalance(),
                view.dayBudget(),
                view.daySpent(),
                view.positions(),
                new ArrayList<>(lastActions),
                oldest,
                inboxDepth.getAsInt(),
                overflows.getAsLong());
        latest.set(snapshot);
        // Micrometer replaces a multi-gauge's meters on every register: at most once a second (a scrape comes every
        // 15 s or so), or a bot on 200 symbols spends its engine thread rebuilding meters.
        // A position opened or closed is shown at once.
        long nanos = System.nanoTime();
        List<ballast.core.PositionKey> keys =
                view.positions().stream().map(Engine.PositionView::key).toList();
        if (gaugesAt != 0 && nanos - gaugesAt < GAUGES_EVERY_NANOS && keys.equals(gauged)) {
            return;
        }
        gaugesAt = nanos;
        gauged = keys;
        distance.register(rows(view, p -> p.distance().orElse(null)), true);
        z.register(rows(view, p -> p.z().orElse(null)), true);
        liquidation.register(rows(view, p -> p.liquidationPrice().orElse(null)), true);
        margin.register(rows(view, Engine.PositionView::wallet), true);
        level.register(rows(view, p -> BigDecimal.valueOf(p.level().ordinal())), true);
        budgetLeft.register(rows(view, p -> p.episodeBudget().subtract(p.episodeSpent())), true);
    }

    private static List<MultiGauge.Row<?>> rows(
            Engine.View view, java.util.function.Function<Engine.PositionView, BigDecimal> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Engine.PositionView p : view.positions()) {
            BigDecimal v = value.apply(p);
            if (v != null) {
                rows.add(MultiGauge.Row.of(
                        Tags.of(
                                "symbol",
                                p.key().symbol(),
                                "side",
                                p.key().side().label()),
                        v));
            }
        }
        return rows;
    }
}
