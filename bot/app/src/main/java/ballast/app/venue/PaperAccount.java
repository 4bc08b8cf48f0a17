package ballast.app.venue;

import ballast.core.Side;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.Capability;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.MarginChange;
import ballast.core.venue.Outcome;
import ballast.exchange.paper.PaperVenue;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The paper profile's account: a {@link PaperVenue} that the executor, the reconcile thread and the mark feed share, one
 * call at a time, and that survives restarts. After every change (an accepted request, a liquidation, a backstop that
 * fired) the whole account is written to its file, synced and moved into place atomically, before the caller hears the
 * answer: a process killed after the venue answered finds the order under its client id and the margin change in the
 * history, as a real venue keeps them. Requests are stamped with the time they arrive (our clock), as a venue's margin
 * history is.
 */
public final class PaperAccount implements ExchangeGateway {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .addMixIn(Outcome.class, OutcomeTypes.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "outcome")
    @JsonSubTypes({
        @JsonSubTypes.Type(Outcome.Accepted.class),
        @JsonSubTypes.Type(Outcome.Rejected.class),
        @JsonSubTypes.Type(Outcome.Denied.class),
        @JsonSubTypes.Type(Outcome.NotSent.class),
        @JsonSubTypes.Type(Outcome.Fatal.class),
        @JsonSubTypes.Type(Outcome.Unknown.class)
    })
    private interface OutcomeTypes {}

    private final PaperVenue.Config config;
    private final Path file;
    private final Clock clock;
    private final java.util.function.Function<String, List<ballast.core.margin.RiskTier>> brackets;
    private final PaperVenue venue;

    private PaperAccount(
            PaperVenue.Config config,
            PaperVenue venue,
            Path file,
            Clock clock,
            java.util.function.Function<String, List<ballast.core.margin.RiskTier>> brackets) {
        this.config = config;
        this.venue = venue;
        this.file = file;
        this.clock = clock;
        this.brackets = brackets;
    }

    /** The account kept in {@code file}, if there is one. */
    public static Optional<PaperAccount> load(
            PaperVenue.Config config,
            Path file,
            Clock clock,
            java.util.function.Function<String, List<ballast.core.margin.RiskTier>> brackets) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        PaperVenue.State state;
        try {
            state = JSON.readValue(file.toFile(), PaperVenue.State.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + " is not a paper account Ballast wrote ("
                            + (e instanceof com.fasterxml.jackson.core.JacksonException j
                                    ? j.getOriginalMessage()
                                    : e.getMessage())
                            + "); move it away to start a new account",
                    e);
        }
        return Optional.of(
                new PaperAccount(config, PaperVenue.restore(config, state, brackets), file, clock, brackets));
    }

    /** A new account, opened by {@code opening} on a fresh venue, and written to {@code file} at once. */
    public static PaperAccount create(
            PaperVenue.Config config,
            BigDecimal balance,
            Path file,
            Clock clock,
            java.util.function.Function<String, List<ballast.core.margin.RiskTier>> brackets,
            java.util.function.Consumer<PaperVenue> opening) {
        PaperVenue venue = new PaperVenue(config, balance);
        venue.advance(clock.instant());
        opening.accept(venue);
        PaperAccount account = new PaperAccount(config, venue, file, clock, brackets);
        account.save();
        return account;
    }

    /** The account as it is now (a copy: the state a restart would find). */
    public synchronized PaperVenue.State state() {
        return venue.state();
    }

    /** The free balance and equity at the last marks, for the start-up's summary. */
    public synchronized BigDecimal equity() {
        return venue.equity();
    }

    /**
     * A new mark for {@code symbol}: liquidations and backstops it reaches happen here. The account is written when
     * anything happened.
     */
    public synchronized List<PaperVenue.VenueEvent> onMark(String symbol, Instant time, BigDecimal mark) {
        List<PaperVenue.VenueEvent> events = venue.onPrice(symbol, time, mark, mark);
        if (!events.isEmpty()) {
            save();
        }
        return events;
    }

    /** A funding settlement of {@code symbol}: paid or collected, and the account written when anything moved. */
    public synchronized List<PaperVenue.VenueEvent> onFunding(
            String symbol, Instant time, BigDecimal rate, BigDecimal mark) {
        venue.advance(time);
        List<PaperVenue.VenueEvent> events = venue.onFunding(symbol, time, rate, mark);
        if (!events.isEmpty()) {
            save();
        }
        return events;
    }

    @Override
    public Set<Capability> capabilities() {
        return venue.capabilities();
    }

    @Override
    public synchronized Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
        venue.advance(clock.instant());
        return saved(venue.addIsolatedMargin(symbol, side, amount, clientId));
    }

    @Override
    public synchronized Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
        venue.advance(clock.instant());
        return saved(venue.removeIsolatedMargin(symbol, side, amount, clientId));
    }

    @Override
    public synchronized Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId) {
        venue.advance(clock.instant());
        return saved(venue.reduceOnly(symbol, side, qty, clientId));
    }

    @Override
    public synchronized Outcome closePosition(String symbol, Side side, String clientId) {
        venue.advance(clock.instant());
        return saved(venue.closePosition(symbol, side, clientId));
    }

    @Override
    public synchronized Outcome placeStop(String symbol, Side side, BigDecimal triggerPrice, String clientId) {
        return saved(venue.placeStop(symbol, side, triggerPrice, clientId));
    }

    @Override
    public synchronized Outcome cancelStop(String symbol, Side side, String clientId) {
        return saved(venue.cancelStop(symbol, side, clientId));
    }

    @Override
    public synchronized Outcome order(String symbol, String clientId) {
        return venue.order(symbol, clientId);
    }

    @Override
    public synchronized Optional<List<MarginChange>> marginChanges(String symbol, Side side, Instant since) {
        return venue.marginChanges(symbol, side, since);
    }

    @Override
    public synchronized Optional<List<ballast.core.venue.StopOrder>> openStops() {
        return venue.openStops();
    }

    @Override
    public synchronized AccountSnapshot snapshot() {
        return venue.snapshot();
    }

    /** Writes the account before its answer is given; a refused request changed nothing worth a write. */
    private Outcome saved(Outcome outcome) {
        if (outcome instanceof Outcome.Accepted) {
            save();
        }
        return outcome;
    }

    /**
     * The whole account to a temporary file, synced, then moved over the last one: a crash leaves the old account or the
     * new one, never half of either.
     */
    private void save() {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(venue.state());
            try (FileChannel channel = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the paper account " + file, e);
        }
    }

    /** The file the account is kept in. */
    public Path file() {
        return file;
    }

    /** Reads the account back from its file, as a restart would: for tests of what survives. */
    PaperAccount reloaded() {
        return load(config, file, clock, brackets).orElseThrow();
    }
}
