package ballast.app.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Alerts on their own thread, never blocking the engine: {@link #alert} only checks for a repeat and enqueues. The same
 * alert (its {@code key}) goes out at most once per dedupe window of the bot's clock; each target takes at most
 * {@code maxPerMinute} a minute of wall time (what is over is counted and said in the next one that goes); a target that
 * fails is reported once a minute, never with its address (a webhook URL or a bot token is a secret).
 */
public final class Alerter implements AutoCloseable {

    /** One alert: what a trader reads. {@code key} says which alerts are the same one. */
    public record Alert(Instant time, String severity, String book, String text, String key) {}

    /** Where alerts go. {@link #send} throws on failure with a message that holds no secret. */
    public interface Target {
        String name();

        /** Whether the rate limit applies (a local file takes every alert; a chat does not). */
        default boolean limited() {
            return true;
        }

        void send(Alert alert, int suppressed) throws Exception;
    }

    private static final int QUEUE = 1_000;

    private final List<Target> targets;
    private final Clock clock;
    private final long dedupeNanos;
    private final int maxPerMinute;
    private final Consumer<String> fault;
    private final ArrayDeque<Alert> queue = new ArrayDeque<>();
    private final Map<String, Instant> lastSent = new HashMap<>();
    private final Map<String, long[]> windows = new HashMap<>();
    private final Map<String, Long> lastFault = new HashMap<>();
    private final Thread sender;
    private boolean open = true;
    /** An alert taken off the queue and being handed to the targets. */
    private boolean delivering;

    public Alerter(List<Target> targets, Clock clock, Duration dedupeWindow, int maxPerMinute, Consumer<String> fault) {
        this.targets = List.copyOf(targets);
        this.clock = clock;
        this.dedupeNanos = dedupeWindow.toNanos();
        this.maxPerMinute = maxPerMinute;
        this.fault = fault;
        this.sender = new Thread(this::sendLoop, "ballast-alerts");
        sender.setDaemon(true);
        sender.start();
    }

    /** Queues {@code alert} unless the same one went out within the dedupe window; never blocks. */
    public void alert(Alert alert) {
        synchronized (queue) {
            Instant last = lastSent.get(alert.key());
            if (last != null && Duration.between(last, alert.time()).toNanos() < dedupeNanos) {
                return;
            }
            lastSent.put(alert.key(), alert.time());
            if (queue.size() >= QUEUE) {
                queue.removeFirst();
            }
            queue.addLast(alert);
            queue.notifyAll();
        }
    }

    /** Waits until every alert queued so far has been handed to the targets (tests, and a stop). */
    public void flush(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        synchronized (queue) {
            while ((!queue.isEmpty() || delivering) && System.nanoTime() < deadline) {
                queue.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
            }
        }
    }

    private void sendLoop() {
        while (true) {
            Alert next;
            synchronized (queue) {
                while (queue.isEmpty() && open) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                // Taken off before it is delivered: a full queue dropping its oldest never drops this one.
                next = queue.pollFirst();
                delivering = true;
            }
            for (Target target : targets) {
                deliver(target, next);
            }
            synchronized (queue) {
                delivering = false;
                queue.notifyAll();
            }
        }
    }

    private void deliver(Target target, Alert alert) {
        long now = System.nanoTime();
        long[] window = windows.computeIfAbsent(target.name(), k -> new long[] {now, 0, 0});
        if (now - window[0] >= 60_000_000_000L) {
            window[0] = now;
            window[1] = 0;
        }
        if (target.limited() && window[1] >= maxPerMinute) {
            window[2]++;
            return;
        }
        window[1]++;
        int suppressed = (int) Math.min(Integer.MAX_VALUE, window[2]);
        try {
            target.send(alert, suppressed);
            window[2] = 0;
        } catch (Exception e) {
            Long last = lastFault.get(target.name());
            if (last == null || now - last >= 60_000_000_000L) {
                lastFault.put(target.name(), now);
                fault.accept("alerts to " + target.name() + " failed: " + e.getMessage());
            }
        }
    }

    /** Sends what is queued (for at most two seconds), then stops. */
    @Override
    public void close() {
        try {
            flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (queue) {
            open = false;
            queue.notifyAll();
        }
        try {
            sender.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Clock clock() {
        return clock;
    }
}
