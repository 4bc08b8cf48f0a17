package ballast.exchange.binance.stream;

import static org.assertj.core.api.Assertions.fail;

import ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus;
import ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The engine's inbox, as a test sees it: every event in arrival order, with blocking waits (wait/notify, no sleeps). */
final class RecordingSink implements Consumer<BinanceStreamEvent> {

    private final List<BinanceStreamEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(BinanceStreamEvent event) {
        events.add(event);
        notifyAll();
    }

    synchronized List<BinanceStreamEvent> events() {
        return List.copyOf(events);
    }

    synchronized List<Status> statuses() {
        return events.stream()
                .filter(FeedStatus.class::isInstance)
                .map(e -> ((FeedStatus) e).status())
                .toList();
    }

    synchronized <T extends BinanceStreamEvent> List<T> ofType(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Blocks until the recorded events satisfy the condition. */
    synchronized void awaitUntil(Predicate<List<BinanceStreamEvent>> condition, String what) {
        long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
        while (!condition.test(events)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("timed out waiting for " + what + "; events so far: " + events);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Waits until {@code count} events of the type have arrived, and returns them. */
    <T extends BinanceStreamEvent> List<T> await(Class<T> type, int count) {
        awaitUntil(es -> es.stream().filter(type::isInstance).count() >= count, count + " × " + type.getSimpleName());
        return ofType(type);
    }

    /** Waits until the statuses seen so far are exactly the given sequence (plus possibly more afterwards). */
    void awaitStatuses(Status... expected) {
        List<Status> want = List.of(expected);
        awaitUntil(
                es -> {
                    List<Status> got = es.stream()
                            .filter(FeedStatus.class::isInstance)
                            .map(e -> ((FeedStatus) e).status())
                            .toList();
                    return got.size() >= want.size()
                            && got.subList(0, want.size()).equals(want);
                },
                "statuses " + want);
    }

    synchronized FeedStatus lastStatus(Status status) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof FeedStatus s && s.status() == status) {
                return s;
            }
        }
        throw new AssertionError("no " + status + " in " + events);
    }
}
