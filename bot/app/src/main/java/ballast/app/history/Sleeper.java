package ballast.app.history;

import java.time.Duration;

/** Waits: the real one sleeps, a test's advances its hand clock, so tests never sleep. */
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
}
