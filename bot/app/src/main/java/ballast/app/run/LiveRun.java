package ballast.app.run;

import ballast.app.config.RunSettings;
import ballast.app.config.Settings;
import ballast.app.format.Figures;
import ballast.app.live.VenueBridge;
import ballast.app.replay.ReplayRunner;
import ballast.app.venue.GatewayDispatcher;
import ballast.core.policy.ScalingPolicy;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.IntentIds;
import ballast.kernel.Monitor;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code ballast run --profile paper|testnet|live}: the bot beside a venue account. Start-up, in order: the
 * single-instance lock of the account; the venue's own start-up, which changes nothing on the account (its credentials,
 * clock, ownership check, quotas, brackets: {@link LiveVenue}); the journal; the engine restored from the journal, every unsettled intent reconciled before its position is
 * acted on; the venue's REST truth; then the feeds and the jobs. It runs until a signal interrupts the calling thread,
 * then stops deciding, lets what is in flight settle for {@code run.stopGrace}, and closes everything.
 */
public final class LiveRun {

    /** Exit codes besides 0 (stopped by a signal) and 2 (a mistake in the settings or flags). */
    public static final int NOT_FIT = 3;

    public static final int COULD_NOT_START = 4;

    /** The bot could not start, for a reason the message names; nothing was sent to the venue. */
    public static final class CannotStart extends RuntimeException {
        private final int exit;

        public CannotStart(int exit, String message) {
            super(message);
            this.exit = exit;
        }

        public int exit() {
            return exit;
        }
    }

    /**
     * @param profile testnet or live: what the lock and the messages call the account
     * @param journal the account's journal
     * @param statusPort where /status, /health and /metrics listen on 127.0.0.1 (0: any free port)
     * @param portFile where that port is written for {@code ballast status}
     * @param statusEvery time between two status lines per position
     */
    public record Options(
            String profile, String policy, Path journal, int statusPort, Path portFile, Duration statusEvery) {}

    private LiveRun() {}

    /**
     * Runs the bot until the calling thread is interrupted (a signal). Returns 0 when it stopped cleanly.
     *
     * @param connect the venue's start-up, told where to print what it found; it runs once the lock is held
     * @throws CannotStart when it could not start; nothing was sent to the venue then
     */
    public static int run(
            Settings settings,
            RunSettings run,
            Options options,
            Function<PrintWriter, LiveVenue> connect,
            PrintWriter out,
            List<Alerter.Target> alertTargets,
            Clock clock) {
        ScalingPolicy policy = ReplayRunner.policy(options.policy(), settings);
        String account = "the " + options.profile() + " account";
        try (InstanceLock lock = InstanceLock.take(sibling(options.journal(), ".lock"), account)) {
            out.println("Ballast " + options.profile() + ", policy " + options.policy() + "; journal "
                    + options.journal().toAbsolutePath());
            if (!settings.symbols().isEmpty()) {
                out.println("Settings of their own (symbols: in the settings): "
                        + String.join(", ", settings.symbols().keySet()) + ".");
            }
            out.flush();
            // The venue's start-up sends nothing that changes the account: a venue that cannot be reached or kept
            // leaves no journal behind.
            try (LiveVenue venue = connect.apply(out);
                    Journal journal = Journal.open(options.journal())) {
                venue.ownIds(journal.idPrefix());
                Engine.Params params = settings.engineWithSymbols();
                Engine engine = new Engine(
                        venue.rules(),
                        venue.tiers(),
                        policy,
                        settings.newGate(),
                        params,
                        Monitor.FIXED,
                        new IntentIds(journal.idPrefix(), 1));
                return runBot(engine, journal, venue, run, options, params, out, alertTargets, clock);
            }
        }
    }

