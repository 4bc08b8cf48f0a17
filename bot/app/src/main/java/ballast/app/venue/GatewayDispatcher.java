package ballast.app.venue;

import ballast.app.history.Sleeper;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.policy.Action;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.MarginChange;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.kernel.Intent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Intents carried to a venue through its port ({@link ExchangeGateway}): a live or testnet account. A request the
 * adapter proved was never sent ({@link Outcome.NotSent}) is sent again, with the same client id, up to
 * {@code attempts} times; nothing else is ever repeated. A reconcile reads an order back by its client id, and finds a
 * margin change (which carries no client id) in the venue's history by its amount from a minute before it was sent.
 *
 * <p>A cut is sent as a reduce-only order: the venue releases the margin of what it sold pro rata, whatever the cut's
 * {@code margin} asks (keeping it would need a top-up after the fill, not built yet).
 */
public final class GatewayDispatcher implements Dispatcher {
    /** How far before its sending a margin change is looked for: the venue's clock and ours differ a little. */
    static final Duration SKEW = Duration.ofMinutes(1);

    /**
     * How long after its sending a request's absence from the venue still means "not seen yet" rather than "never
     * happened": a timed-out request may be applied a moment later, and a refund taken too early would spend twice.
     */
    static final Duration SETTLE = Duration.ofSeconds(10);

    private final ExchangeGateway gateway;
    private final Sleeper sleeper;
    private final int attempts;
    private final java.time.Clock clock;

    public GatewayDispatcher(ExchangeGateway gateway, Sleeper sleeper, int attempts, java.time.Clock clock) {
        this.clock = clock;
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        this.gateway = gateway;
        this.sleeper = sleeper;
        this.attempts = attempts;
    }

    @Override
    public Outcome dispatch(Intent intent) {
        Outcome outcome = send(intent);
        for (int attempt = 1; attempt < attempts && outcome instanceof Outcome.NotSent; attempt++) {
            try {
                sleeper.sleep(Duration.ofMillis(200L << (attempt - 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcome;
            }
            outcome = send(intent);
        }
        return outcome;
    }

    private Outcome send(Intent intent) {
        String id = intent.clientId();
        return switch (intent.action()) {
            case Action.TopUpMargin t -> gateway.addIsolatedMargin(t.symbol(), t.side(), t.amount(), id);
            case Action.ReleaseMargin r -> gateway.removeIsolatedMargin(r.symbol(), r.side(), r.amount(), id);
            case Action.ReducePosition r when r.margin() != PartialCloseRelease.PRO_RATA -> cutKeeping(r, id);
            case Action.ReducePosition r -> gateway.reduceOnly(r.symbol(), r.side(), r.qty(), id);
            case Action.ClosePosition c -> gateway.closePosition(c.symbol(), c.side(), id);
            case Action.CancelRiskAddingOrders c ->
                new Outcome.Rejected("unsupported", "cancelling risk-adding orders is not built for this venue yet");
            case Action.PlaceBackstop b -> gateway.placeStop(b.symbol(), b.side(), b.triggerPrice(), id);
            case Action.CancelBackstop b -> gateway.cancelStop(b.symbol(), b.side(), id);
            case Action.Alert a -> new Outcome.Accepted(BigDecimal.ZERO);
        };
    }

    /**
     * A cut that keeps its margin, as the paper venue carries it out: the reduce-only order, then the margin it released
     * (read from the venue: the isolated wallet before and after) added straight back; {@code KEEP_NET} adds back only
     * what the free balance gained, up to that. Binance releases an isolated position's margin pro rata on a partial
     * close: without the second step the cut would not move the liquidation price at all, and the policy would cut
     * again and again. The cut's outcome is the order's; should the re-add fail, the position is measured from the
     * venue's truth at the next read and the budget was charged for money it kept (the safe side).
     */
    private Outcome cutKeeping(Action.ReducePosition r, String id) {
        AccountSnapshot before;
        try {
            before = gateway.snapshot();
        } catch (RuntimeException e) {
            return new Outcome.NotSent("could not read the position before the cut: " + e.getMessage());
        }
        Optional<PositionSnapshot> held = find(before, r.symbol(), r.side());
        Outcome cut = gateway.reduceOnly(r.symbol(), r.side(), r.qty(), id);
        if (!(cut instanceof Outcome.Accepted)
                || held.isEmpty()
                || held.get().mode() != ballast.core.margin.MarginMode.ISOLATED) {
            return cut;
        }
        AccountSnapshot after;
        try {
            after = gateway.snapshot();
        } catch (RuntimeException e) {
            return cut;
        }
        Optional<PositionSnapshot> left = find(after, r.symbol(), r.side());
        if (left.isEmpty()) {
            return cut;
        }
        BigDecimal released = held.get().wallet().subtract(left.get().wallet());
        BigDecimal back = r.margin() == PartialCloseRelease.KEEP_NET
                ? released.min(after.freeBalance().subtract(before.freeBalance()))
                : released;
        back = back.setScale(8, java.math.RoundingMode.DOWN).stripTrailingZeros();
        if (back.signum() > 0) {
            gateway.addIsolatedMargin(r.symbol(), r.side(), back, id);
        }
        return cut;
    }

    private static Optional<PositionSnapshot> find(AccountSnapshot snapshot, String symbol, ballast.core.Side side) {
        return snapshot.positions().stream()
                .filter(p -> p.symbol().equals(symbol) && p.side() == side)
                .findFirst();
    }

    @Override
    public Outcome reconcile(Intent intent, Instant since) {
        Outcome read = read(intent, since);
        if (read instanceof Outcome.Rejected absent && clock.instant().isBefore(since.plus(SETTLE))) {
            return new Outcome.Unknown("not seen at the venue yet (" + absent.message() + "); asking again");
        }
        return read;
    }

    private Outcome read(Intent intent, Instant since) {
        return switch (intent.action()) {
            case Action.ReducePosition r -> gateway.order(r.symbol(), intent.clientId());
            case Action.ClosePosition c -> gateway.order(c.symbol(), intent.clientId());
            case Action.TopUpMargin t -> margin(t.symbol(), t.side(), t.amount(), since, intent.clientId());
            case Action.ReleaseMargin r ->
                margin(r.symbol(), r.side(), r.amount().negate(), since, intent.clientId());
            case Action.CancelRiskAddingOrders c -> new Outcome.Rejected("unsupported", "never sent");
            // A backstop's state is read back by the backstop check, which places it again when it is not there.
            case Action.PlaceBackstop b -> new Outcome.Unknown("the backstop check reads it back");
            case Action.CancelBackstop b -> new Outcome.Unknown("the backstop check reads it back");
            case Action.Alert a -> new Outcome.Accepted(BigDecimal.ZERO);
        };
    }

    private Outcome margin(String symbol, ballast.core.Side side, BigDecimal signed, Instant since, String id) {
        Instant from = since.minus(SKEW);
        Optional<List<MarginChange>> history = gateway.marginChanges(symbol, side, from);
        if (history.isEmpty()) {
            return new Outcome.Unknown("the margin history of " + symbol + " cannot be read yet");
        }
        return history.get().stream()
                .filter(c -> c.amount().compareTo(signed) == 0)
                .findFirst()
                .<Outcome>map(c -> new Outcome.Accepted(signed.abs()))
                .orElse(new Outcome.Rejected(
                        "reconcile",
                        "no margin change of " + signed.toPlainString() + " for " + id + " in the history since "
                                + from));
    }
}
