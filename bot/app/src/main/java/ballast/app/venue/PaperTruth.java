package ballast.app.venue;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.venue.PositionSnapshot;
import ballast.exchange.paper.PaperVenue;
import ballast.kernel.EngineEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the paper venue tells the engine, as events: its truth about a position after an action, a liquidation or a
 * funding payment, and its free balance. The replay and the paper runtime publish exactly these, in this order, so the
 * engine hears the same thing in both.
 */
public final class PaperTruth {
    private PaperTruth() {}

    /** The venue's truth about one position, or that it is gone. */
    public static EngineEvent position(PaperVenue venue, String symbol, Side side, Instant time) {
        Optional<PaperVenue.Holding> holding = venue.holding(symbol, side);
        if (holding.isEmpty()) {
            return new EngineEvent.PositionClosed(time, symbol, side, false);
        }
        PaperVenue.Holding h = holding.get();
        return new EngineEvent.PositionUpdated(
                time,
                new PositionSnapshot(
                        symbol,
                        side,
                        h.mode(),
                        h.qty(),
                        h.entry(),
                        h.mode() == MarginMode.ISOLATED ? h.isolatedWallet() : venue.freeBalance(),
                        h.leverage(),
                        Optional.empty()));
    }

    /**
     * The free balance, and every cross position again: the paper venue's free balance is the cross wallet, which every
     * realised PnL, fee and funding payment changes, and a cross position is measured on it.
     */
    public static List<EngineEvent> balance(PaperVenue venue, Instant time) {
        List<EngineEvent> events = new ArrayList<>();
        events.add(new EngineEvent.BalanceUpdated(time, venue.freeBalance()));
        for (PaperVenue.Holding h : venue.holdings()) {
            if (h.mode() == MarginMode.CROSS) {
                events.add(position(venue, h.symbol(), h.side(), time));
            }
        }
        return events;
    }

    /** What follows an action on a position, whatever its outcome: the position as the venue holds it, then the balance. */
    public static List<EngineEvent> afterAction(PaperVenue venue, String symbol, Side side, Instant time) {
        List<EngineEvent> events = new ArrayList<>();
        events.add(position(venue, symbol, side, time));
        events.addAll(balance(venue, time));
        return events;
    }

    /**
     * What one of the venue's own events tells the engine. A funding payment tells the position it was paid by, as the
     * venue holds it after the settlement; the balance follows the settlement's events ({@link #balance}).
     */
    public static List<EngineEvent> of(PaperVenue venue, PaperVenue.VenueEvent event) {
        return switch (event) {
            case PaperVenue.VenueEvent.Liquidated l ->
                List.of(new EngineEvent.PositionClosed(l.time(), l.symbol(), l.side(), true));
            case PaperVenue.VenueEvent.AutoAdded a -> List.of(position(venue, a.symbol(), a.side(), a.time()));
            case PaperVenue.VenueEvent.BackstopTriggered b ->
                List.of(new EngineEvent.PositionClosed(b.time(), b.symbol(), b.side(), false));
            case PaperVenue.VenueEvent.FundingPaid f ->
                venue.holding(f.symbol(), f.side()).isPresent()
                        ? List.of(position(venue, f.symbol(), f.side(), f.time()))
                        : List.of();
        };
    }
}
