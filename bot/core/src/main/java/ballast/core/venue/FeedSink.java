package ballast.core.venue;

/**
 * Where a venue's feed threads deliver {@link FeedEvent}s. Called from the feeds' own threads, one call at a time per
 * feed: it must return at once and never block (it only enqueues).
 */
@FunctionalInterface
public interface FeedSink {
    void accept(FeedEvent event);
}
