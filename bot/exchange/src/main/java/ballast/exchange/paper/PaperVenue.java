package ballast.exchange.paper;

import ballast.core.Fixed;
import ballast.core.PositionKey;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.margin.RiskTier;
import ballast.core.venue.AccountSnapshot;
import ballast.core.venue.Capability;
import ballast.core.venue.ExchangeGateway;
import ballast.core.venue.MarginChange;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A simulated account on real prices: isolated and cross positions, reduce-only market fills with fees and slippage,
 * isolated margin add and remove, funding at the funding timestamps, tier-exact maintenance margin, and liquidation
 * when the mark crosses the venue's maintenance requirement.
 *
 * <p>Its liquidation test is written here from the venues' own descriptions (Binance: "liquidation is triggered when
 * margin balance ≤ maintenance margin", maintenance = notional at mark × bracket rate − maintenance amount; Bybit and
 * KuCoin: maintenance on the position value at entry; OKX and Gate: the taker fee added to the rate) and shares no
 * formula code with the monitor's margin engine, so a differential test between the two means something.
 *
 * <p>Money moves as on the venues: opening pays the taker fee from the free balance; a partial close releases its
 * pro-rata share of the isolated wallet, with its realised PnL and fee, to the free balance; funding is paid from or to
 * the isolated wallet (cross: the free balance); a liquidation closes the position and its whole margin is lost, of which
 * the liquidation fee is counted as a fee.
 */
public final class PaperVenue implements ExchangeGateway {

    private static final MathContext MC = MathContext.DECIMAL64;

    /**
     * @param takerFee fee per fill as a fraction of notional (Binance VIP 0: 0.0005)
     * @param slippage adverse price move on a market fill, as a fraction of the last price
     * @param liquidationFeeRate the venue's liquidation (clearance) fee as a fraction of notional
     * @param feeInMaintenance OKX and Gate add the taker fee to the maintenance rate
     * @param autoAddMargin the exchange's own auto-add: at the liquidation trigger add one maintenance margin from the
     *     free balance while there is any
     */
    public record Config(
            Venue venue,
            BigDecimal takerFee,
            BigDecimal slippage,
            BigDecimal liquidationFeeRate,
            boolean feeInMaintenance,
            boolean autoAddMargin) {

        public static Config binance() {
            return new Config(
                    Venue.BINANCE,
                    new BigDecimal("0.0005"),
                    new BigDecimal("0.0005"),
                    new BigDecimal("0.0125"),
                    false,
                    false);
        }

        public Config withAutoAddMargin(boolean enabled) {
            return new Config(venue, takerFee, slippage, liquidationFeeRate, feeInMaintenance, enabled);
        }
    }

    /** One open position as the venue holds it. */
    public static final class Holding {
        final String symbol;
        final Side side;
        final MarginMode mode;
        final List<RiskTier> brackets;
        final BigDecimal leverage;
        BigDecimal qty;
        BigDecimal entry;
        BigDecimal isolatedWallet;

        /**
         * The lowest and highest marks at which the venue found this position above maintenance in one bracket, with
         * the size, entry and wallet it had then; null until the first check. See {@link PaperVenue#provedSafe}.
         */
        private BigDecimal safeLow;

        private BigDecimal safeHigh;

        private BigDecimal safeQty;
        private BigDecimal safeEntry;
        private BigDecimal safeWallet;
        private RiskTier safeBracket;
        /** Brackets in ascending, non-overlapping order: the bracket of a value is the one whose range holds it. */
        private final boolean ordered;
        /**
         * Brackets that start at zero and follow one another with no gap, each asking at its floor exactly what the one
         * below asks there: the maintenance margin is continuous in the notional.
         */
        private final boolean continuous;
        /** Whether the safe range reaches without end away from the liquidation price (see provenSafe). */
        private boolean safeOpen;

        /**
         * Each bracket's maintenance rate as the venue counts it ({@link PaperVenue#rate}), and whether the holding is
         * {@link PaperVenue#monotone}: both read only the brackets and the venue's fees, which never change, so they
         * are worked out once, by the holding's venue, when first asked.
         */
        private BigDecimal[] rates;

        private Boolean monotone;

        /** {@link #runBounds}' last answer, and the range ends and trigger it was worked out from. */
        private long[] runBounds;

        private BigDecimal runLow;
        private BigDecimal runHigh;
        private boolean runOpen;
        private BigDecimal runTrigger;

        /**
         * The marks (10⁻⁸) a run may take for this holding: its safe range one unit inside each end (a mark is rounded
         * to 10⁻⁸: one unit inside keeps the exact mark inside the range), and strictly before the stop's
         * {@code trigger} (null: none). Worked out again only when the range or the trigger is another.
         */
        private long[] runBounds(BigDecimal trigger) {
            if (runBounds != null
                    && runLow == safeLow
                    && runHigh == safeHigh
                    && runOpen == safeOpen
                    && runTrigger == trigger) {
                return runBounds;
            }
            long low = safeOpen && side == Side.SHORT
                    ? Long.MIN_VALUE
                    : Math.addExact(Fixed.of(safeLow, 8, RoundingMode.CEILING), 1);
            long high = safeOpen && side == Side.LONG
                    ? Long.MAX_VALUE
                    : Math.subtractExact(Fixed.of(safeHigh, 8, RoundingMode.FLOOR), 1);
            if (trigger != null) {
                if (side == Side.LONG) {
                    low = Math.max(low, Math.addExact(Fixed.of(trigger, 8, RoundingMode.FLOOR), 1));
                } else {
                    high = Math.min(high, Math.subtractExact(Fixed.of(trigger, 8, RoundingMode.CEILING), 1));
                }
            }
            runBounds = new long[] {low, high};
            runLow = safeLow;
            runHigh = safeHigh;
            runOpen = safeOpen;
            runTrigger = trigger;
            return runBounds;
        }

