package ballast.app.venue;

import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.venue.Outcome;
import ballast.exchange.paper.PaperVenue;
import ballast.kernel.Intent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Intents carried out on the paper venue, at once: a replay's and the paper runtime's venue. An accepted order says
 * its fill price and fee, as a live order's fills will.
 */
public final class PaperDispatcher implements Dispatcher {
    private final PaperVenue venue;
    /** What the venue did with each client id: a request sent again under the same id is not carried out twice. */
    private final Map<String, Outcome> done = new HashMap<>();

    public PaperDispatcher(PaperVenue venue) {
        this.venue = venue;
    }

    @Override
    public synchronized Outcome dispatch(Intent intent) {
        Outcome before = done.get(intent.clientId());
        if (before != null) {
            return before;
        }
        Outcome outcome = switch (execute(intent.action())) {
            case PaperVenue.Result.Done d ->
                new Outcome.Accepted(d.amount(), Optional.ofNullable(d.price()), Optional.ofNullable(d.fee()));
            case PaperVenue.Result.Refused r -> new Outcome.Rejected(r.code(), r.message());
        };
        done.put(intent.clientId(), outcome);
        return outcome;
    }

    @Override
    public synchronized Outcome reconcile(Intent intent, java.time.Instant since) {
        Outcome outcome = done.get(intent.clientId());
        return outcome != null
                ? outcome
                : new Outcome.Rejected(
                        "reconcile", "the venue has no request " + intent.clientId() + ": it never arrived");
    }

    private PaperVenue.Result execute(Action action) {
        return switch (action) {
            case Action.TopUpMargin t -> venue.addMargin(t.symbol(), t.side(), t.amount());
            case Action.ReleaseMargin r -> venue.removeMargin(r.symbol(), r.side(), r.amount());
            case Action.ReducePosition r -> venue.reduce(r.symbol(), r.side(), r.qty(), r.margin());
            case Action.ClosePosition c ->
                venue.holding(c.symbol(), c.side())
                        .<PaperVenue.Result>map(
                                h -> venue.reduce(c.symbol(), c.side(), h.qty(), PartialCloseRelease.PRO_RATA))
                        .orElse(new PaperVenue.Result.Refused("-2022", "ReduceOnly Order is rejected."));
            case Action.CancelRiskAddingOrders c ->
                new PaperVenue.Result.Done(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
            case Action.PlaceBackstop b -> venue.setBackstop(b.symbol(), b.side(), b.triggerPrice());
            case Action.CancelBackstop b -> venue.cancelBackstop(b.symbol(), b.side());
            case Action.Alert a ->
                new PaperVenue.Result.Done(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
        };
    }
}
