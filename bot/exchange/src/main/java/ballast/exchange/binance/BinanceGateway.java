package ballast.exchange.binance;

import ballast.core.Side;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.Capability;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.MarginChange;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.core.venue.StopOrder;
import ballast.exchange.venue.VenueError;
import ballast.exchange.venue.VenueResult;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Binance USDⓈ-M behind the venue port. In one-way mode a position is {@code BOTH} and Binance cannot tell a long from
 * a short in a margin request, so the gateway first reads the position and refuses (without sending) a request for a
 * side that is not held: margin must never land on the wrong position.
 */
public final class BinanceGateway implements ExchangeGateway {

    private final BinanceRestClient client;
    private final boolean hedgeMode;
    private final Clock clock;
    private final java.util.Map<String, BigDecimal> tickSizes;
    /** The client algo id of each position's backstop, by {@code symbol:side}: what a re-pricing cancels. */
    private final java.util.Map<String, String> stops = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param hedgeMode the account's position mode, read at start ({@code GET /fapi/v1/positionSide/dual}); the gateway
     *     refuses to guess it
     */
    public BinanceGateway(BinanceRestClient client, boolean hedgeMode, Clock clock) {
        this(client, hedgeMode, clock, java.util.Map.of());
    }

    /** @param tickSizes each symbol's price tick (exchangeInfo's PRICE_FILTER): a stop's trigger must sit on it */
    public BinanceGateway(
            BinanceRestClient client, boolean hedgeMode, Clock clock, java.util.Map<String, BigDecimal> tickSizes) {
        this.client = client;
        this.hedgeMode = hedgeMode;
        this.clock = clock;
        this.tickSizes = java.util.Map.copyOf(tickSizes);
    }

    /** What every client id of this bot's starts with; a stop without it is the trader's own and is never touched. */
    private volatile String ownIds = "bl";

    /** Names the prefix of this bot's client ids (the journal's), so a backstop check knows its own stops. */
    public void ownIds(String prefix) {
        this.ownIds = java.util.Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * The account's close-all mark-price stops with this bot's ids, one per position: where the venue holds more than
     * one for a position (a replace whose cancel failed, a stop the last process placed), the one the gateway placed
     * last is kept (else the first listed, which is then taken up as this position's) and the others are cancelled
     * here. Runs one at a time with placing and cancelling, so a stop being placed is never mistaken for a stray.
     */
    @Override
    public synchronized Optional<List<StopOrder>> openStops() {
        List<BinanceAlgoOrder> open;
        switch (client.openAlgoOrders()) {
            case VenueResult.Ok<List<BinanceAlgoOrder>> ok -> open = ok.value();
            case VenueResult.Failed<List<BinanceAlgoOrder>> failed -> {
                return Optional.empty();
            }
        }
        java.util.Map<String, List<BinanceAlgoOrder>> byPosition = new java.util.LinkedHashMap<>();
        for (BinanceAlgoOrder o : open) {
            if (o.markStopClosingAll() && o.clientAlgoId().startsWith(ownIds)) {
                byPosition
                        .computeIfAbsent(o.symbol() + ":" + closes(o), k -> new ArrayList<>())
                        .add(o);
            }
        }
        List<StopOrder> kept = new ArrayList<>();
        for (java.util.Map.Entry<String, List<BinanceAlgoOrder>> e : byPosition.entrySet()) {
            List<BinanceAlgoOrder> orders = e.getValue();
            String known = stops.get(e.getKey());
            BinanceAlgoOrder keep = orders.stream()
                    .filter(o -> o.clientAlgoId().equals(known))
                    .findFirst()
                    .orElse(orders.get(0));
            stops.put(e.getKey(), keep.clientAlgoId());
            for (BinanceAlgoOrder o : orders) {
                if (o != keep) {
                    client.cancelAlgoOrder(o.clientAlgoId());
                }
            }
            kept.add(new StopOrder(keep.symbol(), closes(keep), keep.triggerPrice(), keep.clientAlgoId()));
        }
        return Optional.of(List.copyOf(kept));
    }

    /** The side of the position a stop closes: a SELL closes a long (one-way), else its position side says. */
    private static Side closes(BinanceAlgoOrder o) {
        return switch (o.positionSide()) {
            case LONG -> Side.LONG;
            case SHORT -> Side.SHORT;
            case BOTH -> o.side() == OrderSide.SELL ? Side.LONG : Side.SHORT;
        };
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
        return modifyMargin(symbol, side, amount, true);
    }

    @Override
    public Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
        return modifyMargin(symbol, side, amount, false);
    }

    private Outcome modifyMargin(String symbol, Side side, BigDecimal amount, boolean add) {
        Optional<Outcome> wrongSide = requireHeld(symbol, side, "-4054", "Cannot add position margin: position is 0.");
        if (wrongSide.isPresent()) {
            return wrongSide.get();
        }
        return outcome(
                client.modifyIsolatedMargin(symbol, positionSide(side), amount, add), BinanceMarginChange::amount);
    }

    @Override
    public Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId) {
        // Binance itself refuses a reduce-only order that would not reduce (-2022), in one-way and hedge mode alike.
        return outcome(
                client.placeReduceOnly(symbol, OrderSide.closing(side), positionSide(side), qty, clientId),
                BinanceOrder::executedQty);
    }

