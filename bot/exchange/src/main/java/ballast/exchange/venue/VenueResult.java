package ballast.exchange.venue;

/** The answer to one venue request: a value, or a classified error; with the quota usage the venue reported. */
public sealed interface VenueResult<T> {

    RateUsage usage();

    record Ok<T>(T value, RateUsage usage) implements VenueResult<T> {}

    record Failed<T>(VenueError error, RateUsage usage) implements VenueResult<T> {}
}