        /** Whether the safe range was found for the size, entry and wallet held now (the same objects). */
        private boolean rangeCurrent() {
            return safeLow != null && qty == safeQty && entry == safeEntry && isolatedWallet == safeWallet;
        }

        Holding(
                String symbol,
                Side side,
                MarginMode mode,
                List<RiskTier> brackets,
                BigDecimal leverage,
                BigDecimal qty,
                BigDecimal entry,
                BigDecimal isolatedWallet) {
            this.symbol = symbol;
            this.side = side;
            this.mode = mode;
            this.brackets = List.copyOf(brackets);
            this.leverage = leverage;
            this.qty = qty;
            this.entry = entry;
            this.isolatedWallet = isolatedWallet;
            boolean ascending = true;
            for (int i = 1; i < this.brackets.size(); i++) {
                ascending &= this.brackets
                                .get(i - 1)
                                .notionalCap()
                                .compareTo(this.brackets.get(i).notionalFloor())
                        <= 0;
            }
            this.ordered = ascending;
            // A notional under the first floor would be asked the last bracket's rate (bracket()): only a table that
            // starts at zero has no such jump.
            boolean joined = ascending
                    && !this.brackets.isEmpty()
                    && this.brackets.get(0).notionalFloor().signum() == 0;
            for (int i = 1; i < this.brackets.size() && joined; i++) {
                RiskTier below = this.brackets.get(i - 1);
                RiskTier above = this.brackets.get(i);
                BigDecimal floor = above.notionalFloor();
                joined = below.notionalCap().compareTo(floor) == 0
                        && above.maintenanceMargin(floor).compareTo(below.maintenanceMargin(floor)) == 0;
            }
            this.continuous = joined;
        }

        public String symbol() {
            return symbol;
        }

        public Side side() {
            return side;
        }

        public MarginMode mode() {
            return mode;
        }

        public BigDecimal qty() {
            return qty;
        }

        public BigDecimal entry() {
            return entry;
        }

        public BigDecimal isolatedWallet() {
            return isolatedWallet;
        }

        public BigDecimal leverage() {
            return leverage;
        }

        BigDecimal direction() {
            return side == Side.LONG ? BigDecimal.ONE : BigDecimal.ONE.negate();
        }

        BigDecimal pnlAt(BigDecimal price) {
            return price.subtract(entry).multiply(qty).multiply(direction());
        }
    }

    /** Something the venue did on its own: a liquidation, an auto-add, a funding payment. */
    public sealed interface VenueEvent {
        Instant time();

        String symbol();

        Side side();

        record Liquidated(
                Instant time, String symbol, Side side, BigDecimal qty, BigDecimal markPrice, BigDecimal marginLost)
                implements VenueEvent {}

        record AutoAdded(Instant time, String symbol, Side side, BigDecimal amount, BigDecimal markPrice)
                implements VenueEvent {}

        record FundingPaid(
                Instant time, String symbol, Side side, BigDecimal cashFlow, BigDecimal rate, BigDecimal markPrice)
                implements VenueEvent {}

        /** The exchange-side backstop closed the position at market: the mark reached its trigger. */
        record BackstopTriggered(
                Instant time,
                String symbol,
                Side side,
                BigDecimal qty,
                BigDecimal markPrice,
                BigDecimal trigger,
                BigDecimal fillPrice)
                implements VenueEvent {}
    }

    /** The answer to a request: done (with what it did), or refused with the venue's reason. */
    public sealed interface Result {
        /** {@code readded}: the margin a cut that keeps its margin put back (at most what the account had). */
        record Done(BigDecimal amount, BigDecimal price, BigDecimal fee, BigDecimal realisedPnl, BigDecimal readded)
                implements Result {
            public Done(BigDecimal amount, BigDecimal price, BigDecimal fee, BigDecimal realisedPnl) {
                this(amount, price, fee, realisedPnl, BigDecimal.ZERO);
            }
        }

        record Refused(String code, String message) implements Result {}
    }

    /** Running totals, for reports. */
    /**
     * @param coveredByVenue losses beyond the margin behind them (an isolated close filled past its bankruptcy price, a
     *     cross account below zero), which the venue's insurance fund bears: the account never goes below zero
     * @param marginAdded margin moved into isolated positions: top-ups and the exchange's auto-add
     * @param marginKept margin a cut released and put straight back into the position (a cut that keeps its margin):
     *     not new money, but margin the account could otherwise have had back
     * @param fundingUncollected funding an isolated position owed beyond its whole isolated wallet, which the venue
     *     could not collect (the position is liquidated at once if its margin no longer covers maintenance)
     */
    public record Ledger(
            BigDecimal fees,
            BigDecimal funding,
            BigDecimal realisedPnl,
            BigDecimal marginAdded,
            BigDecimal marginKept,
            BigDecimal marginRemoved,
            BigDecimal liquidationLoss,
            BigDecimal coveredByVenue,
            BigDecimal fundingUncollected) {}

    private final Config config;
    private final Map<PositionKey, Holding> holdings = new LinkedHashMap<>();
    private final Map<String, BigDecimal> lastMark = new LinkedHashMap<>();
    private final Map<String, BigDecimal> lastPrice = new LinkedHashMap<>();
    private BigDecimal free;
    private BigDecimal fees = BigDecimal.ZERO;
    private BigDecimal funding = BigDecimal.ZERO;
    private BigDecimal realised = BigDecimal.ZERO;
    private BigDecimal added = BigDecimal.ZERO;
    private BigDecimal kept = BigDecimal.ZERO;
    private BigDecimal removed = BigDecimal.ZERO;
    private BigDecimal liquidationLoss = BigDecimal.ZERO;
    private BigDecimal coveredByVenue = BigDecimal.ZERO;
    private BigDecimal fundingUncollected = BigDecimal.ZERO;
    private Instant lastTime = Instant.EPOCH;
    /** Each position's exchange-side backstop trigger, by holding key. */
    private final Map<PositionKey, BigDecimal> backstops = new HashMap<>();
    /** What the port's orders did, by client id, and the port's margin changes: what a reconcile reads back. */
    private final Map<String, Outcome> orders = new HashMap<>();

