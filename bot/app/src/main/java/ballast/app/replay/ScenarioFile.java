package ballast.app.replay;

import ballast.app.config.SettingsFile;
import ballast.app.config.StrictYaml;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a scenario YAML strictly: unknown keys fail, every value is checked, and all problems are reported together,
 * each as {@code file:line: path: rule, was value}.
 */
public final class ScenarioFile {

    private static final Set<String> TOP = Set.of(
            "name", "exchange", "tiersAsOf", "from", "to", "warmUp", "account", "positions", "signals", "policy");
    private static final Set<String> ACCOUNT = Set.of("wallet");
    private static final Set<String> POSITION =
            Set.of("symbol", "side", "leverage", "margin", "marginMode", "mmr", "maintAmount", "data");
    /** Bigger than any account or position: {@code 1e400} is a typo, not an amount. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
    /** The highest leverage any supported venue offers; the symbol's own brackets are checked at replay. */
    private static final BigDecimal MAX_LEVERAGE = BigDecimal.valueOf(125);

    private static final Set<String> DATA = Set.of("candles", "mark", "funding");
    private static final Set<String> POLICY = Set.copyOf(SettingsFile.policyKeys());
    private static final Set<String> SIGNAL = Set.of("at", "symbol", "conviction");

    /** Every problem of one scenario file, one per line. */
    public static final class ScenarioException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ScenarioException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final String fileName;
    private final Map<String, Integer> lines;
    private final List<String> problems = new ArrayList<>();
    private boolean dataMissing;

    private ScenarioFile(Path file, Map<String, Integer> lines) {
        this.file = file;
        this.fileName = file.getFileName().toString();
        this.lines = lines;
    }

