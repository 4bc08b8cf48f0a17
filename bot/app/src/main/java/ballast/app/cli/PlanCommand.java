package ballast.app.cli;

import ballast.app.config.Settings;
import ballast.app.config.SettingsFile;
import ballast.app.format.Figures;
import ballast.app.marketdata.MarketDataFiles;
import ballast.app.plan.BudgetPlan;
import ballast.app.replay.Scenario;
import ballast.app.replay.ScenarioFile;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.core.market.CandleSeries;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.strategies.BudgetParams;
import ballast.strategies.BudgetPolicy;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ballast plan}: the budget policy's whole protection of one position, level by level, before it happens. */
@Command(
        name = "plan",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "What the budget policy will do to one isolated position, level by level, before it happens.",
            "On the way to liquidation (down for a long, up for a short), at each mark where it acts: the cut, the",
            "size left, the loss realised so far, the liquidation price after it, and what would be lost if the mark",
            "then gapped straight to that liquidation price. From flags, or from a scenario's first position (opened",
            "at its first price).",
        },
        footer = {
            "",
            "Examples:",
            "  ballast plan --symbol BTCUSDT --side long --entry 60000 --leverage 10 \\",
            "      --margin 1000 --free 5000",
            "  ballast plan --symbol ETHUSDT --side short --entry 3000 --qty 5 \\",
            "      --leverage 20 --budget 300 --sigma 2",
            "  ballast plan config/scenarios/crash-days/ftx-2022-11-BTCUSDT-long.yaml",
        })