    @Override
    public Outcome closePosition(String symbol, Side side, String clientId) {
        VenueResult<List<BinancePosition>> positions = client.positions();
        if (positions instanceof VenueResult.Failed<List<BinancePosition>> failed) {
            return readFailure(failed.error());
        }
        Optional<BinancePosition> held =
                held(((VenueResult.Ok<List<BinancePosition>>) positions).value(), symbol, side);
        if (held.isEmpty()) {
            return new Outcome.Rejected(
                    "-2022", "ReduceOnly Order is rejected: no " + side.label() + " " + symbol + " position");
        }
        return reduceOnly(symbol, side, held.get().quantity(), clientId);
    }

    @Override
    public AccountSnapshot snapshot() {
        VenueResult<List<BinancePosition>> positions = client.positions();
        VenueResult<BinanceAccount> account = client.account();
        if (positions instanceof VenueResult.Failed<List<BinancePosition>> failed) {
            throw new IllegalStateException(
                    "Binance positions unavailable: " + failed.error().describe());
        }
        if (account instanceof VenueResult.Failed<BinanceAccount> failed) {
            throw new IllegalStateException(
                    "Binance account unavailable: " + failed.error().describe());
        }
        BinanceAccount totals = ((VenueResult.Ok<BinanceAccount>) account).value();
        List<PositionSnapshot> open = new ArrayList<>();
        for (BinancePosition p : ((VenueResult.Ok<List<BinancePosition>>) positions).value()) {
            if (p.flat()) {
                continue;
            }
            open.add(new PositionSnapshot(
                    p.symbol(),
                    p.side().orElseThrow(),
                    p.marginType(),
                    p.quantity(),
                    p.entryPrice(),
                    p.marginType() == ballast.core.margin.MarginMode.ISOLATED
                            ? p.isolatedWallet()
                            : totals.totalWalletBalance(),
                    BigDecimal.valueOf(p.leverage()),
                    p.liquidationPrice()));
        }
        return new AccountSnapshot(clock.instant(), totals.availableBalance(), open);
    }

    /**
     * Places the backstop on the Algo Service, its trigger rounded to the symbol's tick toward the mark (a long's up, a
     * short's down: it fires a little earlier, never later), then cancels the one it replaces, so the position is never
     * without one. The venue refuses a stop for a side not held.
     */
    @Override
    public synchronized Outcome placeStop(String symbol, Side side, BigDecimal triggerPrice, String clientId) {
        BigDecimal trigger = onTick(symbol, triggerPrice, side == Side.LONG);
        Optional<Outcome> wrongSide = requireHeld(symbol, side, "-2022", "ReduceOnly Order is rejected.");
        if (wrongSide.isPresent()) {
            return wrongSide.get();
        }
        Outcome placed = outcome(
                client.placeCloseAllStop(symbol, OrderSide.closing(side), positionSide(side), trigger, clientId),
                id -> BigDecimal.ZERO);
        if (placed instanceof Outcome.Accepted) {
            String before = stops.put(symbol + ":" + side, clientId);
            if (before != null && !before.equals(clientId)) {
                // The old one is superseded; should the cancel fail, the next backstop check finds it.
                client.cancelAlgoOrder(before);
            }
        }
        return placed;
    }

    @Override
    public synchronized Outcome cancelStop(String symbol, Side side, String clientId) {
        String placed = stops.remove(symbol + ":" + side);
        if (placed == null) {
            return new Outcome.Accepted(BigDecimal.ZERO);
        }
        return switch (client.cancelAlgoOrder(placed)) {
            case VenueResult.Ok<String> ok -> new Outcome.Accepted(BigDecimal.ZERO);
            // Already triggered, or cancelled by the venue when the position closed: nothing is left to cancel.
            case VenueResult.Failed<String> failed
            when failed.error() instanceof VenueError.Rejected -> new Outcome.Accepted(BigDecimal.ZERO);
            case VenueResult.Failed<String> failed -> outcome(failed, id -> BigDecimal.ZERO);
        };
    }