    public static Scenario load(Path file) {
        String text;
        try {
            text = StrictYaml.text(file);
        } catch (NoSuchFileException e) {
            throw new ScenarioException("scenario file not found: " + file);
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario file " + file + ": " + e.getMessage());
        }
        JsonNode root;
        Map<String, Integer> lines;
        try {
            root = StrictYaml.readOne(file.getFileName().toString(), text);
            lines = ballast.app.config.YamlLines.index(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(
                    StrictYaml.syntaxError(file.getFileName().toString(), e));
        } catch (StrictYaml.SecondDocument e) {
            throw new ScenarioException(e.getMessage());
        } catch (IOException e) {
            throw new ScenarioException(file.getFileName() + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ScenarioException(
                    file.getFileName() + ": a scenario is a YAML mapping (name:, exchange:, from:, ...)");
        }
        ScenarioFile reader = new ScenarioFile(file, lines);
        Scenario scenario = reader.read(root);
        if (reader.dataMissing) {
            // A scenario that reads downloaded data says in its comments which download fetches it: repeat that here.
            text.lines()
                    .map(String::trim)
                    .filter(l -> l.startsWith("#") && l.contains("ballast data download"))
                    .findFirst()
                    .ifPresent(l ->
                            reader.problems.add(reader.fileName + ": its data is not downloaded yet; fetch it with: "
                                    + l.substring(1).trim()));
        }
        if (!reader.problems.isEmpty()) {
            throw new ScenarioException(String.join(System.lineSeparator(), reader.problems));
        }
        return scenario;
    }

    private Scenario read(JsonNode root) {
        unknownKeys(root, "", TOP);
        String name = text(root, "", "name").orElse(fileName);
        Venue exchange = choice(root, "", "exchange", Venue.class).orElse(Venue.BINANCE);
        Optional<LocalDate> tiersAsOf = text(root, "", "tiersAsOf").flatMap(v -> date("tiersAsOf", v));
        Optional<Instant> from = required(root, "", "from").flatMap(v -> instant("from", v));
        Optional<Instant> to = required(root, "", "to").flatMap(v -> instant("to", v));
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            problem("to", "must be after from (" + from.get() + ")", to.get().toString());
        }
        java.time.Duration warmUp =
                text(root, "", "warmUp").flatMap(v -> warmUp("warmUp", v)).orElse(Scenario.DEFAULT_WARM_UP);
        BigDecimal wallet = BigDecimal.ZERO;
        JsonNode account = root.get("account");
        if (account == null) {
            problem("account", "is required (account: wallet: free balance besides the positions' margin)", "missing");
        } else {
            unknownKeys(account, "account.", ACCOUNT);
            wallet = decimal(account, "account.", "wallet", true)
                    .filter(w -> within("account.wallet", w, BigDecimal.ZERO, true, MAX_AMOUNT, "USDT"))
                    .orElse(BigDecimal.ZERO);
        }
        List<Scenario.PositionSpec> positions = new ArrayList<>();
        JsonNode list = root.get("positions");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problem(
                    "positions",
                    "must be a list of positions, each starting with '- symbol:'",
                    list == null ? "missing" : list.isObject() ? "a mapping" : excerpt(list));
        } else {
            for (int i = 0; i < list.size(); i++) {
                position(list.get(i), "positions[" + i + "].").ifPresent(positions::add);
            }
            samePositionTwice(positions);
        }
        for (Scenario.PositionSpec p : positions) {
            if (p.marginMode() == MarginMode.CROSS && exchange != Venue.BINANCE) {
                problemAt(
                        p,
                        "marginMode",
                        "cross is measured on Binance's rules only (as in 'ballast liq');"
                                + " use isolated, or exchange: binance",
                        "cross");
            }
        }
        if (wallet.signum() == 0 && positions.stream().anyMatch(p -> p.marginMode() == MarginMode.CROSS)) {
            problem(
                    "account.wallet",
                    "must be above 0 with a cross position: the free balance is the cross wallet that margins it"
                            + " (a cross position's margin only sizes it)",
                    "0");
        }
        List<Scenario.Signal> signals = signals(root.get("signals"), from, to, positions);
        Optional<SettingsFile.Layer> policySettings = Optional.empty();
        JsonNode policyNode = root.get("policy");
        if (policyNode != null) {
            unknownKeys(policyNode, "policy.", POLICY);
            text(policyNode, "policy.", "name"); // checked here for a blank value; its meaning is the settings'
            // The parameters are checked where the profile is read, with the same rules and this file's lines.
            Map<String, Integer> policyLines = new java.util.HashMap<>();
            lines.forEach((path, line) -> {
                if (path.startsWith("policy.")) {
                    policyLines.put(path.substring("policy.".length()), line);
                }
            });
            policySettings = Optional.of(new SettingsFile.Layer(fileName, "policy", policyNode, policyLines));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new Scenario(
                name,
                exchange,
                tiersAsOf,
                from.orElseThrow(),
                to.orElseThrow(),
                warmUp,
                wallet,
                positions,
                policySettings,
                signals);
    }

    /**
     * The trader's conviction over the window: {@code - at: TIME, symbol: S, conviction: 0..1}, each taking effect at
     * its time and lasting until the next for the symbol. The symbol must be one the scenario holds.
     */
    private List<Scenario.Signal> signals(
            JsonNode list, Optional<Instant> from, Optional<Instant> to, List<Scenario.PositionSpec> positions) {
        List<Scenario.Signal> signals = new ArrayList<>();
        if (list == null) {
            return signals;
        }
        if (!list.isArray()) {
            problem(
                    "signals",
                    "must be a list, each item like '- at: 2022-11-08T12:00:00Z' with symbol: and conviction: (0 to 1)",
                    list.isObject() ? "a mapping" : excerpt(list));
            return signals;
        }
        Set<String> held = new java.util.HashSet<>();
        positions.forEach(p -> held.add(p.symbol()));
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String path = "signals[" + i + "].";
            if (!node.isObject()) {
                problem(
                        path.substring(0, path.length() - 1),
                        "must be a mapping (at:, symbol:, conviction:)",
                        excerpt(node));
                continue;
            }
            unknownKeys(node, path, SIGNAL);
            Optional<Instant> at = required(node, path, "at").flatMap(v -> instant(path + "at", v));
            Optional<String> symbol = required(node, path, "symbol").map(s -> s.toUpperCase(Locale.ROOT));
            Optional<BigDecimal> conviction = decimal(node, path, "conviction", true)
                    .filter(c -> within(
                            path + "conviction",
                            c,
                            BigDecimal.ZERO,
                            true,
                            BigDecimal.ONE,
                            "(1: full conviction, 0: none)"));
            if (at.isPresent()
                    && from.isPresent()
                    && to.isPresent()
                    && (at.get().isBefore(from.get()) || at.get().isAfter(to.get()))) {
                problem(
                        path + "at",
                        "must be inside the window, from " + from.get() + " to " + to.get(),
                        at.get().toString());
                at = Optional.empty();
            }
            if (symbol.isPresent() && !positions.isEmpty() && !held.contains(symbol.get())) {
                problem(
                        path + "symbol",
                        "must be a symbol the scenario holds (" + String.join(", ", new java.util.TreeSet<>(held))
                                + ")",
                        symbol.get());
                symbol = Optional.empty();
            }
            if (at.isPresent() && symbol.isPresent() && conviction.isPresent()) {
                signals.add(new Scenario.Signal(at.get(), symbol.get(), conviction.get()));
            }
        }
        return signals;
    }

