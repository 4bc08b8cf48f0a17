package ballast.app.config;

import ballast.app.format.Figures;
import ballast.kernel.Engine;
import ballast.kernel.Gate;
import ballast.strategies.BudgetParams;
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

    /** The keys a {@code policy:} section may hold (a scenario's too). */
    public static List<String> policyKeys() {
        return SCHEMA.get("policy");
    }

    private static final Map<String, List<String>> SCHEMA = Map.of(
            "", List.of("engine", "gate", "policy", "paper", "run", "symbols"),
            "engine",
                    List.of(
                            "horizon",
                            "volatilityMemory",
                            "sigmaFloorPct",
                            "episodeEndsAfter",
                            "staleAfter",
                            "backstopPct"),
            "gate", List.of("episodeSharePct", "daySharePct", "maxTopUpsPerEpisode"),
            "policy", List.of("name", "budget", "ladder", "bufferExit"),
            "policy.budget",
                    List.of(
                            "lossBudget",
                            "autoBuffer",
                            "crashZ",
                            "maxMultiplier",
                            "cutToShare",
                            "closeBelowPct",
                            "guardPct",
                            "guardZ",
                            "safePct",
                            "safeZ",
                            "releasePct",
                            "releaseZ",
                            "releaseMinPct",
                            "costPct",
                            "cooldown",
                            "staleAfter"),
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

    private static final List<String> POLICIES =
            List.of("budget", "ladder", "none", "buffer-exit", "exchange-auto-add");

    private final ObjectNode merged = JsonNodeFactory.instance.objectNode();
    private final Map<String, String> origin = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> fileOrder = new HashMap<>();
    /** Put before every path a problem names: a symbol's own settings are named {@code symbols.ETHUSDT.…}. */
    private String pathPrefix = "";

    /** What a symbol may set for itself; the rest (the horizon, the day's share, the costs) is the account's. */
    private static final Map<String, List<String>> SYMBOL_SCHEMA = Map.of(
            "", List.of("policy", "gate", "engine"),
            "policy", List.of("budget", "ladder", "bufferExit"),
            "policy.budget", SCHEMA.get("policy.budget"),
            "policy.ladder", SCHEMA.get("policy.ladder"),
            "policy.bufferExit", SCHEMA.get("policy.bufferExit"),
            "gate", List.of("episodeSharePct", "maxTopUpsPerEpisode"),
            "engine", List.of("backstopPct"));

    /**
     * {@code common} with each symbol of the {@code symbols:} section bound whole: the common settings with the symbol's
     * laid over them, checked by the same rules, every problem named under {@code symbols.SYMBOL.}.
     */
    /**
     * A profile that keeps an account names the symbols it keeps ({@code run.venue.symbols}): a symbol of its own
     * settings that is not among them (a typo, a symbol dropped) would never be used, so it is refused.
     */
    private void keptOnly(String profile, RunSettings run) {
        JsonNode section = merged.get("symbols");
        if (!RunSettingsBinder.VENUE_PROFILES.contains(profile)
                || section == null
                || !section.isObject()
                || run.venue() == null
                || run.venue().symbols() == null) {
            return;
        }
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String symbol = it.next();
            if (symbol.matches("[A-Z0-9]{2,30}") && !run.venue().symbols().contains(symbol)) {
                problem(
                        "symbols." + symbol,
                        "is not a symbol Ballast keeps here (run.venue.symbols: "
                                + String.join(", ", run.venue().symbols()) + "): its settings would never be used",
                        symbol);
            }
        }
    }

    /**
     * @param commonFaulty the common settings have mistakes of their own: then only the mistakes in what a symbol
     *     sets itself are its own (the rest would repeat the common ones under its name)
     */
    private Settings withSymbols(Settings common, boolean commonFaulty) {
        JsonNode section = merged.get("symbols");
        if (section == null || section.isNull()) {
            return common;
        }
        if (!section.isObject()) {
            problem("symbols", "must be a mapping of symbols to their own settings", section.toString());
            return common;
        }
        Map<String, Settings> bySymbol = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String symbol = entry.getKey();
            String at = "symbols." + symbol;
            if (!symbol.matches("[A-Z0-9]{2,30}")) {
                problem(at, "must be a symbol in capitals, like BTCUSDT", symbol);
                continue;
            }
            int before = problems.size();
            checkSymbolKeys(entry.getValue(), "", at);
            if (problems.size() > before) {
                continue;
            }
            SettingsFile sub = new SettingsFile();
            ObjectNode base = merged.deepCopy();
            base.remove("symbols");
            sub.merged.setAll(base);
            overlay(sub.merged, (ObjectNode) entry.getValue());
            sub.origin.putAll(origin);
            origin.forEach((path, where) -> {
                if (path.startsWith(at + ".")) {
                    sub.origin.put(path.substring(at.length() + 1), where);
                }
            });
            sub.fileOrder.putAll(fileOrder);
            sub.pathPrefix = at + ".";
            Settings own = sub.bind();
            if (commonFaulty) {
                // What the symbol sets itself, as paths of the common settings.
                java.util.Set<String> set = new java.util.HashSet<>();
                origin.keySet().stream()
                        .filter(path -> path.startsWith(at + "."))
                        .forEach(path -> set.add(path.substring(at.length() + 1)));
                sub.problems.stream().filter(p -> set.contains(p.path())).forEach(problems::add);
            } else {
                problems.addAll(sub.problems);
            }
            if (sub.problems.isEmpty()) {
                bySymbol.put(symbol, own);
            }
        }
        return new Settings(
                common.engine(),
                common.gate(),
                common.policy(),
                common.budget(),
                common.ladder(),
                common.bufferExit(),
                common.paper(),
                bySymbol);
    }

    private void checkSymbolKeys(JsonNode node, String local, String at) {
        String path = local.isEmpty() ? at : at + "." + local;
        if (!node.isObject()) {
            problem(path, "must be a mapping", node.toString());
            return;
        }
        List<String> known = SYMBOL_SCHEMA.get(local);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String child = local.isEmpty() ? key : local + "." + key;
            if (!known.contains(key)) {
                problem(
                        path + "." + key,
                        "is not a symbol's own setting (a symbol may set here: " + String.join(", ", known)
                                + "; the rest is the account's)",
                        key);
            } else if (SYMBOL_SCHEMA.containsKey(child)) {
                checkSymbolKeys(node.get(key), child, at);
            }
        }
    }

    /** Lays {@code source} over {@code target}: mappings merge, values (lists included) replace. */
    static void overlay(ObjectNode target, ObjectNode source) {
        source.properties().forEach(field -> {
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                overlay((ObjectNode) existing, (ObjectNode) field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    private SettingsFile() {}

    /**
     * The settings of {@code profile} (if any) from {@code configDir}, with {@code more} layers on top. A missing
     * config folder or application.yaml means the built-in defaults; a named profile whose file is missing is an error.
     */
    public static Settings load(Path configDir, Optional<String> profile, List<Layer> more) {
        return loadAll(configDir, profile, more).settings();
    }

    /** The policy's and engine's settings, and the running bot's ({@code run:}). */
    public record Loaded(Settings settings, RunSettings run) {}

    /** As {@link #load}, with the {@code run:} section too; every problem in either is reported at once. */
    public static Loaded loadAll(Path configDir, Optional<String> profile, List<Layer> more) {
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
        // Each symbol's own settings are checked even when the common ones have mistakes: every mistake at once.
        settings = reader.withSymbols(settings, !reader.problems.isEmpty());
        RunSettingsBinder runBinder = new RunSettingsBinder(profile.orElse(""));
        RunSettings run = runBinder.bind(reader.merged.get("run"));
        for (RunSettingsBinder.Problem p : runBinder.problems()) {
            reader.problem(p.path(), p.rule(), p.value());
        }
        reader.keptOnly(profile.orElse(""), run);
        if (!reader.problems.isEmpty()) {
            throw new SettingsException(reader.report());
        }
        return new Loaded(settings, run);
    }

    public static Layer read(Path file) {
        try {
            String text = StrictYaml.text(file);
            JsonNode tree = StrictYaml.readOne(file.getFileName().toString(), text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                tree = JsonNodeFactory.instance.objectNode();
            }
            return new Layer(file.getFileName().toString(), "", tree, YamlLines.index(text));
        } catch (JsonProcessingException e) {
            throw new SettingsException(
                    StrictYaml.syntaxError(file.getFileName().toString(), e));
        } catch (StrictYaml.SecondDocument e) {
            throw new SettingsException(e.getMessage());
        } catch (IOException e) {
            throw new SettingsException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String available(Path configDir) {
        try (var files = Files.list(configDir)) {
            List<String> names = files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
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
        fileOrder.putIfAbsent(layer.fileName(), fileOrder.size());
        if (!layer.tree().isObject()) {
            problems.add(new Problem(
                    fileOrder.get(layer.fileName()),
                    1,
                    layer.fileName() + ":1: " + (layer.prefix().isEmpty() ? "(top)" : layer.prefix())
                            + ": must be a mapping, was " + layer.tree(),
                    ""));
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
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                recordOrigins(node.get(i), prefix, local + "[" + i + "]", layer);
            }
        }
    }

    private void recordOrigin(String prefix, String local, Layer layer) {
        String path = prefix.isEmpty() ? local : prefix + "." + local;
        // A layer from flags has no lines: it is named by the flag alone.
        origin.put(
                path,
                layer.lines().isEmpty()
                        ? layer.fileName()
                        : layer.fileName() + ":" + layer.lines().getOrDefault(local, 1));
    }

    private Settings bind() {
        Settings d = Settings.defaults();
        checkKeys(merged, "");
        Engine.Params e = d.engine();
        Duration horizon = duration("engine.horizon", e.horizon(), Bound.POSITIVE);
        Duration memory = duration("engine.volatilityMemory", e.volatilityMemory(), Bound.POSITIVE);
        // Both monitors take these in whole seconds. Not handed on: with a problem reported, the engine's settings
        // are not built.
        wholeSeconds("engine.horizon", horizon);
        wholeSeconds("engine.volatilityMemory", memory);
        BigDecimal sigmaFloor = percent("engine.sigmaFloorPct", e.sigmaFloor(), OPEN_0, HUNDRED_OPEN);
        Duration episodeEnds = duration("engine.episodeEndsAfter", e.episodeEndsAfter(), Bound.NON_NEGATIVE);
        Duration stale = duration("engine.staleAfter", e.staleAfter(), Bound.POSITIVE);
        BigDecimal backstop = percent(
                "engine.backstopPct", e.backstop().orElse(BigDecimal.ZERO), CLOSED_0, new Limit(BigDecimal.TEN, true));
        Optional<BigDecimal> backstopDistance = backstop.signum() == 0 ? Optional.empty() : Optional.of(backstop);
        Engine.Params engine =
                build(() -> new Engine.Params(horizon, memory, sigmaFloor, episodeEnds, stale, backstopDistance), e);
        Gate.Params g = d.gate();
        BigDecimal episodeShare = number("gate.episodeSharePct", g.episodeSharePct(), CLOSED_0, HUNDRED_CLOSED);
        BigDecimal dayShare = number("gate.daySharePct", g.daySharePct(), CLOSED_0, HUNDRED_CLOSED);
        int gateTopUps = whole("gate.maxTopUpsPerEpisode", g.maxTopUpsPerEpisode());
        Gate.Params gate = build(() -> new Gate.Params(episodeShare, dayShare, gateTopUps), g);
        String policy = text("policy.name", d.policy());
        if (!POLICIES.contains(policy)) {
            problem("policy.name", "must be one of " + String.join(", ", POLICIES), policy);
        }
        BudgetParams budget = budget(d.budget());
        LadderParams ladder = ladder(d.ladder());
        BigDecimal buffer = number("policy.bufferExit.buffer", d.bufferExit(), CLOSED_0, ONE_OPEN);
        Settings.Paper pd = d.paper();
        Settings.Paper paper = new Settings.Paper(
                percent("paper.takerFeePct", pd.takerFee(), CLOSED_0, new Limit(BigDecimal.ONE, true)),
                percent("paper.slippagePct", pd.slippage(), CLOSED_0, new Limit(BigDecimal.TEN, true)),
                percent("paper.liquidationFeePct", pd.liquidationFee(), CLOSED_0, new Limit(BigDecimal.TEN, true)));
        return new Settings(engine, gate, policy, budget, ladder, buffer, paper);
    }

    /**
     * The budget policy's values. {@code lossBudget} is {@code auto} (what a buffered exit at the liquidation price
     * would lose), an amount in the quote currency ({@code 250}) or a share of the account's equity ({@code 4%}).
     */
    private BudgetParams budget(BudgetParams b) {
        String p = "policy.budget.";
        Optional<BigDecimal> amount = b.budgetAmount();
        Optional<BigDecimal> share = b.budgetPct();
        String rule = "must be auto, an amount in the quote currency (250) or a percent of equity (4%)";
        String declared = value(p + "lossBudget", null, rule, t -> t);
        if (declared != null) {
            String t = declared.trim();
            try {
                if (t.equalsIgnoreCase("auto")) {
                    amount = Optional.empty();
                    share = Optional.empty();
                } else if (t.endsWith("%")) {
                    BigDecimal pct = decimal(t.substring(0, t.length() - 1).trim());
                    if (pct.signum() <= 0 || pct.compareTo(BigDecimal.valueOf(100)) > 0) {
                        problem(p + "lossBudget", "a percent of equity must be in (0, 100]", t);
                    } else {
                        share = Optional.of(pct);
                        amount = Optional.empty();
                    }
                } else {
                    BigDecimal a = decimal(t);
                    if (a.signum() <= 0) {
                        problem(p + "lossBudget", "an amount must be > 0", t);
                    } else {
                        amount = Optional.of(a);
                        share = Optional.empty();
                    }
                }
            } catch (RuntimeException e) {
                problem(p + "lossBudget", rule, t);
            }
        }
        BigDecimal autoBuffer = number(p + "autoBuffer", b.autoBuffer(), CLOSED_0, ONE_OPEN);
        BigDecimal crashZ = number(p + "crashZ", b.crashZ(), OPEN_0, NONE);
        BigDecimal maxMultiplier =
                number(p + "maxMultiplier", b.maxMultiplier(), OPEN_0, new Limit(new BigDecimal("500"), true));
        BigDecimal cutToShare = number(p + "cutToShare", b.cutToShare(), OPEN_0, ONE_OPEN);
        BigDecimal closeBelowPct = number(p + "closeBelowPct", b.closeBelowPct(), CLOSED_0, HUNDRED_OPEN);
        BigDecimal guardPct = number(p + "guardPct", b.guardPct(), OPEN_0, HUNDRED_OPEN);
        BigDecimal guardZ = number(p + "guardZ", b.guardZ(), CLOSED_0, NONE);
        BigDecimal safePct = number(p + "safePct", b.safePct(), OPEN_0, HUNDRED_OPEN);
        BigDecimal safeZ = number(p + "safeZ", b.safeZ(), CLOSED_0, NONE);
        BigDecimal releasePct = number(p + "releasePct", b.releasePct(), OPEN_0, HUNDRED_OPEN);
        BigDecimal releaseZ = number(p + "releaseZ", b.releaseZ(), CLOSED_0, NONE);
        BigDecimal releaseMinPct = number(p + "releaseMinPct", b.releaseMinPct(), CLOSED_0, HUNDRED_CLOSED);
        BigDecimal costPct = number(p + "costPct", b.costPct(), CLOSED_0, new Limit(BigDecimal.TEN, true));
        Duration cooldown = duration(p + "cooldown", b.cooldown(), Bound.NON_NEGATIVE);
        Duration staleAfter = duration(p + "staleAfter", b.staleAfter(), Bound.POSITIVE);
        above(p + "safePct", safePct, p + "guardPct", guardPct, "or a guard cut would not leave the guard");
        if (safeZ.compareTo(guardZ) < 0) {
            problem(
                    p + "safeZ",
                    "must be at least guardZ (" + guardZ.toPlainString() + setElsewhere(p + "safeZ", p + "guardZ")
                            + ")",
                    safeZ.toPlainString());
        }
        above(p + "releasePct", releasePct, p + "safePct", safePct, "or a release would walk into the guard");
        if (releaseZ.compareTo(safeZ) < 0) {
            problem(
                    p + "releaseZ",
                    "must be at least safeZ (" + safeZ.toPlainString() + setElsewhere(p + "releaseZ", p + "safeZ")
                            + "), or a release would walk into the guard",
                    releaseZ.toPlainString());
        }
        Optional<BigDecimal> a = amount;
        Optional<BigDecimal> s = share;
        return build(
                () -> new BudgetParams(
                        a,
                        s,
                        autoBuffer,
                        crashZ,
                        maxMultiplier,
                        cutToShare,
                        closeBelowPct,
                        guardPct,
                        guardZ,
                        safePct,
                        safeZ,
                        releasePct,
                        releaseZ,
                        releaseMinPct,
                        costPct,
                        cooldown,
                        staleAfter),
                b);
    }

    /** The ladder's values, each in its range, then the rules between them, each named at the key that breaks it. */
    private LadderParams ladder(LadderParams l) {
        String p = "policy.ladder.";
        BigDecimal warnZ = number(p + "warnZ", l.warnZ(), OPEN_0, NONE);
        BigDecimal topUpZ = number(p + "topUpZ", l.topUpZ(), OPEN_0, NONE);
        BigDecimal cutZ = number(p + "cutZ", l.cutZ(), OPEN_0, NONE);
        BigDecimal closeZ = number(p + "closeZ", l.closeZ(), OPEN_0, NONE);
        BigDecimal hysteresis = number(p + "hysteresis", l.hysteresis(), CLOSED_0, ONE_OPEN);
        BigDecimal targetZ = number(p + "targetZ", l.targetZ(), OPEN_0, NONE);
        BigDecimal minTargetPct = number(p + "minTargetPct", l.minTargetPct(), OPEN_0, HUNDRED_OPEN);
        BigDecimal cutFloorPct = number(p + "cutFloorPct", l.cutFloorPct(), CLOSED_0, HUNDRED_OPEN);
        BigDecimal closeFloorPct = number(p + "closeFloorPct", l.closeFloorPct(), CLOSED_0, HUNDRED_OPEN);
        BigDecimal releaseZ = number(p + "releaseZ", l.releaseZ(), OPEN_0, NONE);
        BigDecimal releaseTargetZ = number(p + "releaseTargetZ", l.releaseTargetZ(), OPEN_0, NONE);
        BigDecimal releaseMinPct = number(p + "releaseMinPct", l.releaseMinPct(), CLOSED_0, HUNDRED_CLOSED);
        BigDecimal cascade =
                number(p + "cascadeZPerMinute", l.cascadeZPerMinute(), NONE, new Limit(BigDecimal.ZERO, false));
        Duration cooldown = duration(p + "cooldown", l.cooldown(), Bound.NON_NEGATIVE);
        Duration cutCooldown = duration(p + "cutCooldown", l.cutCooldown(), Bound.NON_NEGATIVE);
        BigDecimal maxCutShare = number(p + "maxCutSharePct", l.maxCutShare(), OPEN_0, HUNDRED_CLOSED);
        int maxTopUps = whole(p + "maxTopUpsPerEpisode", l.maxTopUpsPerEpisode());
        Duration staleAfter = duration(p + "staleAfter", l.staleAfter(), Bound.POSITIVE);
        below(p + "closeZ", closeZ, p + "cutZ", cutZ);
        below(p + "cutZ", cutZ, p + "topUpZ", topUpZ);
        below(p + "topUpZ", topUpZ, p + "warnZ", warnZ);
        above(p + "targetZ", targetZ, p + "topUpZ", topUpZ, "or a top-up would not leave the top-up level");
        above(
                p + "releaseTargetZ",
                releaseTargetZ,
                p + "warnZ",
                warnZ,
                "or a release would put the position straight back into danger");
        above(p + "releaseZ", releaseZ, p + "releaseTargetZ", releaseTargetZ, "or every release would undo itself");
        below(p + "closeFloorPct", closeFloorPct, p + "cutFloorPct", cutFloorPct);
        return build(
                () -> new LadderParams(
                        warnZ,
                        topUpZ,
                        cutZ,
                        closeZ,
                        hysteresis,
                        targetZ,
                        minTargetPct,
                        cutFloorPct,
                        closeFloorPct,
                        releaseZ,
                        releaseTargetZ,
                        releaseMinPct,
                        cascade,
                        cooldown,
                        cutCooldown,
                        maxCutShare,
                        maxTopUps,
                        staleAfter),
                l);
    }

    /** {@code lower} must be below {@code upper}; the problem is named at whichever of the two a file set last. */
    private void below(String lowerPath, BigDecimal lower, String upperPath, BigDecimal upper) {
        if (lower.compareTo(upper) >= 0) {
            String name = upperPath.substring(upperPath.lastIndexOf('.') + 1);
            problem(lowerPath, "must be below " + name + " (" + upper.toPlainString() + ")", lower.toPlainString());
        }
    }

    private void above(String path, BigDecimal value, String otherPath, BigDecimal other, String why) {
        if (value.compareTo(other) <= 0) {
            String name = otherPath.substring(otherPath.lastIndexOf('.') + 1);
            problem(
                    path,
                    "must be above " + name + " (" + other.toPlainString() + setElsewhere(path, otherPath) + "), "
                            + why,
                    value.toPlainString());
        }
    }

    /** Where {@code otherPath} was set, when that is not where {@code path} was: a rule between two layers names both. */
    private String setElsewhere(String path, String otherPath) {
        String mine = origin.get(path);
        String theirs = origin.get(otherPath);
        return theirs == null || theirs.equals(mine) ? "" : ", set by " + theirs;
    }

    /** One end of a range: the value and whether it is allowed itself. */
    private record Limit(BigDecimal value, boolean inclusive) {}

    private static final Limit NONE = null;
    private static final Limit OPEN_0 = new Limit(BigDecimal.ZERO, false);
    private static final Limit CLOSED_0 = new Limit(BigDecimal.ZERO, true);
    private static final Limit ONE_OPEN = new Limit(BigDecimal.ONE, false);
    private static final Limit HUNDRED_OPEN = new Limit(BigDecimal.valueOf(100), false);
    private static final Limit HUNDRED_CLOSED = new Limit(BigDecimal.valueOf(100), true);

    private enum Bound {
        POSITIVE,
        NON_NEGATIVE
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

    /**
     * Builds a section once every value and rule was checked here (each named at its own key); should the record still
     * refuse (a rule added there and not here), the defaults stand in and the problems above explain what to fix.
     */
    private <T> T build(java.util.function.Supplier<T> constructor, T fallback) {
        if (!problems.isEmpty()) {
            return fallback;
        }
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(Integer.MAX_VALUE, Integer.MAX_VALUE, "settings: " + e.getMessage(), ""));
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
        } catch (TooLarge e) {
            problem(path, "must be a number of a sensible size (at most 1,000,000,000)", node.asText());
            return fallback;
        } catch (RuntimeException e) {
            problem(path, rule, node.asText());
            return fallback;
        }
    }

    private BigDecimal number(String path, BigDecimal fallback, Limit min, Limit max) {
        BigDecimal value = value(path, fallback, "must be a number", SettingsFile::decimal);
        boolean low =
                min != null && (min.inclusive() ? value.compareTo(min.value()) < 0 : value.compareTo(min.value()) <= 0);
        boolean high =
                max != null && (max.inclusive() ? value.compareTo(max.value()) > 0 : value.compareTo(max.value()) >= 0);
        if (low || high) {
            problem(path, "must be " + range(min, max), value.toPlainString());
            return fallback;
        }
        return value;
    }

    /** A plain decimal of reasonable size: {@code 1e400} is a typo, not a setting. */
    private static BigDecimal decimal(String text) {
        BigDecimal value = new BigDecimal(text);
        if (value.abs().compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
            throw new TooLarge();
        }
        return value;
    }

    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static String range(Limit min, Limit max) {
        if (min != null && max != null) {
            return "in " + (min.inclusive() ? "[" : "(") + min.value().toPlainString() + ", "
                    + max.value().toPlainString() + (max.inclusive() ? "]" : ")");
        }
        if (min != null) {
            return (min.inclusive() ? ">= " : "> ") + min.value().toPlainString();
        }
        return (max.inclusive() ? "<= " : "< ") + max.value().toPlainString();
    }

    /** A percent setting, returned as a fraction; the range is in percent, as the file writes it. */
    private BigDecimal percent(String path, BigDecimal fallbackFraction, Limit min, Limit max) {
        return number(path, fallbackFraction.movePointRight(2), min, max).movePointLeft(2);
    }

    private int whole(String path, int fallback) {
        int value = value(path, fallback, "must be a whole number", Integer::parseInt);
        if (value < 0 || value > 1000) {
            problem(path, "must be in [0, 1000]", Integer.toString(value));
            return fallback;
        }
        return value;
    }

    private String text(String path, String fallback) {
        return value(path, fallback, "must be text", s -> s);
    }

    private void wholeSeconds(String path, Duration value) {
        if (value.toSeconds() < 1 || value.getNano() != 0) {
            problem(path, "must be whole seconds, at least 1s", Figures.duration(value));
        }
    }

    private Duration duration(String path, Duration fallback, Bound bound) {
        Duration value = value(
                path, fallback, "must be a duration like 30s, 5m, 2h, 1d (or ISO PT30S)", SettingsFile::parseDuration);
        if (bound == Bound.POSITIVE && (value.isZero() || value.isNegative())) {
            problem(path, "must be longer than 0 (a duration like 30s, 5m, 2h)", Figures.duration(value));
            return fallback;
        }
        if (value.isNegative()) {
            problem(path, "must be 0 or longer", Figures.duration(value));
            return fallback;
        }
        if (value.compareTo(Duration.ofDays(365)) > 0) {
            problem(path, "must be at most 365d", Figures.duration(value));
            return fallback;
        }
        return value;
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

    /** One problem, placed by the file (in the order the files were layered) and line that set the value. */
    /** @param path where it was found, without {@link #pathPrefix} ("" for a problem of a whole file) */
    private record Problem(int file, int line, String text, String path) {}

    private void problem(String path, String rule, String value) {
        String where = origin.getOrDefault(
                path,
                origin.getOrDefault(path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : path, "settings"));
        int colon = where.lastIndexOf(':');
        int file = colon < 0 ? Integer.MAX_VALUE : fileOrder.getOrDefault(where.substring(0, colon), Integer.MAX_VALUE);
        int line = colon < 0 ? 0 : Integer.parseInt(where.substring(colon + 1));
        problems.add(new Problem(file, line, where + ": " + pathPrefix + path + ": " + rule + ", was " + value, path));
    }

    /** Every problem, in file order and then line order. */
    private String report() {
        return problems.stream()
                .sorted(java.util.Comparator.comparingInt(Problem::file).thenComparingInt(Problem::line))
                .map(Problem::text)
                .distinct()
                .collect(java.util.stream.Collectors.joining(System.lineSeparator()));
    }
}