public final class PlanCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "SCENARIO.yaml",
            description = "A scenario (its first" + " position) instead of the position flags.")
    Path scenarioFile;

    @Option(names = "--exchange", paramLabel = "VENUE", description = "binance (default) | bybit")
    String exchange;

    @Option(names = "--symbol", paramLabel = "S", description = "Symbol with shipped risk tiers (e.g. BTCUSDT).")
    String symbol;

    @Option(
            names = "--tiers-asof",
            paramLabel = "YYYY-MM-DD",
            description = "The newest shipped tiers not after this" + " date (default: the newest).")
    String tiersAsOf;

    @Option(names = "--side", paramLabel = "SIDE", description = "long | short")
    String side;

    @Option(names = "--entry", paramLabel = "P", description = "Entry price, > 0.")
    String entry;

    @Option(names = "--leverage", paramLabel = "L", description = "Leverage (default: 10).")
    String leverage;

    @Option(names = "--margin", paramLabel = "M", description = "Isolated margin (default: qty × entry / leverage).")
    String margin;

    @Option(names = "--qty", paramLabel = "Q", description = "Size in base units (default: margin × leverage / entry).")
    String qty;

    @Option(
            names = "--free",
            paramLabel = "USDT",
            description = "Free balance beside it (for a budget given as a" + " share of equity; default: 0).")
    String free;

    @Option(names = "--mark", paramLabel = "P", description = "Where the mark is now (default: the entry).")
    String mark;

    @Option(
            names = "--sigma",
            paramLabel = "PCT",
            description = "Volatility over the horizon to assume, percent"
                    + " (default: the engine's floor, engine.sigmaFloorPct).")
    String sigma;

    @Option(
            names = "--conviction",
            paramLabel = "C",
            description = "Your conviction in the position, 0 to 1: the policy"
                    + " holds that share of the exposure its budget allows (default: 1).")
    String conviction;

    @Option(
            names = "--budget",
            paramLabel = "B",
            description =
                    "Loss budget: auto, an amount (250) or a share of" + " equity (4%%) (default: the settings').")
    String budget;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Settings profile: config/application.yaml" + " overlaid with config/application-NAME.yaml.")
    String profile;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    private final Supplier<ShippedRiskTiers> shippedTiers;
    private final Path configDir;

    public PlanCommand(Supplier<ShippedRiskTiers> shippedTiers, Path configDir) {
        this.shippedTiers = shippedTiers;
        this.configDir = configDir;
    }

    /** The position to plan, whether from flags or a scenario. */
    record Subject(Venue venue, MarginState opened, BigDecimal mark, BigDecimal free, String tiers) {}

    @Override
    public Integer call() {
        Settings settings = SettingsFile.load(configDir, Optional.ofNullable(profile), budgetLayer());
        Subject s = scenarioFile != null ? fromScenario() : fromFlags();
        MarginRules rules = s.venue() == Venue.BYBIT ? MarginRules.bybit() : MarginRules.binance();
        Liquidation atEntry = rules.liquidation(s.opened());
        if (atEntry instanceof Liquidation.At at) {
            boolean beyond = s.opened().position().side() == Side.LONG
                    ? s.mark().compareTo(at.price()) <= 0
                    : s.mark().compareTo(at.price()) >= 0;
            if (beyond) {
                throw new UsageException("--mark " + Figures.price(s.mark()) + " is at or beyond the liquidation price "
                        + Figures.price(at.price()) + ": the venue would already have liquidated the position (its "
                        + Figures.amount(s.opened().wallet()) + " USDT margin lost); there is nothing left to plan");
            }
        } else if (atEntry instanceof Liquidation.Unavoidable) {
            throw new UsageException("the position is below its maintenance margin at the entry: the venue would"
                    + " liquidate it at once; give more --margin or less --leverage");
        }
        BigDecimal sigmaFraction = Flags.decimal("--sigma", sigma)
                .map(v -> Flags.within("--sigma", v, "0.01", "50", "percent over the horizon"))
                .map(v -> v.movePointLeft(2))
                .orElse(settings.engine().sigmaFloor());
        BudgetParams params = settings.budget();
        BudgetPolicy policy = new BudgetPolicy(params);
        BigDecimal equity = s.opened().wallet().add(s.free());
        BigDecimal convictionValue = Flags.decimal("--conviction", conviction)
                .map(v -> Flags.within("--conviction", v, "0", "1", "1: full conviction, 0: none"))
                .orElse(BigDecimal.ONE);
        BudgetPlan.Plan plan = new BudgetPlan(rules, policy, params.costPct(), convictionValue)
                .plan(s.opened(), s.mark(), sigmaFraction, equity);
        PrintWriter out = spec.commandLine().getOut();
        out.print(render(s, plan, params, sigmaFraction, convictionValue, settings));
        out.flush();
        return 0;
    }

    private List<SettingsFile.Layer> budgetLayer() {
        if (budget == null) {
            return List.of();
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putObject("policy").putObject("budget").put("lossBudget", budget);
        return List.of(new SettingsFile.Layer("--budget", "", root, Map.of()));
    }

    private Subject fromFlags() {
        if (side == null || entry == null) {
            throw new UsageException(
                    "give the position (--symbol, --side, --entry and --margin or --qty), or a" + " scenario file");
        }
        Venue venue = venue();
        Side s = side(side);
        BigDecimal e = Flags.positive("--entry", Flags.required("--entry", entry, "the entry price"));
        BigDecimal lev = Flags.decimal("--leverage", leverage)
                .map(l -> Flags.within("--leverage", l, "1", "125", "times"))
                .orElse(BigDecimal.TEN);
        Optional<BigDecimal> m = Flags.decimal("--margin", margin).map(v -> Flags.positive("--margin", v));
        Optional<BigDecimal> q = Flags.decimal("--qty", qty).map(v -> Flags.positive("--qty", v));
        if (m.isEmpty() && q.isEmpty()) {
            throw new UsageException("--margin or --qty is required (the size of the position)");
        }
        BigDecimal size = q.orElseGet(
                () -> m.get().multiply(lev).divide(e, MathContext.DECIMAL64).setScale(6, RoundingMode.DOWN));
        BigDecimal wallet = m.orElseGet(() -> size.multiply(e).divide(lev, MathContext.DECIMAL64));
        if (symbol == null) {
            throw new UsageException("--symbol is required (its shipped risk tiers decide the liquidation price)");
        }
        String sym = symbol.toUpperCase(Locale.ROOT);
        Optional<LocalDate> asOf = Flags.date("--tiers-asof", tiersAsOf);
        ShippedRiskTiers.Snapshot snapshot;
        try {
            snapshot = shippedTiers.get().find(venue, sym, asOf);
        } catch (ShippedRiskTiers.UnknownTiersException ex) {
            throw new UsageException(ex.getMessage());
        }
        BigDecimal now = Flags.decimal("--mark", mark)
                .map(v -> Flags.positive("--mark", v))
                .orElse(e);
        BigDecimal freeBalance = Flags.decimal("--free", free)
                .map(v -> Flags.nonNegative("--free", v))
                .orElse(BigDecimal.ZERO);
        if (q.isPresent() && m.isPresent()) {
            BigDecimal initial = size.multiply(e).divide(lev, MathContext.DECIMAL64);
            if (wallet.compareTo(initial) < 0) {
                throw new UsageException("--margin " + Figures.amount(wallet) + " is less than the initial margin "
                        + Figures.amount(initial) + " that --qty " + size.toPlainString() + " at --entry "
                        + Figures.price(e) + " needs at --leverage "
                        + lev.stripTrailingZeros().toPlainString()
                        + "x; give one of --margin and --qty, or a margin of at least that");
            }
        }
        if (size.signum() <= 0) {
            throw new UsageException("--margin " + Figures.amount(wallet) + " at " + lev.toPlainString() + "x buys"
                    + " less than 0.000001 " + sym + " at " + Figures.price(e) + ": too small to plan");
        }
        bracketAllows("--leverage", sym, size.multiply(e), lev, snapshot.table());
        MarginState opened = MarginState.isolated(new Position(sym, s, size, e), wallet, lev, snapshot.table());
        return new Subject(venue, opened, now, freeBalance, snapshot.label());
    }

    /** The venue refuses a leverage above what the size's bracket allows; so does the plan, as the replay does. */
    private static void bracketAllows(
            String what, String symbol, BigDecimal notional, BigDecimal leverage, RiskTierTable table) {
        ballast.app.replay.ReplayRunner.overBracket(table, symbol, notional, leverage)
                .ifPresent(refused -> {
                    throw new UsageException(what + ": " + refused + ", was "
                            + leverage.stripTrailingZeros().toPlainString());
                });
    }

    private Subject fromScenario() {
        if (side != null || entry != null || symbol != null || qty != null || margin != null || leverage != null) {
            throw new UsageException("give either a scenario or the position flags, not both");
        }
        Scenario scenario = ScenarioFile.load(scenarioFile);
        Scenario.PositionSpec p = scenario.positions().get(0);
        if (p.marginMode() != ballast.core.margin.MarginMode.ISOLATED) {
            throw new UsageException(p.where() + ": the plan is for an isolated position; this one is cross");
        }
        CandleSeries candles = MarketDataFiles.loadCandles(p.candles(), scenario.from(), scenario.to())
                .between(scenario.from(), scenario.to());
        if (candles.candles().isEmpty()) {
            throw new UsageException(
                    p.candles() + " has no candles between " + scenario.from() + " and " + scenario.to());
        }
        BigDecimal open = candles.candles().getFirst().open();
        BigDecimal size = p.margin()
                .multiply(p.leverage())
                .divide(open, MathContext.DECIMAL64)
                .setScale(6, RoundingMode.DOWN);
        // The tiers the replay of this scenario would use (the oldest shipped when none is as old as the window).
        List<String> notes = new java.util.ArrayList<>();
        RiskTierTable table = ballast.app.replay.ReplayRunner.tiersFor(shippedTiers.get(), scenario, p, notes);
        String label = String.join("; ", notes);
        String prefix = p.symbol() + ": ";
        if (label.startsWith(prefix)) {
            label = label.substring(prefix.length());
        }
        bracketAllows(p.where() + ".leverage", p.symbol(), size.multiply(open), p.leverage(), table);
        MarginState opened =
                MarginState.isolated(new Position(p.symbol(), p.side(), size, open), p.margin(), p.leverage(), table);
        if (scenario.exchange() != Venue.BINANCE && scenario.exchange() != Venue.BYBIT) {
            throw new UsageException("the plan knows Binance and Bybit; the scenario is on "
                    + scenario.exchange().id());
        }
        return new Subject(scenario.exchange(), opened, open, scenario.wallet(), label);
    }

    private Venue venue() {
        String v = exchange == null ? "binance" : exchange.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "binance" -> Venue.BINANCE;
            case "bybit" -> Venue.BYBIT;
            default -> throw new UsageException("--exchange must be binance or bybit, was '" + exchange + "'");
        };
    }

    private static Side side(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "long" -> Side.LONG;
            case "short" -> Side.SHORT;
            default -> throw new UsageException("--side must be long or short, was '" + text + "'");
        };
    }

    static String render(
            Subject s,
            BudgetPlan.Plan plan,
            BudgetParams params,
            BigDecimal sigma,
            BigDecimal conviction,
            Settings settings) {
        Position p = s.opened().position();
        StringBuilder out = new StringBuilder();
        out.append("plan: ")
                .append(p.symbol())
                .append(' ')
                .append(p.side() == Side.LONG ? "long " : "short ")
                .append(Figures.qty(p.qty()))
                .append(" at ")
                .append(Figures.price(p.entryPrice()))
                .append(", ")
                .append(Figures.amount(s.opened().wallet()))
                .append(" USDT isolated margin (")
                .append(s.opened().leverage().stripTrailingZeros().toPlainString())
                .append("x), mark ")
                .append(Figures.price(s.mark()))
                .append("; ")
                .append(s.tiers())
                .append('\n');
        out.append("liquidation now ")
                .append(liq(plan.liquidationNow()))
                .append("; σ ")
                .append(Figures.percent(sigma))
                .append(" over ")
                .append(Figures.duration(settings.engine().horizon()))
                .append(" assumed throughout");
        if (conviction.compareTo(BigDecimal.ONE) != 0) {
            out.append("; conviction ").append(conviction.stripTrailingZeros().toPlainString());
        }
        out.append('\n');
        out.append("loss budget ").append(Figures.amount(plan.budget())).append(" USDT");
        if (params.budgetAmount().isEmpty() && params.budgetPct().isEmpty()) {
            out.append(" (automatic: what a stop ")
                    .append(params.autoBuffer()
                            .movePointRight(2)
                            .stripTrailingZeros()
                            .toPlainString())
                    .append(" % of the way from the liquidation price back to the entry would lose)");
        } else if (params.budgetPct().isPresent()) {
            out.append(" (")
                    .append(params.budgetPct().get().toPlainString())
                    .append(" % of ")
                    .append(Figures.amount(s.opened().wallet().add(s.free())))
                    .append(" USDT equity)");
        }
        out.append("; now: cushion ")
                .append(Figures.amount(plan.now().cushion()))
                .append(", exposure ")
                .append(Figures.amount(plan.now().exposure()))
                .append(" of ")
                .append(Figures.amount(plan.now().allowed()))
                .append(" allowed\n\n");
        if (plan.levels().isEmpty()) {
            out.append("The policy does not act on the way to the liquidation price with these settings.\n");
        } else {
            String header = String.format(
                    Locale.ROOT,
                    "%12s %9s %7s %12s %12s %12s %14s %10s %14s%n",
                    "mark",
                    "move",
                    "action",
                    "size",
                    "size left",
                    "loss so far",
                    "liq. after",
                    "cushion",
                    "if it gaps");
            out.append(header).append("-".repeat(header.length() - 1)).append('\n');
            for (BudgetPlan.Level l : plan.levels()) {
                out.append(String.format(
                        Locale.ROOT,
                        "%12s %9s %7s %12s %12s %12s %14s %10s %14s%n",
                        Figures.price(l.mark()),
                        Figures.percent(l.fromEntry()),
                        l.action(),
                        Figures.qty(l.cut()),
                        Figures.qty(l.qtyLeft()),
                        Figures.amount(l.lossSoFar()),
                        liq(l.liquidationAfter()),
                        Figures.amount(l.cushionAfter()),
                        Figures.amount(l.lossIfItGaps())));
            }
        }
        out.append('\n')
                .append(
                        "if it gaps: the loss if the mark jumped from that level straight to the liquidation price after")
                .append(
                        " it (the margin, with what was realised before); where no liquidation price is left ('none'), to a")
                .append(" price of zero.\n")
                .append("If the mark gaps to the liquidation price now, before any level: ")
                .append(Figures.amount(plan.lossIfItGapsNow()))
                .append(" USDT. The worst case if it gaps through every level: ")
                .append(Figures.amount(plan.worstGap()))
                .append(" USDT.\n")
                .append(
                        "A mark that walks (as marks do, one tick at a time) loses at most the budget and the cost of the")
                .append(" last step.\n");
        return out.toString();
    }

    private static String liq(Liquidation l) {
        return switch (l) {
            case Liquidation.At at -> Figures.price(at.price());
            case Liquidation.Never n -> "none";
            case Liquidation.Unavoidable u -> "now";
        };
    }
}
