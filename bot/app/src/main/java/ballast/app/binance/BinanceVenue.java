package ballast.app.binance;

import ballast.app.config.RunSettings;
import ballast.app.run.LiveRun;
import ballast.app.run.LiveVenue;
import ballast.core.margin.MarginRules;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.FeedSink;
import ballast.exchange.binance.BinanceAccountCheck;
import ballast.exchange.binance.BinanceCredentials;
import ballast.exchange.binance.BinanceEndpoints;
import ballast.exchange.binance.BinanceExchangeInfo;
import ballast.exchange.binance.BinanceGateway;
import ballast.exchange.binance.BinanceListenKeys;
import ballast.exchange.binance.BinanceRestClient;
import ballast.exchange.binance.stream.BinanceFeeds;
import ballast.exchange.binance.stream.BinanceStreamEndpoints;
import ballast.exchange.binance.stream.FeedRuntime;
import ballast.exchange.binance.stream.FeedTiming;
import ballast.exchange.binance.stream.UserDataStream;
import ballast.exchange.venue.VenueResult;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binance USDⓈ-M as the running bot's venue ({@code --profile testnet|live}). {@link #connect} does the venue's part of
 * the start-up, in order, sending nothing that changes the account: the credentials from the variables the profile
 * names; the venue's clock; the ownership check ({@code ballast check}); exchangeInfo (the order quota, each symbol's
 * tick); each kept symbol's brackets. Any failure is a {@link LiveRun.CannotStart} naming what to change.
 */
public final class BinanceVenue implements LiveVenue {

    private final String describe;
    private final Set<String> kept;
    private final BinanceConnections connections;
    private final BinanceRestClient client;
    private final BinanceGateway gateway;
    private final Map<String, RiskTierTable> tiers;
    private final Quota orders;
    private final String streamBase;
    private final Clock clock;
    private BinanceMarkFeed marks;
    private UserDataStream user;

    private BinanceVenue(
            String describe,
            Set<String> kept,
            BinanceConnections connections,
            BinanceRestClient client,
            BinanceGateway gateway,
            Map<String, RiskTierTable> tiers,
            Quota orders,
            String streamBase,
            Clock clock) {
        this.describe = describe;
        this.kept = kept;
        this.connections = connections;
        this.client = client;
        this.gateway = gateway;
        this.tiers = tiers;
        this.orders = orders;
        this.streamBase = streamBase;
        this.clock = clock;
    }

    /** The REST hosts: the profile's Binance hosts unless the settings name others. */
    public static BinanceEndpoints endpoints(String profile, RunSettings.Venue venue) {
        BinanceEndpoints base = isLive(profile) ? BinanceEndpoints.live() : BinanceEndpoints.testnet();
        try {
            return base.with(
                    java.util.Optional.of(venue.restUrl())
                            .filter(u -> !u.isEmpty())
                            .map(BinanceVenue::trim),
                    java.util.Optional.of(venue.spotUrl())
                            .filter(u -> !u.isEmpty())
                            .map(BinanceVenue::trim));
        } catch (IllegalArgumentException e) {
            throw new LiveRun.CannotStart(2, "run.venue.restUrl / spotUrl: " + e.getMessage());
        }
    }

    /** The WebSocket host: the profile's unless the settings name another. */
    public static String streams(String profile, RunSettings.Venue venue) {
        if (!venue.streamUrl().isEmpty()) {
            return trim(venue.streamUrl());
        }
        return (isLive(profile) ? BinanceStreamEndpoints.live() : BinanceStreamEndpoints.testnet()).base();
    }

    /** Live hosts: the live profile's, and the paper profile's (which reads live marks and sends nothing). */
    private static boolean isLive(String profile) {
        return profile.equals("live") || profile.equals("paper");
    }

