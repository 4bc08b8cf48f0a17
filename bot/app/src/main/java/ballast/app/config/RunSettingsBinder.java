package ballast.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Binds the {@code run:} section with Jackson, collecting every problem instead of stopping at the first: unknown keys,
 * values of the wrong type and values against a rule are each reported at their own key, and the defaults stand in
 * meanwhile. The user's values are laid over the defaults first, so a missing key is its default.
 */
final class RunSettingsBinder {

    /** One problem at a dotted path ({@code run.alerts.maxPerMinute}). */
    record Problem(String path, String rule, String value) {}

    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    private final List<Problem> problems = new ArrayList<>();
    private final ObjectMapper mapper;

    /** The profiles that connect to a venue, and the hosts a testnet profile must never reach. */
    static final java.util.Set<String> VENUE_PROFILES = java.util.Set.of("paper", "testnet", "live");

    static final java.util.Set<String> LIVE_HOSTS =
            java.util.Set.of("fapi.binance.com", "api.binance.com", "fstream.binance.com", "ws-fapi.binance.com");

    private static final java.util.List<String> ACCEPTABLE =
            java.util.List.of("cross-margin", "exchange-auto-add", "no-ip-restriction");

    private final String profile;

    RunSettingsBinder() {
        this("");
    }

    /** @param profile the profile being loaded ("" for none): paper, testnet and live have rules of their own */
    RunSettingsBinder(String profile) {
        this.profile = profile;
        SimpleModule durations = new SimpleModule("ballast-durations")
                .addDeserializer(Duration.class, new Durations())
                .addSerializer(Duration.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
        mapper = JsonMapper.builder()
                .addModule(durations)
                // 10000 stays 10000: amounts keep the scale they were written with.
                .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // 70000.5 is not a port: a fraction where a whole number belongs is a mistake, not a value to cut.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addHandler(new Collect())
                .build();
    }

    List<Problem> problems() {
        return problems;
    }

    /** {@code run} (null: not given) bound over the defaults; the defaults where a problem was found. */
    RunSettings bind(JsonNode run) {
        RunSettings defaults = RunSettings.defaults();
        // Durations are written as ISO text (PT10S), which the duration reader takes back.
        ObjectNode defaultsTree = mapper.valueToTree(defaults);
        ObjectNode tree = defaultsTree.deepCopy();
        if (run != null) {
            if (!run.isObject()) {
                problems.add(new Problem("run", "must be a mapping", run.toString()));
                return defaults;
            }
            SettingsFile.overlay(tree, (ObjectNode) run);
        }
        RunSettings bound = null;
        // A value Jackson cannot coerce at all stops its binding: it is named, set back to its default, and the rest
        // bound again, so one mistake never hides another.
        for (int attempt = 0; attempt < 50 && bound == null; attempt++) {
            try {
                bound = mapper.treeToValue(tree, RunSettings.class);
            } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
                List<String> names = new ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
                    if (r.getFieldName() != null) {
                        names.add(r.getFieldName());
                    }
                }
                if (names.isEmpty()) {
                    problems.add(
                            new Problem("run", "cannot be read (" + e.getClass().getSimpleName() + ")", "?"));
                    return defaults;
                }
                String rule = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
                                && m.getTargetType() != null
                        ? "must be " + kind(m.getTargetType())
                        : "cannot be read";
                String value = e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
                                && f.getValue() instanceof Number
                        ? String.valueOf(f.getValue())
                        : shown(tree, names);
                problems.add(new Problem("run." + String.join(".", names), rule, value));
                reset(tree, defaultsTree, names);
            } catch (IOException e) {
                problems.add(
                        new Problem("run", "cannot be read (" + e.getClass().getSimpleName() + ")", "?"));
                return defaults;
            }
        }
        if (bound == null) {
            return defaults;
        }
        int before = problems.size();
        check(bound);
        return problems.size() == before && bound != null ? bound : defaults;
    }

    /** The user's scalar at {@code path}, unless it sits where a secret's variable is named (it may be the secret). */
    private static String shown(JsonNode tree, List<String> path) {
        JsonNode at = tree;
        for (String name : path) {
            at = at == null ? null : at.get(name);
        }
        if (at == null || !at.isValueNode() || path.get(path.size() - 1).endsWith("Env")) {
            return "(not shown)";
        }
        return at.asText();
    }

    /** Puts the default back at {@code path} in {@code tree}. */
    private static void reset(ObjectNode tree, ObjectNode defaults, List<String> path) {
        ObjectNode at = tree;
        JsonNode fallback = defaults;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode next = at.get(path.get(i));
            if (!(next instanceof ObjectNode child)) {
                at.set(path.get(i), defaults.get(path.get(i)));
                return;
            }
            at = child;
            fallback = fallback == null ? null : fallback.get(path.get(i));
        }
        String last = path.get(path.size() - 1);
        JsonNode value = fallback == null ? null : fallback.get(last);
        if (value == null) {
            at.remove(last);
        } else {
            at.set(last, value);
        }
    }

    private void check(RunSettings r) {
        if (r == null) {
            return;
        }
        if (r.stopGrace() == null) {
            problems.add(new Problem("run.stopGrace", "must be a duration (30s, 5m, 1h)", "(empty)"));
        }
        if (r.alerts() == null) {
            problems.add(new Problem("run.alerts", "must be a mapping", "(empty)"));
        } else if (r.alerts().dedupeWindow() == null) {
            problems.add(new Problem("run.alerts.dedupeWindow", "must be a duration (30s, 5m, 1h)", "(empty)"));
        }
        if (r.dir() == null || r.dir().isBlank()) {
            problems.add(new Problem("run.dir", "must name a folder", String.valueOf(r.dir())));
        }
        range("run.statusPort", r.statusPort(), 0, 65_535, "0 (any free port) to 65535");
        range("run.inboxCapacity", r.inboxCapacity(), 100, 10_000_000, "100 to 10000000");
        range("run.protectiveReservePct", r.protectiveReservePct(), 0, 90, "0 to 90");
        if (r.stopGrace() != null
                && (r.stopGrace().isNegative() || r.stopGrace().compareTo(Duration.ofMinutes(5)) > 0)) {
            problems.add(new Problem(
                    "run.stopGrace", "must be from 0s to 5m", r.stopGrace().toString()));
        }
        RunSettings.Alerts a = r.alerts();
        if (a == null) {
            return;
        }
        if (a.dedupeWindow() != null && a.dedupeWindow().isNegative()) {
            problems.add(new Problem(
                    "run.alerts.dedupeWindow",
                    "must not be negative",
                    a.dedupeWindow().toString()));
        }
        range("run.alerts.maxPerMinute", a.maxPerMinute(), 1, 600, "1 to 600");
        env("run.alerts.webhookUrlEnv", a.webhookUrlEnv());
        env("run.alerts.slackWebhookUrlEnv", a.slackWebhookUrlEnv());
        env("run.alerts.telegramBotTokenEnv", a.telegramBotTokenEnv());
        boolean token =
                a.telegramBotTokenEnv() != null && !a.telegramBotTokenEnv().isEmpty();
        boolean chat = a.telegramChatId() != null && !a.telegramChatId().isEmpty();
        if (token && !chat) {
            problems.add(new Problem(
                    "run.alerts.telegramBotTokenEnv",
                    "needs telegramChatId too (the chat the bot writes to)",
                    a.telegramBotTokenEnv()));
        } else if (chat && !token) {
            problems.add(new Problem(
                    "run.alerts.telegramChatId",
                    "needs telegramBotTokenEnv too (the variable holding the bot's token)",
                    a.telegramChatId()));
        }
        url("run.alerts.telegramApiUrl", a.telegramApiUrl());
        venue(r.venue());
        paper(r.paper(), r.venue());
    }

    private void paper(RunSettings.Paper p, RunSettings.Venue v) {
        if (p == null) {
            problems.add(new Problem("run.paper", "must be a mapping", "(empty)"));
            return;
        }
        if (p.balance() == null || p.balance().signum() <= 0) {
            problems.add(new Problem("run.paper.balance", "must be a positive amount of USDT", given(p.balance())));
        }
        if (p.positions() == null) {
            problems.add(new Problem(
                    "run.paper.positions", "must be a list of {symbol, side, leverage, margin, mode}", "(empty)"));
            return;
        }
        java.math.BigDecimal margins = java.math.BigDecimal.ZERO;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < p.positions().size(); i++) {
            RunSettings.Paper.Opening o = p.positions().get(i);
            String at = "run.paper.positions[" + i + "]";
            if (o == null) {
                problems.add(new Problem(at, "must be {symbol, side, leverage, margin, mode}", "(empty)"));
                continue;
            }
            if (o.symbol() == null || !o.symbol().matches("[A-Z0-9]{2,30}")) {
                problems.add(new Problem(
                        at + ".symbol", "takes the venue's symbol in capitals, like BTCUSDT", given(o.symbol())));
            } else if (profile.equals("paper")
                    && v != null
                    && v.symbols() != null
                    && !v.symbols().contains(o.symbol())) {
                problems.add(new Problem(
                        at + ".symbol",
                        "must be one of the symbols Ballast keeps (run.venue.symbols: " + v.symbols() + ")",
                        o.symbol()));
            }
            if (!"long".equals(o.side()) && !"short".equals(o.side())) {
                problems.add(new Problem(at + ".side", "must be long or short", given(o.side())));
            } else if (o.symbol() != null && !seen.add(o.symbol() + " " + o.side())) {
                problems.add(
                        new Problem(at, "opens a second " + o.side() + " " + o.symbol() + " position", o.symbol()));
            }
            if (o.leverage() == null
                    || o.leverage().compareTo(java.math.BigDecimal.ONE) < 0
                    || o.leverage().compareTo(new java.math.BigDecimal("125")) > 0) {
                problems.add(new Problem(at + ".leverage", "must be from 1 to 125", given(o.leverage())));
            }
            if (o.margin() == null || o.margin().signum() <= 0) {
                problems.add(new Problem(at + ".margin", "must be a positive amount of USDT", given(o.margin())));
            } else if (!"cross".equals(o.mode())) {
                margins = margins.add(o.margin());
            }
            if (!"isolated".equals(o.mode()) && !"cross".equals(o.mode())) {
                problems.add(new Problem(at + ".mode", "must be isolated or cross", given(o.mode())));
            }
        }
        if (p.balance() != null && p.balance().signum() > 0 && margins.compareTo(p.balance()) >= 0) {
            problems.add(new Problem(
                    "run.paper.positions",
                    "take " + margins.toPlainString() + " USDT of isolated margin; run.paper.balance is only "
                            + p.balance().toPlainString() + " (fees are paid from it too)",
                    margins.toPlainString()));
        }
    }

    private void venue(RunSettings.Venue v) {
        if (v == null) {
            problems.add(new Problem("run.venue", "must be a mapping", "(empty)"));
            return;
        }
        if (!v.restUrl().isEmpty()) {
            url("run.venue.restUrl", v.restUrl());
        }
        if (!v.spotUrl().isEmpty()) {
            url("run.venue.spotUrl", v.spotUrl());
        }
        if (!v.streamUrl().isEmpty() && !v.streamUrl().matches("(?i)(wss?|https?)://[^/?#\\s]+/?")) {
            problems.add(new Problem(
                    "run.venue.streamUrl",
                    "must be a WebSocket host like wss://fstream.binance.com (scheme, host, port)",
                    v.streamUrl()));
        }
        env("run.venue.apiKeyEnv", v.apiKeyEnv());
        env("run.venue.apiSecretEnv", v.apiSecretEnv());
        boolean venueProfile = VENUE_PROFILES.contains(profile);
        if (venueProfile && !profile.equals("paper")) {
            if (v.apiKeyEnv().isEmpty()) {
                problems.add(
                        new Problem("run.venue.apiKeyEnv", "must name the variable holding the API key", "(empty)"));
            }
            if (v.apiSecretEnv().isEmpty()) {
                problems.add(new Problem(
                        "run.venue.apiSecretEnv", "must name the variable holding the API secret", "(empty)"));
            }
        }
        if (v.symbols() == null) {
            problems.add(new Problem("run.venue.symbols", "must be a list like [BTCUSDT, ETHUSDT]", "(empty)"));
        } else {
            for (String symbol : v.symbols()) {
                if (symbol == null || !symbol.matches("[A-Z0-9]{2,30}")) {
                    problems.add(new Problem(
                            "run.venue.symbols",
                            "takes the venue's symbols in capitals, like BTCUSDT",
                            String.valueOf(symbol)));
                }
            }
            if (venueProfile && v.symbols().isEmpty()) {
                problems.add(new Problem(
                        "run.venue.symbols",
                        "the " + profile + " profile needs the symbols Ballast keeps, like [BTCUSDT, ETHUSDT]",
                        "[]"));
            }
        }
        if (v.accept() == null) {
            problems.add(new Problem("run.venue.accept", "must be a list", "(empty)"));
        } else {
            for (String a : v.accept()) {
                if (!ACCEPTABLE.contains(a)) {
                    problems.add(new Problem(
                            "run.venue.accept", "takes " + String.join(", ", ACCEPTABLE), String.valueOf(a)));
                }
            }
        }
        between("run.venue.reconcileEvery", v.reconcileEvery(), Duration.ofSeconds(5), Duration.ofHours(1));
        between("run.venue.bracketsEvery", v.bracketsEvery(), Duration.ofSeconds(10), Duration.ofDays(1));
        between("run.venue.requestTimeout", v.requestTimeout(), Duration.ofMillis(200), Duration.ofMinutes(1));
        between("run.venue.backstopCheckEvery", v.backstopCheckEvery(), Duration.ofSeconds(10), Duration.ofHours(1));
        if (profile.equals("live") && !v.confirmLive()) {
            problems.add(new Problem(
                    "run.venue.confirmLive",
                    "the live profile sends real orders with real money: set it to true to say you mean it",
                    "false"));
        }
        if (profile.equals("testnet")) {
            for (String[] host : new String[][] {
                {"run.venue.restUrl", v.restUrl()},
                {"run.venue.spotUrl", v.spotUrl()},
                {"run.venue.streamUrl", v.streamUrl()}
            }) {
                String name = hostOf(host[1]);
                if (LIVE_HOSTS.contains(name)) {
                    problems.add(
                            new Problem(host[0], "the testnet profile never connects to a live Binance host", host[1]));
                }
            }
        }
    }

    /** A value as the user gave it, or that it is missing. */
    private static String given(Object value) {
        return value == null
                ? "(missing)"
                : value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
    }

    private void between(String path, Duration value, Duration min, Duration max) {
        if (value == null) {
            problems.add(new Problem(path, "must be a duration (30s, 5m, 1h)", "(empty)"));
        } else if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problems.add(new Problem(
                    path,
                    "must be from " + ballast.app.format.Figures.duration(min) + " to "
                            + ballast.app.format.Figures.duration(max),
                    ballast.app.format.Figures.duration(value)));
        }
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url.trim()).getHost();
            return host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        } catch (RuntimeException e) {
            return "";
        }
    }

    private void range(String path, int value, int min, int max, String rule) {
        if (value < min || value > max) {
            problems.add(new Problem(path, "must be from " + rule, String.valueOf(value)));
        }
    }

    /** A variable's name, never its value: a URL or a token written here would be a secret in a file. */
    private void env(String path, String name) {
        if (name == null || name.isEmpty()) {
            return;
        }
        if (!ENV_NAME.matcher(name).matches()) {
            // Whatever is here is not a variable's name: it may be the secret itself, so it is never echoed.
            String shown = "(not shown: it may be the secret itself)";
            problems.add(new Problem(
                    path,
                    "must name an environment variable (A-Z, 0-9, _); the secret itself belongs in that variable,"
                            + " never in a file",
                    shown));
        }
    }

    private void url(String path, String value) {
        try {
            URI uri = URI.create(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (RuntimeException e) {
            problems.add(new Problem(path, "must be an http(s) URL", String.valueOf(value)));
        }
    }

    private String at(JsonParser p) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
            if (c.getCurrentName() != null) {
                parts.add(0, c.getCurrentName());
            }
        }
        parts.add(0, "run");
        return String.join(".", parts);
    }

    private final class Collect extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            String where = at(p);
            String path = where.endsWith("." + propertyName) ? where : where + "." + propertyName;
            problems.add(new Problem(
                    path, "unknown key (known here: " + String.join(", ", known(deserializer)) + ")", propertyName));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext ctxt, Class<?> targetType, String valueToConvert, String failureMsg) {
            problems.add(new Problem(at(ctxt.getParser()), "must be " + kind(targetType), valueToConvert));
            return zero(targetType);
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p, String failureMsg)
                throws IOException {
            String value = p.getValueAsString() != null ? p.getValueAsString() : String.valueOf(t);
            problems.add(new Problem(at(p), "must be " + kind(targetType.getRawClass()), value));
            p.skipChildren();
            return zero(targetType.getRawClass());
        }
    }

    private static List<String> known(JsonDeserializer<?> deserializer) {
        List<String> names = new ArrayList<>();
        deserializer.getKnownPropertyNames().forEach(n -> names.add(String.valueOf(n)));
        names.sort(null);
        return names;
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == Duration.class) {
            return "a duration (30s, 5m, 1h)";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list like [BTCUSDT, ETHUSDT]";
        }
        return "a mapping";
    }

    private static Object zero(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return 0;
        }
        if (type == String.class) {
            return "";
        }
        if (type == boolean.class || type == Boolean.class) {
            return false;
        }
        return null;
    }

    /** {@code 30s}, {@code 5m}, {@code 1h}: as every duration in the settings. */
    private final class Durations extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
                String where = at(p);
                p.skipChildren();
                problems.add(new Problem(
                        where,
                        "must be a duration (30s, 5m, 1h)",
                        "a " + (p.currentToken() == JsonToken.END_OBJECT ? "mapping" : "list")));
                return null;
            }
            String text = p.getValueAsString();
            try {
                return SettingsFile.parseDuration(text);
            } catch (RuntimeException e) {
                problems.add(new Problem(at(p), "must be a duration (30s, 5m, 1h)", String.valueOf(text)));
                return null;
            }
        }
    }
}
