package ballast.app.live;

import ballast.core.PositionKey;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.FeedEvent;
import ballast.core.venue.FeedSink;
import ballast.core.venue.PositionSnapshot;
import ballast.kernel.EngineEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns what a venue's feeds say into engine events, without ever blocking a feed's thread: a mark goes straight into
 * the inbox (stamped with our receive time, which staleness is measured from); a drop, a silence or an expired key puts
 * a {@link EngineEvent.FeedInterrupted} there. Account events are never patched into the engine's state: one, or a
 * reconnect after a gap, asks the bridge's own reconcile thread to read the venue's REST truth and publish it whole, so
 * the engine never acts on a picture assembled from partial pushes. Requests that arrive while a read runs are answered
 * by one more read, not one each.
 *
 * <p>A position read is stamped with the time the read was sent: an accepted action the engine holds pending is seen in
 * a read sent after it was answered.
 */
public final class VenueBridge implements FeedSink, AutoCloseable {

    private final ExchangeGateway gateway;
    private final java.util.function.Predicate<String> kept;
    private final Consumer<EngineEvent> inbox;
    private final Clock clock;
    private final Thread reconciler;
    private final Object lock = new Object();
    private final Set<PositionKey> known = new HashSet<>();
    /** Feeds that are not connected now. */
    private final Set<String> down = new HashSet<>();

    private boolean wanted;
    private boolean interrupted = true;
    private boolean open = true;

    /**
     * @param inbox where engine events go: called from the feeds' threads and from the bridge's reconcile thread; it
     *     must not block (the bot's inbox never does)
     */
    public VenueBridge(ExchangeGateway gateway, Consumer<EngineEvent> inbox, Clock clock) {
        this(gateway, inbox, clock, symbol -> true);
    }

    /**
     * @param kept the symbols whose positions the engine hears of: a position in any other is the trader's own, and the
     *     bot neither measures nor touches it
     */
    public VenueBridge(
            ExchangeGateway gateway,
            Consumer<EngineEvent> inbox,
            Clock clock,
            java.util.function.Predicate<String> kept) {
        this.kept = kept;
        this.gateway = gateway;
        this.inbox = inbox;
        this.clock = clock;
        this.reconciler = new Thread(this::reconcileLoop, "ballast-reconcile");
        reconciler.setDaemon(true);
        reconciler.start();
    }

    @Override
    public void accept(FeedEvent event) {
        switch (event) {
            case FeedEvent.Mark m when !kept.test(m.symbol()) -> {}
            case FeedEvent.Mark m ->
                inbox.accept(new EngineEvent.MarkUpdated(m.tsInit(), m.symbol(), m.mark(), m.mark()));
            case FeedEvent.AccountChanged a -> request();
            case FeedEvent.Status s -> {
                if (s.state() == FeedEvent.Status.State.CONNECTED) {
                    boolean gap;
                    synchronized (lock) {
                        down.remove(s.feed());
                        gap = interrupted;
                    }
                    if (gap) {
                        request();
                    }
                } else {
                    synchronized (lock) {
                        down.add(s.feed());
                        interrupted = true;
                    }
                    inbox.accept(new EngineEvent.FeedInterrupted(
                            s.tsInit(), s.feed() + " " + s.state() + ": " + s.reason()));
                    // The engine now waits for the venue's truth before acting: read it at once (a dropped mark stream
                    // must not stop a top-up until the stream is back).
                    request();
                }
            }
        }
    }

    /** Asks for a read of the venue's truth; returns at once. */
    public void request() {
        synchronized (lock) {
            wanted = true;
            lock.notifyAll();
        }
    }

    private void reconcileLoop() {
        int failures = 0;
        while (true) {
            synchronized (lock) {
                // After a failed read the truth is unknown, which counts as danger: read again soon (1 s, 2 s, 4 s ...
                // up to 30 s), not only when the next event asks.
                long retryAt = failures == 0
                        ? Long.MAX_VALUE
                        : System.nanoTime() + retryDelay(failures).toNanos();
                while (!wanted && open) {
                    long left = retryAt - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        if (retryAt == Long.MAX_VALUE) {
                            lock.wait();
                        } else {
                            lock.wait(Math.max(1, left / 1_000_000L));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!open) {
                    return;
                }
                wanted = false;
            }
            List<EngineEvent> events = reconcile();
            boolean failed = events.size() == 1 && events.get(0) instanceof EngineEvent.FeedInterrupted;
            failures = failed ? failures + 1 : 0;
            for (EngineEvent event : events) {
                inbox.accept(event);
            }
        }
    }

    /** 1 s, 2 s, 4 s ... at most 30 s after {@code failures} failed reads in a row. */
    static java.time.Duration retryDelay(int failures) {
        return java.time.Duration.ofSeconds(Math.min(30, 1L << Math.min(failures - 1, 5)));
    }

    /**
     * Reads positions and balance from REST and says them whole, positions that disappeared as closed; a failed read
     * says the account is unknown (the engine sends nothing but alerts) until a later read succeeds. Runs on the
     * reconcile thread, or on the caller's before the feeds start.
     */
    public List<EngineEvent> reconcile() {
        Instant asked = clock.instant();
        AccountSnapshot snapshot;
        try {
            snapshot = gateway.snapshot();
        } catch (RuntimeException e) {
            synchronized (lock) {
                interrupted = true;
            }
            return List.of(new EngineEvent.FeedInterrupted(asked, "REST snapshot failed: " + e.getMessage()));
        }
        List<EngineEvent> events = new ArrayList<>();
        Set<PositionKey> seen = new HashSet<>();
        for (PositionSnapshot p : snapshot.positions()) {
            if (!kept.test(p.symbol())) {
                continue;
            }
            seen.add(new PositionKey(p.symbol(), p.side()));
            events.add(new EngineEvent.PositionUpdated(asked, p));
        }
        synchronized (lock) {
            for (PositionKey gone : known) {
                if (!seen.contains(gone)) {
                    events.add(new EngineEvent.PositionClosed(asked, gone.symbol(), gone.side(), false));
                }
            }
            known.clear();
            known.addAll(seen);
            // A read while a feed is still down does not close the gap: what it misses is read again on reconnect.
            interrupted = !down.isEmpty();
        }
        events.add(new EngineEvent.BalanceUpdated(asked, snapshot.freeBalance()));
        return events;
    }

    @Override
    public void close() {
        synchronized (lock) {
            open = false;
            lock.notifyAll();
        }
        try {
            reconciler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
