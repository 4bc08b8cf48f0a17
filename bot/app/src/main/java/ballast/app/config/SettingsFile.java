package ballast.app.config;

import ballast.app.engine.Engine;
import ballast.app.engine.Gate;
import ballast.strategies.LadderParams;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the profile: {@code config/application.yaml}, then {@code config/application-<profile>.yaml}, then any
 * further layer (a scenario's {@code policy:}), merged in that order (mappings merge, values replace), bound to
 * {@link Settings}. Unknown keys fail; every problem is reported together, each with the file and line that set it:
 * {@code application-night.yaml:7: policy.ladder.topUpZ: must be a number, was high}.
 */
public final class SettingsFile {

    /** All problems of a profile, one per line. */
    public static final class SettingsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SettingsException(String message) {
            super(message);
        }
    }

    /** One YAML document and where its keys are. {@code prefix} places it in the whole (a scenario's policy: "policy"). */
    public record Layer(String fileName, String prefix, JsonNode tree, Map<String, Integer> lines) {}

    private static final Map<String, List<String>> SCHEMA = Map.of(
            "", List.of("engine", "gate", "policy", "paper"),
            "engine", List.of("horizon", "volatilityMemory", "sigmaFloorPct", "episodeEndsAfter", "staleAfter"),
            "gate", List.of("episodeSharePct", "daySharePct", "maxTopUpsPerEpisode"),
            "policy", List.of("name", "ladder", "bufferExit"),
            "policy.ladder",
                    List.of(
                            "warnZ",
                            "topUpZ",
                            "cutZ",
                            "closeZ",
                            "hysteresis",
                            "targetZ",
                            "minTargetPct",
                            "cutFloorPct",
                            "closeFloorPct",
                            "releaseZ",
                            "releaseTargetZ",
                            "releaseMinPct",
                            "cascadeZPerMinute",
                            "cooldown",
                            "cutCooldown",
                            "maxCutSharePct",
                            "maxTopUpsPerEpisode",
                            "staleAfter"),
            "policy.bufferExit", List.of("buffer"),
            "paper", List.of("takerFeePct", "slippagePct", "liquidationFeePct"));

    private static final List<String> POLICIES = List.of("ladder", "none", "buffer-exit", "exchange-auto-add");

    private final ObjectNode merged = JsonNodeFactory.instance.objectNode();
    private final Map<String, String> origin = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private SettingsFile() {}

    /**
     * The settings of {@code profile} (if any) from {@code configDir}, with {@code more} layers on top. A missing
     * config folder or application.yaml means the built-in defaults; a named profile whose file is missing is an error.
     */
    public static Settings load(Path configDir, Optional<String> profile, List<Layer> more) {
        SettingsFile reader = new SettingsFile();
        Path base = configDir.resolve("application.yaml");
        if (Files.isRegularFile(base)) {
            reader.merge(read(base));
        }
        if (profile.isPresent()) {
            Path file = configDir.resolve("application-" + profile.get() + ".yaml");
            if (!Files.isRegularFile(file)) {
                throw new SettingsException(
                        "profile '" + profile.get() + "' not found: no " + file + available(configDir));
            }
            reader.merge(read(file));
        }
        more.forEach(reader::merge);
        Settings settings = reader.bind();
        if (!reader.problems.isEmpty()) {
            throw new SettingsException(String.join(System.lineSeparator(), reader.problems));
        }
        return settings;
    }

    public static Layer read(Path file) {
        try {
            String text = Files.readString(file);
            JsonNode tree = StrictYaml.MAPPER.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                tree = JsonNodeFactory.instance.objectNode();
            }
            return new Layer(file.getFileName().toString(), "", tree, YamlLines.index(text));
        } catch (JsonProcessingException e) {
            throw new SettingsException(
                    StrictYaml.syntaxError(file.getFileName().toString(), e));
        } catch (IOException e) {
            throw new SettingsException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String available(Path configDir) {
        try (var files = Files.list(configDir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("application-") && n.endsWith(".yaml"))
                    .map(n -> n.substring("application-".length(), n.length() - ".yaml".length()))
                    .sorted()
                    .toList();
            return names.isEmpty() ? " (no profiles in " + configDir + ")" : "; profiles: " + String.join(", ", names);
        } catch (IOException e) {
            return "";
        }
    }

    private void merge(Layer layer) {
        if (!layer.tree().isObject()) {
            problems.add(layer.fileName() + ":1: " + (layer.prefix().isEmpty() ? "(top)" : layer.prefix())
                    + ": must be a mapping, was " + layer.tree());
            return;
        }
        ObjectNode target = merged;
        for (String part :
                layer.prefix().isEmpty() ? new String[0] : layer.prefix().split("\\.")) {
            target = target.has(part) && target.get(part).isObject()
                    ? (ObjectNode) target.get(part)
                    : target.putObject(part);
        }
        mergeInto(target, layer.tree(), layer.prefix(), "", layer);
    }

    private void mergeInto(ObjectNode target, JsonNode source, String prefix, String local, Layer layer) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String localPath = local.isEmpty() ? field.getKey() : local + "." + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (field.getValue().isObject() && existing != null && existing.isObject()) {
                recordOrigin(prefix, localPath, layer);
                mergeInto((ObjectNode) existing, field.getValue(), prefix, localPath, layer);
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
                recordOrigins(field.getValue(), prefix, localPath, layer);
            }
        }
    }

    /** Every path under {@code node} now comes from {@code layer}: remember its file and line for error messages. */
    private void recordOrigins(JsonNode node, String prefix, String local, Layer layer) {
        recordOrigin(prefix, local, layer);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> child = it.next();
                recordOrigins(child.getValue(), prefix, local + "." + child.getKey(), layer);
            }
        }
    }

    private void recordOrigin(String prefix, String local, Layer layer) {
        String path = prefix.isEmpty() ? local : prefix + "." + local;
        origin.put(path, layer.fileName() + ":" + layer.lines().getOrDefault(local, 1));
    }

    private Settings bind() {
        Settings d = Settings.defaults();
        checkKeys(merged, "");
        Engine.Params e = d.engine();
        Engine.Params engine = build(
                "engine",
                () -> new Engine.Params(
                        duration("engine.horizon", e.horizon()),
                        duration("engine.volatilityMemory", e.volatilityMemory()),
                        percent("engine.sigmaFloorPct", e.sigmaFloor()),
                        duration("engine.episodeEndsAfter", e.episodeEndsAfter()),
                        duration("engine.staleAfter", e.staleAfter())),
                e);
        Gate.Params gate = build(
                "gate",
                () -> new Gate.Params(
                        number("gate.episodeSharePct", d.gate().episodeSharePct()),
                        number("gate.daySharePct", d.gate().daySharePct()),
                        whole("gate.maxTopUpsPerEpisode", d.gate().maxTopUpsPerEpisode())),
                d.gate());
        String policy = text("policy.name", d.policy());
        if (!POLICIES.contains(policy)) {
            problem("policy.name", "must be one of " + String.join(", ", POLICIES), policy);
        }
        LadderParams l = d.ladder();
        String p = "policy.ladder.";
        LadderParams ladder = build(
                "policy.ladder",
                () -> new LadderParams(
                        number(p + "warnZ", l.warnZ()),
                        number(p + "topUpZ", l.topUpZ()),
                        number(p + "cutZ", l.cutZ()),
                        number(p + "closeZ", l.closeZ()),
                        number(p + "hysteresis", l.hysteresis()),
                        number(p + "targetZ", l.targetZ()),
                        number(p + "minTargetPct", l.minTargetPct()),
                        number(p + "cutFloorPct", l.cutFloorPct()),
                        number(p + "closeFloorPct", l.closeFloorPct()),
                        number(p + "releaseZ", l.releaseZ()),
                        number(p + "releaseTargetZ", l.releaseTargetZ()),
                        number(p + "releaseMinPct", l.releaseMinPct()),
                        number(p + "cascadeZPerMinute", l.cascadeZPerMinute()),
                        duration(p + "cooldown", l.cooldown()),
                        duration(p + "cutCooldown", l.cutCooldown()),
                        number(p + "maxCutSharePct", l.maxCutShare()),
                        whole(p + "maxTopUpsPerEpisode", l.maxTopUpsPerEpisode()),
                        duration(p + "staleAfter", l.staleAfter())),
                l);
        BigDecimal buffer = number("policy.bufferExit.buffer", d.bufferExit());
        if (buffer.signum() < 0 || buffer.compareTo(BigDecimal.ONE) >= 0) {
            problem(
                    "policy.bufferExit.buffer",
                    "must be in [0, 1) (a fraction of |entry − liquidation|)",
                    buffer.toPlainString());
        }
        Settings.Paper paper = new Settings.Paper(
                nonNegativePercent("paper.takerFeePct", d.paper().takerFee()),
                nonNegativePercent("paper.slippagePct", d.paper().slippage()),
                nonNegativePercent("paper.liquidationFeePct", d.paper().liquidationFee()));
        return new Settings(engine, gate, policy, ladder, buffer, paper);
    }

    private void checkKeys(JsonNode node, String path) {
        List<String> known = SCHEMA.get(path);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String child = path.isEmpty() ? key : path + "." + key;
            if (known == null || !known.contains(key)) {
                problem(
                        child,
                        "unknown key (known here: " + String.join(", ", known == null ? List.of() : known) + ")",
                        key);
            } else if (SCHEMA.containsKey(child)) {
                if (!node.get(key).isObject()) {
                    problem(child, "must be a mapping", node.get(key).toString());
                } else {
                    checkKeys(node.get(key), child);
                }
            }
        }
    }

    /** Builds a section; a rule the record enforces (ladder thresholds must rise, …) is a problem of that section. */
    private <T> T build(String section, java.util.function.Supplier<T> constructor, T fallback) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            problem(section, e.getMessage(), "the values above");
            return fallback;
        }
    }

    private JsonNode at(String path) {
        JsonNode node = merged;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    private <T> T value(String path, T fallback, String rule, Function<String, T> parse) {
        JsonNode node = at(path);
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            problem(path, rule, node.toString());
            return fallback;
        }
        try {
            return parse.apply(node.asText().trim());
        } catch (RuntimeException e) {
            problem(path, rule, node.asText());
            return fallback;
        }
    }

    private BigDecimal number(String path, BigDecimal fallback) {
        return value(path, fallback, "must be a number", BigDecimal::new);
    }

    private BigDecimal percent(String path, BigDecimal fallbackFraction) {
        return number(path, fallbackFraction.movePointRight(2)).movePointLeft(2);
    }

    private BigDecimal nonNegativePercent(String path, BigDecimal fallbackFraction) {
        BigDecimal value = percent(path, fallbackFraction);
        if (value.signum() < 0) {
            problem(path, "must be >= 0", value.movePointRight(2).toPlainString());
            return fallbackFraction;
        }
        return value;
    }

    private int whole(String path, int fallback) {
        return value(path, fallback, "must be a whole number", Integer::parseInt);
    }

    private String text(String path, String fallback) {
        return value(path, fallback, "must be text", s -> s);
    }

    private Duration duration(String path, Duration fallback) {
        return value(
                path, fallback, "must be a duration like 30s, 5m, 2h, 1d (or ISO PT30S)", SettingsFile::parseDuration);
    }

    /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 250ms} or ISO-8601 ({@code PT30S}); anything else throws. */
    public static Duration parseDuration(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(text);
        }
        Map<String, Function<Long, Duration>> units = new LinkedHashMap<>();
        units.put("ms", Duration::ofMillis);
        units.put("s", Duration::ofSeconds);
        units.put("m", Duration::ofMinutes);
        units.put("h", Duration::ofHours);
        units.put("d", Duration::ofDays);
        for (Map.Entry<String, Function<Long, Duration>> unit : units.entrySet()) {
            if (t.endsWith(unit.getKey())) {
                long amount = Long.parseLong(
                        t.substring(0, t.length() - unit.getKey().length()).trim());
                if (amount < 0) {
                    throw new IllegalArgumentException(text);
                }
                return unit.getValue().apply(amount);
            }
        }
        throw new IllegalArgumentException(text);
    }

    private void problem(String path, String rule, String value) {
        String where = origin.getOrDefault(
                path,
                origin.getOrDefault(path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : path, "settings"));
        problems.add(where + ": " + path + ": " + rule + ", was " + value);
    }
}
