package ballast.app.run;

import ballast.kernel.Intent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The executor's queue: protective intents (top-ups, reduce-only cuts, closes) in one lane, taken before anything in
 * the ordinary lane (releases and the like); first in, first out within a lane.
 */
final class Lanes {
    private final ArrayDeque<Intent> protective = new ArrayDeque<>();
    private final ArrayDeque<Intent> ordinary = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    void offer(Intent intent) {
        lock.lock();
        try {
            (intent.action().protective() ? protective : ordinary).addLast(intent);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Puts back an intent that could not go yet, at the head of its lane. */
    void putBack(Intent intent) {
        lock.lock();
        try {
            (intent.action().protective() ? protective : ordinary).addFirst(intent);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The next intent, protective first, waiting up to {@code timeout}; null when none came. */
    Intent take(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (protective.isEmpty() && ordinary.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return protective.isEmpty() ? ordinary.pollFirst() : protective.pollFirst();
        } finally {
            lock.unlock();
        }
    }
}