    private Optional<Scenario.PositionSpec> position(JsonNode node, String path) {
        if (!node.isObject()) {
            problem(
                    path.substring(0, path.length() - 1),
                    "must be a mapping (symbol:, side:, leverage:, ...)",
                    node.toString());
            return Optional.empty();
        }
        unknownKeys(node, path, POSITION);
        Optional<String> symbol = required(node, path, "symbol").map(s -> s.toUpperCase(Locale.ROOT));
        Optional<Side> side = required(node, path, "side").flatMap(v -> enumValue(path + "side", v, Side.class));
        Optional<BigDecimal> leverage = decimal(node, path, "leverage", true)
                .filter(l -> within(path + "leverage", l, BigDecimal.ONE, true, MAX_LEVERAGE, "(times the margin)"));
        Optional<BigDecimal> margin = decimal(node, path, "margin", true)
                .filter(m -> positive(path + "margin", m)
                        && within(path + "margin", m, BigDecimal.ZERO, false, MAX_AMOUNT, "USDT"));
        Optional<BigDecimal> mmr = decimal(node, path, "mmr", false)
                .filter(r -> within(
                        path + "mmr",
                        r,
                        BigDecimal.ZERO,
                        false,
                        new BigDecimal("0.5"),
                        "(a fraction: 0.005 is 0.5 %)"));
        BigDecimal maintAmount = decimal(node, path, "maintAmount", false)
                .filter(a -> within(path + "maintAmount", a, BigDecimal.ZERO, true, MAX_AMOUNT, "USDT"))
                .orElse(BigDecimal.ZERO);
        if (node.has("maintAmount") && !node.has("mmr")) {
            problem(
                    path + "maintAmount",
                    "goes with mmr (the maintenance rate it belongs to)",
                    node.get("maintAmount").asText());
        }
        MarginMode mode = text(node, path, "marginMode")
                .flatMap(v -> enumValue(path + "marginMode", v, MarginMode.class))
                .orElse(MarginMode.ISOLATED);
        JsonNode data = node.get("data");
        Optional<Path> candles = Optional.empty();
        Optional<Path> mark = Optional.empty();
        Optional<Path> funding = Optional.empty();
        if (data == null || !data.isObject()) {
            problem(
                    path + "data",
                    data == null
                            ? "is required (data: candles: FILE|FOLDER, mark: FILE|FOLDER, funding: FILE|FOLDER)"
                            : "must be a mapping: data: {candles: FILE|FOLDER, mark: ..., funding: ...}",
                    data == null ? "missing" : excerpt(data));
        } else {
            unknownKeys(data, path + "data.", DATA);
            candles = required(data, path + "data.", "candles").flatMap(f -> dataFile(path + "data.candles", f));
            mark = text(data, path + "data.", "mark").flatMap(f -> dataFile(path + "data.mark", f));
            funding = text(data, path + "data.", "funding").flatMap(f -> dataFile(path + "data.funding", f));
        }
        if (symbol.isEmpty() || side.isEmpty() || leverage.isEmpty() || margin.isEmpty() || candles.isEmpty()) {
            return Optional.empty();
        }
        Integer line = lines.get(path.substring(0, path.length() - 1));
        String where = fileName + ":" + (line == null ? 1 : line) + ": " + path.substring(0, path.length() - 1);
        return Optional.of(new Scenario.PositionSpec(
                symbol.get(),
                side.get(),
                leverage.get(),
                margin.get(),
                mode,
                candles.get(),
                mark,
                funding,
                mmr,
                maintAmount,
                where));
    }

