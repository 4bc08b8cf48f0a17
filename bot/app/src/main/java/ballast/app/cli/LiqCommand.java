package ballast.app.cli;

import static ballast.app.cli.Flags.forbid;

import ballast.core.Decimals;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.CrossRest;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast liq}: the what-if liquidation calculator. Flags arrive as text and are checked here, so every mistake
 * gets one line naming the flag, the rule and the value.
 */
@Command(
        name = "liq",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Where one position is liquidated, and what keeps it alive.",
            "Liquidation price, bankruptcy price and maintenance margin on the exchange's own rules (tiered maintenance",
            "margin re-checked at the liquidation price, mark price, isolated or cross).",
            "With --mark: margin balance, margin ratio and distance to liquidation there.",
            "With --target-distance: the top-up, the reduce-only cut and the release that put liquidation that far from the mark.",
        },
        footer = {
            "",
            "Examples:",
            "  ballast liq --exchange binance --side long --qty 0.5 --entry 60000 \\",
            "      --wallet 3000 --symbol BTCUSDT --tiers-asof 2024-10-24",
            "  ballast liq --exchange bybit --side short --qty 2 --entry 3000 \\",
            "      --leverage 25 --mmr 0.005 --mark 3050 --target-distance 8",
            "  ballast liq --exchange binance --mode cross --side long --qty 1 \\",
            "      --entry 30000 --wallet 10000 --mmr 0.004 \\",
            "      --other-maint-margin 250 --other-upnl -1200 --json",
        })
