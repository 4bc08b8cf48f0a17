package ballast.app.run;

import ballast.core.policy.Action;
import ballast.core.policy.RiskLevel;
import ballast.core.venue.Outcome;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Step;
import ballast.kernel.TradingState;

/**
 * What the bot alerts on, read from the same facts the journal keeps: level changes, every protective action and its
 * outcome, an unknown outcome, a budget spent, a change of trading state (a stale feed, a ban, a halt), the policy's own
 * alerts, and faults. Repeats are the {@link Alerter}'s to drop.
 */
final class AlertRules implements Bot.Listener {
    private final Alerter alerter;

    AlertRules(Alerter alerter) {
        this.alerter = alerter;
    }

    @Override
    public void stepped(Engine engine, EngineEvent event, Step step) {
        if (event instanceof EngineEvent.VenueBanned b) {
            // Its own alert, whatever the trading state did: a ban is told with its end, every time.
            alerter.alert(new Alerter.Alert(
                    b.time(),
                    "critical",
                    "venue",
                    "the venue said stop: " + b.reason() + "; nothing is sent until " + b.until()
                            + ", protection included",
                    "ban " + b.until()));
        }
        if (event instanceof EngineEvent.OutcomeReported o
                && o.intent().action().protective()) {
            boolean backstop = o.intent().action() instanceof Action.PlaceBackstop
                    || o.intent().action() instanceof Action.CancelBackstop;
            String severity = switch (o.outcome()) {
                case Outcome.Accepted a -> "info";
                case Outcome.Unknown u -> "critical";
                case Outcome.Fatal f -> "critical";
                // A backstop the venue refused leaves the position without its last line of defence.
                default -> backstop ? "critical" : "warning";
            };
            alerter.alert(new Alerter.Alert(
                    o.time(),
                    severity,
                    Describe.book(o.intent().action()),
                    Describe.kind(o.intent().action()) + " "
                            + Describe.outcome(o.intent().action(), o.outcome()) + " ["
                            + o.intent().clientId() + "]",
                    // Backstops move with every change of margin or size: told once a window per position when placed.
                    backstop && o.outcome() instanceof Outcome.Accepted
                            ? Describe.book(o.intent().action()) + " backstop placed"
                            : o.intent().clientId() + " " + Describe.kind(o.outcome())));
        }
        for (Decided d : step.decided()) {
            switch (d) {
                case Decided.LevelMoved l ->
                    alerter.alert(new Alerter.Alert(
                            l.time(),
                            severity(l.to()),
                            l.book().label(),
                            "level " + l.from() + " -> " + l.to(),
                            l.book().label() + " level " + l.to()));
                case Decided.Issued i -> {
                    if (i.intent().action() instanceof Action.Alert a) {
                        alerter.alert(new Alerter.Alert(
                                i.time(),
                                severity(a.level()),
                                i.book().label(),
                                a.reason(),
                                i.book().label() + " policy " + a.level()));
                    } else if (i.intent().action().protective()
                            && !(i.intent().action() instanceof Action.PlaceBackstop)
                            && !(i.intent().action() instanceof Action.CancelBackstop)) {
                        alerter.alert(new Alerter.Alert(
                                i.time(),
                                "warning",
                                i.book().label(),
                                Describe.action(i.intent().action()) + " ["
                                        + i.intent().clientId() + "]",
                                i.intent().clientId() + " issued"));
                    }
                }
                case Decided.Refused r -> {
                    if (r.reason().contains("budget") || r.reason().contains("top-ups")) {
                        alerter.alert(new Alerter.Alert(
                                r.time(),
                                "critical",
                                r.book().label(),
                                "budget spent: " + r.reason(),
                                r.book().label() + " budget"));
                    }
                }
                case Decided.TradingStateMoved t ->
                    alerter.alert(new Alerter.Alert(
                            t.time(),
                            t.to() == TradingState.ACTIVE ? "info" : "critical",
                            "account",
                            "trading " + t.from() + " -> " + t.to() + ": " + t.reason(),
                            "trading " + t.to()));
            }
        }
    }

    @Override
    public void fault(String what) {
        alerter.alert(
                new Alerter.Alert(alerter.clock().instant(), "critical", "bot", "FAULT " + what, "fault " + what));
    }

    private static String severity(RiskLevel level) {
        return switch (level) {
            case WATCH -> "info";
            case WARN, TOP_UP -> "warning";
            default -> "critical";
        };
    }
}