    private BigDecimal onTick(String symbol, BigDecimal price, boolean up) {
        BigDecimal tick = tickSizes.get(symbol);
        if (tick == null || tick.signum() <= 0) {
            return price;
        }
        BigDecimal ticks = price.divide(tick, 0, up ? java.math.RoundingMode.CEILING : java.math.RoundingMode.FLOOR);
        return ticks.multiply(tick).stripTrailingZeros();
    }

    @Override
    public Outcome order(String symbol, String clientId) {
        return switch (client.queryOrder(symbol, clientId)) {
            case VenueResult.Ok<BinanceOrder> ok -> {
                BinanceOrder o = ok.value();
                if (!o.status().terminal()) {
                    yield new Outcome.Unknown("order " + clientId + " is still " + o.status());
                }
                yield o.executedQty().signum() > 0
                        ? new Outcome.Accepted(o.executedQty(), o.averagePrice(), Optional.empty())
                        : new Outcome.Rejected(o.status().name(), "order " + clientId + " ended unfilled");
            }
            case VenueResult.Failed<BinanceOrder> failed ->
                switch (failed.error()) {
                    // -2013 "Order does not exist": it never reached the book.
                    case VenueError.Rejected r
                    when r.code() == -2013 ->
                        new Outcome.Rejected("-2013", "no order " + clientId + ": it never arrived");
                    case VenueError.Fatal f -> new Outcome.Fatal(f.reason());
                    default ->
                        new Outcome.Unknown("order " + clientId + " unreadable: "
                                + failed.error().describe());
                };
        };
    }

    @Override
    public Optional<List<MarginChange>> marginChanges(String symbol, Side side, java.time.Instant since) {
        return switch (client.marginHistory(symbol, since, side)) {
            case VenueResult.Ok<List<MarginChange>> ok ->
                Optional.of(ok.value().stream().filter(c -> c.side() == side).toList());
            case VenueResult.Failed<List<MarginChange>> failed -> Optional.empty();
        };
    }

    private PositionSide positionSide(Side side) {
        if (!hedgeMode) {
            return PositionSide.BOTH;
        }
        return side == Side.LONG ? PositionSide.LONG : PositionSide.SHORT;
    }

    /** In one-way mode, empty when {@code side} is what the BOTH position holds; otherwise a rejection not sent. */
    private Optional<Outcome> requireHeld(String symbol, Side side, String code, String message) {
        if (hedgeMode) {
            return Optional.empty();
        }
        VenueResult<List<BinancePosition>> positions = client.positions();
        if (positions instanceof VenueResult.Failed<List<BinancePosition>> failed) {
            return Optional.of(readFailure(failed.error()));
        }
        return held(((VenueResult.Ok<List<BinancePosition>>) positions).value(), symbol, side)
                        .isPresent()
                ? Optional.empty()
                : Optional.of(
                        new Outcome.Rejected(code, message + " (no " + side.label() + " " + symbol + " is held)"));
    }

    private Optional<BinancePosition> held(List<BinancePosition> positions, String symbol, Side side) {
        return positions.stream()
                .filter(p -> p.symbol().equals(symbol) && p.side().equals(Optional.of(side)))
                .filter(p -> !hedgeMode || p.positionSide() == positionSide(side))
                .findFirst();
    }

    /** A failed read before a write: the write was not sent. */
    private static Outcome readFailure(VenueError error) {
        return error instanceof VenueError.Fatal fatal
                ? new Outcome.Fatal(fatal.reason())
                : new Outcome.NotSent("could not read the position first: " + error.describe());
    }

    /** Classified once by the client; here only translated to the port's terms (a write's view). */
    private static <T> Outcome outcome(VenueResult<T> result, Function<T, BigDecimal> amount) {
        return switch (result) {
            case VenueResult.Ok<T> ok -> new Outcome.Accepted(amount.apply(ok.value()));
            case VenueResult.Failed<T> failed ->
                switch (failed.error()) {
                    case VenueError.NotSent e -> new Outcome.NotSent(e.reason());
                    case VenueError.Rejected e -> new Outcome.Rejected(String.valueOf(e.code()), e.message());
                    case VenueError.OutcomeUnknown e -> new Outcome.Unknown(e.reason());
                    case VenueError.RateLimited e -> new Outcome.Unknown(e.describe() + " on a write");
                    case VenueError.Fatal e -> new Outcome.Fatal(e.reason());
                    case VenueError.BadPayload e -> new Outcome.Unknown(e.reason());
                };
        };
    }
}