    /** {@code value} in {@code [min, max]} (or {@code (min, max]}): a number a person could mean, or a problem. */
    private boolean within(
            String path, BigDecimal value, BigDecimal min, boolean minIncluded, BigDecimal max, String unit) {
        boolean low = minIncluded ? value.compareTo(min) < 0 : value.compareTo(min) <= 0;
        if (low || value.compareTo(max) > 0) {
            problem(
                    path,
                    "must be " + (minIncluded ? "from " : "above ") + min.toPlainString() + " "
                            + (minIncluded ? "to " : "up to ") + max.toPlainString() + " " + unit,
                    shown(value));
            return false;
        }
        return true;
    }

    /** A value as a person can read it back: {@code 1E+400}, not four hundred digits. */
    public static String shown(BigDecimal value) {
        return value.precision() - value.scale() > 20 || (value.signum() != 0 && value.scale() > 20)
                ? value.toString()
                : value.toPlainString();
    }

    private Optional<Path> dataFile(String path, String value) {
        Path resolved = file.toAbsolutePath().getParent().resolve(value).normalize();
        if (!Files.isRegularFile(resolved) && !Files.isDirectory(resolved)) {
            dataMissing = true;
            problem(path, "no such file or folder (paths are relative to the scenario file)", resolved.toString());
            return Optional.empty();
        }
        return Optional.of(resolved);
    }

    private Optional<java.time.Duration> warmUp(String path, String value) {
        try {
            java.time.Duration d = value.equals("0") ? java.time.Duration.ZERO : SettingsFile.parseDuration(value);
            if (d.isNegative() || d.compareTo(java.time.Duration.ofDays(30)) > 0) {
                problem(path, "must be a duration from 0 to 30d", value);
                return Optional.empty();
            }
            return Optional.of(d);
        } catch (IllegalArgumentException e) {
            problem(path, "must be a duration like 12h or 1d (0 for none)", value);
            return Optional.empty();
        }
    }