    private static int runBot(
            Engine engine,
            Journal journal,
            LiveVenue venue,
            RunSettings run,
            Options options,
            Engine.Params params,
            PrintWriter out,
            List<Alerter.Target> alertTargets,
            Clock clock) {
        Set<String> kept = venue.kept();
        java.util.function.Consumer<String> fault = what -> {
            out.println("FAULT  " + what);
            out.flush();
        };
        ConsoleLines console = new ConsoleLines(out, options.statusEvery());
        Alerter alerter = new Alerter(
                alertTargets, clock, run.alerts().dedupeWindow(), run.alerts().maxPerMinute(), fault);
        AtomicReference<Bot> bot = new AtomicReference<>();
        AtomicReference<VenueBridge> bridge = new AtomicReference<>();
        // Live, each symbol's mark comes about once a second: every step is published.
        StatusBoard board = new StatusBoard(
                options.profile(),
                clock,
                () -> bot.get() == null ? 0 : bot.get().inboxDepth(),
                () -> bot.get() == null ? 0 : bot.get().inboxOverflows(),
                Duration.ZERO);
        GatewayDispatcher dispatcher = new GatewayDispatcher(venue.gateway(), d -> Thread.sleep(d), 3, clock);
        bot.set(new Bot(
                engine,
                journal,
                dispatcher,
                intent -> {
                    // Live, the venue's truth after an action is a fresh REST read, sent after the answer: the engine
                    // holds the position pending until it arrives. A backstop moves no money and waits for nothing.
                    if (!(intent.action() instanceof ballast.core.policy.Action.PlaceBackstop)
                            && !(intent.action() instanceof ballast.core.policy.Action.CancelBackstop)) {
                        bridge.get().request();
                    }
                    return List.of();
                },
                clock,
                Bot.Listener.all(board, console, new AlertRules(alerter)),
                new Bot.Config(
                        run.inboxCapacity(),
                        venue.orders().limit(),
                        venue.orders().period(),
                        run.protectiveReservePct())));
        bridge.set(new VenueBridge(venue.gateway(), bot.get()::put, clock, kept::contains));
        io.micrometer.core.instrument.Gauge.builder(
                        "ballast.inbox.deepest", () -> (Number) bot.get().deepestInbox())
                .description("the most events that ever waited for the engine at once since the start")
                .register(board.registry());
        for (String scope : venue.headroom().keySet()) {
            io.micrometer.core.instrument.Gauge.builder(
                            "ballast.venue.headroom", () -> venue.headroom().getOrDefault(scope, 0))
                    .tag("scope", scope)
                    .description("what is left of the venue's quota in its current window")
                    .register(board.registry());
        }
        venue.onBan(ban -> {
            // The executor stops sending at once; the engine holds trading REDUCING until the ban ends, and says so.
            bot.get().pause(ban.until(), ban.reason());
            bot.get().put(new EngineEvent.VenueBanned(clock.instant(), ban.until(), ban.reason()));
        });
        Brackets brackets = new Brackets(venue.tiers());
        Jobs jobs = new Jobs(options.profile(), fault)
                .every(
                        "reconcile",
                        run.venue().reconcileEvery(),
                        () -> bridge.get().request())
                // The UTC day's budget starts on the first event after midnight; this one makes sure there is one.
                .cron("utc-day", "0 0 0 * * ?", () -> bot.get().put(new EngineEvent.TimerFired(clock.instant())))
                // The venue's stops against the engine's backstops: soon after the start (a stop the last process
                // placed is taken up), then every run.venue.backstopCheckEvery.
                .every("backstop-check", run.venue().backstopCheckEvery(), Duration.ofSeconds(5), () -> {
                    java.time.Instant sent = clock.instant();
                    venue.gateway()
                            .openStops()
                            .ifPresentOrElse(
                                    stops -> bot.get().put(new EngineEvent.StopsRead(sent, stops)),
                                    () -> fault.accept("the backstop check could not read the venue's stops;"
                                            + " it tries again in "
                                            + Figures.duration(run.venue().backstopCheckEvery())));
                })
                .every("brackets", run.venue().bracketsEvery(), () -> brackets.refresh(venue, bot.get(), clock));
        boolean settled = false;
        try (StatusServer server =
                StatusServer.start(options.statusPort(), board, params.staleAfter(), clock, bot.get()::put)) {
            if (options.portFile() != null) {
                StatusServer.writePort(options.portFile(), server.port());
            }
            out.println("Status: http://127.0.0.1:" + server.port() + "/status, /health, /metrics ('ballast status'"
                    + " prints it)");
            out.flush();
            // Restores the engine's memory and reconciles every intent the last process left unsettled, before the
            // venue's truth is heard.
            bot.get().start();
            for (EngineEvent event : bridge.get().reconcile()) {
                bot.get().put(event);
            }
            venue.startFeeds(bridge.get());
            jobs.start();
            alerter.alert(new Alerter.Alert(
                    clock.instant(),
                    "info",
                    "bot",
                    "started (" + options.profile() + ", policy " + options.policy() + ", keeping "
                            + String.join(", ", kept) + ")",
                    "start"));
            summary(board, kept, out);
            try {
                while (true) {
                    Thread.sleep(Duration.ofDays(1));
                }
            } catch (InterruptedException stop) {
                // A signal: stop deciding, let what is in flight settle.
            }
            jobs.close();
            try {
                settled = bot.get().stop(run.stopGrace());
            } catch (InterruptedException again) {
                settled = false;
            }
        } catch (IOException e) {
            throw new CannotStart(COULD_NOT_START, "could not write " + options.portFile() + ": " + e.getMessage());
        } finally {
            jobs.close();
            bot.get().close();
            bridge.get().close();
            if (options.portFile() != null) {
                try {
                    Files.deleteIfExists(options.portFile());
                } catch (IOException ignored) {
                    // Left behind: 'ballast status' says the bot does not answer.
                }
            }
        }
        alerter.alert(new Alerter.Alert(
                clock.instant(),
                settled ? "info" : "warning",
                "bot",
                settled
                        ? "stopped; nothing in flight"
                        : "stopped; what was in flight is unsettled in the journal and is reconciled at the next start",
                "stop"));
        alerter.close();
        out.println();
        out.println(
                settled
                        ? "Stopped: nothing was in flight. The journal keeps everything: ballast journal --file "
                                + options.journal()
                        : "Stopped: what was in flight did not settle within " + Figures.duration(run.stopGrace())
                                + "; it is unsettled in the journal and is reconciled with the venue at the next"
                                + " start.");
        out.flush();
        return 0;
    }