    private static String trim(String url) {
        String t = url.trim();
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    /**
     * The API key and secret from the variables the settings name; a missing one stops the start before anything is
     * opened (exit 2).
     */
    public static BinanceCredentials credentials(RunSettings.Venue venue, Map<String, String> env) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of(venue.apiKeyEnv(), venue.apiSecretEnv())) {
            String value = env.get(name);
            if (!name.isBlank() && (value == null || value.isBlank())) {
                missing.add(name);
            }
        }
        if (missing.size() > 1) {
            // Both at once, not one run per variable.
            throw new LiveRun.CannotStart(
                    2,
                    "environment variables " + String.join(" and ", missing) + " are not set or are empty"
                            + " (run.venue.apiKeyEnv and run.venue.apiSecretEnv name the variables that hold the API"
                            + " key and secret; the values belong there, never in a file)");
        }
        try {
            return BinanceCredentials.fromEnvironment(env, venue.apiKeyEnv(), venue.apiSecretEnv());
        } catch (IllegalArgumentException e) {
            throw new LiveRun.CannotStart(
                    2,
                    e.getMessage() + " (run.venue.apiKeyEnv and run.venue.apiSecretEnv name the variables that hold"
                            + " the API key and secret; the values belong there, never in a file)");
        }
    }

    /**
     * Connects to the account the profile names and checks it; prints what it found to {@code out}.
     *
     * @throws LiveRun.CannotStart when the account cannot or must not be kept; nothing was sent then
     */
    public static BinanceVenue connect(
            String profile, RunSettings.Venue venue, Map<String, String> env, Clock clock, PrintWriter out) {
        return connect(profile, venue, RunSettings.defaults().protectiveReservePct(), env, clock, out);
    }

    /**
     * @param reservePct the share of the request weight only writes may use (reads, however many, leave it to them)
     */
    public static BinanceVenue connect(
            String profile,
            RunSettings.Venue venue,
            int reservePct,
            Map<String, String> env,
            Clock clock,
            PrintWriter out) {
        BinanceEndpoints endpoints = endpoints(profile, venue);
        String streamBase = streams(profile, venue);
        BinanceCredentials credentials = credentials(venue, env);
        Set<String> kept = new LinkedHashSet<>(venue.symbols());
        BinanceConnections connections = BinanceConnections.open(venue.requestTimeout());
        try {
            BinanceRestClient client = new BinanceRestClient(connections.http, endpoints, credentials, clock);
            String describe = "Binance USD-M " + profile + " at " + endpoints.rest() + ", streams at " + streamBase;
            out.println("Connecting: " + describe + "; keeping " + String.join(", ", kept) + ".");
            out.flush();
            Started started = startUp(client, kept, venue, clock, out);
            client.quotas().size(started.info(), reservePct);
            Map<String, BigDecimal> ticks = new LinkedHashMap<>();
            started.info().symbols().forEach((s, r) -> ticks.put(s, r.tickSize()));
            return new BinanceVenue(
                    describe,
                    kept,
                    connections,
                    client,
                    new BinanceGateway(client, started.hedgeMode(), clock, ticks),
                    started.tiers(),
                    new Quota(started.orders(), Duration.ofSeconds(10), "exchangeInfo"),
                    streamBase,
                    clock);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
    }

    /** What start-up read from the venue before anything was decided. */
    private record Started(boolean hedgeMode, BinanceExchangeInfo info, Map<String, RiskTierTable> tiers, int orders) {}

    /** A symbol's brackets as the venue published them, named by when they were read. */
    private static RiskTierTable table(String symbol, List<RiskTier> brackets, Clock clock) {
        return new RiskTierTable(
                symbol,
                "Binance leverageBracket " + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                brackets);
    }

    private static Started startUp(
            BinanceRestClient client, Set<String> kept, RunSettings.Venue venue, Clock clock, PrintWriter out) {
        if (client.syncTime() instanceof VenueResult.Failed<Duration> failed) {
            throw new LiveRun.CannotStart(
                    LiveRun.COULD_NOT_START,
                    "could not reach Binance: " + failed.error().describe() + ". Nothing was sent.");
        }
        BinanceAccountCheck.Report report = BinanceAccountCheck.run(client, kept);
        Set<BinanceAccountCheck.Override> accepted = EnumSet.noneOf(BinanceAccountCheck.Override.class);
        for (String a : venue.accept()) {
            accepted.add(
                    switch (a) {
                        case "cross-margin" -> BinanceAccountCheck.Override.CROSS_MARGIN;
                        case "exchange-auto-add" -> BinanceAccountCheck.Override.EXCHANGE_AUTO_ADD;
                        default -> BinanceAccountCheck.Override.NO_IP_RESTRICTION;
                    });
        }
        if (!report.complete()) {
            throw new LiveRun.CannotStart(
                    LiveRun.COULD_NOT_START,
                    "could not check the account: "
                            + report.findings().stream()
                                    .map(BinanceAccountCheck.Finding::what)
                                    .reduce((a, b) -> a + "; " + b)
                                    .orElse("a read failed")
                            + ". Nothing was sent.");
        }
        List<BinanceAccountCheck.Finding> stoppers = report.stoppers(accepted);
        if (!stoppers.isEmpty()) {
            StringBuilder why = new StringBuilder("the account is not fit for Ballast (as 'ballast check' says):");
            for (BinanceAccountCheck.Finding f : stoppers) {
                why.append(System.lineSeparator())
                        .append("  STOP: ")
                        .append(f.what())
                        .append(". Change: ")
                        .append(f.change());
                f.override()
                        .ifPresent(o -> why.append(" (or accept it: run.venue.accept: [")
                                .append(o.name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('_', '-'))
                                .append("])"));
            }
            throw new LiveRun.CannotStart(
                    LiveRun.NOT_FIT,
                    why.append(System.lineSeparator())
                            .append("Nothing was sent.")
                            .toString());
        }
        for (BinanceAccountCheck.Finding f : report.findings()) {
            out.println("  note: " + f.what() + (f.blocking() ? " (accepted in run.venue.accept)" : ""));
        }
        BinanceExchangeInfo info = switch (client.exchangeInfo()) {
            case VenueResult.Ok<BinanceExchangeInfo> ok -> ok.value();
            case VenueResult.Failed<BinanceExchangeInfo> failed ->
                throw new LiveRun.CannotStart(
                        LiveRun.COULD_NOT_START,
                        "could not read exchangeInfo (quotas, ticks): "
                                + failed.error().describe());
        };
        for (String symbol : kept) {
            BinanceExchangeInfo.SymbolRules rules = info.symbols().get(symbol);
            if (rules == null) {
                throw new LiveRun.CannotStart(
                        2, "run.venue.symbols: " + symbol + " is not a USD-M perpetual on this venue (exchangeInfo)");
            }
            if (!rules.trading()) {
                out.println("  note: " + symbol + " is " + rules.status() + " on the venue, not TRADING");
            }
        }
        int orders = info.tightest(BinanceExchangeInfo.LimitType.ORDERS, Duration.ofSeconds(10))
                .map(BinanceExchangeInfo.RateLimit::limit)
                .orElse(300);
        Map<String, RiskTierTable> tiers = new LinkedHashMap<>();
        for (String symbol : kept) {
            switch (client.leverageBrackets(Optional.of(symbol))) {
                case VenueResult.Ok<Map<String, List<RiskTier>>> ok ->
                    tiers.put(symbol, table(symbol, ok.value().get(symbol), clock));
                case VenueResult.Failed<Map<String, List<RiskTier>>> failed ->
                    throw new LiveRun.CannotStart(
                            LiveRun.COULD_NOT_START,
                            "could not read the brackets of " + symbol + ": "
                                    + failed.error().describe());
            }
        }
        boolean hedge = report.hedgeMode().orElseThrow();
        out.println("  account fit; " + (hedge ? "hedge" : "one-way") + " mode; order quota " + orders
                + " per 10 s (exchangeInfo); brackets read for " + String.join(", ", tiers.keySet()) + ".");
        out.flush();
        return new Started(hedge, info, tiers, orders);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public Set<String> kept() {
        return kept;
    }

    @Override
    public ExchangeGateway gateway() {
        return gateway;
    }

    @Override
    public Map<String, Integer> headroom() {
        return client.quotas().headroom();
    }

    @Override
    public void ownIds(String prefix) {
        gateway.ownIds(prefix);
    }

    /** Every symbol's brackets in one read ({@code GET /fapi/v1/leverageBracket}, weight 1), the kept ones returned. */
    @Override
    public Optional<Map<String, RiskTierTable>> readTiers() {
        if (!(client.leverageBrackets(Optional.empty()) instanceof VenueResult.Ok<Map<String, List<RiskTier>>> ok)) {
            return Optional.empty();
        }
        Map<String, RiskTierTable> read = new LinkedHashMap<>();
        for (String symbol : kept) {
            List<RiskTier> brackets = ok.value().get(symbol);
            if (brackets != null && !brackets.isEmpty()) {
                read.put(symbol, table(symbol, brackets, clock));
            }
        }
        return Optional.of(read);
    }

    @Override
    public MarginRules rules() {
        return MarginRules.binance();
    }

    @Override
    public Map<String, RiskTierTable> tiers() {
        return tiers;
    }

    @Override
    public Quota orders() {
        return orders;
    }

    @Override
    public void onBan(java.util.function.Consumer<Ban> listener) {
        // The client itself sends nothing more until then (reads included); the bot is told so it says why and waits.
        client.onRateLimited(
                limited -> listener.accept(new Ban(client.quietUntil(), limited.banned(), limited.describe())));
    }

    /** Starts the mark feed ({@link BinanceMarkFeed}: the stream, REST marks while it is down) and the user stream. */
    @Override
    public synchronized void startFeeds(FeedSink sink) {
        marks = new BinanceMarkFeed(connections, client, streamBase, new ArrayList<>(kept), clock);
        user = new UserDataStream(
                streamBase,
                new BinanceListenKeys(client),
                BinanceFeeds.into(sink),
                FeedTiming.userDataDefaults(),
                new FeedRuntime(connections.http, connections.streams, clock, new java.util.Random()));
        marks.start(sink);
        user.start();
    }

    @Override
    public synchronized void close() {
        if (marks != null) {
            marks.close();
        }
        if (user != null) {
            // Invalidates the listen key at the venue (best effort).
            user.close();
        }
        connections.close();
    }
}
