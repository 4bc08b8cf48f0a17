package ballast.app.run;

import ballast.kernel.EngineEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's one bounded inbox. Stream threads, jobs and the executor only put events here; the engine thread alone
 * takes them. A mark still waiting is replaced by a newer mark of its symbol (only the newest matters), so marks never
 * fill it. Nothing else is ever dropped: an event that finds it full is still taken, and counted as an overflow, a
 * fault the runtime alerts on.
 */
final class Inbox {
    /** A mark's place in the queue: a newer mark of the symbol takes it while it waits. */
    private static final class MarkSlot {
        EngineEvent.MarkUpdated mark;

        MarkSlot(EngineEvent.MarkUpdated mark) {
            this.mark = mark;
        }
    }

    private final int capacity;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final Map<String, MarkSlot> waitingMarks = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private long overflows;
    private long coalesced;
    private int deepest;

    Inbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the inbox capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Puts {@code event}; never blocks. Returns false when it replaced a waiting mark of the same symbol (the queue did
     * not grow), true when it was queued.
     */
    boolean put(EngineEvent event) {
        lock.lock();
        try {
            if (event instanceof EngineEvent.MarkUpdated mark) {
                MarkSlot waiting = waitingMarks.get(mark.symbol());
                if (waiting != null) {
                    waiting.mark = mark;
                    coalesced++;
                    return false;
                }
                MarkSlot slot = new MarkSlot(mark);
                waitingMarks.put(mark.symbol(), slot);
                add(slot);
            } else {
                add(event);
            }
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void add(Object entry) {
        if (queue.size() >= capacity) {
            overflows++;
        }
        queue.addLast(entry);
        deepest = Math.max(deepest, queue.size());
    }

    /** The oldest event, waiting up to {@code timeout} for one; null when none came. */
    EngineEvent take(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Object entry = queue.pollFirst();
            if (entry instanceof MarkSlot slot) {
                waitingMarks.remove(slot.mark.symbol());
                return slot.mark;
            }
            return (EngineEvent) entry;
        } finally {
            lock.unlock();
        }
    }

    int depth() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most events that ever waited at once. */
    int deepest() {
        lock.lock();
        try {
            return deepest;
        } finally {
            lock.unlock();
        }
    }

    /** Events taken beyond the capacity (never dropped): each one a fault. */
    long overflows() {
        lock.lock();
        try {
            return overflows;
        } finally {
            lock.unlock();
        }
    }

    /** Marks replaced by a newer one of their symbol before the engine took them. */
    long coalesced() {
        lock.lock();
        try {
            return coalesced;
        } finally {
            lock.unlock();
        }
    }
}
