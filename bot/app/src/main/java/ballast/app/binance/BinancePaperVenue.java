package ballast.app.binance;

import ballast.app.config.RunSettings;
import ballast.app.format.Figures;
import ballast.app.run.LiveRun;
import ballast.app.run.LiveVenue;
import ballast.app.venue.PaperAccount;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.RiskTier;
import ballast.core.margin.RiskTierTable;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.FeedEvent;
import ballast.core.venue.FeedSink;
import ballast.exchange.binance.BinanceEndpoints;
import ballast.exchange.binance.BinanceExchangeInfo;
import ballast.exchange.binance.BinancePremiumIndex;
import ballast.exchange.binance.BinanceRestClient;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.exchange.venue.VenueResult;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ballast run --profile paper}: the whole bot on a paper account ({@link PaperAccount}: the paper venue, kept in
 * a file across restarts), fed Binance's live marks. It holds no key and sends nothing anywhere: the marks come from
 * Binance's public mark-price stream (REST {@code premiumIndex} while the stream is down), and the first start reads
 * the public exchangeInfo (each symbol's step) and each symbol's mark to open the positions {@code run.paper} names.
 * Positions are measured on Ballast's shipped Binance brackets, as a replay's are. Funding is paid and collected at
 * each settlement the stream shows ({@link FundingSettlements}), at the rate it announced and the mark of then.
 */
public final class BinancePaperVenue implements LiveVenue {

    /** Binance's order quota per 10 s; the paper account has none, the executor keeps to a live account's. */
    private static final int ORDERS_PER_10S = 300;

    private final String describe;
    private final Set<String> kept;
    private final BinanceConnections connections;
    private final BinanceRestClient client;
    private final PaperAccount account;
    private final Map<String, RiskTierTable> tiers;
    private final String streamBase;
    private final Clock clock;
    private BinanceMarkFeed marks;

    private BinancePaperVenue(
            String describe,
            Set<String> kept,
            BinanceConnections connections,
            BinanceRestClient client,
            PaperAccount account,
            Map<String, RiskTierTable> tiers,
            String streamBase,
            Clock clock) {
        this.describe = describe;
        this.kept = kept;
        this.connections = connections;
        this.client = client;
        this.account = account;
        this.tiers = tiers;
        this.streamBase = streamBase;
        this.clock = clock;
    }

    /**
     * The paper account in {@code accountFile}, or a new one opened at Binance's marks of now.
     *
     * @param costs the paper venue's fees, slippage and liquidation fee (the settings' {@code paper:})
     * @throws LiveRun.CannotStart when the symbols have no shipped brackets (2), a position cannot be opened (2), or
     *     Binance's public data cannot be read (4); no account file is made then
     */
    public static BinancePaperVenue connect(
            RunSettings run,
            PaperVenue.Config costs,
            ShippedRiskTiers shipped,
            Path accountFile,
            Clock clock,
            PrintWriter out) {
        RunSettings.Venue venue = run.venue();
        BinanceEndpoints endpoints = BinanceVenue.endpoints("paper", venue);
        String streamBase = BinanceVenue.streams("paper", venue);
        Set<String> kept = new LinkedHashSet<>(venue.symbols());
        Map<String, RiskTierTable> tiers = new LinkedHashMap<>();
        for (String symbol : kept) {
            try {
                tiers.put(
                        symbol,
                        shipped.find(Venue.BINANCE, symbol, Optional.empty()).table());
            } catch (ShippedRiskTiers.UnknownTiersException e) {
                throw new LiveRun.CannotStart(
                        2,
                        "run.venue.symbols: " + symbol + " cannot be kept on paper: "
                                + e.getMessage().replace(". Or give the rate with --mmr (and --maint-amount)", ""));
            }
        }
        BinanceConnections connections = BinanceConnections.open(venue.requestTimeout());
        try {
            BinanceRestClient client = BinanceRestClient.unkeyed(connections.http, endpoints, clock);
            String describe = "a paper account (" + accountFile.toAbsolutePath() + ") on Binance's public marks from "
                    + streamBase;
            out.println("Paper: " + describe + "; keeping " + String.join(", ", kept)
                    + ". No key, nothing is sent to any venue.");
            out.flush();
            java.util.function.Function<String, List<RiskTier>> brackets = symbol -> tiers.containsKey(symbol)
                    ? tiers.get(symbol).tiers()
                    : shipped.find(Venue.BINANCE, symbol, Optional.empty()).tiers();
            // Binance's public data must be there before anything is made: the symbols' rules, and marks to come.
            BinanceExchangeInfo info = switch (client.exchangeInfo()) {
                case VenueResult.Ok<BinanceExchangeInfo> ok -> ok.value();
                case VenueResult.Failed<BinanceExchangeInfo> failed ->
                    throw unreachable(failed.error().describe());
            };
            for (String symbol : kept) {
                if (!info.symbols().containsKey(symbol)) {
                    throw new LiveRun.CannotStart(
                            2, "run.venue.symbols: " + symbol + " is not a USD-M perpetual on Binance (exchangeInfo)");
                }
            }
            Optional<PaperAccount> resumed;
            try {
                resumed = PaperAccount.load(costs, accountFile, clock, brackets);
            } catch (IllegalArgumentException | ShippedRiskTiers.UnknownTiersException e) {
                throw new LiveRun.CannotStart(2, e.getMessage());
            }
            PaperAccount account;
            if (resumed.isPresent()) {
                account = resumed.get();
                PaperVenue.State state = account.state();
                out.println("  account resumed from " + accountFile + " as the last run left it: free "
                        + Figures.amount(state.free()) + " USDT, "
                        + state.positions().size() + " position(s)"
                        + (state.positions().isEmpty()
                                ? ""
                                : " ("
                                        + String.join(
                                                ", ",
                                                state.positions().stream()
                                                        .map(h -> h.side().label() + " " + h.symbol())
                                                        .toList())
                                        + ")")
                        + ". Delete the file to start a new account from run.paper.");
                for (RunSettings.Paper.Opening o : run.paper().positions()) {
                    boolean held = state.positions().stream()
                            .anyMatch(h -> h.symbol().equals(o.symbol())
                                    && h.side().label().equals(o.side()));
                    if (!held) {
                        out.println("  note: run.paper.positions names a " + o.side() + " " + o.symbol()
                                + " the account does not hold (closed since, or named after the account was made):"
                                + " it is not opened again.");
                    }
                }
            } else {
                account = PaperAccount.create(
                        costs,
                        run.paper().balance(),
                        accountFile,
                        clock,
                        brackets,
                        paper -> open(paper, run.paper(), client, info, tiers, out));
                out.println("  new account made from run.paper and written to " + accountFile + ".");
            }
            out.flush();
            return new BinancePaperVenue(describe, kept, connections, client, account, tiers, streamBase, clock);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
    }

    /** Opens each position {@code paper} names at its symbol's mark of now, its size rounded down to the step. */
    private static void open(
            PaperVenue venue,
            RunSettings.Paper paper,
            BinanceRestClient client,
            BinanceExchangeInfo info,
            Map<String, RiskTierTable> tiers,
            PrintWriter out) {
        for (RunSettings.Paper.Opening o : paper.positions()) {
            BinanceExchangeInfo.SymbolRules rules = info.symbols().get(o.symbol());
            if (rules == null) {
                throw new LiveRun.CannotStart(
                        2,
                        "run.paper.positions: " + o.symbol() + " is not a USD-M perpetual on Binance (exchangeInfo)");
            }
            BigDecimal mark = switch (client.premiumIndex(o.symbol())) {
                case VenueResult.Ok<BinancePremiumIndex> ok -> ok.value().markPrice();
                case VenueResult.Failed<BinancePremiumIndex> failed ->
                    throw unreachable(failed.error().describe());
            };
            BigDecimal notional = o.margin().multiply(o.leverage());
            BigDecimal qty = notional.divide(mark, MathContext.DECIMAL64)
                    .divide(rules.stepSize(), 0, RoundingMode.DOWN)
                    .multiply(rules.stepSize());
            if (qty.compareTo(rules.minQty()) < 0 || qty.signum() <= 0) {
                throw new LiveRun.CannotStart(
                        2,
                        "run.paper.positions: " + o.margin().toPlainString() + " USDT at "
                                + o.leverage().toPlainString()
                                + "x buys " + qty.toPlainString() + " " + o.symbol() + " at the mark "
                                + mark.toPlainString() + ", less than the least order ("
                                + rules.minQty().toPlainString()
                                + "): give it more margin or leverage");
            }
            Side side = o.side().equals("long") ? Side.LONG : Side.SHORT;
            MarginMode mode = o.mode().equals("cross") ? MarginMode.CROSS : MarginMode.ISOLATED;
            try {
                venue.open(
                        o.symbol(),
                        side,
                        mode,
                        qty.stripTrailingZeros(),
                        mark,
                        o.margin(),
                        o.leverage(),
                        tiers.get(o.symbol()).tiers());
            } catch (IllegalStateException e) {
                throw new LiveRun.CannotStart(2, "run.paper.positions: " + e.getMessage());
            }
            out.println(
                    "  opened " + side.label() + " " + qty.stripTrailingZeros().toPlainString() + " " + o.symbol()
                            + " at the mark " + Figures.price(mark) + ", "
                            + o.leverage().toPlainString() + "x, " + o.mode()
                            + (mode == MarginMode.ISOLATED ? ", margin " + Figures.amount(o.margin()) + " USDT" : ""));
        }
    }

    private static LiveRun.CannotStart unreachable(String why) {
        return new LiveRun.CannotStart(
                LiveRun.COULD_NOT_START,
                "could not read Binance's public market data: " + why + ". No paper account was made.");
    }

    /** The account the paper venue keeps: for tests and the summary. */
    public PaperAccount account() {
        return account;
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
        return account;
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
        return new Quota(ORDERS_PER_10S, Duration.ofSeconds(10), "Binance's default order quota (paper)");
    }

    /**
     * Each mark moves the paper account first (a liquidation, a backstop that fires happen there, as on the venue, and
     * the account feed says so), then reaches the bot.
     */
    @Override
    public synchronized void startFeeds(FeedSink sink) {
        FeedSink paper = event -> {
            if (event instanceof FeedEvent.Mark m && kept.contains(m.symbol())) {
                for (PaperVenue.VenueEvent e : account.onMark(m.symbol(), m.tsInit(), m.mark())) {
                    sink.accept(new FeedEvent.AccountChanged(describe(e), m.tsEvent(), m.tsInit()));
                }
            }
            sink.accept(event);
        };
        FundingSettlements settlements = new FundingSettlements();
        marks = new BinanceMarkFeed(connections, client, streamBase, new ArrayList<>(kept), clock, frame -> {
            if (kept.contains(frame.symbol())) {
                settlements
                        .frame(frame.symbol(), frame.fundingRate(), frame.nextFundingTime(), frame.tsEvent())
                        .ifPresent(s -> {
                            for (PaperVenue.VenueEvent e :
                                    account.onFunding(s.symbol(), s.time(), s.rate(), frame.mark())) {
                                sink.accept(
                                        new FeedEvent.AccountChanged(describe(e), frame.tsEvent(), clock.instant()));
                            }
                        });
            }
        });
        marks.start(paper);
        // The account feed of a paper account is the account itself: it is connected while the bot runs.
        sink.accept(new FeedEvent.Status(
                "paper-account", FeedEvent.Status.State.CONNECTED, "paper", clock.instant(), clock.instant()));
    }

    private static String describe(PaperVenue.VenueEvent e) {
        return switch (e) {
            case PaperVenue.VenueEvent.Liquidated l -> "paper: " + l.side().label() + " " + l.symbol() + " liquidated";
            case PaperVenue.VenueEvent.BackstopTriggered b ->
                "paper: the backstop of " + b.side().label() + " " + b.symbol() + " fired";
            case PaperVenue.VenueEvent.AutoAdded a -> "paper: margin auto-added to " + a.symbol();
            case PaperVenue.VenueEvent.FundingPaid f -> "paper: funding of " + f.symbol();
        };
    }

    /** A paper account is never banned: its marks' REST fallback is public and its requests never leave the process. */
    @Override
    public void onBan(java.util.function.Consumer<Ban> listener) {}

    @Override
    public synchronized void close() {
        if (marks != null) {
            marks.close();
        }
        connections.close();
    }
}
