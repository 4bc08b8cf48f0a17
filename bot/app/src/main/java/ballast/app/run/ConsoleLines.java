package ballast.app.run;

import ballast.app.engine.Decided;
import ballast.app.engine.Engine;
import ballast.app.engine.EngineEvent;
import ballast.app.engine.Step;
import ballast.app.format.Figures;
import ballast.core.PositionKey;
import ballast.core.margin.Liquidation;
import ballast.core.policy.Action;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bot's console: one line per thing that happened (a level move, an intent, its outcome, an alert, a liquidation, a
 * change of trading state), and every {@code every} of market time a line per position saying where it stands. A
 * refusal is told once per reason, not on every mark. Alerts and faults also go to the alert file.
 */
final class ConsoleLines implements Bot.Listener {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final PrintWriter out;
    private final PrintWriter alerts;
    private final List<PositionKey> positions;
    private final long everyNanos;
    private final Map<String, Long> nextStatus = new HashMap<>();
    private final Map<String, String> lastRefusal = new HashMap<>();
    private int lines;

    ConsoleLines(PrintWriter out, PrintWriter alerts, List<PositionKey> positions, Duration every) {
        this.out = out;
        this.alerts = alerts;
        this.positions = List.copyOf(positions);
        this.everyNanos = every.toNanos();
    }

    @Override
    public void stepped(Engine engine, EngineEvent event, Step step) {
        switch (event) {
            case EngineEvent.OutcomeReported o ->
                line(
                        o.time(),
                        Describe.book(o.intent().action()),
                        Describe.outcome(o.outcome()) + "  [" + o.intent().clientId() + "]");
            case EngineEvent.PositionClosed c
            when c.liquidated() ->
                alert(c.time(), new PositionKey(c.symbol(), c.side()).label(), "LIQUIDATED by the venue");
            default -> {}
        }
        for (Decided d : step.decided()) {
            switch (d) {
                case Decided.Issued i
                when i.intent().action() instanceof Action.Alert a ->
                    alert(i.time(), i.book().label(), a.level() + ": " + a.reason());
                case Decided.Issued i ->
                    line(
                            i.time(),
                            i.book().label(),
                            "-> " + Describe.action(i.intent().action()) + "  ["
                                    + i.intent().clientId() + "]");
                case Decided.Refused r -> {
                    String reason = r.reason();
                    if (!reason.equals(lastRefusal.put(r.book().label(), reason))) {
                        line(r.time(), r.book().label(), "not sent: " + Describe.action(r.action()) + ": " + reason);
                    }
                }
                case Decided.LevelMoved l -> line(l.time(), l.book().label(), "level " + l.from() + " -> " + l.to());
                case Decided.TradingStateMoved t ->
                    alert(t.time(), "trading", t.from() + " -> " + t.to() + ": " + t.reason());
            }
        }
        if (event instanceof EngineEvent.MarkUpdated m) {
            status(engine, m);
        }
    }

    private void status(Engine engine, EngineEvent.MarkUpdated m) {
        long now = Engine.epochNanos(m.time());
        Long due = nextStatus.get(m.symbol());
        if (due != null && now < due) {
            return;
        }
        nextStatus.put(m.symbol(), Math.floorDiv(now, everyNanos) * everyNanos + everyNanos);
        for (PositionKey key : positions) {
            if (!key.symbol().equals(m.symbol())) {
                continue;
            }
            String where = engine.level(key.symbol(), key.side())
                    .map(level -> {
                        String liq = engine.liquidation(key.symbol(), key.side())
                                .map(l -> switch (l) {
                                    case Liquidation.At at ->
                                        "liq " + Figures.price(at.price()) + " ("
                                                + Figures.percent(distance(m.mark(), at.price(), key)) + " away)";
                                    case Liquidation.Never never -> "no liquidation price";
                                    case Liquidation.Unavoidable u -> "LIQUIDATION UNAVOIDABLE";
                                })
                                .orElse("liq not measured yet");
                        return "mark " + Figures.price(m.mark()) + "  " + liq + "  " + level;
                    })
                    .orElse("closed");
            line(m.time(), key.label(), where);
        }
    }

    private static BigDecimal distance(BigDecimal mark, BigDecimal liquidation, PositionKey key) {
        return key.side().sign().multiply(mark.subtract(liquidation)).divide(mark, MathContext.DECIMAL64);
    }

    private void alert(Instant time, String book, String text) {
        line(time, book, "ALERT " + text);
        alerts.println(TIME.format(time) + "  " + book + "  " + text);
        alerts.flush();
    }

    private void line(Instant time, String book, String text) {
        out.println(TIME.format(time) + "  " + pad(book) + "  " + text);
        out.flush();
        lines++;
    }

    private static String pad(String book) {
        return book.length() >= 16 ? book : book + " ".repeat(16 - book.length());
    }

    @Override
    public void fault(String what) {
        out.println("FAULT  " + what);
        out.flush();
        alerts.println("FAULT  " + what);
        alerts.flush();
    }

    int lines() {
        return lines;
    }
}
