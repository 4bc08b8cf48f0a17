package ballast.app.live;

import ballast.app.engine.EngineEvent;
import ballast.core.Side;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.binance.stream.BinanceStreamEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what a venue's streams say into engine events. Marks pass straight through (stamped with our receive time,
 * which staleness is measured from). Account events are not patched into the engine's state: any of them, and any
 * reconnect after a gap, makes the bridge read the venue's REST truth and publish it whole, so the engine never acts on
 * a picture assembled from partial pushes. A drop, a silence or an expired listen key interrupts the engine until
 * then.
 */
public final class VenueBridge {

    private final ExchangeGateway gateway;
    private final Set<String> known = new HashSet<>();
    private boolean interrupted = true;

    public VenueBridge(ExchangeGateway gateway) {
        this.gateway = gateway;
    }

    /** The engine events one stream event means (in order). */
    public List<EngineEvent> translate(BinanceStreamEvent event) {
        return switch (event) {
            case BinanceStreamEvent.MarkPrice m ->
                List.of(new EngineEvent.MarkUpdated(m.tsInit(), m.symbol(), m.mark(), m.mark()));
            case BinanceStreamEvent.FeedStatus f ->
                switch (f.status()) {
                    case CONNECTED -> interrupted ? reconcile(f.tsInit()) : List.of();
                    case STALE, RECONNECTING, CLOSED ->
                        interrupt(f.tsInit(), f.stream() + " " + f.status() + ": " + f.reason());
                };
            case BinanceStreamEvent.ListenKeyExpired k -> interrupt(k.tsInit(), "user data: listen key expired");
            case BinanceStreamEvent.AccountUpdate a -> reconcile(a.tsInit());
            case BinanceStreamEvent.OrderTradeUpdate o -> reconcile(o.tsInit());
            case BinanceStreamEvent.MarginCall c -> reconcile(c.tsInit());
            case BinanceStreamEvent.AccountConfigUpdate c -> reconcile(c.tsInit());
        };
    }

    private List<EngineEvent> interrupt(Instant time, String why) {
        interrupted = true;
        return List.of(new EngineEvent.FeedInterrupted(time, why));
    }

    /** Reads positions and balance from REST and publishes them whole; positions that disappeared are closed. */
    public List<EngineEvent> reconcile(Instant time) {
        AccountSnapshot snapshot;
        try {
            snapshot = gateway.snapshot();
        } catch (RuntimeException e) {
            // No truth, no action: stay interrupted and try again on the next event.
            interrupted = true;
            return List.of(new EngineEvent.FeedInterrupted(time, "REST snapshot failed: " + e.getMessage()));
        }
        List<EngineEvent> events = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (PositionSnapshot p : snapshot.positions()) {
            seen.add(key(p.symbol(), p.side()));
            events.add(new EngineEvent.PositionUpdated(time, p));
        }
        for (String gone : known) {
            if (!seen.contains(gone)) {
                String[] parts = gone.split(":");
                events.add(new EngineEvent.PositionClosed(time, parts[0], Side.valueOf(parts[1]), false));
            }
        }
        known.clear();
        known.addAll(seen);
        events.add(new EngineEvent.BalanceUpdated(time, snapshot.freeBalance()));
        interrupted = false;
        return events;
    }

    private static String key(String symbol, Side side) {
        return symbol + ":" + side.name();
    }
}
