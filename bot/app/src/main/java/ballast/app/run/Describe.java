package ballast.app.run;

import ballast.app.format.Figures;
import ballast.core.PositionKey;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the runtime names actions and outcomes in its journal, its console lines and its alerts: one wording. */
final class Describe {
    private Describe() {}

    /** A fixed-width UTC time (nine fraction digits), so stored times sort as text in time order. */
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    static String stamp(Instant time) {
        return STAMP.format(time);
    }

    static String kind(Action action) {
        return switch (action) {
            case Action.TopUpMargin t -> "top-up";
            case Action.ReleaseMargin r -> "release";
            case Action.ReducePosition r -> "cut";
            case Action.ClosePosition c -> "close";
            case Action.CancelRiskAddingOrders c -> "cancel";
            case Action.PlaceBackstop b -> "backstop";
            case Action.CancelBackstop b -> "backstop-cancel";
            case Action.Alert a -> "alert";
        };
    }

    static String kind(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Accepted a -> "accepted";
            case Outcome.Rejected r -> "rejected";
            case Outcome.Denied d -> "denied";
            case Outcome.NotSent n -> "not-sent";
            case Outcome.Fatal f -> "fatal";
            case Outcome.Unknown u -> "unknown";
        };
    }

    static String book(Action action) {
        return new PositionKey(action.symbol(), action.side()).label();
    }

    /** {@code top-up 120.00 USDT BTCUSDT:long (reason)}. */
    static String action(Action action) {
        String what = switch (action) {
            case Action.TopUpMargin t -> "top-up " + Figures.amount(t.amount()) + " USDT";
            case Action.ReleaseMargin r -> "release " + Figures.amount(r.amount()) + " USDT";
            case Action.ReducePosition r -> "cut " + Figures.qty(r.qty()) + " (" + r.margin() + ")";
            case Action.ClosePosition c -> "close";
            case Action.CancelRiskAddingOrders c -> "cancel risk-adding orders";
            case Action.PlaceBackstop b -> "backstop at mark " + Figures.price(b.triggerPrice());
            case Action.CancelBackstop b -> "cancel the backstop";
            case Action.Alert a -> "alert " + a.level();
        };
        return what + " " + book(action) + " (" + action.reason() + ")";
    }

    /** How {@code action} ended, in its own words (a backstop is placed, not filled). */
    static String outcome(Action action, Outcome outcome) {
        if (outcome instanceof Outcome.Accepted) {
            if (action instanceof Action.PlaceBackstop) {
                return "backstop placed on the venue";
            }
            if (action instanceof Action.CancelBackstop) {
                return "backstop cancelled";
            }
        }
        return outcome(outcome);
    }

    static String outcome(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Accepted a ->
                "accepted " + Figures.exact(a.amount())
                        + a.price().map(p -> " at " + Figures.price(p)).orElse("")
                        + a.fee().map(f -> ", fee " + Figures.exact(f)).orElse("");
            case Outcome.Rejected r -> "rejected " + r.code() + ": " + r.message();
            case Outcome.Denied d -> "denied: " + d.reason();
            case Outcome.NotSent n -> "not sent: " + n.reason();
            case Outcome.Fatal f -> "FATAL: " + f.reason();
            case Outcome.Unknown u -> "UNKNOWN (reconcile before acting again): " + u.reason();
        };
    }
}
