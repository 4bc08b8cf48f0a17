package ballast.exchange.tiers;

import static ballast.exchange.payload.Payloads.field;
import static ballast.exchange.payload.Payloads.text;

import ballast.core.Venue;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.payload.PayloadException;
import ballast.exchange.payload.Payloads;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The dated risk-tier snapshots that ship inside Ballast ({@code ballast/tiers/catalog.json}), parsed with the same
 * parsers as live venue responses and looked up by venue, symbol and as-of date.
 */
public final class ShippedRiskTiers {

    private static final String ROOT = "ballast/tiers/";

    /** One shipped table; {@code asOf} is empty for an undated snapshot. */
    public record Snapshot(Venue venue, String symbol, Optional<LocalDate> asOf, String source, List<RiskTier> tiers) {
        public String label() {
            return venue.id() + " " + symbol + " " + asOf.map(d -> "as of " + d).orElse("(undated snapshot)") + ", "
                    + source;
        }

        public RiskTierTable table() {
            return new RiskTierTable(symbol, label(), tiers);
        }
    }

    private final List<Snapshot> snapshots;

    private ShippedRiskTiers(List<Snapshot> snapshots) {
        this.snapshots = List.copyOf(snapshots);
    }

    public static ShippedRiskTiers load() {
        String catalogName = ROOT + "catalog.json";
        JsonNode catalog = Payloads.parse(catalogName, resource(catalogName));
        JsonNode tables = field(catalogName, catalog, "", "tables");
        List<Snapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            JsonNode entry = tables.get(i);
            String at = "tables[" + i + "].";
            Venue venue = venue(catalogName, text(catalogName, entry, at, "venue"), at);
            Optional<LocalDate> asOf = asOf(catalogName, entry, at);
            String file = text(catalogName, entry, at, "file");
            String format = text(catalogName, entry, at, "format");
            String source = text(catalogName, entry, at, "source");
            String json = resource(ROOT + file);
            Map<String, List<RiskTier>> bySymbol = switch (format) {
                case "binance-leverageBracket" -> BinanceBrackets.parse(file, json);
                case "bybit-risk-limit" -> BybitRiskLimits.parse(file, json);
                default ->
                    throw new PayloadException(catalogName + ": " + at + "format: unknown format \"" + format
                            + "\" (known: binance-leverageBracket, bybit-risk-limit)");
            };
            bySymbol.forEach((symbol, tiers) -> snapshots.add(new Snapshot(venue, symbol, asOf, source, tiers)));
        }
        return new ShippedRiskTiers(snapshots);
    }

    public List<Snapshot> snapshots() {
        return snapshots;
    }

    /**
     * The table for {@code symbol} on {@code venue} in force on {@code asOf}: the newest dated snapshot not after it,
     * else an undated one. Without a date, the newest snapshot. Fails with a message listing what is shipped.
     */
    public Snapshot find(Venue venue, String symbol, Optional<LocalDate> asOf) {
        String wanted = symbol.toUpperCase(Locale.ROOT);
        List<Snapshot> forVenue =
                snapshots.stream().filter(s -> s.venue() == venue).toList();
        if (forVenue.isEmpty()) {
            throw new UnknownTiersException("no risk tiers are shipped for " + venue.id() + "; shipped: "
                    + shippedVenues() + ". Give the rate instead with --mmr (and --maint-amount)");
        }
        List<Snapshot> forSymbol =
                forVenue.stream().filter(s -> s.symbol().equals(wanted)).toList();
        if (forSymbol.isEmpty()) {
            throw new UnknownTiersException("no " + venue.id() + " risk tiers for symbol " + symbol + "; shipped: "
                    + String.join(
                            ", ",
                            new TreeSet<>(
                                    forVenue.stream().map(Snapshot::symbol).toList()))
                    + ". Or give the rate with --mmr (and --maint-amount)");
        }
        Comparator<Snapshot> byDate = Comparator.comparing(s -> s.asOf().orElse(LocalDate.MIN));
        Optional<Snapshot> dated = forSymbol.stream()
                .filter(s -> s.asOf().isPresent())
                .filter(s -> asOf.isEmpty() || !s.asOf().get().isAfter(asOf.get()))
                .max(byDate);
        Optional<Snapshot> undated =
                forSymbol.stream().filter(s -> s.asOf().isEmpty()).findFirst();
        return dated.or(() -> undated)
                .orElseThrow(
                        () -> new UnknownTiersException("no " + venue.id() + " " + wanted + " risk tiers on or before "
                                + asOf.map(LocalDate::toString).orElse("?") + "; shipped dates: " + dates(forSymbol)));
    }

    private static String dates(List<Snapshot> snapshots) {
        return String.join(
                ", ",
                snapshots.stream()
                        .map(s -> s.asOf().map(LocalDate::toString).orElse("undated"))
                        .sorted()
                        .toList());
    }

    private String shippedVenues() {
        return String.join(
                ", ", new TreeSet<>(snapshots.stream().map(s -> s.venue().id()).toList()));
    }

    private static Venue venue(String catalogName, String id, String at) {
        for (Venue venue : Venue.values()) {
            if (venue.id().equals(id)) {
                return venue;
            }
        }
        throw new PayloadException(catalogName + ": " + at + "venue: unknown venue \"" + id + "\"");
    }

    private static Optional<LocalDate> asOf(String catalogName, JsonNode entry, String at) {
        JsonNode value = entry.get("asOf");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(value.asText()));
        } catch (DateTimeParseException e) {
            throw new PayloadException(catalogName + ": " + at + "asOf must be YYYY-MM-DD or null, was " + value);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ShippedRiskTiers.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new PayloadException("shipped resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shipped resource " + name, e);
        }
    }

    /** Asked for a table that is not shipped; the message lists what is. */
    public static final class UnknownTiersException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownTiersException(String message) {
            super(message);
        }
    }
}
