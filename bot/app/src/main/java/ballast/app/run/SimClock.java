package ballast.app.run;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a feed moves by hand: a replayed market's time, or a test's. */
public final class SimClock extends Clock {
    private volatile Instant now;

    public SimClock(Instant start) {
        this.now = start;
    }

    public void set(Instant time) {
        this.now = time;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
