package ballast.app.cli;

import ballast.exchange.binance.BinanceAccountCheck;
import ballast.exchange.binance.BinanceCredentials;
import ballast.exchange.binance.BinanceEndpoints;
import ballast.exchange.binance.BinanceRestClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast check}: may Ballast keep this Binance account? Reads the key's permissions, the position mode, the
 * multi-assets mode and, for the symbols it would keep, margin type and the exchange's own auto-add; says what to
 * change. Credentials come only from environment variables, named by flags; their values are never printed.
 */
@Command(
        name = "check",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Checks that Ballast may keep a Binance USD-M futures account.",
            "Reads the API key's permissions (no withdrawals), position and multi-assets mode, and the margin type and",
            "exchange auto-add of the kept symbols; says what to change. Changes nothing.",
            "Exit 0: fit; 3: not fit; 4: could not check (connection, key); 2: a mistake in the flags.",
        })
public final class CheckCommand implements Callable<Integer> {

    static final int NOT_FIT = 3;
    /** The check itself could not be done: no connection, a key the venue refuses. Not a verdict on the account. */
    static final int COULD_NOT_CHECK = 4;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--env", paramLabel = "ENV", description = "live | testnet | demo (default testnet).")
    String environment = "testnet";

    @Option(names = "--rest-url", paramLabel = "URL", description = "Override the futures REST base URL.")
    String restUrl;

    @Option(names = "--spot-url", paramLabel = "URL", description = "Override the spot API base URL (key permissions).")
    String spotUrl;

    @Option(
            names = "--key-env",
            paramLabel = "NAME",
            description = "Environment variable with the API key (default BINANCE_API_KEY).")
    String keyEnv = "BINANCE_API_KEY";

    @Option(
            names = "--secret-env",
            paramLabel = "NAME",
            description = "Environment variable with the API secret (default BINANCE_API_SECRET).")
    String secretEnv = "BINANCE_API_SECRET";

    @Option(
            names = "--symbols",
            required = true,
            paramLabel = "LIST",
            description = "Symbols Ballast would keep, comma-separated (e.g. BTCUSDT,ETHUSDT).")
    String symbols;

    @Option(
            names = "--accept",
            paramLabel = "LIST",
            description = "Set-ups to accept on purpose: cross-margin, exchange-auto-add, no-ip-restriction.")
    String accept;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    private final Map<String, String> env;
    private final Clock clock;

    public CheckCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        BinanceEndpoints endpoints = endpoints();
        Set<String> kept = symbols();
        Set<BinanceAccountCheck.Override> accepted = accepted();
        BinanceCredentials credentials;
        try {
            credentials = BinanceCredentials.fromEnvironment(env, keyEnv, secretEnv);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .build();
        try {
            BinanceRestClient client = new BinanceRestClient(http, endpoints, credentials, clock);
            client.syncTime();
            BinanceAccountCheck.Report report = BinanceAccountCheck.run(client, kept);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Binance USD-M " + environment + " (" + endpoints.rest() + "), "
                    + report.hedgeMode()
                            .map(h -> h ? "hedge mode" : "one-way mode")
                            .orElse("position mode unknown")
                    + ", keeping " + String.join(", ", kept));
            var stoppers = report.stoppers(accepted);
            boolean unreachable = !report.complete()
                    && report.findings().stream().allMatch(f -> f.what().startsWith("could not read"));
            if (unreachable) {
                // One cause, one line: every read failed the same way (no connection, a refused key).
                BinanceAccountCheck.Finding first = report.findings().getFirst();
                out.println("  STOP: "
                        + first.what().replaceFirst("could not read [^(]*", "could not read the" + " account ")
                        + ". Change: " + first.change());
                out.println("Could not check: nothing was read from the account, and nothing was changed on it.");
                out.flush();
                return COULD_NOT_CHECK;
            }
            for (BinanceAccountCheck.Finding f : report.findings()) {
                String verdict = stoppers.contains(f) ? "STOP" : f.blocking() ? "accepted" : "note";
                out.println("  " + verdict + ": " + f.what() + ". Change: " + f.change()
                        + f.override()
                                .filter(o -> stoppers.contains(f))
                                .map(o -> " (or accept it: --accept " + flagName(o) + ")")
                                .orElse(""));
            }
            if (!report.complete()) {
                out.println("Could not check: some of the account could not be read (above). Nothing was changed on"
                        + " the account.");
                out.flush();
                return COULD_NOT_CHECK;
            }
            out.println(
                    stoppers.isEmpty()
                            ? "Fit: Ballast may keep this account."
                            : "Not fit: " + stoppers.size()
                                    + " finding(s) stop Ballast. Nothing was changed on the account.");
            out.flush();
            return stoppers.isEmpty() ? 0 : NOT_FIT;
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    private BinanceEndpoints endpoints() {
        BinanceEndpoints base = switch (environment.toLowerCase(Locale.ROOT)) {
            case "live" -> BinanceEndpoints.live();
            case "testnet" -> BinanceEndpoints.testnet();
            case "demo" -> BinanceEndpoints.demo();
            default -> throw new UsageException("--env must be one of live, testnet, demo, was '" + environment + "'");
        };
        try {
            return base.with(
                    java.util.Optional.ofNullable(restUrl).map(u -> url("--rest-url", u)),
                    java.util.Optional.ofNullable(spotUrl).map(u -> url("--spot-url", u)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(
                    (spotUrl != null && e.getMessage().contains("spot") ? "--spot-url: " : "--rest-url: ")
                            + e.getMessage());
        }
    }

    /** An http(s) URL with a host and a port in range, or one line naming the flag. */
    private static String url(String flag, String value) {
        okhttp3.HttpUrl parsed = okhttp3.HttpUrl.parse(value.trim());
        if (parsed == null) {
            throw new UsageException(flag + " must be an http(s) URL like https://fapi.binance.com (scheme, host and a"
                    + " port from 1 to 65535), was '" + value + "'");
        }
        return value.trim();
    }

    private Set<String> symbols() {
        if (symbols == null || symbols.isBlank()) {
            throw new UsageException("--symbols is required (the symbols Ballast would keep, e.g. BTCUSDT,ETHUSDT)");
        }
        Set<String> set = new LinkedHashSet<>();
        for (String s : symbols.split(",")) {
            String symbol = s.trim().toUpperCase(Locale.ROOT);
            if (!symbol.matches("[A-Z0-9]{2,30}")) {
                throw new UsageException("--symbols takes symbols like BTCUSDT, was '" + s.trim() + "'");
            }
            set.add(symbol);
        }
        return set;
    }

    private Set<BinanceAccountCheck.Override> accepted() {
        Set<BinanceAccountCheck.Override> set = EnumSet.noneOf(BinanceAccountCheck.Override.class);
        if (accept == null) {
            return set;
        }
        for (String name : accept.split(",")) {
            String trimmed = name.trim();
            BinanceAccountCheck.Override match = Arrays.stream(BinanceAccountCheck.Override.values())
                    .filter(o -> flagName(o).equals(trimmed))
                    .findFirst()
                    .orElseThrow(() -> new UsageException(
                            "--accept takes cross-margin, exchange-auto-add, no-ip-restriction, was '" + trimmed
                                    + "'"));
            set.add(match);
        }
        return set;
    }

    static String flagName(BinanceAccountCheck.Override o) {
        return switch (o) {
            case CROSS_MARGIN -> "cross-margin";
            case EXCHANGE_AUTO_ADD -> "exchange-auto-add";
            case NO_IP_RESTRICTION -> "no-ip-restriction";
        };
    }
}
