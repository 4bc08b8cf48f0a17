package ballast.app.run;

import ballast.app.format.Figures;
import ballast.core.PositionKey;
import ballast.core.margin.Liquidation;
import ballast.core.policy.Action;
import ballast.core.policy.RiskLevel;
import ballast.core.venue.PositionSnapshot;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Step;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bot's console: one line per thing that happened (a position opening or closing, a level move, an intent, its
 * outcome, an alert, a liquidation, a change of trading state), and every {@code every} of market time a line per open
 * position saying where it stands. What repeats is told once: a refusal once per reason, an alert of a book and level
 * once per {@link #QUIET} of market time, and a level that flaps between WATCH and WARN once per {@link #QUIET} (with
 * how often it flapped meanwhile). The journal keeps every fact; the {@link Alerter} sends alerts on.
 */
final class ConsoleLines implements Bot.Listener {
    static final Duration QUIET = Duration.ofHours(1);

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final Set<RiskLevel> FLAP = Set.of(RiskLevel.WATCH, RiskLevel.WARN);

    private final PrintWriter out;
    private final long everyNanos;
    private final Map<String, Long> nextStatus = new HashMap<>();
    private final Map<String, String> lastRefusal = new HashMap<>();
    /** The market time (ns) until which an alert of a book at a level, or a WATCH/WARN flap of a book, is not told. */
    private final Map<String, Long> quietUntil = new HashMap<>();

    private final Map<String, Integer> flaps = new HashMap<>();
    private final Set<String> open = new HashSet<>();

    ConsoleLines(PrintWriter out, Duration every) {
        this.out = out;
        this.everyNanos = every.toNanos();
    }

    @Override
    public void stepped(Engine engine, EngineEvent event, Step step) {
        heard(event);
        for (Decided d : step.decided()) {
            told(d);
        }
        if (event instanceof EngineEvent.MarkUpdated m) {
            status(engine, m);
        }
    }

    private void heard(EngineEvent event) {
        switch (event) {
            case EngineEvent.OutcomeReported o -> {
                String text = Describe.outcome(o.intent().action(), o.outcome()) + "  ["
                        + o.intent().clientId() + "]";
                line(o.time(), Describe.book(o.intent().action()), text);
            }
            case EngineEvent.PositionClosed c -> {
                String book = new PositionKey(c.symbol(), c.side()).label();
                boolean was = open.remove(book);
                if (c.liquidated()) {
                    alert(c.time(), book, "LIQUIDATED by the venue");
                } else if (was) {
                    line(c.time(), book, "closed");
                }
            }
            case EngineEvent.PositionUpdated p -> {
                PositionSnapshot s = p.position();
                String book = new PositionKey(s.symbol(), s.side()).label();
                if (open.add(book)) {
                    line(
                            p.time(),
                            book,
                            "open: " + Figures.qty(s.qty()) + " at " + Figures.price(s.entryPrice()) + ", "
                                    + s.leverage().stripTrailingZeros().toPlainString() + "x " + s.mode()
                                    + ", margin " + Figures.amount(s.wallet()));
                }
            }
            default -> {}
        }
    }

    private void told(Decided d) {
        switch (d) {
            case Decided.Issued i -> {
                if (i.intent().action() instanceof Action.Alert a) {
                    if (due(i.book().label() + " alert " + a.level(), i.time())) {
                        alert(i.time(), i.book().label(), a.level() + ": " + a.reason());
                    }
                } else {
                    String text = "-> " + Describe.action(i.intent().action()) + "  ["
                            + i.intent().clientId() + "]";
                    line(i.time(), i.book().label(), text);
                }
            }
            case Decided.Refused r -> {
                if (!r.reason().equals(lastRefusal.put(r.book().label(), r.reason()))) {
                    line(r.time(), r.book().label(), "not sent: " + Describe.action(r.action()) + ": " + r.reason());
                }
            }
            case Decided.LevelMoved l -> level(l);
            case Decided.TradingStateMoved t ->
                alert(t.time(), "trading", t.from() + " -> " + t.to() + ": " + t.reason());
        }
    }

    /** A level move; a WATCH/WARN flap within {@link #QUIET} of the last one told is counted, not told. */
    private void level(Decided.LevelMoved l) {
        String book = l.book().label();
        boolean flap = FLAP.contains(l.from()) && FLAP.contains(l.to());
        if (flap && !due(book + " flap", l.time())) {
            flaps.merge(book, 1, Integer::sum);
            return;
        }
        Integer between = flaps.remove(book);
        String also = between == null ? "" : "  (and " + between + " WATCH/WARN moves since the last one told)";
        line(l.time(), book, "level " + l.from() + " -> " + l.to() + also);
    }

    /** Whether {@code what} may be told at {@code time}: once per {@link #QUIET} of market time. */
    private boolean due(String what, Instant time) {
        long now = Engine.epochNanos(time);
        Long until = quietUntil.get(what);
        if (until != null && now < until) {
            return false;
        }
        quietUntil.put(what, now + QUIET.toNanos());
        return true;
    }

    private void status(Engine engine, EngineEvent.MarkUpdated m) {
        long now = Engine.epochNanos(m.time());
        Long due = nextStatus.get(m.symbol());
        if (due != null && now < due) {
            return;
        }
        nextStatus.put(m.symbol(), Math.floorDiv(now, everyNanos) * everyNanos + everyNanos);
        // The engine's own view: the distance and the level a status page shows, worked out in one place.
        for (Engine.PositionView p : engine.view().positions()) {
            if (!p.key().symbol().equals(m.symbol()) || !open.contains(p.key().label())) {
                continue;
            }
            String liq = p.liquidationPrice()
                    .map(price -> "liq " + Figures.price(price)
                            + p.distance()
                                    .map(d -> " (" + Figures.percent(d) + " away)")
                                    .orElse(""))
                    .orElseGet(() -> engine.liquidation(
                                    p.key().symbol(), p.key().side())
                            .map(l -> l instanceof Liquidation.Unavoidable
                                    ? "LIQUIDATION UNAVOIDABLE"
                                    : "no liquidation price")
                            .orElse("liq not measured yet"));
            line(m.time(), p.key().label(), "mark " + Figures.price(m.mark()) + "  " + liq + "  " + p.level());
        }
    }

    private void alert(Instant time, String book, String text) {
        line(time, book, "ALERT " + text);
    }

    private void line(Instant time, String book, String text) {
        out.println(TIME.format(time) + "  " + pad(book) + "  " + text);
        out.flush();
    }

    private static String pad(String book) {
        return book.length() >= 16 ? book : book + " ".repeat(16 - book.length());
    }

    @Override
    public void fault(String what) {
        out.println("FAULT  " + what);
        out.flush();
    }
}
