package ballast.app.venue;

import ballast.core.venue.Outcome;
import ballast.kernel.Intent;

/**
 * Carries one intent to a venue and says how it ended: the one place where an action becomes a venue call, for replay,
 * paper and live alike. Never throws for what the venue answers: every failure is an {@link Outcome}.
 */
public interface Dispatcher {

    Outcome dispatch(Intent intent);

    /**
     * What the venue did with {@code intent}, read back from it: an order queried by its client id, a margin change
     * found (or not) in the margin history from {@code since} (when it was sent) on. {@link Outcome.Unknown} while the
     * venue cannot tell yet.
     */
    Outcome reconcile(Intent intent, java.time.Instant since);
}