    private final List<MarginChange> marginHistory = new ArrayList<>();

    public PaperVenue(Config config, BigDecimal freeBalance) {
        this.config = config;
        this.free = freeBalance;
    }

    private static PositionKey key(String symbol, Side side) {
        return new PositionKey(symbol, side);
    }

    /**
     * Opens a position with a market fill at {@code price} (slippage not applied: the scenario states the entry), its
     * isolated margin taken from the free balance with the opening fee. Cross positions use the free balance as margin.
     */
    public void open(
            String symbol,
            Side side,
            MarginMode mode,
            BigDecimal qty,
            BigDecimal price,
            BigDecimal margin,
            BigDecimal leverage,
            List<RiskTier> brackets) {
        if (holdings.containsKey(key(symbol, side))) {
            throw new IllegalStateException("a " + side + " " + symbol + " position is already open");
        }
        BigDecimal fee = qty.multiply(price).multiply(config.takerFee());
        BigDecimal wallet = mode == MarginMode.ISOLATED ? margin : BigDecimal.ZERO;
        if (free.compareTo(wallet.add(fee)) < 0) {
            throw new IllegalStateException("free balance " + free.toPlainString() + " cannot pay margin "
                    + wallet.toPlainString() + " and fee " + fee.toPlainString());
        }
        free = free.subtract(wallet).subtract(fee);
        fees = fees.add(fee);
        holdings.put(key(symbol, side), new Holding(symbol, side, mode, brackets, leverage, qty, price, wallet));
        lastMark.put(symbol, price);
        lastPrice.put(symbol, price);
    }