    /**
     * One line per kept position once its first mark is measured (up to 10 s): liquidation price, distance, z, level,
     * budget left, backstop.
     */
    private static void summary(StatusBoard board, Set<String> kept, PrintWriter out) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Optional<StatusBoard.Snapshot> snapshot = board.latest();
        while (System.nanoTime() < deadline) {
            snapshot = board.latest();
            if (snapshot.isPresent()
                    && !snapshot.get().positions().isEmpty()
                    && snapshot.get().positions().stream().allMatch(p -> p.z().isPresent())) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (snapshot.isEmpty() || snapshot.get().positions().isEmpty()) {
            out.println("No open position in " + String.join(", ", kept) + " yet: the bot watches and acts once one"
                    + " opens.");
            out.flush();
            return;
        }
        StatusBoard.Snapshot s = snapshot.get();
        out.println("Keeping " + s.positions().size() + " position(s); free balance "
                + Figures.amount(s.freeBalance()) + " USDT, today's top-up budget left "
                + Figures.amount(s.dayBudget().subtract(s.daySpent()).max(BigDecimal.ZERO)) + " USDT; trading "
                + s.tradingState() + ".");
        for (Engine.PositionView p : s.positions()) {
            out.println("  " + p.key().label() + "  " + Figures.qty(p.qty()) + " at " + Figures.price(p.entryPrice())
                    + ", " + p.mode() + ", margin " + Figures.amount(p.wallet())
                    + p.mark().map(m -> "; mark " + Figures.price(m)).orElse("; no mark yet")
                    + p.liquidationPrice().map(l -> ", liq " + Figures.price(l)).orElse(", no liquidation price")
                    + p.distance().map(d -> " (" + Figures.percent(d) + " away").orElse("")
                    + p.z().map(z -> ", z "
                                    + z.setScale(1, java.math.RoundingMode.HALF_UP)
                                            .toPlainString())
                            .orElse("")
                    + (p.distance().isPresent() ? ")" : "")
                    + "; " + p.level()
                    + (p.episodeBudget().signum() == 0
                            ? "; no episode open"
                            : "; episode budget left "
                                    + Figures.amount(p.episodeBudget()
                                            .subtract(p.episodeSpent())
                                            .max(BigDecimal.ZERO)))
                    + p.backstop().map(b -> "; backstop " + Figures.price(b)).orElse("; no backstop yet"));
        }
        out.flush();
    }

    /** The brackets the engine measures with; a refresh tells it only of the symbols whose brackets changed. */
    private static final class Brackets {
        private final java.util.Map<String, java.util.List<ballast.core.margin.RiskTier>> known =
                new java.util.HashMap<>();

        Brackets(java.util.Map<String, ballast.core.margin.RiskTierTable> start) {
            start.forEach((symbol, table) -> known.put(symbol, table.tiers()));
        }

        void refresh(LiveVenue venue, Bot bot, Clock clock) {
            venue.readTiers()
                    .ifPresent(read -> read.forEach((symbol, table) -> {
                        if (!table.tiers().equals(known.get(symbol))) {
                            known.put(symbol, table.tiers());
                            bot.put(new EngineEvent.TiersUpdated(clock.instant(), table));
                        }
                    }));
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
