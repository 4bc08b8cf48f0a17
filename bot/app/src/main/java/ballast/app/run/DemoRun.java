package ballast.app.run;

import ballast.app.config.RunSettings;
import ballast.app.config.Settings;
import ballast.app.history.Sleeper;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.Scenario;
import ballast.app.venue.PaperDispatcher;
import ballast.app.venue.PaperTruth;
import ballast.core.PositionKey;
import ballast.core.venue.Outcome;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Engine;
import ballast.kernel.Gate;
import ballast.kernel.IntentIds;
import ballast.kernel.Monitor;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ballast run --profile demo}: the running bot (inbox, engine thread, executor with its rate limit, journal,
 * console and alert file) on the paper venue, fed a replayed window as its market. Its actions are checked against a
 * plain replay of the same window and policy: the runtime must add no behaviour of its own.
 */
public final class DemoRun {

    /**
     * @param speed market time per wall time; 0: as fast as the bot settles
     * @param statusEvery market time between two status lines per position
     */
    /**
     * @param statusPort where the status server listens on 127.0.0.1 (0: any free port)
     * @param portFile where to write the port it listens on, for {@code ballast status} (null: nowhere)
     */
    public record Options(
            String policy, long speed, Path journal, Duration statusEvery, int statusPort, Path portFile) {
        public Options(String policy, long speed, Path journal, Duration statusEvery) {
            this(policy, speed, journal, statusEvery, 0, null);
        }
    }

    /** One accepted action, as a replay's trace and the runtime's journal both name it. */
    public record Done(java.time.Instant time, String book, String kind, BigDecimal amount) {}

    /** What the run did, and what the replay of the same window did. */
    /**
     * @param events the market events the bot was fed (the warm-up and the window)
     * @param nanos how long feeding them took, each one settled before the next
     */
    public record Result(List<Done> runtime, List<Done> replay, ReplayReport report, Bot bot, long events, long nanos) {
        public boolean same() {
            return runtime.equals(replay);
        }
    }

    private static final Set<String> ACTIONS = Set.of("top-up", "release", "cut", "close");

    private DemoRun() {}

    public static Result run(
            ShippedRiskTiers tiers,
            Settings settings,
            Scenario scenario,
            Options options,
            RunSettings run,
            PrintWriter out,
            List<Alerter.Target> alertTargets,
            Sleeper sleeper)
            throws InterruptedException, IOException {
        ReplayRunner runner = new ReplayRunner(tiers, settings);
        ReplayRunner.Prepared prepared = runner.prepare(scenario);
        ReplayRunner.Opening opening = prepared.open(options.policy());
        List<Done> runtime;
        Bot bot;
        long fed = 0;
        try (Journal journal = Journal.open(options.journal())) {
            Gate gate = opening.newGate();
            Engine engine = new Engine(
                    opening.rules(),
                    opening.tiers(),
                    opening.policy(),
                    gate,
                    opening.params(),
                    Monitor.FIXED,
                    new IntentIds(journal.idPrefix(), 1));
            SimClock clock = new SimClock(
                    prepared.warmUp().isEmpty()
                            ? opening.start()
                            : prepared.warmUp().get(0).time());
            ConsoleLines console = new ConsoleLines(out, options.statusEvery());
            Alerter alerter = new Alerter(
                    alertTargets,
                    clock,
                    run.alerts().dedupeWindow(),
                    run.alerts().maxPerMinute(),
                    fault -> {
                        out.println("FAULT  " + fault);
                        out.flush();
                    });
            PaperDispatcher dispatcher = new PaperDispatcher(opening.venue());
            AtomicReference<Bot> running = new AtomicReference<>();
            StatusBoard board = new StatusBoard(
                    "demo",
                    clock,
                    () -> running.get() == null ? 0 : running.get().inboxDepth(),
                    () -> running.get() == null ? 0 : running.get().inboxOverflows());
            bot = new Bot(
                    engine,
                    journal,
                    dispatcher,
                    intent -> PaperTruth.afterAction(
                            opening.venue(),
                            intent.action().symbol(),
                            intent.action().side(),
                            clock.instant()),
                    clock,
                    Bot.Listener.all(board, console, new AlertRules(alerter)),
                    new Bot.Config(
                            run.inboxCapacity(),
                            Bot.Config.defaults().ordersPerPeriod(),
                            Bot.Config.defaults().period(),
                            run.protectiveReservePct()));
            running.set(bot);
            try (StatusServer server = StatusServer.start(
                    options.statusPort(), board, opening.params().staleAfter(), clock)) {
                if (options.portFile() != null) {
                    StatusServer.writePort(options.portFile(), server.port());
                }
                out.println("Status: http://127.0.0.1:" + server.port() + "/status, /health, /metrics ('ballast status'"
                        + " prints it while the bot runs)");
                out.println();
                out.flush();
                bot.start();
                alerter.alert(new Alerter.Alert(
                        clock.instant(), "info", "bot", "started (demo, policy " + options.policy() + ")", "start"));
                try {
                    long started = System.nanoTime();
                    new PaperFeed(prepared, opening, bot, clock, sleeper, options.speed()).play(i -> {});
                    fed = System.nanoTime() - started;
                } finally {
                    boolean settled = bot.stop(run.stopGrace());
                    alerter.alert(new Alerter.Alert(
                            clock.instant(),
                            settled ? "info" : "warning",
                            "bot",
                            settled
                                    ? "stopped; nothing in flight"
                                    : "stopped; what was in flight is unsettled in the journal",
                            "stop"));
                    alerter.close();
                }
            } finally {
                if (options.portFile() != null) {
                    Files.deleteIfExists(options.portFile());
                }
            }
            runtime = accepted(journal);
        }
        ReplayReport report = prepared.run(List.of(options.policy()), e -> {});
        return new Result(
                runtime,
                replayed(report.results().get(0)),
                report,
                bot,
                prepared.warmUp().size() + prepared.steps().size(),
                fed);
    }

    /** The accepted actions in the journal, in time order. */
    static List<Done> accepted(Journal journal) {
        List<Done> done = new ArrayList<>();
        for (Journal.Sent sent : journal.intents()) {
            if (ACTIONS.contains(sent.kind()) && sent.outcome().orElse(null) instanceof Outcome.Accepted a) {
                done.add(new Done(sent.issuedAt(), sent.book(), sent.kind(), a.amount()));
            }
        }
        done.sort(ORDER);
        return done;
    }

    /** The actions of a replay's traces, in time order. */
    static List<Done> replayed(ReplayReport.PolicyRun run) {
        List<Done> done = new ArrayList<>();
        for (ReplayReport.PositionTrace trace : run.positions()) {
            String book = new PositionKey(trace.symbol(), trace.side()).label();
            for (ReplayReport.ActionEvent e : trace.actions()) {
                if (ACTIONS.contains(e.kind())) {
                    done.add(new Done(e.time(), book, e.kind(), e.amount()));
                }
            }
        }
        done.sort(ORDER);
        return done;
    }

    private static final Comparator<Done> ORDER = Comparator.comparing(Done::time)
            .thenComparing(Done::book)
            .thenComparing(Done::kind)
            .thenComparing(Done::amount);
}