    /**
     * Keeps a reduce-only close-all stop for the position, triggered when the mark reaches {@code trigger} (a long's
     * at or below it, a short's at or above), replacing any it had: the exchange-side backstop.
     */
    public Result setBackstop(String symbol, Side side, BigDecimal trigger) {
        if (!holdings.containsKey(key(symbol, side))) {
            return new Result.Refused("-2022", "ReduceOnly Order is rejected: no " + side.label() + " " + symbol);
        }
        backstops.put(key(symbol, side), trigger);
        return new Result.Done(BigDecimal.ZERO, trigger, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** Removes the position's backstop (done when there was none). */
    public Result cancelBackstop(String symbol, Side side) {
        backstops.remove(key(symbol, side));
        return new Result.Done(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** The position's backstop trigger, if it has one. */
    public Optional<BigDecimal> backstop(String symbol, Side side) {
        return Optional.ofNullable(backstops.get(key(symbol, side)));
    }

    /**
     * A new last price and mark for {@code symbol}: liquidations (and the exchange's auto-add, if on) happen here, and
     * then any backstop the mark reached closes its position at market.
     */
    public List<VenueEvent> onPrice(String symbol, Instant time, BigDecimal last, BigDecimal mark) {
        lastTime = time;
        lastPrice.put(symbol, last);
        lastMark.put(symbol, mark);
        boolean exact = false;
        boolean cross = false;
        boolean stopped = false;
        for (Holding h : holdings.values()) {
            cross |= h.mode == MarginMode.CROSS;
            exact |= h.symbol.equals(symbol) && h.mode == MarginMode.ISOLATED && !provedSafe(h, mark);
            stopped |= h.symbol.equals(symbol) && triggered(h, mark);
        }
        if (!exact && !cross && !stopped) {
            return List.of();
        }
        List<VenueEvent> events = new ArrayList<>();
        if (exact) {
            for (Holding h : List.copyOf(holdings.values())) {
                if (h.symbol.equals(symbol) && h.mode == MarginMode.ISOLATED) {
                    checkIsolated(h, time, mark, events);
                }
            }
        }
        checkCross(time, events);
        if (stopped) {
            // A position the mark liquidated first is gone, its stop with it; the rest close at market.
            for (Holding h : List.copyOf(holdings.values())) {
                if (h.symbol.equals(symbol) && triggered(h, mark)) {
                    BigDecimal trigger = backstops.remove(key(h.symbol, h.side));
                    BigDecimal qty = h.qty;
                    if (reduce(h.symbol, h.side, qty, PartialCloseRelease.PRO_RATA) instanceof Result.Done done) {
                        events.add(new VenueEvent.BackstopTriggered(
                                time, h.symbol, h.side, qty, mark, trigger, done.price()));
                    }
                }
            }
        }
        backstops.keySet().retainAll(holdings.keySet());
        return events;
    }

    private boolean triggered(Holding h, BigDecimal mark) {
        BigDecimal trigger = backstops.get(key(h.symbol, h.side));
        return trigger != null && (h.side == Side.LONG ? mark.compareTo(trigger) <= 0 : mark.compareTo(trigger) >= 0);
    }

    /**
     * Marks of {@code symbol} the venue proves safe without its check, for a replay that holds its marks as numbers
     * (10⁻⁸): a mark is safe when it lies, one unit inside, within every isolated position's safe range (see
     * {@link #provedSafe}); the first that does not is left to {@link #onPrice}. Null when a run cannot start: a cross
     * position is held (every price checks the cross account), or a position of the symbol has no safe range yet.
     */
    public SafeRun safeRun(String symbol) {
        long low = Long.MIN_VALUE;
        long high = Long.MAX_VALUE;
        for (Holding h : holdings.values()) {
            if (h.mode == MarginMode.CROSS) {
                return null;
            }
            if (!h.symbol.equals(symbol)) {
                continue;
            }
            if (!h.rangeCurrent()) {
                return null;
            }
            try {
                long[] b = h.runBounds(backstops.get(key(h.symbol, h.side)));
                low = Math.max(low, b[0]);
                high = Math.min(high, b[1]);
            } catch (ArithmeticException beyondFixedPoint) {
                return null;
            }
        }
        return new SafeRun(symbol, low, high);
    }

    /** What {@link #safeRun} returns: ask about marks one by one, then {@link #finish} with the last one asked. */
    public final class SafeRun {
        private final String symbol;
        private final long low;
        private final long high;

        private SafeRun(String symbol, long low, long high) {
            this.symbol = symbol;
            this.low = low;
            this.high = high;
        }

        /** Whether a mark of {@code price} (10⁻⁸) is proved safe for every position of the symbol. */
        public boolean safe(long price) {
            return price >= low && price <= high;
        }

        /** The lowest mark (10⁻⁸) {@link #safe} proves safe. */
        public long low() {
            return low;
        }

        /** The highest mark (10⁻⁸) {@link #safe} proves safe. */
        public long high() {
            return high;
        }

        /** The run's last price: the venue keeps it as {@link #onPrice} would have (nothing else changed). */
        public void finish(Instant time, BigDecimal last, BigDecimal mark) {
            lastTime = time;
            lastPrice.put(symbol, last);
            lastMark.put(symbol, mark);
        }
    }

    private boolean onEntryValue() {
        return config.venue() == Venue.BYBIT || config.venue() == Venue.KUCOIN;
    }

    /**
     * Whether {@code mark} is above maintenance for {@code h} without computing it: true only when {@code mark} lies
     * between two marks found above maintenance in one bracket with the same size, entry and wallet (the same objects:
     * any change replaces one). A notional between two in one bracket is in it too, and within one bracket a long's
     * margin balance less its maintenance rises with the mark (slope {@code qty·(1 − rate)}, the rate with any fee
     * below 1) and a short's falls, so it is above maintenance wherever it is at both ends: the venue's own check would
     * find the same. Where that holds across every bracket ({@link #monotone}), a long is safe at every mark at or above
     * the lowest found safe, a short at every mark at or below the highest, and a check proves more than its own mark:
     * the {@link #reach} beyond it that no move towards liquidation can use up. Anything else is checked in full.
     */
    private boolean provedSafe(Holding h, BigDecimal mark) {
        if (!h.rangeCurrent()) {
            return false;
        }
        if (h.safeOpen) {
            return h.side == Side.LONG ? mark.compareTo(h.safeLow) >= 0 : mark.compareTo(h.safeHigh) <= 0;
        }
        return mark.compareTo(h.safeLow) >= 0 && mark.compareTo(h.safeHigh) <= 0;
    }

    /**
     * Whether a long's margin balance less its maintenance rises with the mark everywhere (a short's falls), not only
     * within one bracket: on an entry-value venue maintenance does not move with the mark; on a mark-value venue it does
     * so continuously when the brackets meet, at a rate below 1 in every bracket. Then a mark found safe proves every
     * mark further from the liquidation price safe.
     */
    private boolean monotone(Holding h) {
        if (h.monotone == null) {
            boolean monotone = onEntryValue() || h.continuous;
            if (!onEntryValue()) {
                for (BigDecimal rate : rates(h)) {
                    monotone &= rate.compareTo(BigDecimal.ONE) < 0;
                }
            }
            h.monotone = monotone;
        }
        return h.monotone;
    }

    /**
     * Remembers that {@code h} is above maintenance at {@code mark}, for {@link #provedSafe}: by {@code excess}, its
     * margin balance there less its maintenance, as the check just found it.
     */
    private void provenSafe(Holding h, BigDecimal mark, BigDecimal excess) {
        if (!h.ordered) {
            h.safeLow = null;
            return;
        }
        if (monotone(h)) {
            BigDecimal reach = reach(h, mark, excess);
            BigDecimal low = h.side == Side.LONG ? mark.subtract(reach) : mark;
            BigDecimal high = h.side == Side.LONG ? mark : mark.add(reach);
            if (h.rangeCurrent() && h.safeOpen) {
                h.safeLow = h.safeLow.min(low);
                h.safeHigh = h.safeHigh.max(high);
            } else {
                keepSafe(h, low, high, null);
                h.safeOpen = true;
            }
            return;
        }
        h.safeOpen = false;
        int at = bracketIndex(h, h.qty.multiply(onEntryValue() ? h.entry : mark));
        RiskTier bracket = h.brackets.get(at);
        if (rates(h)[at].compareTo(BigDecimal.ONE) >= 0) {
            h.safeLow = null;
            return;
        }
        if (h.rangeCurrent() && bracket == h.safeBracket) {
            h.safeLow = h.safeLow.min(mark);
            h.safeHigh = h.safeHigh.max(mark);
            return;
        }
        keepSafe(h, mark, mark, bracket);
    }

    /**
     * How far towards the liquidation price from {@code mark}, found above maintenance, every mark is above it too, for
     * a holding whose margin balance less maintenance is {@link #monotone}: that excess is continuous and piecewise
     * linear in the mark, falling towards liquidation at most {@code qty} per unit for a long (its maintenance rate is
     * never negative) and at most {@code qty·(1 + rate)} for a short, the rate the highest of the brackets it can cross
     * before the excess could be gone ({@code excess / qty} away at the most). So the excess stays above zero for less
     * than {@code excess / slope} of a move: the reach is that, rounded down to 10⁻⁸ and one unit less. Zero when
     * nothing is left over.
     */
    private BigDecimal reach(Holding h, BigDecimal mark, BigDecimal excess) {
        if (excess.signum() <= 0 || h.qty.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal slope = h.qty;
        if (h.side == Side.SHORT && !onEntryValue()) {
            BigDecimal farthest = h.qty.multiply(mark).add(excess); // the notional at mark + excess / qty
            BigDecimal highest = BigDecimal.ZERO;
            BigDecimal[] rates = rates(h);
            for (int i = 0; i < rates.length; i++) {
                if (h.brackets.get(i).notionalFloor().compareTo(farthest) <= 0) {
                    highest = highest.max(rates[i]);
                }
            }
            slope = h.qty.multiply(BigDecimal.ONE.add(highest));
        }
        BigDecimal reach = excess.divide(slope, 8, RoundingMode.DOWN).subtract(UNIT);
        return reach.signum() > 0 ? reach : BigDecimal.ZERO;
    }

    private static final BigDecimal UNIT = BigDecimal.ONE.movePointLeft(8);

    /** A new safe range {@code [low, high]}, for the size, entry and wallet {@code h} has now. */
    private static void keepSafe(Holding h, BigDecimal low, BigDecimal high, RiskTier bracket) {
        h.safeBracket = bracket;
        h.safeQty = h.qty;
        h.safeEntry = h.entry;
        h.safeWallet = h.isolatedWallet;
        h.safeLow = low;
        h.safeHigh = high;
    }

    private void checkIsolated(Holding h, Instant time, BigDecimal mark, List<VenueEvent> events) {
        BigDecimal excess = checkIsolatedExactly(h, time, mark, events);
        if (excess != null && holdings.get(key(h.symbol, h.side)) == h) {
            provenSafe(h, mark, excess);
        }
    }

    /**
     * Liquidates {@code h} where its margin balance at {@code mark} is at or below maintenance (after what auto-add can
     * put in); returns by how much it stays above, or null when it was liquidated.
     */
    private BigDecimal checkIsolatedExactly(Holding h, Instant time, BigDecimal mark, List<VenueEvent> events) {
        while (true) {
            BigDecimal excess = isolatedBalance(h, mark).subtract(maintenance(h, mark));
            if (excess.signum() > 0) {
                return excess;
            }
            if (config.autoAddMargin() && free.signum() > 0) {
                BigDecimal amount = maintenance(h, mark).max(BigDecimal.ZERO).min(free);
                if (amount.signum() <= 0) {
                    amount = free;
                }
                free = free.subtract(amount);
                h.isolatedWallet = h.isolatedWallet.add(amount);
                added = added.add(amount);
                events.add(new VenueEvent.AutoAdded(time, h.symbol, h.side, amount, mark));
                continue;
            }
            events.add(liquidate(h, time, mark, h.isolatedWallet));
            return null;
        }
    }

    private void checkCross(Instant time, List<VenueEvent> events) {
        List<Holding> cross = new ArrayList<>();
        for (Holding h : holdings.values()) {
            if (h.mode == MarginMode.CROSS) {
                cross.add(h);
            }
        }
        if (cross.isEmpty()) {
            return;
        }
        if (crossBelowMaintenance(lastMark)) {
            BigDecimal lost = free;
            for (Holding h : cross) {
                events.add(liquidate(h, time, lastMark.get(h.symbol), BigDecimal.ZERO));
            }
            liquidationLoss = liquidationLoss.add(lost);
            free = BigDecimal.ZERO;
        }
    }

    /**
     * Whether the cross account is at or below maintenance with these marks: the free balance (the cross wallet) plus
     * every cross position's PnL at its mark, against the sum of their maintenance margins.
     */
    boolean crossBelowMaintenance(Map<String, BigDecimal> marks) {
        BigDecimal balance = free;
        BigDecimal maintenance = BigDecimal.ZERO;
        boolean any = false;
        for (Holding h : holdings.values()) {
            if (h.mode != MarginMode.CROSS) {
                continue;
            }
            any = true;
            BigDecimal mark = marks.get(h.symbol);
            balance = balance.add(h.pnlAt(mark));
            maintenance = maintenance.add(maintenance(h, mark));
        }
        return any && balance.compareTo(maintenance) <= 0;
    }

    private VenueEvent liquidate(Holding h, Instant time, BigDecimal mark, BigDecimal marginLost) {
        holdings.remove(key(h.symbol, h.side));
        BigDecimal fee =
                h.qty.multiply(mark).multiply(config.liquidationFeeRate()).min(marginLost.max(BigDecimal.ZERO));
        fees = fees.add(fee);
        liquidationLoss = liquidationLoss.add(marginLost);
        return new VenueEvent.Liquidated(time, h.symbol, h.side, h.qty, mark, marginLost);
    }

    /** Margin balance of an isolated position: its wallet plus unrealised PnL at the mark. */
    private static BigDecimal isolatedBalance(Holding h, BigDecimal mark) {
        return h.isolatedWallet.add(h.pnlAt(mark));
    }

    /** The venue's maintenance requirement at {@code mark}, from its bracket table. */
    BigDecimal maintenance(Holding h, BigDecimal mark) {
        BigDecimal value = h.qty.multiply(onEntryValue() ? h.entry : mark);
        int at = bracketIndex(h, value);
        return value.multiply(rates(h)[at]).subtract(h.brackets.get(at).maintAmount());
    }

    /** Where in {@code h}'s brackets the one a position of {@code value} is in lies (the last one beyond every cap). */
    private static int bracketIndex(Holding h, BigDecimal value) {
        List<RiskTier> brackets = h.brackets;
        for (int i = 0; i < brackets.size(); i++) {
            RiskTier candidate = brackets.get(i);
            if (value.compareTo(candidate.notionalFloor()) >= 0 && value.compareTo(candidate.notionalCap()) < 0) {
                return i;
            }
        }
        return brackets.size() - 1;
    }

    /** The maintenance rate of {@code bracket}, with the taker fee where the venue counts it in maintenance. */
    private BigDecimal rate(RiskTier bracket) {
        return bracket.maintMarginRate().add(config.feeInMaintenance() ? config.takerFee() : BigDecimal.ZERO);
    }

    /** {@link #rate(RiskTier)} of each of {@code h}'s brackets, in their order, worked out once per holding. */
    private BigDecimal[] rates(Holding h) {
        if (h.rates == null) {
            BigDecimal[] rates = new BigDecimal[h.brackets.size()];
            for (int i = 0; i < rates.length; i++) {
                rates[i] = rate(h.brackets.get(i));
            }
            h.rates = rates;
        }
        return h.rates;
    }

    /**
     * Settles funding for every position in {@code symbol} open at {@code time}: an isolated position pays from (or is
     * paid into) its isolated wallet, a cross position from the free balance. Neither goes below zero: what an isolated
     * wallet cannot pay is not collected ({@link Ledger#fundingUncollected()}), a cross shortfall is the venue's loss.
     * The liquidation check runs right after, at the funding mark: funding can take a thin margin under maintenance.
     */
    public List<VenueEvent> onFunding(String symbol, Instant time, BigDecimal rate, BigDecimal mark) {
        List<VenueEvent> events = new ArrayList<>();
        // Nothing in this loop opens or closes a holding; the checks after it may liquidate one.
        List<Holding> isolated = new ArrayList<>(2);
        for (Holding h : holdings.values()) {
            if (!h.symbol.equals(symbol)) {
                continue;
            }
            BigDecimal cashFlow =
                    h.qty.multiply(mark).multiply(rate).multiply(h.direction()).negate();
            if (h.mode == MarginMode.ISOLATED) {
                boolean provedHere =
                        h.rangeCurrent() && mark.compareTo(h.safeLow) >= 0 && mark.compareTo(h.safeHigh) <= 0;
                BigDecimal wallet = h.isolatedWallet.add(cashFlow);
                if (wallet.signum() < 0) {
                    fundingUncollected = fundingUncollected.add(wallet.negate());
                    cashFlow = h.isolatedWallet.negate();
                    wallet = BigDecimal.ZERO;
                }
                h.isolatedWallet = wallet;
                if (provedHere && cashFlow.signum() >= 0) {
                    // Paid into the wallet (or nothing taken) at a mark proved safe: the margin balance less
                    // maintenance rises with the wallet at every mark (maintenance never reads it), so every mark
                    // proved safe is safer still, this one included.
                    h.safeWallet = wallet;
                } else {
                    isolated.add(h);
                }
            } else {
                free = free.add(cashFlow);
                coverShortfall();
            }
            funding = funding.add(cashFlow);
            events.add(new VenueEvent.FundingPaid(time, symbol, h.side, cashFlow, rate, mark));
        }
        lastMark.put(symbol, mark);
        for (Holding h : isolated) {
            checkIsolated(h, time, mark, events);
        }
        checkCross(time, events);
        return events;
    }

    /** Adds isolated margin from the free balance (Binance {@code POST /fapi/v1/positionMargin type=1}). */
    public Result addMargin(String symbol, Side side, BigDecimal amount) {
        Holding h = holdings.get(key(symbol, side));
        if (h == null) {
            return new Result.Refused("-4054", "Cannot add position margin: position is 0.");
        }
        if (h.mode != MarginMode.ISOLATED) {
            return new Result.Refused(
                    "-4050", "Cross balance insufficient: margin can be added only to isolated positions.");
        }
        if (amount.compareTo(free) > 0) {
            return new Result.Refused("-2019", "Margin is insufficient.");
        }
        free = free.subtract(amount);
        h.isolatedWallet = h.isolatedWallet.add(amount);
        added = added.add(amount);
        return new Result.Done(amount, lastMark.get(symbol), BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /**
     * Removes isolated margin within Binance's published limit:
     * {@code max(0, min(wallet − MM, wallet + uPnL − mark × qty / leverage))}.
     */
    public Result removeMargin(String symbol, Side side, BigDecimal amount) {
        Holding h = holdings.get(key(symbol, side));
        if (h == null) {
            return new Result.Refused("-4054", "Cannot reduce position margin: position is 0.");
        }
        BigDecimal mark = lastMark.get(symbol);
        BigDecimal initialAtMark = h.qty.multiply(mark).divide(h.leverage, MC);
        BigDecimal limit = h.isolatedWallet
                .subtract(maintenance(h, mark))
                .min(isolatedBalance(h, mark).subtract(initialAtMark))
                .max(BigDecimal.ZERO);
        if (amount.compareTo(limit) > 0) {
            return new Result.Refused("-4051", "Isolated balance insufficient.");
        }
        h.isolatedWallet = h.isolatedWallet.subtract(amount);
        free = free.add(amount);
        removed = removed.add(amount);
        return new Result.Done(amount, mark, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /**
     * Reduce-only market order of {@code qty} at the last price with adverse slippage. The closed part takes its pro-rata
     * share of the isolated wallet to the free balance, with its realised PnL and fee. {@code KEEP_MARGIN}: that share is
     * added straight back to the position (a cut followed by a top-up of what it released); {@code KEEP_NET}: what came
     * back is added back, up to the share (the position pays its own loss and fee; a gain stays free).
     */
    public Result reduce(String symbol, Side side, BigDecimal qty, PartialCloseRelease margin) {
        Holding h = holdings.get(key(symbol, side));
        if (h == null) {
            return new Result.Refused("-2022", "ReduceOnly Order is rejected.");
        }
        if (qty.signum() <= 0) {
            return new Result.Refused("-4003", "Quantity less than or equal to zero.");
        }
        BigDecimal fillQty = qty.min(h.qty);
        BigDecimal last = lastPrice.get(symbol);
        BigDecimal slip = BigDecimal.ONE.subtract(h.direction().multiply(config.slippage()));
        BigDecimal fillPrice = last.multiply(slip, MC);
        BigDecimal fee = fillQty.multiply(fillPrice).multiply(config.takerFee());
        BigDecimal pnl = fillPrice.subtract(h.entry).multiply(fillQty).multiply(h.direction());
        boolean closesAll = fillQty.compareTo(h.qty) >= 0;
        BigDecimal share = closesAll
                ? h.isolatedWallet
                : h.isolatedWallet.multiply(fillQty).divide(h.qty, MC);
        // The closed part takes its share of the isolated wallet, its PnL and its fee to the free balance. An isolated
        // part filled beyond its bankruptcy price (a gap, slippage) cannot take more than its own margin: the rest is
        // the venue's loss, as a liquidation there would have been.
        BigDecimal settlement = share.add(pnl).subtract(fee);
        if (h.mode == MarginMode.ISOLATED && settlement.signum() < 0) {
            coveredByVenue = coveredByVenue.add(settlement.negate());
            settlement = BigDecimal.ZERO;
        }
        free = free.add(settlement);
        BigDecimal readded = BigDecimal.ZERO;
        if (closesAll) {
            holdings.remove(key(symbol, side));
        } else {
            h.qty = h.qty.subtract(fillQty);
            h.isolatedWallet = h.isolatedWallet.subtract(share);
            if (margin != PartialCloseRelease.PRO_RATA) {
                // Then a margin add of what was released (net: of what came back): never more than the account has
                // now (-2019 otherwise).
                BigDecimal back = margin == PartialCloseRelease.KEEP_NET ? share.min(settlement) : share;
                readded = back.min(free.max(BigDecimal.ZERO));
                free = free.subtract(readded);
                h.isolatedWallet = h.isolatedWallet.add(readded);
                kept = kept.add(readded);
            }
        }
        fees = fees.add(fee);
        realised = realised.add(pnl);
        coverShortfall();
        return new Result.Done(fillQty, fillPrice, fee, pnl, readded);
    }

    /**
     * A close filled beyond the bankruptcy price (a gap, slippage) can lose more than the margin behind it. The account
     * never pays what it does not have: the free balance stops at zero and the rest is the venue's loss (its insurance
     * fund), counted in {@link Ledger#coveredByVenue()}.
     */
    private void coverShortfall() {
        if (free.signum() < 0) {
            coveredByVenue = coveredByVenue.add(free.negate());
            free = BigDecimal.ZERO;
        }
    }

    public Optional<Holding> holding(String symbol, Side side) {
        return Optional.ofNullable(holdings.get(key(symbol, side)));
    }

    public List<Holding> holdings() {
        return List.copyOf(holdings.values());
    }

    /**
     * The marks {@code {low, high}} the venue holds proved safe for a position as it is now, without its check (a long's
     * high and a short's low reach without end where the range is open), or null: for tests of the range's edge.
     */
    BigDecimal[] safeRange(String symbol, Side side) {
        Holding h = holdings.get(key(symbol, side));
        return h == null || !h.rangeCurrent() ? null : new BigDecimal[] {h.safeLow, h.safeHigh};
    }

    /** Whether no position is open. */
    public boolean holdsNothing() {
        return holdings.isEmpty();
    }

    public BigDecimal freeBalance() {
        return free;
    }

    /** Free balance plus every position's margin balance at the last mark (cross positions: their PnL). */
    public BigDecimal equity() {
        BigDecimal equity = free;
        for (Holding h : holdings.values()) {
            BigDecimal pnl = h.pnlAt(lastMark.get(h.symbol));
            equity = equity.add(h.mode == MarginMode.ISOLATED ? h.isolatedWallet.add(pnl) : pnl);
        }
        return equity;
    }

    public Ledger ledger() {
        return new Ledger(
                fees, funding, realised, added, kept, removed, liquidationLoss, coveredByVenue, fundingUncollected);
    }

    /**
     * Everything the account holds, to be kept across restarts (the paper profile writes it after every change) and
     * given back to {@link #restore}: balances, the ledger, the positions with their backstops, the last marks, the
     * orders by client id and the margin history a reconcile reads.
     */
    public record State(
            Instant time,
            BigDecimal free,
            Ledger ledger,
            List<Held> positions,
            Map<String, BigDecimal> marks,
            Map<String, Outcome> orders,
            List<MarginChange> marginChanges) {
        public State {
            positions = List.copyOf(positions);
            marks = Map.copyOf(marks);
            orders = Map.copyOf(orders);
            marginChanges = List.copyOf(marginChanges);
        }
    }

    /**
     * Moves the venue's clock to {@code time} (never back): a running paper account stamps each request with the time it
     * arrived, as a venue's margin history does, not with the last mark's.
     */
    public void advance(Instant time) {
        if (time.isAfter(lastTime)) {
            lastTime = time;
        }
    }

    /** One position in a {@link State}; its brackets are the symbol's, given again at {@link #restore}. */
    public record Held(
            String symbol,
            Side side,
            MarginMode mode,
            BigDecimal leverage,
            BigDecimal qty,
            BigDecimal entry,
            BigDecimal isolatedWallet,
            Optional<BigDecimal> backstop) {}

    public State state() {
        List<Held> held = new ArrayList<>();
        for (Holding h : holdings.values()) {
            held.add(new Held(
                    h.symbol,
                    h.side,
                    h.mode,
                    h.leverage,
                    h.qty,
                    h.entry,
                    h.isolatedWallet,
                    Optional.ofNullable(backstops.get(key(h.symbol, h.side)))));
        }
        return new State(lastTime, free, ledger(), held, lastMark, orders, marginHistory);
    }

    /** The account a {@link #state()} described, each position measured on {@code brackets} of its symbol. */
    public static PaperVenue restore(
            Config config, State state, java.util.function.Function<String, List<RiskTier>> brackets) {
        PaperVenue venue = new PaperVenue(config, state.free());
        Ledger l = state.ledger();
        venue.fees = l.fees();
        venue.funding = l.funding();
        venue.realised = l.realisedPnl();
        venue.added = l.marginAdded();
        venue.kept = l.marginKept();
        venue.removed = l.marginRemoved();
        venue.liquidationLoss = l.liquidationLoss();
        venue.coveredByVenue = l.coveredByVenue();
        venue.fundingUncollected = l.fundingUncollected();
        venue.lastTime = state.time();
        for (Held h : state.positions()) {
            venue.holdings.put(
                    key(h.symbol(), h.side()),
                    new Holding(
                            h.symbol(),
                            h.side(),
                            h.mode(),
                            brackets.apply(h.symbol()),
                            h.leverage(),
                            h.qty(),
                            h.entry(),
                            h.isolatedWallet()));
            h.backstop().ifPresent(b -> venue.backstops.put(key(h.symbol(), h.side()), b));
        }
        venue.lastMark.putAll(state.marks());
        venue.lastPrice.putAll(state.marks());
        venue.orders.putAll(state.orders());
        venue.marginHistory.addAll(state.marginChanges());
        return venue;
    }

    /** True when the venue would liquidate this isolated position at {@code mark}. */
    public boolean wouldLiquidate(String symbol, Side side, BigDecimal mark) {
        Holding h = holdings.get(key(symbol, side));
        return h != null && isolatedBalance(h, mark).compareTo(maintenance(h, mark)) <= 0;
    }

    // ---- ExchangeGateway: the port a real venue implements too (the contract suite runs against both) ----

    /** Everything but leverage changes: a paper position keeps the leverage it was opened with. */
    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.ADD_ISOLATED_MARGIN,
                Capability.REMOVE_ISOLATED_MARGIN,
                Capability.REDUCE_ONLY_ORDER,
                Capability.CLOSE_POSITION,
                Capability.CANCEL_ORDERS);
    }

    @Override
    public Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
        return margin(symbol, side, amount, outcome(addMargin(symbol, side, amount)));
    }

    @Override
    public Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId) {
        return margin(symbol, side, amount.negate(), outcome(removeMargin(symbol, side, amount)));
    }

    /** An accepted margin change goes into the history, at the venue's time, as a real venue's does. */
    private Outcome margin(String symbol, Side side, BigDecimal signed, Outcome outcome) {
        if (outcome instanceof Outcome.Accepted) {
            marginHistory.add(new MarginChange(symbol, side, signed, lastTime));
        }
        return outcome;
    }

    @Override
    public Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId) {
        return ordered(clientId, () -> outcome(reduce(symbol, side, qty, PartialCloseRelease.PRO_RATA)));
    }

    @Override
    public Outcome closePosition(String symbol, Side side, String clientId) {
        return ordered(
                clientId,
                () -> holding(symbol, side)
                        .map(h -> outcome(reduce(symbol, side, h.qty(), PartialCloseRelease.PRO_RATA)))
                        .orElse(new Outcome.Rejected("-2022", "ReduceOnly Order is rejected.")));
    }

    /** An order is kept by its client id: the same id again is answered as the first time, not filled twice. */
    private Outcome ordered(String clientId, java.util.function.Supplier<Outcome> place) {
        Outcome before = orders.get(clientId);
        if (before != null) {
            return before;
        }
        Outcome outcome = place.get();
        orders.put(clientId, outcome);
        return outcome;
    }

    @Override
    public Outcome placeStop(String symbol, Side side, BigDecimal triggerPrice, String clientId) {
        return outcome(setBackstop(symbol, side, triggerPrice));
    }

    @Override
    public Outcome cancelStop(String symbol, Side side, String clientId) {
        return outcome(cancelBackstop(symbol, side));
    }

    /** The backstops the paper venue holds, one per position (the paper venue keeps no client id for them). */
    @Override
    public Optional<List<ballast.core.venue.StopOrder>> openStops() {
        List<ballast.core.venue.StopOrder> stops = new ArrayList<>();
        for (Holding h : holdings.values()) {
            BigDecimal trigger = backstops.get(key(h.symbol, h.side));
            if (trigger != null) {
                stops.add(new ballast.core.venue.StopOrder(h.symbol, h.side, trigger, "paper"));
            }
        }
        return Optional.of(stops);
    }

    @Override
    public Outcome order(String symbol, String clientId) {
        Outcome outcome = orders.get(clientId);
        return outcome != null ? outcome : new Outcome.Rejected("-2013", "Order does not exist.");
    }

    @Override
    public Optional<List<MarginChange>> marginChanges(String symbol, Side side, Instant since) {
        return Optional.of(marginHistory.stream()
                .filter(c -> c.symbol().equals(symbol)
                        && c.side() == side
                        && !c.time().isBefore(since))
                .toList());
    }

    @Override
    public AccountSnapshot snapshot() {
        List<PositionSnapshot> positions = new ArrayList<>();
        for (Holding h : holdings.values()) {
            positions.add(new PositionSnapshot(
                    h.symbol,
                    h.side,
                    h.mode,
                    h.qty,
                    h.entry,
                    h.mode == MarginMode.ISOLATED ? h.isolatedWallet : free,
                    h.leverage,
                    Optional.empty()));
        }
        return new AccountSnapshot(lastTime, free, positions);
    }

    private static Outcome outcome(Result result) {
        return switch (result) {
            case Result.Done done ->
                new Outcome.Accepted(done.amount(), Optional.ofNullable(done.price()), Optional.ofNullable(done.fee()));
            case Result.Refused refused -> new Outcome.Rejected(refused.code(), refused.message());
        };
    }
}