    private void unknownKeys(JsonNode node, String path, Set<String> known) {
        if (!node.isObject()) {
            problem(
                    path.isEmpty() ? "(top)" : path.substring(0, path.length() - 1),
                    "must be a mapping",
                    node.toString());
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problem(
                        path + key,
                        "unknown key (known: "
                                + String.join(", ", known.stream().sorted().toList()) + ")",
                        key);
            }
        }
    }

    private Optional<String> text(JsonNode node, String path, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            problem(
                    path + key,
                    "must be a single value, not " + (value.isArray() ? "a list" : "a mapping"),
                    excerpt(value));
            return Optional.empty();
        }
        if (value.asText().isBlank()) {
            problem(path + key, "must not be empty", "''");
            return Optional.empty();
        }
        return Optional.of(value.asText().trim());
    }

    /** A YAML value for a message: short, in YAML's own look rather than JSON's. */
    private static String excerpt(JsonNode value) {
        String text = value.isValueNode() ? value.asText() : value.toString().replace("\"", "");
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }

    /** One position per symbol and side, and one margin mode per symbol (as Binance keeps them). */
    private void samePositionTwice(List<Scenario.PositionSpec> positions) {
        for (int i = 0; i < positions.size(); i++) {
            for (int j = 0; j < i; j++) {
                Scenario.PositionSpec a = positions.get(j);
                Scenario.PositionSpec b = positions.get(i);
                if (!a.symbol().equals(b.symbol())) {
                    continue;
                }
                if (a.side() == b.side()) {
                    problemAt(
                            b,
                            "side",
                            "a second " + b.side().label() + " " + b.symbol() + " (the first is at " + a.where()
                                    + "): a venue holds one position per symbol and side; add the margins together",
                            b.side().label());
                } else if (a.marginMode() != b.marginMode()) {
                    problemAt(
                            b,
                            "marginMode",
                            b.symbol() + " is " + a.marginMode().label() + " at " + a.where()
                                    + ": a symbol has one margin mode",
                            b.marginMode().label());
                }
            }
        }
    }

    /** A problem of one position's key, at the position's own line. */
    private void problemAt(Scenario.PositionSpec p, String key, String rule, String value) {
        problems.add(p.where() + "." + key + ": " + rule + ", was " + value);
    }

    private Optional<String> required(JsonNode node, String path, String key) {
        Optional<String> value = text(node, path, key);
        if (value.isEmpty() && (node.get(key) == null || node.get(key).isNull())) {
            problem(path + key, "is required", "missing");
        }
        return value;
    }

    private Optional<BigDecimal> decimal(JsonNode node, String path, String key, boolean needed) {
        JsonNode raw = node.get(key);
        if (raw != null && (raw.isArray() || raw.isObject())) {
            problem(
                    path + key,
                    "must be a decimal number, not " + (raw.isArray() ? "a list" : "a mapping"),
                    excerpt(raw));
            return Optional.empty();
        }
        Optional<String> value = needed ? required(node, path, key) : text(node, path, key);
        return value.flatMap(v -> {
            try {
                return Optional.of(new BigDecimal(v));
            } catch (NumberFormatException e) {
                problem(path + key, "must be a decimal number", v);
                return Optional.empty();
            }
        });
    }

    private boolean positive(String path, BigDecimal value) {
        if (value.signum() <= 0) {
            problem(path, "must be > 0", value.toPlainString());
            return false;
        }
        return true;
    }

    private <E extends Enum<E>> Optional<E> choice(JsonNode node, String path, String key, Class<E> type) {
        return text(node, path, key).flatMap(v -> enumValue(path + key, v, type));
    }

    private <E extends Enum<E>> Optional<E> enumValue(String path, String value, Class<E> type) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return Optional.of(constant);
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
        problem(path, "must be one of " + String.join(", ", allowed), value);
        return Optional.empty();
    }

    private Optional<Instant> instant(String path, String value) {
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDate.parse(value)
                        .atStartOfDay(java.time.ZoneOffset.UTC)
                        .toInstant());
            } catch (DateTimeParseException again) {
                problem(path, "must be a UTC time like 2022-11-07T00:00:00Z (or a date 2022-11-07)", value);
                return Optional.empty();
            }
        }
    }

    private Optional<LocalDate> date(String path, String value) {
        try {
            return Optional.of(LocalDate.parse(value));
        } catch (DateTimeParseException e) {
            problem(path, "must be a date YYYY-MM-DD", value);
            return Optional.empty();
        }
    }

    private void problem(String path, String rule, String value) {
        Integer line = lines.get(path);
        if (line == null) {
            // A missing key has no line of its own: point at its parent, or the top of the file.
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            line = lines.getOrDefault(parent, 1);
        }
        problems.add(fileName + ":" + line + ": " + path + ": " + rule + ", was " + value);
    }
}