public final class LiqCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--exchange", paramLabel = "VENUE", description = "binance | bybit | okx | gate | kucoin")
    String exchange;

    @Option(names = "--side", paramLabel = "SIDE", description = "long | short")
    String side;

    @Option(names = "--qty", paramLabel = "Q", description = "Position size in base units (e.g. BTC), > 0.")
    String qty;

    @Option(names = "--entry", paramLabel = "P", description = "Average entry price, > 0.")
    String entry;

    @Option(
            names = "--wallet",
            paramLabel = "W",
            description =
                    "Margin allotted to the position: the isolated wallet (Bybit: position margin); cross: the cross wallet balance.")
    String wallet;

    @Option(
            names = "--leverage",
            paramLabel = "L",
            description =
                    "Leverage set on the position. Without --wallet the margin is qty × entry / L (plus --extra-margin).")
    String leverage;

    @Option(
            names = "--extra-margin",
            paramLabel = "M",
            description = "Margin added on top of the initial margin (with --leverage).")
    String extraMargin;

    @Option(names = "--mmr", paramLabel = "R", description = "Maintenance margin rate as a fraction (0.004 = 0.4 %%).")
    String mmr;

    @Option(
            names = "--maint-amount",
            paramLabel = "C",
            description = "Maintenance amount (Binance cum, Bybit MM deduction) that goes with --mmr; default 0.")
    String maintAmount;

    @Option(
            names = "--symbol",
            paramLabel = "S",
            description = "Use the shipped risk tiers of this symbol (e.g. BTCUSDT).")
    String symbol;

    @Option(
            names = "--tiers-asof",
            paramLabel = "YYYY-MM-DD",
            description = "With --symbol: the newest shipped table not after this date (default: the newest).")
    String tiersAsOf;

    @Option(
            names = "--taker-fee",
            paramLabel = "F",
            description =
                    "Taker fee as a fraction (0.0005 = 0.05 %%): part of the ratio on okx and gate; bybit with --unified.")
    String takerFee;

    @Option(
            names = "--unified",
            description =
                    "Bybit Unified Trading Account: extra margin counts net of the estimated close fee (needs --taker-fee).")
    boolean unified;

    @Option(names = "--mode", paramLabel = "MODE", description = "isolated (default) | cross (binance).")
    String mode;

    @Option(
            names = "--other-maint-margin",
            paramLabel = "X",
            description = "Cross: maintenance margin of all other positions.")
    String otherMaintMargin;

    @Option(
            names = "--other-upnl",
            paramLabel = "Y",
            description = "Cross: unrealised PnL of all other positions (signed).")
    String otherUpnl;

    @Option(
            names = "--hedge-qty",
            paramLabel = "Q",
            description =
                    "Cross hedge mode: size of the opposite side of the same symbol (it shares the liquidation price).")
    String hedgeQty;

    @Option(
            names = "--hedge-entry",
            paramLabel = "P",
            description = "Cross hedge mode: entry price of the opposite side.")
    String hedgeEntry;

    @Option(
            names = "--mark",
            paramLabel = "P",
            description = "Mark price at which to report balance, ratio and distance.")
    String mark;

    @Option(
            names = "--target-distance",
            paramLabel = "PCT",
            description = "Distance from the mark, in percent, that liquidation should be at (needs --mark).")
    String targetDistance;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    /** The position's name when no --symbol is given: reports leave it out rather than invent one. */
    static final String UNNAMED = "-";

    private final Supplier<ShippedRiskTiers> shippedTiers;

    public LiqCommand(Supplier<ShippedRiskTiers> shippedTiers) {
        this.shippedTiers = shippedTiers;
    }

    @Override
    public Integer call() {
        LiqReport report = LiqReport.of(query());
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? LiqJson.render(report) : LiqText.render(report));
        out.flush();
        return 0;
    }

    LiqQuery query() {
        Venue venue = Flags.choice("--exchange", exchange, Venue.class, "the venue whose rules apply");
        Side positionSide = Flags.choice("--side", side, Side.class, "long or short");
        BigDecimal q = Flags.within(
                "--qty",
                Flags.positive("--qty", Flags.required("--qty", qty, "position size in base units")),
                "0.00000001",
                "1000000000",
                "base units");
        BigDecimal entryPrice = Flags.within(
                "--entry",
                Flags.positive("--entry", Flags.required("--entry", entry, "average entry price")),
                "0.00000001",
                "1000000000",
                "a price");
        MarginMode marginMode = mode == null ? MarginMode.ISOLATED : Flags.choice("--mode", mode, MarginMode.class, "");
        List<String> notes = new ArrayList<>();

        Optional<BigDecimal> fee = Flags.decimal("--taker-fee", takerFee)
                .map(f -> Flags.fraction("--taker-fee", f, "0.01", "0.0005 = 0.05 %"));
        MarginRules rules = rules(venue, fee);
        if (marginMode == MarginMode.CROSS && venue != Venue.BINANCE) {
            throw new UsageException(
                    "--mode cross is supported for binance only, was used with --exchange " + venue.id());
        }
        forbid(
                marginMode == MarginMode.ISOLATED && (otherMaintMargin != null || otherUpnl != null),
                "--other-maint-margin / --other-upnl",
                "describe the rest of a cross account: add --mode cross");

        Position position = new Position(
                symbol == null ? UNNAMED : symbol.toUpperCase(java.util.Locale.ROOT), positionSide, q, entryPrice);

        Optional<BigDecimal> givenWallet = Flags.decimal("--wallet", wallet)
                .map(w ->
                        Flags.within("--wallet", Flags.positive("--wallet", w), "0.00000001", "1000000000000", "USDT"));
        Optional<BigDecimal> givenLeverage = Flags.decimal("--leverage", leverage)
                .map(l -> Flags.within(
                        "--leverage", Flags.positive("--leverage", l), "1", "125", "the venues allow 1x" + " to 125x"));
        Optional<BigDecimal> extra = Flags.decimal("--extra-margin", extraMargin)
                .map(m -> Flags.within("--extra-margin", m, "0", "1000000000000", "USDT"));
        RiskTierTable tiers = tiers(venue, position);
        if (givenWallet.isEmpty() && givenLeverage.isEmpty()) {
            throw new UsageException("--wallet or --leverage is required (the margin allotted to the position)");
        }
        forbid(
                extra.isPresent() && givenWallet.isPresent(),
                "--extra-margin",
                "goes with --leverage (margin = qty × entry / L + extra); with --wallet, include it in the wallet");
        forbid(extra.isPresent() && givenLeverage.isEmpty(), "--extra-margin", "needs --leverage");
        BigDecimal notional = position.entryNotional();
        BigDecimal margin = givenWallet.orElseGet(
                () -> Decimals.divide(notional, givenLeverage.orElseThrow()).add(extra.orElse(BigDecimal.ZERO)));
        if (marginMode == MarginMode.ISOLATED) {
            Flags.positive("--wallet", margin);
        }
        BigDecimal positionLeverage = givenLeverage.orElseGet(() -> Decimals.divide(notional, margin));
        if (marginMode == MarginMode.CROSS && givenWallet.isEmpty()) {
            throw new UsageException("--wallet is required with --mode cross (the cross wallet balance)");
        }
        RiskTier entryTier = tiers.tierFor(notional);
        if (!tiers.isFlat()
                && givenLeverage.isPresent()
                && positionLeverage.compareTo(BigDecimal.valueOf(entryTier.maxLeverage())) > 0) {
            notes.add("leverage " + positionLeverage.toPlainString() + "x is above the bracket's maximum of "
                    + entryTier.maxLeverage() + "x for this notional; the venue would refuse it");
        }

        CrossRest rest = CrossRest.NONE;
        if (marginMode == MarginMode.CROSS) {
            BigDecimal otherMm = Flags.within(
                    "--other-maint-margin",
                    Flags.decimal("--other-maint-margin", otherMaintMargin).orElse(BigDecimal.ZERO),
                    "0",
                    "1000000000000",
                    "USDT");
            BigDecimal otherPnl = Flags.within(
                    "--other-upnl",
                    Flags.decimal("--other-upnl", otherUpnl).orElse(BigDecimal.ZERO),
                    "-1000000000000",
                    "1000000000000",
                    "USDT");
            rest = new CrossRest(otherMm, otherPnl);
        }
        List<Position> hedgeLegs = hedgeLegs(marginMode, position);
        MarginState state = new MarginState(position, marginMode, margin, positionLeverage, rest, tiers, hedgeLegs);

        Optional<BigDecimal> markPrice = Flags.decimal("--mark", mark)
                .map(m -> Flags.within("--mark", Flags.positive("--mark", m), "0.00000001", "1000000000", "a price"));
        Optional<BigDecimal> target =
                Flags.decimal("--target-distance", targetDistance).map(t -> Flags.positive("--target-distance", t));
        if (target.isPresent() && markPrice.isEmpty()) {
            throw new UsageException("--target-distance needs --mark (the distance is measured from the mark price)");
        }
        if (target.isPresent() && positionSide == Side.LONG && target.get().compareTo(BigDecimal.valueOf(100)) >= 0) {
            throw new UsageException(
                    "--target-distance must be < 100 for a long (a liquidation price below zero does not exist), was "
                            + target.get().toPlainString());
        }
        if (hedgeLegs.isEmpty()
                && rules.liquidation(state) instanceof ballast.core.margin.Liquidation.At at
                && positionSide.sign().multiply(at.price().subtract(entryPrice)).signum() >= 0) {
            notes.add("the liquidation price is on the wrong side of the entry price: the margin is below the"
                    + " maintenance margin already at entry, so the venue would refuse to open this position (or"
                    + " liquidate it at once)");
        }
        return new LiqQuery(
                rules,
                state,
                givenLeverage.isEmpty(),
                markPrice,
                target.map(t -> t.movePointLeft(2)),
                List.copyOf(notes));
    }

    private List<Position> hedgeLegs(MarginMode marginMode, Position position) {
        Optional<BigDecimal> q = Flags.decimal("--hedge-qty", hedgeQty).map(v -> Flags.positive("--hedge-qty", v));
        Optional<BigDecimal> price =
                Flags.decimal("--hedge-entry", hedgeEntry).map(v -> Flags.positive("--hedge-entry", v));
        if (q.isEmpty() && price.isEmpty()) {
            return List.of();
        }
        forbid(
                marginMode != MarginMode.CROSS,
                "--hedge-qty / --hedge-entry",
                "describe the other side in cross hedge mode: add --mode cross (isolated sides are separate positions)");
        if (q.isEmpty() || price.isEmpty()) {
            throw new UsageException(
                    "--hedge-qty and --hedge-entry go together (the opposite side's size and entry price)");
        }
        return List.of(new Position(position.symbol(), position.side().opposite(), q.get(), price.get()));
    }

    private MarginRules rules(Venue venue, Optional<BigDecimal> fee) {
        forbid(
                unified && venue != Venue.BYBIT,
                "--unified",
                "applies to bybit only, was used with --exchange " + venue.id());
        return switch (venue) {
            case BINANCE -> {
                forbid(fee.isPresent(), "--taker-fee", "does not enter Binance's liquidation price; remove it");
                yield MarginRules.binance();
            }
            case BYBIT -> {
                if (unified) {
                    yield MarginRules.bybitUnified(fee.orElseThrow(() -> new UsageException(
                            "--taker-fee is required with --unified (the estimated close fee), e.g. 0.00055")));
                }
                forbid(
                        fee.isPresent(),
                        "--taker-fee",
                        "enters Bybit's formula only with --unified; add it or remove --taker-fee");
                yield MarginRules.bybit();
            }
            case OKX ->
                MarginRules.okx(fee.orElseThrow(() -> new UsageException(
                        "--taker-fee is required for okx (the fee is part of the liquidation ratio), e.g. 0.0005")));
            case GATE ->
                MarginRules.gate(fee.orElseThrow(() -> new UsageException(
                        "--taker-fee is required for gate (the fee is part of the liquidation ratio), e.g. 0.00075")));
            case KUCOIN -> {
                forbid(fee.isPresent(), "--taker-fee", "does not enter KuCoin's liquidation price; remove it");
                yield MarginRules.kucoin();
            }
        };
    }

    private RiskTierTable tiers(Venue venue, Position position) {
        Optional<BigDecimal> rate = Flags.decimal("--mmr", mmr)
                .map(r -> Flags.within("--mmr", r, "0", "0.5", "a fraction: 0.004 is 0.4 %"));
        Optional<BigDecimal> amount = Flags.decimal("--maint-amount", maintAmount)
                .map(a -> Flags.within("--maint-amount", a, "0", "1000000000", "USDT"));
        Optional<LocalDate> asOf = Flags.date("--tiers-asof", tiersAsOf);
        forbid(rate.isPresent() && symbol != null, "--mmr", "and --symbol both set the maintenance rate: give one");
        forbid(amount.isPresent() && rate.isEmpty(), "--maint-amount", "goes with --mmr");
        forbid(asOf.isPresent() && symbol == null, "--tiers-asof", "needs --symbol");
        if (rate.isPresent()) {
            return RiskTierTable.flat(position.symbol(), rate.get(), amount.orElse(BigDecimal.ZERO), 125);
        }
        if (symbol == null) {
            throw new UsageException(
                    "--symbol or --mmr is required (shipped risk tiers, or an explicit maintenance rate)");
        }
        try {
            return shippedTiers.get().find(venue, symbol, asOf).table();
        } catch (ShippedRiskTiers.UnknownTiersException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
