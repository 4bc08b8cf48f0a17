package ballast.app.run;

import ballast.kernel.Intent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The executor's queue, three lanes taken in order: protective intents that move money or size (top-ups, reduce-only
 * cuts, closes) first; then the exchange-side backstop's placing and cancelling (protective too, but it moves no money
 * and a re-pricing takes two or three requests: a top-up never waits behind one); then the ordinary lane (releases and
 * the like). First in, first out within a lane.
 */
final class Lanes {
    private final ArrayDeque<Intent> protective = new ArrayDeque<>();
    private final ArrayDeque<Intent> backstop = new ArrayDeque<>();
    private final ArrayDeque<Intent> ordinary = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();

    private ArrayDeque<Intent> lane(Intent intent) {
        return switch (intent.action()) {
            case ballast.core.policy.Action.PlaceBackstop b -> backstop;
            case ballast.core.policy.Action.CancelBackstop b -> backstop;
            default -> intent.action().protective() ? protective : ordinary;
        };
    }

    void offer(Intent intent) {
        lock.lock();
        try {
            lane(intent).addLast(intent);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Puts back an intent that could not go yet, at the head of its lane. */
    void putBack(Intent intent) {
        lock.lock();
        try {
            lane(intent).addFirst(intent);
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
            while (protective.isEmpty() && backstop.isEmpty() && ordinary.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            if (!protective.isEmpty()) {
                return protective.pollFirst();
            }
            return backstop.isEmpty() ? ordinary.pollFirst() : backstop.pollFirst();
        } finally {
            lock.unlock();
        }
    }
}
