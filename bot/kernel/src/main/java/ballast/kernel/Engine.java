package ballast.kernel;

import ballast.core.Fixed;
import ballast.core.PositionKey;
import ballast.core.Side;
import ballast.core.margin.CrossAccount;
import ballast.core.margin.CrossRest;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.PartialCloseRelease;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.core.policy.Action;
import ballast.core.policy.Decision;
import ballast.core.policy.PolicyInput;
import ballast.core.policy.PositionBook;
import ballast.core.policy.PositionRisk;
import ballast.core.policy.Quiet;
import ballast.core.policy.RiskLevel;
import ballast.core.policy.ScalingPolicy;
import ballast.core.venue.Outcome;
import ballast.core.venue.PositionSnapshot;
import ballast.core.venue.StopOrder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel: one synchronous {@link #step} per event, no I/O, no clock but the events' own times, the only writer of
 * its state. It applies the event, measures every affected position on the mark (monitor), asks the policy, passes what
 * the policy proposes through the gate, and returns everything it decided ({@link Step}): the admitted intents, the
 * refused actions with their reasons, level changes and trading-state changes. Replay, paper, testnet and live all
 * drive this same code; a replay result is evidence about live behaviour.
 *
 * <p>Accepted is not applied: after the venue accepted an action on a position, the position is <em>pending</em> until
 * a position update not older than the outcome shows what the action did; until then nothing but alerts is sent for
 * it. An unknown outcome blocks the position until the same intent is reported again with what the venue then proved
 * (a reconcile). A venue ban or back-off holds trading at REDUCING until it ends; an operator's halt, or a fatal outcome,
 * holds it at HALTED until an operator resumes.
 */
public final class Engine {
    private static final BigDecimal MINUS_ONE = BigDecimal.ONE.negate();

    /**
     * @param horizon how far ahead the policy must see: reaction time plus the time an action needs to take effect
     * @param volatilityMemory how long a volatility spike is remembered
     * @param sigmaFloor the least volatility assumed over the horizon, as a fraction
     * @param episodeEndsAfter an episode ends after this long back in WATCH
     * @param staleAfter a mark older than this is stale: the position is measured again with its age, and trading is
     *     REDUCING (protective actions only) until fresh marks arrive
     * @param backstop where each isolated position's exchange-side backstop triggers: the distance from the mark to the
     *     liquidation price, as a fraction of the mark, at which the venue closes the position itself (empty: none)
     */
    /**
     * @param symbolBackstops symbols whose backstop differs from {@code backstop} (empty: none for that symbol)
     */
    public record Params(
            Duration horizon,
            Duration volatilityMemory,
            BigDecimal sigmaFloor,
            Duration episodeEndsAfter,
            Duration staleAfter,
            Optional<BigDecimal> backstop,
            Map<String, Optional<BigDecimal>> symbolBackstops) {
        public Params {
            // Both monitors take the horizon and the memory in whole seconds: a part of one would be dropped (or taken
            // by one monitor and not the other), and none is no horizon.
            if (horizon.toSeconds() < 1 || horizon.getNano() != 0) {
                throw new IllegalArgumentException("the horizon must be whole seconds, at least 1 s, was " + horizon);
            }
            if (volatilityMemory.toSeconds() < 1 || volatilityMemory.getNano() != 0) {
                throw new IllegalArgumentException(
                        "the volatility's memory must be whole seconds, at least 1 s, was " + volatilityMemory);
            }
            symbolBackstops = Map.copyOf(symbolBackstops);
            check(backstop);
            symbolBackstops.values().forEach(Params::check);
        }

        private static void check(Optional<BigDecimal> backstop) {
            if (backstop.isPresent()
                    && (backstop.get().signum() <= 0 || backstop.get().compareTo(new BigDecimal("0.5")) >= 0)) {
                throw new IllegalArgumentException("the backstop distance must be in (0, 0.5), was "
                        + backstop.get().toPlainString());
            }
        }

        /** The same backstop for every symbol. */
        public Params(
                Duration horizon,
                Duration volatilityMemory,
                BigDecimal sigmaFloor,
                Duration episodeEndsAfter,
                Duration staleAfter,
                Optional<BigDecimal> backstop) {
            this(horizon, volatilityMemory, sigmaFloor, episodeEndsAfter, staleAfter, backstop, Map.of());
        }

        /** Where {@code symbol}'s backstop triggers (empty: it has none). */
        public Optional<BigDecimal> backstopFor(String symbol) {
            return symbolBackstops.getOrDefault(symbol, backstop);
        }

        /** These symbols' backstops instead of the common one. */
        public Params withSymbolBackstops(Map<String, Optional<BigDecimal>> bySymbol) {
            return new Params(horizon, volatilityMemory, sigmaFloor, episodeEndsAfter, staleAfter, backstop, bySymbol);
        }

        /** No backstop. */
        public Params(
                Duration horizon,
                Duration volatilityMemory,
                BigDecimal sigmaFloor,
                Duration episodeEndsAfter,
                Duration staleAfter) {
            this(horizon, volatilityMemory, sigmaFloor, episodeEndsAfter, staleAfter, Optional.empty());
        }

        public Params withBackstop(Optional<BigDecimal> distance) {
            return new Params(
                    horizon, volatilityMemory, sigmaFloor, episodeEndsAfter, staleAfter, distance, symbolBackstops);
        }

        public static Params defaults() {
            return new Params(
                    Duration.ofMinutes(30),
                    Duration.ofHours(2),
                    new BigDecimal("0.01"),
                    Duration.ofHours(1),
                    Duration.ofSeconds(30));
        }
    }

    /**
     * What the engine remembers of one book across a restart: the ladder's level, cooldown and episode, the intents
     * still waiting for the venue, and the book the budget policy measures losses against. Null where there is none
     * ({@code lastActionAt}, {@code pendingSince}, {@code openingDistance}, {@code openingAccountEquity}). The measures
     * (volatility, z and its speed) are not kept: they warm up again from the marks and candles after a restart.
     */
    public record BookMemory(
            Book book,
            RiskLevel level,
            Instant lastActionAt,
            int topUpsThisEpisode,
            boolean inEpisode,
            Instant watchSince,
            List<String> unknown,
            Instant pendingSince,
            String pendingId,
            BigDecimal openingEquity,
            BigDecimal openingQty,
            BigDecimal openingNotional,
            BigDecimal openingDistance,
            BigDecimal openingAccountEquity,
            BigDecimal netAdded,
            BigDecimal realised,
            BigDecimal feesPaid,
            BigDecimal cutNotional,
            BigDecimal backstop) {
        public BookMemory {
            unknown = List.copyOf(unknown);
        }
    }

    /**
     * Everything the engine must remember to take up where it stopped: the next client id, an operator's halt, a
     * venue ban, every book and the gate. Journalled after every step that changes it; handed to {@link #restore}
     * before the first event of the next process.
     */
    public record Memory(
            long nextIntent,
            String halted,
            Instant restrictedUntil,
            String restricted,
            List<BookMemory> books,
            Gate.Memory gate) {
        public Memory {
            books = List.copyOf(books);
        }
    }

    /** What the engine believes about one position, and the ladder's memory of it. */
    private static final class Tracked {
        MarginState state;
        /** The position update {@link #state} was last built from or confirmed by (null: none yet). */
        PositionSnapshot snapshot;

        RiskLevel level = RiskLevel.WATCH;
        Optional<Instant> lastActionAt = Optional.empty();
        int topUpsThisEpisode;
        boolean inEpisode;
        Instant watchSince;
        /** A feed dropped since the venue's truth was last read: cleared by the next position update. */
        boolean interrupted;
        /** Intents whose outcome is unknown: each blocks the position until it is reported again, settled. */
        final Set<String> unknown = new LinkedHashSet<>();
        /**
         * Intents that move money or size, issued and not answered yet: live, an answer takes a round trip (or a
         * timeout); meanwhile the position is not acted on again, whatever a cooldown allows.
         */
        final Set<String> inFlight = new LinkedHashSet<>();
        /** The time and client id of the last accepted action not yet seen in a position update (null: none). */
        Instant pendingSince;

        /** The trigger of the backstop last placed for the position (null: none). */
        BigDecimal backstop;

        /**
         * The backstop placed last ({@link #backstop}, this very object while it stands), the liquidation price, distance
         * and side it was worked out from, and how far that liquidation price may move while the trigger surely stays
         * within {@link #BACKSTOP_SLACK} of it: a funding settlement moves it a little each time, and a read of the
         * position unchanged not at all, and then the trigger needs no division to show that the backstop stays.
         */
        BigDecimal placed;

        BigDecimal placedFrom;
        BigDecimal placedDistance;
        boolean placedLong;
        BigDecimal placedReach;

        /**
         * When the last backstop request (place or cancel) for the position was issued, and whether it was answered: a
         * check of the venue's stops compares only what was settled before the venue was read.
         */
        Instant backstopIssuedAt;

        boolean backstopAnswered = true;

        String pendingId;

        /** Whether the position waits for the venue's truth: then nothing but alerts is sent for it. */
        boolean waiting() {
            return interrupted || pendingSince != null || !unknown.isEmpty() || !inFlight.isEmpty();
        }

        /** Why it waits, for a refusal. */
        String waitingFor() {
            if (!unknown.isEmpty()) {
                return "the outcome of " + unknown.iterator().next() + " is unknown until a reconcile reads it";
            }
            if (!inFlight.isEmpty()) {
                return inFlight.iterator().next() + " is on its way to the venue; waiting for its answer";
            }
            if (pendingSince != null) {
                return pendingId + " was accepted; waiting for the position update that shows it";
            }
            return "a feed was interrupted; waiting for the venue's positions to be read again";
        }
        /** Distance, z and z's speed, with the z history the speed is measured on. */
        final Monitor.PositionMonitor measures;

        Liquidation liquidation;
        // The book: what the position was worth at opening, what the policy moved in and out, what its cuts realised.
        BigDecimal openingEquity;
        BigDecimal openingQty;
        BigDecimal openingNotional;
        Optional<BigDecimal> openingDistance;
        BigDecimal openingAccountEquity;
        BigDecimal netAdded = BigDecimal.ZERO;
        BigDecimal realised = BigDecimal.ZERO;
        BigDecimal feesPaid = BigDecimal.ZERO;
        BigDecimal cutNotional = BigDecimal.ZERO;
        /**
         * The book's equity less the unrealised PnL (wallet − netAdded + realised − feesPaid), and the objects it was
         * summed from: summed again only when one of them was replaced. Exact sums, so the order does not matter.
         */
        private BigDecimal bookBase;

        private BigDecimal baseWallet;
        private BigDecimal baseAdded;
        private BigDecimal baseRealised;
        private BigDecimal baseFees;

        BigDecimal bookBase() {
            BigDecimal wallet = state.wallet();
            if (bookBase == null
                    || wallet != baseWallet
                    || netAdded != baseAdded
                    || realised != baseRealised
                    || feesPaid != baseFees) {
                baseWallet = wallet;
                baseAdded = netAdded;
                baseRealised = realised;
                baseFees = feesPaid;
                bookBase = wallet.subtract(netAdded).add(realised).subtract(feesPaid);
            }
            return bookBase;
        }

        final Book book;
        final String key;

        /** The symbol's market and the position's smallest distance: looked up once, not on every mark. */
        Watch watch;

        BigDecimal[] lowest;

        /**
         * Where the policy proved its last decision holds, and the objects it was decided on: while they are the same
         * and the next marks stay inside it, the policy is not asked (null: ask on every mark).
         */
        Quiet quiet;

        private MarginState quietState;
        private RiskLevel quietLevel;
        private Optional<Instant> quietLastAction;
        private int quietTopUps;
        private BigDecimal quietBase;
        private BigDecimal quietCut;
        private BigDecimal quietConviction;

        /** {@link #lowestUnits}' last answer, and the smallest distance it was for. */
        private BigDecimal lowestRead;

        private long lowestReadUnits;

        /** {@code least}, a smallest distance kept in {@link #lowest}, in the fixed point's units (10⁻¹²). */
        long lowestUnits(BigDecimal least) {
            if (least != lowestRead) {
                lowestReadUnits = least.movePointRight(FixedMonitor.DISTANCE).longValueExact();
                lowestRead = least;
            }
            return lowestReadUnits;
        }

        /** The z trail of the position's last quiet run, emptied for the next ({@link QuietRun.ZTrail#fresh}). */
        QuietRun.ZTrail trail;

        /** The quiet's bounds in fixed point, worked out the first time a run asks (see QuietRun); null until then. */
        long[] quietBounds;

        /** Its σ band as bounds on the marks' variance ({@link FixedMonitor.Symbol#varianceBand}); null for none. */
        long[] quietSigmaBand;

        /**
         * The marks (10⁻⁸) between which the distance surely keeps itself, and z, inside the quiet's bounds, for any σ
         * (10⁻¹⁰) from {@code quietMarksSigma[0]} to {@code quietMarksSigma[1]} at the liquidation price {@code
         * quietMarksAt} (see QuietRun); null until a run asks.
         */
        long[] quietMarks;

        long[] quietMarksSigma;
        /** {@code quietMarksSigma} as bounds on the marks' variance; null where it is any σ. */
        long[] quietMarksBand;

        BigDecimal quietMarksAt;

        /** Keeps {@code quiet} with the objects of the input it was proved for. */
        void quiet(Quiet proved, BigDecimal conviction) {
            quiet = proved;
            quietBounds = null;
            quietMarks = null;
            quietState = state;
            quietLevel = level;
            quietLastAction = lastActionAt;
            quietTopUps = topUpsThisEpisode;
            quietBase = bookBase();
            quietCut = cutNotional;
            quietConviction = conviction;
        }

        /**
         * The venue reports the position in {@code moved}: its liquidation price is solved again, at once where the
         * quiet stands, else when next needed. A quiet proved over a band of wallets ({@link Quiet.Wallets}) stays when the isolated wallet alone moved, into
         * the band, nothing else it was proved for did and the position keeps a liquidation price; {@link #unchanged}
         * drops any other.
         */
        void moveTo(MarginState moved, Engine engine, boolean walletOnly) {
            boolean keep = quiet instanceof Quiet.Wallets band
                    && band.covers(moved.wallet())
                    && quietState == state
                    && quietBase == bookBase()
                    && liquidation instanceof Liquidation.At
                    && (walletOnly ? state.mode() == MarginMode.ISOLATED : onlyWalletMoved(state, moved));
            state = moved;
            liquidation = null;
            if (keep) {
                // A quiet bounds the distance and z only where there are any: it stands while a liquidation price does
                // (a wallet that removes it, or makes it unavoidable, changes what the policy reads). The next marks
                // can then be taken in a run, which measures from it. The quiet's bounds in fixed point stay: they
                // are the band's inner quiet's, which no wallet changes.
                liquidation = engine.solve(moved);
                if (liquidation instanceof Liquidation.At) {
                    quietState = moved;
                    quietBase = bookBase();
                }
            }
        }

        /** Whether {@code to} is the isolated position {@code from} with another wallet and nothing else changed. */
        private static boolean onlyWalletMoved(MarginState from, MarginState to) {
            return from.mode() == MarginMode.ISOLATED
                    && to.mode() == MarginMode.ISOLATED
                    && from.position().equals(to.position())
                    && from.leverage().equals(to.leverage())
                    && from.rest().equals(to.rest())
                    && from.tiers() == to.tiers()
                    && from.hedgeLegs().equals(to.hedgeLegs());
        }

        /** Whether the quiet proved last covers a fresh mark with these measures, the rest of the input unchanged. */
        boolean quiet(
                BigDecimal mark,
                BigDecimal sigma,
                BigDecimal distance,
                BigDecimal z,
                Instant now,
                BigDecimal conviction) {
            return unchanged(conviction) && quiet.holds(mark, sigma, distance, z, now);
        }

        /** Whether a quiet was proved and everything but the measures is as it was proved for. */
        boolean unchanged(BigDecimal conviction) {
            return quiet != null
                    && state == quietState
                    && level == quietLevel
                    && lastActionAt == quietLastAction
                    && topUpsThisEpisode == quietTopUps
                    && cutNotional == quietCut
                    && conviction == quietConviction
                    && bookBase() == quietBase;
        }

        Tracked(Book book, MarginState state, Instant since, Monitor.PositionMonitor measures) {
            this.state = state;
            this.measures = measures;
            this.book = book;
            this.key = book.label();
            this.watchSince = since;
            this.openingEquity = state.wallet();
            this.openingQty = state.position().qty();
            this.openingNotional =
                    state.position().qty().multiply(state.position().entryPrice());
        }
    }

    /**
     * What the engine knows of one symbol's market: its newest mark (none before the first), when that goes stale, its
     * volatility, and {@code slowest}, the longest wait between two of its marks the engine saw within the volatility
     * memory (seen at {@code slowestAtNanos}): how far apart its chances to act have been lately.
     */
    private static final class Watch {
        final Monitor.SymbolMonitor volatility;
        BigDecimal mark;
        BigDecimal last;
        Instant time;
        /** The times in nanoseconds since the epoch, and the wait: compared on every mark, so no Duration is built. */
        long timeNanos;

        long slowest;
        long slowestAtNanos;

        /** The trader's conviction in the symbol's positions, in [0, 1]: 1 until they say otherwise. */
        BigDecimal conviction = BigDecimal.ONE;

        Watch(Monitor.SymbolMonitor volatility) {
            this.volatility = volatility;
        }

        boolean marked() {
            return time != null;
        }
    }

    private final MarginRules rules;
    private final Map<String, RiskTierTable> tiers;

    /**
     * A symbol's brackets as the venue publishes them now: its positions are measured on them from here on, and their
     * backstops follow the liquidation price they move.
     */
    private void onTiers(EngineEvent.TiersUpdated u) {
        tiers.put(u.table().symbol(), u.table());
        for (Tracked t : List.copyOf(positions.values())) {
            if (t.state.position().symbol().equals(u.table().symbol())) {
                MarginState s = t.state;
                t.state = new MarginState(
                        s.position(), s.mode(), s.wallet(), s.leverage(), s.rest(), u.table(), s.hedgeLegs());
                t.liquidation = null;
                t.quiet = null;
                backstop(t, u.time());
            }
        }
    }

    private final ScalingPolicy policy;
    /** Whether the policy reads z's speed: only then is it measured ({@link ScalingPolicy#readsSpeed}). */
    private final boolean measuresSpeed;

    private final Gate gate;
    private final Params params;
    private final Map<String, Tracked> positions = new LinkedHashMap<>();
    private final Monitor monitor;
    private final long memoryNanos;
    private final long staleNanos;
    private final Map<String, Watch> watches = new HashMap<>();
    /** The smallest distance of every position seen, kept after it closes (a holder each, so a mark needs no lookup). */
    private final Map<String, BigDecimal[]> minDistances = new HashMap<>();
    /** Each symbol's position labels, long and short, made once: the engine's maps are keyed by them. */
    private final Map<String, String[]> labels = new HashMap<>();
    /** The cross account's ladder memory (level, episode, cooldown, z speed): one for the whole account. */
    private Tracked cross;
    /** The cross account's distance as last measured, for the per-symbol liquidation price of every cross position. */
    private Optional<BigDecimal> crossDistance = Optional.empty();

    private final IntentIds ids;

    /** What the step under way decided (null until its first fact: most steps decide nothing). */
    private ArrayList<Decided> facts;

    /** Why an operator or a fatal outcome halted trading (null: not halted). */
    private String halted;

    /** Until when a venue ban or back-off holds trading at REDUCING (ns since the epoch), and why. */
    private long restrictedUntilNanos = Long.MIN_VALUE;

    private String restricted;

    /** Books restored from a journal, taken up when their position (or the cross account) is first heard of. */
    private final Map<String, BookMemory> restored = new HashMap<>();

    /**
     * Outcomes of a restored book's intents that arrived before its position was heard of again (a reconcile can
     * answer first): taken up with the book, so what they did reaches its ledger and budgets.
     */
    private final Map<String, List<EngineEvent.OutcomeReported>> deferred = new HashMap<>();

    /** The gate's and the ladder's key for the cross account as a whole. */
    static final String CROSS = "cross";

    /** The engine with the fixed-point monitor ({@link Monitor#FIXED}). */
    public Engine(MarginRules rules, Map<String, RiskTierTable> tiers, ScalingPolicy policy, Gate gate, Params params) {
        this(rules, tiers, policy, gate, params, Monitor.FIXED);
    }

    public Engine(
            MarginRules rules,
            Map<String, RiskTierTable> tiers,
            ScalingPolicy policy,
            Gate gate,
            Params params,
            Monitor monitor) {
        this(rules, tiers, policy, gate, params, monitor, IntentIds.replay());
    }

    /** @param ids the client ids to give intents: live, a prefix and a sequence the journal keeps */
    public Engine(
            MarginRules rules,
            Map<String, RiskTierTable> tiers,
            ScalingPolicy policy,
            Gate gate,
            Params params,
            Monitor monitor,
            IntentIds ids) {
        this.ids = ids;
        this.monitor = monitor;
        this.memoryNanos = params.volatilityMemory().toNanos();
        this.staleNanos = params.staleAfter().toNanos();
        this.rules = rules;
        this.tiers = new HashMap<>(tiers);
        this.policy = policy;
        this.measuresSpeed = policy.readsSpeed();
        this.gate = gate;
        this.params = params;
    }

    static String key(String symbol, Side side) {
        return new PositionKey(symbol, side).label();
    }

    /**
     * {@link #key}, the same string object every time for the same position: a label made anew would be hashed and
     * compared character by character on every look-up.
     */
    private String label(String symbol, Side side) {
        String[] both = labels.get(symbol);
        if (both == null) {
            both = new String[2];
            labels.put(symbol, both);
        }
        int i = side.ordinal();
        if (both[i] == null) {
            both[i] = key(symbol, side);
        }
        return both[i];
    }

    /** Takes one event; returns everything it decided, in order. */
    public Step step(EngineEvent event) {
        facts = null;
        switch (event) {
            case EngineEvent.MarkUpdated m -> onMark(m);
            case EngineEvent.ConvictionSet c -> watch(c.symbol()).conviction = c.conviction();
            case EngineEvent.CandleClosed c -> watch(c.symbol()).volatility.candle(c.high(), c.low(), c.interval());
            case EngineEvent.PositionUpdated p -> onPosition(p);
            case EngineEvent.PositionClosed c -> {
                Tracked gone = positions.remove(label(c.symbol(), c.side()));
                if (gone != null && gone.backstop != null) {
                    issueBackstop(
                            gone, new Action.CancelBackstop(c.symbol(), c.side(), "the position closed"), c.time());
                }
                gate.endEpisode(label(c.symbol(), c.side()));
                if (positions.values().stream().noneMatch(t -> t.state.mode() == MarginMode.CROSS) && cross != null) {
                    gate.endEpisode(CROSS);
                    cross = null;
                    crossDistance = Optional.empty();
                }
            }
            case EngineEvent.BalanceUpdated b -> gate.freeBalance(b.freeBalance());
            case EngineEvent.OutcomeReported o -> onOutcome(o);
            case EngineEvent.TimerFired t -> onTimer(t.time());
            // Lifted per position by the next PositionUpdated: the account may have changed unseen.
            case EngineEvent.FeedInterrupted f -> positions.values().forEach(t -> t.interrupted = true);
            case EngineEvent.VenueBanned b -> {
                long until = epochNanos(b.until());
                if (until > restrictedUntilNanos) {
                    restrictedUntilNanos = until;
                    restricted = b.reason() + " until " + b.until();
                }
            }
            case EngineEvent.StopsRead r -> onStops(r);
            case EngineEvent.TiersUpdated u -> onTiers(u);
            case EngineEvent.OperatorCommand c -> {
                switch (c.command()) {
                    case HALT -> halted = "an operator halted trading: " + c.reason();
                    case RESUME -> halted = null;
                }
            }
        }
        updateTradingState(event.time());
        return collected();
    }

    /** What the step under way decided, handed out once. */
    private Step collected() {
        if (facts == null) {
            return Step.NONE;
        }
        Step step = new Step(facts);
        facts = null;
        return step;
    }

    private void fact(Decided decided) {
        if (facts == null) {
            facts = new ArrayList<>(4);
        }
        facts.add(decided);
    }

    private void onPosition(EngineEvent.PositionUpdated update) {
        PositionSnapshot p = update.position();
        RiskTierTable table = tiers.get(p.symbol());
        if (table == null) {
            throw new IllegalStateException("no risk tiers for " + p.symbol() + ": the engine cannot measure it");
        }
        PositionKey key = new PositionKey(p.symbol(), p.side());
        Tracked tracked = positions.get(label(p.symbol(), p.side()));
        // The venue's read of the position as last heard, on the same tiers: the state the engine holds. The state is
        // built from the last read and the tiers alone (onTiers keeps the rest), so a read that differs from it only in
        // the wallet (a funding settlement, margin added or released) is that state with the new wallet.
        boolean same = tracked != null && tracked.state.tiers() == table && sameButWallet(p, tracked.snapshot);
        boolean walletOnly = same && !p.wallet().equals(tracked.snapshot.wallet());
        MarginState state = same
                ? walletOnly ? tracked.state.withWallet(p.wallet()) : tracked.state
                : new MarginState(
                        new Position(p.symbol(), p.side(), p.qty(), p.entryPrice()),
                        p.mode(),
                        p.wallet(),
                        p.leverage(),
                        CrossRest.NONE,
                        table);
        if (tracked == null) {
            Tracked opened = new Tracked(Book.of(key), state, update.time(), monitor.position());
            opened.snapshot = p;
            opened.openingDistance =
                    rules.distanceToLiquidation(state, state.position().entryPrice());
            takeUp(opened);
            positions.put(label(p.symbol(), p.side()), opened);
            List<EngineEvent.OutcomeReported> waiting = deferred.remove(key.label());
            if (waiting != null) {
                waiting.forEach(this::onOutcome);
            }
            backstop(opened, update.time());
        } else {
            tracked.snapshot = p;
            // A wallet-only read moved the state where its wallet did (both normalised: equal amounts are equal).
            if (walletOnly
                    ? !state.wallet().equals(tracked.state.wallet())
                    : state != tracked.state && !state.equals(tracked.state)) {
                tracked.moveTo(state, this, walletOnly);
            }
            // Else the venue confirmed the position as the engine holds it: its liquidation price, and a quiet proved
            // on it, stand (a running bot reads unchanged positions; a settlement's auto-add is told after its
            // payment).
            // The venue's positions have been read again since the feed dropped.
            tracked.interrupted = false;
            // A position update not older than the accepted action shows what it did. An unknown outcome stays
            // until its intent is reported again: a position read alone does not say whether a request applied.
            if (tracked.pendingSince != null && !update.time().isBefore(tracked.pendingSince)) {
                tracked.pendingSince = null;
                tracked.pendingId = null;
            }
            backstop(tracked, update.time());
        }
    }

    /** Whether {@code p} is {@code was} but perhaps for its wallet (false where there is no {@code was}). */
    private static boolean sameButWallet(PositionSnapshot p, PositionSnapshot was) {
        return was != null
                && p.symbol().equals(was.symbol())
                && p.side() == was.side()
                && p.mode() == was.mode()
                && p.qty().equals(was.qty())
                && p.entryPrice().equals(was.entryPrice())
                && p.leverage().equals(was.leverage())
                && java.util.Objects.equals(p.venueLiquidationPrice(), was.venueLiquidationPrice());
    }

    /** Re-prices the position's backstop when its liquidation price moved it by more than this share. */
    private static final BigDecimal BACKSTOP_SLACK = new BigDecimal("0.0005");

    /**
     * Keeps the isolated position's exchange-side backstop where the settings put it: at the mark at which the
     * liquidation price is {@code backstop} away (beyond the policy's own close, inside the liquidation price). Placed
     * when the position is first seen, placed again when its liquidation price moved it by more than 0.05 %, cancelled
     * when nothing liquidates the position. A venue's truth has just been read: the position is as it stands.
     */
    private void backstop(Tracked t, Instant now) {
        if (t.state.mode() != MarginMode.ISOLATED) {
            return;
        }
        Optional<BigDecimal> distance = params.backstopFor(t.state.position().symbol());
        if (distance.isEmpty()) {
            if (t.backstop != null) {
                // Turned off for this symbol since it was placed (the settings changed across a restart).
                t.backstop = null;
                issueBackstop(
                        t,
                        new Action.CancelBackstop(
                                t.state.position().symbol(),
                                t.state.position().side(),
                                "the backstop is off for " + t.state.position().symbol()),
                        now);
            }
            return;
        }
        if (t.liquidation == null) {
            t.liquidation = solve(t.state);
        }
        if (!(t.liquidation instanceof Liquidation.At at)) {
            if (t.backstop != null) {
                t.backstop = null;
                issueBackstop(
                        t,
                        new Action.CancelBackstop(
                                t.state.position().symbol(),
                                t.state.position().side(),
                                "nothing liquidates the position"),
                        now);
            }
            return;
        }
        BigDecimal d = distance.get();
        boolean lng = t.state.exposureSide() == Side.LONG;
        if (t.backstop != null
                && t.backstop == t.placed
                && t.placedDistance == d
                && t.placedLong == lng
                && at.price().subtract(t.placedFrom).abs().compareTo(t.placedReach) <= 0) {
            return; // the trigger is surely within the slack of the backstop: see placedReach
        }
        BigDecimal trigger = trigger(at.price(), d, lng);
        if (t.backstop != null
                && trigger.subtract(t.backstop).abs().compareTo(t.backstop.multiply(BACKSTOP_SLACK)) <= 0) {
            return;
        }
        t.backstop = trigger;
        t.placed = trigger;
        t.placedFrom = at.price();
        t.placedDistance = d;
        t.placedLong = lng;
        t.placedReach = placedReach(trigger, d, lng);
        issueBackstop(
                t,
                new Action.PlaceBackstop(
                        t.state.position().symbol(),
                        t.state.position().side(),
                        trigger,
                        "liquidation at " + ballast.core.Decimals.readable(at.price())
                                + ": the venue closes the position if the mark reaches the trigger"),
                now);
    }

    /**
     * The backstop's trigger for a liquidation price of {@code liquidation}, {@code d} before it. Long: the mark P at
     * which (P − L)/P = d is L/(1 − d), rounded up (earlier); short: L/(1 + d), rounded down.
     */
    static BigDecimal trigger(BigDecimal liquidation, BigDecimal d, boolean lng) {
        return liquidation
                .divide(lng ? BigDecimal.ONE.subtract(d) : BigDecimal.ONE.add(d), java.math.MathContext.DECIMAL64)
                .setScale(8, lng ? RoundingMode.CEILING : RoundingMode.FLOOR);
    }

    /**
     * How far the liquidation price may move from the one {@code trigger} was worked out from while the trigger worked
     * out again ({@link #trigger}) surely stays within {@link #BACKSTOP_SLACK} of it. It is {@code L / (1 ∓ d)} to sixteen
     * digits, then to 10⁻⁸: it moves by at most {@code |ΔL| / (1 ∓ d)}, and its roundings by less than {@link
     * #BACKSTOP_ROUNDING}. So {@code |ΔL| ≤ (slack · trigger − rounding) · (1 ∓ d)} keeps it within; {@link #NO_REACH}
     * where nothing would, or where the trigger is {@link #BACKSTOP_LARGEST} or more. Only a backstop the engine placed
     * itself has a reach (one restored, or taken up from the venue's stops, is worked out again).
     */
    static BigDecimal placedReach(BigDecimal trigger, BigDecimal d, boolean lng) {
        BigDecimal room = trigger.multiply(BACKSTOP_SLACK).subtract(BACKSTOP_ROUNDING);
        if (trigger.compareTo(BACKSTOP_LARGEST) >= 0 || room.signum() <= 0) {
            return NO_REACH;
        }
        return room.multiply(lng ? BigDecimal.ONE.subtract(d) : BigDecimal.ONE.add(d))
                .round(REACH_DIGITS);
    }

    /**
     * More than the roundings can move a trigger under {@link #BACKSTOP_LARGEST} (to sixteen digits, then to 10⁻⁸,
     * each side of the comparison: under 3 · 10⁻⁸ in all).
     */
    private static final BigDecimal BACKSTOP_ROUNDING = new BigDecimal("1E-7");

    /**
     * The largest trigger given a reach: below it, and below the 0.05 % more a trigger within the slack may be, the
     * sixteenth digit is at most 10⁻⁸, so each trigger's two roundings move it by at most 1.5 · 10⁻⁸.
     */
    private static final BigDecimal BACKSTOP_LARGEST = new BigDecimal("1E7");

    /** A reach no move is within (a move is at least zero). */
    private static final BigDecimal NO_REACH = BigDecimal.ONE.negate();

    private static final java.math.MathContext REACH_DIGITS = new java.math.MathContext(12, RoundingMode.FLOOR);

    private void issueBackstop(Tracked t, Action action, Instant now) {
        if (issue(t.key, t.book, action, now)) {
            t.backstopIssuedAt = now;
            t.backstopAnswered = false;
        }
    }

    /** Issues an action that passes the gate in any state (a backstop's, an alert). */
    private boolean issue(String key, Book book, Action action, Instant now) {
        String clientId = ids.peek();
        if (gate.admit(key, clientId, action, now) instanceof Gate.Verdict.Admitted) {
            ids.advance();
            fact(new Decided.Issued(now, book, new Intent(clientId, action)));
            return true;
        }
        return false;
    }

    /**
     * The backstop check: the venue's close-all stops, read at {@code r.time()}, against the ones the engine placed. A
     * position whose stop is not there (cancelled by hand, expired, lost by a failed replace) or sits elsewhere gets it
     * placed again, with an alert; a stop the engine does not know of for a position it keeps is taken up (placed by
     * the last process) and re-priced if it is off; a stop for a position that is gone is cancelled. A position whose
     * last backstop request was not yet answered when the venue was read is left to its answer.
     */
    private void onStops(EngineEvent.StopsRead r) {
        Set<String> seen = new HashSet<>();
        for (StopOrder stop : r.stops()) {
            String k = label(stop.symbol(), stop.side());
            seen.add(k);
            Tracked t = positions.get(k);
            if (t == null) {
                if (!restored.containsKey(k)) {
                    issue(
                            k,
                            Book.of(new PositionKey(stop.symbol(), stop.side())),
                            new Action.CancelBackstop(
                                    stop.symbol(), stop.side(), "a stop for a position Ballast no longer holds"),
                            r.time());
                }
                continue;
            }
            if (!settledBefore(t, r.time())) {
                continue;
            }
            if (t.backstop == null) {
                // Placed by an earlier process: taken up, then kept where the settings put it (or cancelled).
                t.backstop = stop.trigger();
                backstop(t, r.time());
            } else if (stop.trigger().subtract(t.backstop).abs().compareTo(t.backstop.multiply(BACKSTOP_SLACK)) > 0) {
                missing(
                        t,
                        "the backstop on the venue triggers at "
                                + stop.trigger().toPlainString() + ", not " + t.backstop.toPlainString(),
                        r.time());
            }
        }
        for (Tracked t : List.copyOf(positions.values())) {
            if (t.backstop != null && !seen.contains(t.key) && settledBefore(t, r.time())) {
                missing(t, "the backstop (trigger " + t.backstop.toPlainString() + ") is not on the venue", r.time());
            }
        }
    }

    private static boolean settledBefore(Tracked t, Instant read) {
        return t.backstopAnswered && (t.backstopIssuedAt == null || t.backstopIssuedAt.isBefore(read));
    }

    /** The venue does not hold the backstop the engine placed: said, and placed again. */
    private void missing(Tracked t, String what, Instant now) {
        issue(
                t.key,
                t.book,
                new Action.Alert(
                        t.state.position().symbol(), t.state.position().side(), t.level, what + ": placing it again"),
                now);
        t.backstop = null;
        backstop(t, now);
    }

    private void onOutcome(EngineEvent.OutcomeReported o) {
        Action action = o.intent().action();
        if (action instanceof Action.PlaceBackstop || action instanceof Action.CancelBackstop) {
            // A backstop moves no money and no size: it blocks nothing. Not placed (or not known to be): the next
            // position update places it again.
            Tracked t = positions.get(label(action.symbol(), action.side()));
            if (t != null) {
                t.backstopAnswered = true;
            }
            if (t != null && action instanceof Action.PlaceBackstop && !(o.outcome() instanceof Outcome.Accepted)) {
                t.backstop = null;
            }
            return;
        }
        String clientId = o.intent().clientId();
        String position = label(action.symbol(), action.side());
        Tracked tracked = positions.get(position);
        if (tracked == null && restored.containsKey(position)) {
            deferred.computeIfAbsent(position, k -> new ArrayList<>()).add(o);
            return;
        }
        // Answered: whichever book decided it (a position, or the cross account) may decide again.
        if (tracked != null) {
            tracked.inFlight.remove(clientId);
        }
        if (cross != null) {
            cross.inFlight.remove(clientId);
        }
        if (tracked != null && !(o.outcome() instanceof Outcome.Unknown)) {
            // Settled at last (a reconcile reports the intent again with what the venue proved).
            tracked.unknown.remove(clientId);
        }
        switch (o.outcome()) {
            case Outcome.Accepted accepted -> {
                if (action instanceof Action.TopUpMargin) {
                    gate.settle(clientId);
                }
                if (action instanceof Action.ReducePosition cut && cut.margin() == PartialCloseRelease.KEEP_MARGIN) {
                    keptCharge(tracked, accepted).ifPresent(amount -> gate.chargeKept(position, amount, o.time()));
                }
                book(tracked, action, accepted);
                if (tracked != null && !(action instanceof Action.Alert)) {
                    tracked.pendingSince = o.time();
                    tracked.pendingId = clientId;
                }
            }
            case Outcome.Rejected rejected -> refund(action, clientId, o.time());
            case Outcome.Denied denied -> refund(action, clientId, o.time());
            case Outcome.NotSent notSent -> refund(action, clientId, o.time());
            case Outcome.Fatal fatal -> {
                refund(action, clientId, o.time());
                halted = "the venue answered " + clientId + " with a fault a human must fix: " + fatal.reason();
            }
            case Outcome.Unknown unknown -> {
                if (tracked != null) {
                    tracked.unknown.add(clientId);
                }
            }
        }
    }

    /**
     * A timer tick: every position whose mark is older than {@code staleAfter} is measured again with the age of its
     * mark, so the policy can treat missing data as danger; nothing else changes.
     */
    private void onTimer(Instant now) {
        Duration crossAge = Duration.ZERO;
        for (Map.Entry<String, Tracked> entry : positions.entrySet()) {
            Tracked tracked = entry.getValue();
            Watch mark = watches.get(tracked.state.position().symbol());
            if (mark == null || !mark.marked()) {
                continue;
            }
            Duration age = Duration.between(mark.time, now);
            if (age.compareTo(params.staleAfter()) > 0) {
                if (tracked.state.mode() == MarginMode.CROSS) {
                    crossAge = crossAge.compareTo(age) > 0 ? crossAge : age;
                    continue;
                }
                EngineEvent.MarkUpdated last = new EngineEvent.MarkUpdated(
                        now, tracked.state.position().symbol(), mark.mark, mark.last);
                decide(
                        entry.getKey(),
                        tracked,
                        last,
                        age,
                        sigma(tracked.state.position().symbol()));
            }
        }
        if (crossAge.isPositive()) {
            decideCross(now, crossAge);
        }
    }

    /**
     * HALTED while an operator's halt or a fatal outcome stands (a human's to lift); REDUCING while a venue ban or
     * back-off lasts, any mark is stale, or any position waits for a reconcile after an unknown outcome or a feed gap;
     * ACTIVE again when none holds. A change is a fact of the step.
     */
    private void updateTradingState(Instant now) {
        TradingState before = gate.tradingState();
        long nowNanos = epochNanos(now);
        TradingState state;
        Tracked unsure = null;
        if (halted != null) {
            state = TradingState.HALTED;
        } else if (nowNanos < restrictedUntilNanos) {
            state = TradingState.REDUCING;
        } else {
            for (Tracked tracked : positions.values()) {
                Watch mark = watchOf(tracked);
                if (tracked.unknown.size() > 0
                        || tracked.interrupted
                        || (mark.marked() && nowNanos - mark.timeNanos > staleNanos)) {
                    unsure = tracked;
                    break;
                }
            }
            state = unsure == null ? TradingState.ACTIVE : TradingState.REDUCING;
        }
        if (state != before) {
            gate.tradingState(state);
            fact(new Decided.TradingStateMoved(now, before, state, why(state, unsure, nowNanos)));
        }
    }

    /** Why trading is in {@code state}: said only when it changes. */
    private String why(TradingState state, Tracked unsure, long nowNanos) {
        return switch (state) {
            case HALTED -> halted;
            case ACTIVE ->
                positions.isEmpty()
                        ? "no position is held: nothing to protect"
                        : "marks are fresh and every position's truth is known";
            case REDUCING -> {
                if (unsure == null) {
                    yield restricted;
                }
                if (!unsure.unknown.isEmpty() || unsure.interrupted) {
                    yield unsure.key + ": " + unsure.waitingFor();
                }
                long age = nowNanos - watchOf(unsure).timeNanos;
                yield unsure.key + ": no mark for " + age / 1_000_000_000L + " s";
            }
        };
    }

    /** What an accepted action did to the position's book: margin in or out, a loss or gain realised by a cut. */
    private void book(Tracked tracked, Action action, Outcome.Accepted accepted) {
        if (tracked == null) {
            return;
        }
        switch (action) {
            case Action.TopUpMargin t -> tracked.netAdded = tracked.netAdded.add(accepted.amount());
            case Action.ReleaseMargin r -> tracked.netAdded = tracked.netAdded.subtract(accepted.amount());
            case Action.ReducePosition r -> realise(tracked, accepted, r.margin());
            case Action.ClosePosition c -> realise(tracked, accepted, PartialCloseRelease.PRO_RATA);
            default -> {}
        }
    }

    /**
     * What a cut realised, at its fill price when the venue said it (else at the mark), less its fee when the venue said
     * it; a cut whose fee is not known yet adds its notional to what the policy keeps a reserve for. Cross: the cross
     * wallet holds the realised PnL and the fee already, so only the unknown fee's notional is booked.
     */
    private void realise(Tracked tracked, Outcome.Accepted accepted, PartialCloseRelease margin) {
        BigDecimal mark = markOf(tracked.state.position().symbol());
        BigDecimal qty = accepted.amount();
        if (qty == null
                || qty.signum() <= 0
                || (mark == null && accepted.price().isEmpty())) {
            return;
        }
        BigDecimal held = tracked.state.position().qty();
        BigDecimal sold = qty.min(held);
        BigDecimal price = accepted.price().orElse(mark);
        BigDecimal pnl = tracked.state.position().withQty(sold).unrealizedPnl(price);
        BigDecimal fee = accepted.fee().orElse(BigDecimal.ZERO);
        boolean isolated = tracked.state.mode() == MarginMode.ISOLATED;
        if (isolated && sold.compareTo(held) < 0) {
            switch (margin) {
                // The released share leaves the position's wallet for the free balance: the book keeps it.
                case PRO_RATA ->
                    tracked.netAdded = tracked.netAdded.subtract(
                            tracked.state.wallet().multiply(sold).divide(held, java.math.MathContext.DECIMAL64));
                case KEEP_MARGIN -> {}
                case KEEP_NET -> {
                    if (pnl.subtract(fee).signum() < 0) {
                        // The wallet paid the loss and the fee itself: the next position update shows it; nothing
                        // reached the free balance.
                        return;
                    }
                }
            }
        }
        tracked.realised = tracked.realised.add(pnl);
        if (accepted.fee().isPresent()) {
            tracked.feesPaid = tracked.feesPaid.add(fee);
        } else {

            tracked.cutNotional = tracked.cutNotional.add(sold.multiply(price));
            if (tracked.state.mode() == MarginMode.CROSS && cross != null) {
                cross.cutNotional = cross.cutNotional.add(sold.multiply(price));
            }
        }
    }

    /**
     * What a cut that kept its margin cost the free balance: its realised loss at the fill (else the mark) and its fee.
     * Measured before the book takes the cut in.
     */
    private Optional<BigDecimal> keptCharge(Tracked tracked, Outcome.Accepted accepted) {
        if (tracked == null || tracked.state.mode() != MarginMode.ISOLATED) {
            return Optional.empty();
        }
        BigDecimal mark = markOf(tracked.state.position().symbol());
        if (accepted.price().isEmpty() && mark == null) {
            return Optional.empty();
        }
        BigDecimal price = accepted.price().orElse(mark);
        BigDecimal sold = accepted.amount().min(tracked.state.position().qty());
        BigDecimal pnl = tracked.state.position().withQty(sold).unrealizedPnl(price);
        return Optional.of(pnl.negate().add(accepted.fee().orElse(BigDecimal.ZERO)));
    }

    /** The book of an isolated position at {@code mark}. */
    private PositionBook book(Tracked tracked, BigDecimal mark) {
        BigDecimal equity = tracked.bookBase().add(tracked.state.unrealizedPnl(mark));
        if (tracked.openingDistance == null) {
            tracked.openingDistance = rules.distanceToLiquidation(
                    tracked.state, tracked.state.position().entryPrice());
        }
        return new PositionBook(
                tracked.openingEquity,
                equity,
                tracked.openingQty,
                tracked.openingNotional,
                tracked.openingDistance,
                accountEquity(tracked),
                tracked.cutNotional);
    }

    /**
     * The account's equity when the position was first decided on (free balance and every isolated margin), kept from
     * then on: a budget declared as a share of equity does not move with the losses it is meant to bound.
     */
    private BigDecimal accountEquity(Tracked tracked) {
        if (tracked.openingAccountEquity == null) {
            BigDecimal equity = gate.freeBalance();
            for (Tracked t : positions.values()) {
                if (t.state.mode() == MarginMode.ISOLATED) {
                    equity = equity.add(t.state.wallet());
                }
            }
            tracked.openingAccountEquity = equity;
        }
        return tracked.openingAccountEquity;
    }

    /**
     * A top-up that did not happen gives its money back, and its place among the episode's top-ups: a policy that allows
     * one top-up per episode may still make the one the venue never carried out.
     */
    private void refund(Action action, String clientId, Instant time) {
        if (action instanceof Action.TopUpMargin) {
            // The book the top-up was counted against: the position, or the cross account's book that decided it.
            gate.refund(clientId, time)
                    .map(book -> cross != null && cross.key.equals(book) ? cross : positions.get(book))
                    .filter(t -> t.topUpsThisEpisode > 0)
                    .ifPresent(t -> t.topUpsThisEpisode--);
        }
    }

    /** An action that moves margin or size (not an alert, not the backstop, which moves no money). */
    private static boolean movesMoney(Action action) {
        return action instanceof Action.TopUpMargin
                || action instanceof Action.ReleaseMargin
                || action instanceof Action.ReducePosition
                || action instanceof Action.ClosePosition;
    }

    /** Nanoseconds since the epoch (up to the year 2262). */
    public static long epochNanos(Instant time) {
        return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    }

    /** The instant {@code epochNanos} nanoseconds after the epoch: what {@link #epochNanos} was taken from. */
    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** {@code Duration.between(from, to).toNanos()} without building the Duration (spans under 292 years). */
    static long nanosBetween(Instant from, Instant to) {
        return (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
    }

    /** The newest mark of {@code symbol}, or null before the first. */
    private BigDecimal markOf(String symbol) {
        Watch watch = watches.get(symbol);
        return watch == null ? null : watch.mark;
    }

    private Watch watch(String symbol) {
        Watch watch = watches.get(symbol);
        if (watch == null) {
            watch = new Watch(monitor.symbol(params));
            watches.put(symbol, watch);
        }
        return watch;
    }

    private void onMark(EngineEvent.MarkUpdated m) {
        Watch watch = watch(m.symbol());
        watch.volatility.mark(m.time(), m.mark());
        long nanos = epochNanos(m.time());
        if (!watch.marked()) {
            watch.slowest = 0;
            watch.slowestAtNanos = nanos;
        } else {
            long wait = nanos - watch.timeNanos;
            boolean remembered = nanos - watch.slowestAtNanos <= memoryNanos;
            if (!remembered || watch.slowest <= wait) {
                watch.slowest = Math.max(0, wait);
                watch.slowestAtNanos = nanos;
            }
        }
        watch.mark = m.mark();
        watch.last = m.last();
        watch.time = m.time();
        watch.timeNanos = nanos;
        boolean crossSymbol = false;
        for (Map.Entry<String, Tracked> entry : positions.entrySet()) {
            Tracked tracked = entry.getValue();
            if (tracked.state.position().symbol().equals(m.symbol())) {
                if (tracked.state.mode() == MarginMode.CROSS) {
                    crossSymbol = true;
                } else {
                    decide(entry.getKey(), tracked, m, Duration.ZERO, sigma(m.symbol()));
                }
            }
        }
        if (crossSymbol) {
            decideCross(m.time(), Duration.ZERO);
        }
    }

    /**
     * A symbol's volatility over the horizon: the larger of what its marks and its candles' ranges say, and never below
     * the floor.
     */
    private BigDecimal sigma(String symbol) {
        Watch watch = watches.get(symbol);
        if (watch == null) {
            return params.sigmaFloor();
        }
        // A bot that has lately seen this symbol's mark only every hour (a slow stream, an outage, a study's stress
        // mode) can act only that often: it must see as far ahead as its next chance, and variance grows with time.
        return watch.volatility.sigma(watch.marked(), watch.slowest);
    }

    /**
     * The cross account, measured whole on every mark of one of its symbols: its distance is one common adverse move of
     * every mark; the ladder acts on the account (its level, episode and cooldown are the account's), and what it does
     * goes to the position that takes most from the account's surplus over maintenance. There is no per-position margin
     * in cross: the ladder cuts or closes.
     */
    private void decideCross(Instant now, Duration markAge) {
        Optional<CrossAccount> measured = crossAccount();
        if (measured.isEmpty()) {
            return;
        }
        CrossAccount account = measured.get();
        CrossAccount.Member target = account.contributor().orElseThrow();
        Tracked position = positions.get(
                label(target.position().symbol(), target.position().side()));
        openCross(account, position, now);
        cross.state = crossState(account, target, position);
        cross.interrupted =
                positions.values().stream().anyMatch(t -> t.state.mode() == MarginMode.CROSS && t.waiting());
        BigDecimal sigma = BigDecimal.ZERO;
        for (CrossAccount.Member member : account.members()) {
            sigma = sigma.max(sigma(member.position().symbol()));
        }
        Optional<BigDecimal> distance = account.distance();
        crossDistance = distance;
        Liquidation liquidation = distance.map(d -> d.signum() < 0
                        ? (Liquidation) new Liquidation.Unavoidable(
                                "the cross account's margin balance is at or below its maintenance margin")
                        : crossLiquidation(target, d, cross.state))
                .orElseGet(() -> new Liquidation.Never("no common move of the marks liquidates the cross account"));
        cross.liquidation = liquidation;
        for (CrossAccount.Member member : account.members()) {
            distance.ifPresent(d ->
                    lowest(label(member.position().symbol(), member.position().side()), d));
        }
        EngineEvent.MarkUpdated m =
                new EngineEvent.MarkUpdated(now, target.position().symbol(), target.mark(), target.mark());
        PositionRisk risk = risk(cross, m, markAge, sigma, liquidation, distance, Optional.of(account));
        decide(CROSS, cross, m, risk, crossBook(account));
    }

    /** The cross account's memory, opened the first time the account is measured: its opening book is set then. */
    private void openCross(CrossAccount account, Tracked any, Instant now) {
        if (cross != null) {
            return;
        }
        cross = new Tracked(Book.CROSS, any.state, now, monitor.position());
        cross.openingEquity = account.marginBalance(BigDecimal.ZERO);
        cross.openingQty = BigDecimal.ZERO;
        cross.openingNotional = BigDecimal.ZERO;
        for (CrossAccount.Member member : account.members()) {
            cross.openingQty = cross.openingQty.add(member.position().qty());
            cross.openingNotional = cross.openingNotional.add(
                    member.position().qty().multiply(member.position().entryPrice()));
        }
        cross.openingDistance = account.distance();
        takeUp(cross);
    }

    /** Cross: the account is the book. Its wallet already holds what cuts realised, fees and funding. */
    private PositionBook crossBook(CrossAccount account) {
        return new PositionBook(
                cross.openingEquity,
                account.marginBalance(BigDecimal.ZERO),
                cross.openingQty,
                cross.openingNotional,
                cross.openingDistance,
                accountEquity(cross),
                cross.cutNotional);
    }

    /**
     * The books a loss budget is declared on, as they were opened: one per isolated position and one for the cross
     * account. A position not yet decided on is opened now (its budget is what it will be).
     */
    /** A book as it opened, and the symbol whose settings measure it (a cross account's: its first position's). */
    public record OpeningBook(String symbol, PositionBook book) {}

    public List<OpeningBook> openingBooks() {
        List<OpeningBook> books = new ArrayList<>();
        for (Tracked t : positions.values()) {
            if (t.state.mode() == MarginMode.ISOLATED) {
                books.add(new OpeningBook(
                        t.state.position().symbol(), book(t, t.state.position().entryPrice())));
            }
        }
        Optional<CrossAccount> account = crossAccount();
        if (account.isPresent()) {
            CrossAccount.Member any = account.get().members().get(0);
            Tracked first =
                    positions.get(label(any.position().symbol(), any.position().side()));
            openCross(account.get(), first, first.watchSince);
            books.add(new OpeningBook(any.position().symbol(), crossBook(account.get())));
        }
        return books;
    }

    /** Every cross position at its latest mark (its entry price before the first mark), with the cross wallet. */
    private Optional<CrossAccount> crossAccount() {
        List<CrossAccount.Member> members = new ArrayList<>();
        BigDecimal wallet = null;
        for (Tracked t : positions.values()) {
            if (t.state.mode() != MarginMode.CROSS) {
                continue;
            }
            BigDecimal mark = markOf(t.state.position().symbol());
            members.add(new CrossAccount.Member(
                    t.state.position(),
                    mark == null ? t.state.position().entryPrice() : mark,
                    t.state.leverage(),
                    t.state.tiers()));
            wallet = t.state.wallet();
        }
        return members.isEmpty() ? Optional.empty() : Optional.of(new CrossAccount(rules, wallet, members));
    }

    /** The target position as a one-symbol cross state with the rest of the account as its {@link CrossRest}. */
    private static MarginState crossState(CrossAccount account, CrossAccount.Member target, Tracked position) {
        List<CrossRest.Other> others = new ArrayList<>();
        for (CrossAccount.Member member : account.members()) {
            if (member != target) {
                others.add(new CrossRest.Other(member.position(), member.mark(), member.tiers()));
            }
        }
        return MarginState.cross(
                target.position(), account.wallet(), position.state.leverage(), CrossRest.of(others), target.tiers());
    }

    private Liquidation crossLiquidation(CrossAccount.Member member, BigDecimal distance, MarginState state) {
        BigDecimal price = CrossAccount.priceAt(member, distance);
        if (price.signum() <= 0) {
            return new Liquidation.Never(
                    "the cross account survives " + member.position().symbol() + " at zero");
        }
        return new Liquidation.At(
                price,
                rules.tierAt(state, price),
                rules.tierAt(state, member.position().entryPrice()),
                0);
    }

    /**
     * Measures one isolated position on a mark and asks the policy, unless the policy proved on an earlier mark that its
     * decision holds for this one ({@link Quiet}): then only the measures' memory (volatility, the smallest distance, z's
     * speed), the gate's day and the episode move on.
     */
    private void decide(String key, Tracked tracked, EngineEvent.MarkUpdated m, Duration markAge, BigDecimal sigma) {
        MarginState state = tracked.state;
        // The liquidation price depends on the position, not on the mark: computed once per state change.
        if (tracked.liquidation == null) {
            tracked.liquidation = solve(state);
        }
        Liquidation liquidation = tracked.liquidation;
        BigDecimal distance = switch (liquidation) {
            case Liquidation.At at -> tracked.measures.distance(state.exposureSide(), m.mark(), at.price());
            case Liquidation.Never never -> null;
            case Liquidation.Unavoidable unavoidable -> MINUS_ONE;
        };
        BigDecimal z = null;
        if (distance != null) {
            if (tracked.lowest == null) {
                tracked.lowest = minDistances.computeIfAbsent(tracked.key, k -> new BigDecimal[1]);
            }
            lowest(tracked.lowest, distance);
            z = z(tracked, distance, sigma, m.time());
        }
        BigDecimal conviction = watchOf(tracked).conviction;
        if (markAge.isZero() && tracked.quiet(m.mark(), sigma, distance, z, m.time(), conviction)) {
            gate.roll(m.time());
            moveLevel(key, tracked, tracked.level, m.time());
            return;
        }
        PositionRisk risk = new PositionRisk(
                rules,
                state,
                m.mark(),
                liquidation,
                Optional.ofNullable(distance),
                sigma,
                Optional.ofNullable(z),
                speed(tracked),
                markAge,
                Optional.empty());
        decide(key, tracked, m, risk);
    }

    private void decide(String key, Tracked tracked, EngineEvent.MarkUpdated m, PositionRisk risk) {
        decide(key, tracked, m, risk, book(tracked, m.mark()));
    }

    private void decide(String key, Tracked tracked, EngineEvent.MarkUpdated m, PositionRisk risk, PositionBook book) {
        PolicyInput input = new PolicyInput(
                m.time(),
                risk,
                tracked.level,
                tracked.lastActionAt,
                tracked.topUpsThisEpisode,
                gate.budgetLeft(key, m.time()),
                gate.freeBalance(),
                book,
                conviction(risk.symbol()));
        Decision decision = policy.decide(input);
        moveLevel(key, tracked, decision.level(), m.time());
        // A decision that acts proves nothing about the next mark; nor does a cross account's, nor one taken on a stale
        // mark. One that only alerts, or moves the level, may: its quiet is proved for the next marks as they will be
        // heard, at the level it decided (moveLevel has put the position there, and the quiet keeps it).
        tracked.quiet = null;
        if (Action.onlyAlerts(decision.actions())
                && risk.account().isEmpty()
                && risk.markAge().isZero()
                && decision.quiet() != Quiet.NEVER) {
            tracked.quiet(decision.quiet(), input.conviction());
        }
        // The actions of one decision go out together (decided from the same truth); the next decision waits for
        // their answers.
        List<String> issued = null;
        for (Action action : decision.actions()) {
            if (tracked.waiting() && !(action instanceof Action.Alert)) {
                fact(new Decided.Refused(m.time(), tracked.book, action, tracked.waitingFor()));
                continue;
            }
            String clientId = ids.peek();
            switch (gate.admit(key, clientId, action, m.time())) {
                case Gate.Verdict.Admitted admitted -> {
                    ids.advance();
                    fact(new Decided.Issued(m.time(), tracked.book, new Intent(clientId, action)));
                    if (movesMoney(action)) {
                        if (issued == null) {
                            issued = new ArrayList<>(2);
                        }
                        issued.add(clientId);
                    }
                    if (!(action instanceof Action.Alert)) {
                        tracked.lastActionAt = Optional.of(m.time());
                    }
                    if (action instanceof Action.TopUpMargin) {
                        tracked.topUpsThisEpisode++;
                    }
                }
                case Gate.Verdict.Refused refused ->
                    fact(new Decided.Refused(m.time(), tracked.book, action, refused.reason()));
            }
        }
        if (issued != null) {
            tracked.inFlight.addAll(issued);
        }
    }

    /** Keeps {@code distance} as the position's smallest when it is. */
    private void lowest(String key, BigDecimal distance) {
        lowest(minDistances.computeIfAbsent(key, k -> new BigDecimal[1]), distance);
    }

    private static void lowest(BigDecimal[] least, BigDecimal distance) {
        if (least[0] == null || distance.compareTo(least[0]) < 0) {
            least[0] = distance;
        }
    }

    /** The watch of {@code tracked}'s symbol, made the first time it is asked for (watches are never dropped). */
    private Watch watchOf(Tracked tracked) {
        if (tracked.watch == null) {
            tracked.watch = watch(tracked.state.position().symbol());
        }
        return tracked.watch;
    }

    /** The trader's conviction in {@code symbol}: 1 until they say otherwise. */
    private BigDecimal conviction(String symbol) {
        Watch watch = watches.get(symbol);
        return watch == null ? BigDecimal.ONE : watch.conviction;
    }

    /** z and its speed from a distance, into the policy's measure; the tracked z history is updated. */
    private PositionRisk risk(
            Tracked tracked,
            EngineEvent.MarkUpdated m,
            Duration markAge,
            BigDecimal sigma,
            Liquidation liquidation,
            Optional<BigDecimal> distance,
            Optional<CrossAccount> account) {
        Optional<BigDecimal> z =
                distance.isPresent() ? Optional.of(z(tracked, distance.get(), sigma, m.time())) : Optional.empty();
        return new PositionRisk(
                rules, tracked.state, m.mark(), liquidation, distance, sigma, z, speed(tracked), markAge, account);
    }

    /** z at {@code time}; its speed moves with it only where the policy reads it. */
    private BigDecimal z(Tracked tracked, BigDecimal distance, BigDecimal sigma, Instant time) {
        return measuresSpeed ? tracked.measures.z(distance, sigma, time) : tracked.measures.zAlone(distance, sigma);
    }

    /** z's speed as measured for {@code tracked}, or empty where the policy reads none and it is not measured. */
    private Optional<BigDecimal> speed(Tracked tracked) {
        return measuresSpeed ? Optional.of(tracked.measures.speed()) : Optional.empty();
    }

    private void moveLevel(String key, Tracked tracked, RiskLevel level, Instant now) {
        if (level != tracked.level) {
            fact(new Decided.LevelMoved(now, tracked.book, tracked.level, level));
        }
        if (level.isAbove(RiskLevel.WATCH)) {
            if (!tracked.inEpisode) {
                tracked.inEpisode = true;
                tracked.topUpsThisEpisode = 0;
                gate.startEpisode(key);
            }
        } else if (tracked.level.isAbove(RiskLevel.WATCH)) {
            tracked.watchSince = now;
        } else if (tracked.inEpisode && !now.isBefore(tracked.watchSince.plus(params.episodeEndsAfter()))) {
            tracked.inEpisode = false;
            gate.endEpisode(key);
        }
        tracked.level = level;
    }

    /**
     * One position as the engine sees it now, for a status page: its size and margin as the venue last said, the newest
     * mark and when it came, the liquidation price, the distance to it (a fraction of the mark) and in σ, the level,
     * the budgets it may still spend on top-ups, and what it waits for (empty: nothing).
     */
    public record PositionView(
            PositionKey key,
            MarginMode mode,
            BigDecimal qty,
            BigDecimal entryPrice,
            BigDecimal wallet,
            BigDecimal leverage,
            Optional<BigDecimal> mark,
            Optional<Instant> markTime,
            Optional<BigDecimal> liquidationPrice,
            Optional<BigDecimal> distance,
            Optional<BigDecimal> z,
            RiskLevel level,
            BigDecimal episodeBudget,
            BigDecimal episodeSpent,
            Optional<String> waitingFor,
            Optional<BigDecimal> backstop) {}

    /** The account as a whole, for a status page. */
    public record View(
            TradingState tradingState,
            BigDecimal freeBalance,
            BigDecimal dayBudget,
            BigDecimal daySpent,
            List<PositionView> positions) {}

    /** What the engine sees now (on the engine's own thread; the runtime publishes it to readers). */
    public View view() {
        List<PositionView> views = new ArrayList<>();
        for (Tracked t : positions.values()) {
            views.add(viewOf(t));
        }
        return new View(gate.tradingState(), gate.freeBalance(), gate.dayBudget(), gate.daySpent(), views);
    }

    /**
     * The positions of {@code symbol} as {@link #view()} shows them, without measuring the others: what a new mark of
     * one symbol changes (a status page on many symbols need not measure them all on every mark).
     */
    public List<PositionView> view(String symbol) {
        List<PositionView> views = new ArrayList<>(2);
        for (Tracked t : positions.values()) {
            if (t.state.position().symbol().equals(symbol)) {
                views.add(viewOf(t));
            }
        }
        return views;
    }

    private PositionView viewOf(Tracked t) {
        Position p = t.state.position();
        Watch watch = watches.get(p.symbol());
        boolean marked = watch != null && watch.marked();
        Optional<BigDecimal> price = t.state.mode() == MarginMode.ISOLATED
                ? Optional.ofNullable(t.liquidation)
                        .flatMap(l -> l instanceof Liquidation.At at ? Optional.of(at.price()) : Optional.empty())
                : liquidation(p.symbol(), p.side())
                        .flatMap(l -> l instanceof Liquidation.At at ? Optional.of(at.price()) : Optional.empty());
        Optional<BigDecimal> distance = marked
                ? price.map(liq -> t.state
                        .exposureSide()
                        .sign()
                        .multiply(watch.mark.subtract(liq))
                        .divide(watch.mark, java.math.MathContext.DECIMAL64))
                : Optional.empty();
        Optional<BigDecimal> z = distance.map(d -> d.divide(sigma(p.symbol()), java.math.MathContext.DECIMAL64));
        Tracked ladder = t.state.mode() == MarginMode.CROSS && cross != null ? cross : t;
        return new PositionView(
                new PositionKey(p.symbol(), p.side()),
                t.state.mode(),
                p.qty(),
                p.entryPrice(),
                t.state.wallet(),
                t.state.leverage(),
                marked ? Optional.of(watch.mark) : Optional.empty(),
                marked ? Optional.of(watch.time) : Optional.empty(),
                price,
                distance,
                z,
                ladder.level,
                gate.episodeBudget(ladder.key),
                gate.episodeSpent(ladder.key),
                t.waiting() ? Optional.of(t.waitingFor()) : Optional.empty(),
                Optional.ofNullable(t.backstop));
    }

    /** What the engine remembers now: books in the order they were opened, the cross account last. */
    public Memory memory() {
        List<BookMemory> books = new ArrayList<>();
        for (Tracked t : positions.values()) {
            books.add(remember(t));
        }
        if (cross != null) {
            books.add(remember(cross));
        }
        // Books restored but not heard of yet are remembered as they were: a restart before the venue's truth arrives
        // loses nothing.
        for (BookMemory waiting : restored.values()) {
            books.add(waiting);
        }
        return new Memory(
                ids.next(),
                halted,
                restrictedUntilNanos == Long.MIN_VALUE ? null : instant(restrictedUntilNanos),
                restricted,
                books,
                gate.memory());
    }

    /**
     * Takes up where {@code memory} left off, before the first event: client ids continue from its next one, a halt or
     * a ban still holds, the gate's budgets and charges are as they were, and each book's ladder, episode, cooldown,
     * waiting intents and opening book come back when its position is first heard of again.
     */
    public void restore(Memory memory) {
        restore(memory, List.of());
    }

    /**
     * As {@link #restore(Memory)}, and the {@code unsettled} intents (journalled, perhaps sent, never answered) count as
     * unknown outcomes: each blocks its position until it is reported again, settled, by a reconcile. A restart never
     * acts again on a position whose last request may have happened.
     */
    public void restore(Memory memory, List<Intent> unsettled) {
        if (!positions.isEmpty() || cross != null) {
            throw new IllegalStateException("restore the engine before its first position update, not after");
        }
        ids.continueFrom(memory.nextIntent());
        halted = memory.halted();
        restrictedUntilNanos = memory.restrictedUntil() == null ? Long.MIN_VALUE : epochNanos(memory.restrictedUntil());
        restricted = memory.restricted();
        gate.restore(memory.gate());
        restored.clear();
        for (BookMemory book : memory.books()) {
            restored.put(book.book().label(), book);
        }
        for (Intent intent : unsettled) {
            if (intent.action() instanceof Action.PlaceBackstop || intent.action() instanceof Action.CancelBackstop) {
                continue;
            }
            String position = label(intent.action().symbol(), intent.action().side());
            BookMemory book = restored.get(position);
            if (book != null && !book.unknown().contains(intent.clientId())) {
                List<String> unknown = new ArrayList<>(book.unknown());
                unknown.add(intent.clientId());
                restored.put(position, withUnknown(book, unknown));
            }
        }
    }

    private static BookMemory withUnknown(BookMemory b, List<String> unknown) {
        return new BookMemory(
                b.book(),
                b.level(),
                b.lastActionAt(),
                b.topUpsThisEpisode(),
                b.inEpisode(),
                b.watchSince(),
                unknown,
                b.pendingSince(),
                b.pendingId(),
                b.openingEquity(),
                b.openingQty(),
                b.openingNotional(),
                b.openingDistance(),
                b.openingAccountEquity(),
                b.netAdded(),
                b.realised(),
                b.feesPaid(),
                b.cutNotional(),
                b.backstop());
    }

    private static BookMemory remember(Tracked t) {
        return new BookMemory(
                t.book,
                t.level,
                t.lastActionAt.orElse(null),
                t.topUpsThisEpisode,
                t.inEpisode,
                t.watchSince,
                List.copyOf(t.unknown),
                t.pendingSince,
                t.pendingId,
                t.openingEquity,
                t.openingQty,
                t.openingNotional,
                t.openingDistance == null ? null : t.openingDistance.orElse(null),
                t.openingAccountEquity,
                t.netAdded,
                t.realised,
                t.feesPaid,
                t.cutNotional,
                t.backstop);
    }

    /** A book heard of for the first time since a restore takes up what it remembered. */
    private void takeUp(Tracked t) {
        BookMemory m = restored.remove(t.key);
        if (m == null) {
            return;
        }
        t.level = m.level();
        t.lastActionAt = Optional.ofNullable(m.lastActionAt());
        t.topUpsThisEpisode = m.topUpsThisEpisode();
        t.inEpisode = m.inEpisode();
        t.watchSince = m.watchSince();
        t.unknown.addAll(m.unknown());
        t.pendingSince = m.pendingSince();
        t.pendingId = m.pendingId();
        t.openingEquity = m.openingEquity();
        t.openingQty = m.openingQty();
        t.openingNotional = m.openingNotional();
        t.openingDistance = Optional.ofNullable(m.openingDistance());
        t.openingAccountEquity = m.openingAccountEquity();
        t.netAdded = m.netAdded();
        t.realised = m.realised();
        t.feesPaid = m.feesPaid();
        t.cutNotional = m.cutNotional();
        t.backstop = m.backstop();
    }

    /**
     * Marks of {@code symbol} taken in fixed point, for a replay that holds its marks as numbers (10⁻⁸) and its times in
     * nanoseconds: each is taken exactly as {@link #step} would take it, while every position is provably quiet at it
     * ({@link Quiet}, checked in fixed point: a mark within one unit of a band's end is left to {@link #step}, which
     * checks it exactly). Null when a run cannot start: the fixed monitor is not in use, a cross account or another
     * symbol is held, the symbol has no mark yet, or a position's policy has proved nothing for it as it stands.
     */
    public QuietRun quietRun(String symbol) {
        if (monitor != Monitor.FIXED || cross != null || positions.isEmpty()) {
            return null;
        }
        Watch watch = null;
        for (Tracked t : positions.values()) {
            // Every position held must be of this symbol: the watch kept on any of them is the symbol's.
            watch = t.watch != null ? t.watch : watches.get(symbol);
            if (watch == null
                    || !watch.marked()
                    // A floor beyond the fixed point has the symbol watched in BigDecimal.
                    || !(watch.volatility instanceof FixedMonitor.Symbol)
                    || !t.state.position().symbol().equals(symbol)
                    || t.state.mode() != MarginMode.ISOLATED
                    // Above WATCH a quiet mark changes nothing of the episode, which must have begun.
                    || (t.level != RiskLevel.WATCH && !t.inEpisode)
                    || t.liquidation == null
                    || t.liquidation instanceof Liquidation.Unavoidable
                    // At a liquidation price at or below zero the distance no longer moves one way with the mark.
                    || (t.liquidation instanceof Liquidation.At at && at.price().signum() <= 0)
                    || !t.unchanged(watch.conviction)) {
                return null;
            }
        }
        return started(watch, positions.values());
    }

    /**
     * A run of {@code watch}'s marks over {@code held}: the last run that ended (QuietRun#finish, #end, #abandon), handed
     * out again (a replay starts hundreds of thousands), else a new one. Null where a bound leaves the fixed point.
     */
    private QuietRun started(Watch watch, java.util.Collection<Tracked> held) {
        QuietRun run = idle != null ? idle : new QuietRun();
        idle = null;
        try {
            run.start(watch, held);
            return run;
        } catch (ArithmeticException beyondFixedPoint) {
            idle = run;
            return null;
        }
    }

    /** Where the liquidation prices solved by other engines of the same replay are kept; null: each is solved. */
    private LiquidationMemo liquidations;

    /**
     * Takes liquidation prices from {@code memo}, and keeps those it solves there, for the engines of other policies
     * replaying the same window on this thread ({@link LiquidationMemo}); null solves each.
     */
    public void share(LiquidationMemo memo) {
        this.liquidations = memo;
    }

    /** The liquidation of {@code state}: another engine's where it solved the same state, else solved. */
    private Liquidation solve(MarginState state) {
        return liquidations == null ? rules.liquidation(state) : liquidations.solve(rules, state);
    }

    /** The last run that ended, to be started again by the next {@link #quietRun}; null while one is open. */
    private QuietRun idle;

    /**
     * Marks of {@code symbol} taken in fixed point by an engine that holds no position yet (a replay's warm-up, before
     * its positions open): each moves only the symbol's volatility, its wait and its time, exactly as {@link #step}
     * takes it ({@link QuietRun} over no position). Null where the fixed monitor is not in use, a position is held, or
     * the symbol has no mark yet (its first is {@link #step}'s, which starts the wait).
     */
    public QuietRun watchRun(String symbol) {
        if (monitor != Monitor.FIXED || !positions.isEmpty() || cross != null) {
            return null;
        }
        Watch watch = watches.get(symbol);
        if (watch == null || !watch.marked() || !(watch.volatility instanceof FixedMonitor.Symbol)) {
            return null;
        }
        return started(watch, List.of());
    }

    /**
     * What {@link #quietRun} returns: take marks (and candle closes) one by one, then {@link #finish} with the last mark
     * taken and {@link #end} with the last event's time, or {@link #abandon} it where it took nothing. Once it ended the
     * run is over: the engine may hand the same object out as its next run.
     */
    public final class QuietRun {
        private Watch watch;
        private FixedMonitor.Symbol volatility;
        private Tracked[] tracked;
        private FixedMonitor.Position[] measures;
        /** The liquidation price of each position, or null where nothing liquidates it (no distance). */
        private BigDecimal[] prices;
        /** Each position's quiet in fixed point ({@link #bounds}), indexed by {@link #MARK_LOW} and the rest. */
        private long[][] bounds;

        private long[] lowest;
        /**
         * For a position with a liquidation price, the marks (10⁻⁸) between which its distance surely stays inside the
         * quiet's bounds, and z too where they bound z, for any σ in {@code insideSigma} ({@link #marks}): a mark there
         * needs no distance at all. The smallest distance of the run is the one at its most adverse mark (the distance
         * moves one way with the mark at a fixed liquidation price). Null until the run's first mark.
         */
        private long[][] inside;

        private long[][] insideSigma;
        /** Each position's {@code insideSigma} as bounds on the variance (null: any σ), and its σ band's (null: none). */
        private long[][] insideBand;

        private long[][] sigmaBand;
        /** Whether a position's quiet bounds z. */
        private boolean[] zBounded;
        /** Each position's exposure side, as it stands through the run. */
        private Side[] sides;
        /** Its most adverse mark taken in the run (10⁻⁸), or -1 before the first. */
        private long[] adverse;
        /**
         * Where the policy reads z's speed, which follows z on every mark: the marks it depends on, worked through at the
         * run's end ({@link ZTrail}).
         */
        private ZTrail[] trails;

        /**
         * Whether any position's quiet bounds σ or z, or z's speed is measured: else σ is not worked out on a quiet mark
         * (no square root), only the variance it comes from; the next full step works it out from there, as it would
         * have.
         */
        private boolean readsSigma;

        private long[] episodeEnds;
        private final long[] memoState = new long[VolatilityMemo.STATE];
        private final long[] memoOut = new long[5];

        /**
         * The memo's chain whose slot held this engine's state at the last mark taken (0: none), and the chain of the
         * slots this run keeps (0 until it keeps one).
         */
        private long chain;

        private long ownChain;
        private int taken;
        /**
         * When the UTC day the run last rolled the gate to ends (ns since the epoch): a later mark rolls it again. Within
         * the run nothing else moves the gate, so a roll on the day's first mark is a roll on each.
         */
        private long rolledUntil;
        /** Whether the run took a close: with a mark taken, it then ends by {@link #finish} or {@link #end}. */
        private boolean closed;

        private QuietRun() {}

        /**
         * Starts the run over {@code held}, every position of the symbol {@code watch} watches: each array is the last
         * run's where it has the size, every slot set again.
         */
        private void start(Watch watch, java.util.Collection<Tracked> held) {
            this.watch = watch;
            this.volatility = (FixedMonitor.Symbol) watch.volatility;
            int n = held.size();
            if (tracked == null || tracked.length != n) {
                allocate(n);
            }
            chain = 0;
            ownChain = 0;
            taken = 0;
            closed = false;
            rolledUntil = Long.MIN_VALUE;
            boolean sigmaRead = false;
            int i = 0;
            for (Tracked t : held) {
                sigmaRead |= hold(i++, t);
            }
            readsSigma = sigmaRead;
        }

        /** Arrays for {@code n} positions (a run's are the last run's where it held as many). */
        private void allocate(int n) {
            tracked = new Tracked[n];
            measures = new FixedMonitor.Position[n];
            prices = new BigDecimal[n];
            bounds = new long[n][];
            lowest = new long[n];
            inside = new long[n][];
            insideSigma = new long[n][];
            insideBand = new long[n][];
            sigmaBand = new long[n][];
            zBounded = new boolean[n];
            sides = new Side[n];
            adverse = new long[n];
            trails = new ZTrail[n];
            episodeEnds = new long[n];
        }

        /**
         * Sets every slot of position {@code i} for {@code t} as it stands (methods of their own, so that the JIT
         * compiles the run's start small and these once); returns whether the run reads σ for it.
         */
        private boolean hold(int i, Tracked t) {
            tracked[i] = t;
            inside[i] = null;
            insideSigma[i] = null;
            insideBand[i] = null;
            trails[i] = null;
            measures[i] = (FixedMonitor.Position) t.measures;
            sides[i] = t.state.exposureSide();
            prices[i] = t.liquidation instanceof Liquidation.At at ? at.price() : null;
            if (t.quietBounds == null) {
                fix(t);
            }
            bounds[i] = t.quietBounds;
            sigmaBand[i] = t.quietSigmaBand;
            adverse[i] = -1;
            zBounded[i] = bounds[i][Z_LOW] != Long.MIN_VALUE || bounds[i][Z_HIGH] != Long.MAX_VALUE;
            if (prices[i] != null && measuresSpeed) {
                trails[i] = ZTrail.fresh(t, measures[i]);
            }
            lowest[i] = lowestOf(t);
            episodeEnds[i] = t.inEpisode && t.level == RiskLevel.WATCH
                    ? Math.addExact(
                            epochNanos(t.watchSince), params.episodeEndsAfter().toNanos())
                    : Long.MAX_VALUE;
            return bounds[i][SIGMA_LOW] != Long.MIN_VALUE
                    || bounds[i][SIGMA_HIGH] != Long.MAX_VALUE
                    || (prices[i] != null && (zBounded[i] || measuresSpeed));
        }

        /** Works out {@code t}'s quiet in fixed point, the first time a run asks after its policy proved it. */
        private void fix(Tracked t) {
            t.quietBounds = bounds(t.quiet);
            long[] b = t.quietBounds;
            t.quietSigmaBand = b[SIGMA_LOW] == Long.MIN_VALUE && b[SIGMA_HIGH] == Long.MAX_VALUE
                    ? null
                    : volatility.varianceBand(b[SIGMA_LOW], b[SIGMA_HIGH]);
        }

        /** The smallest distance kept for {@code t}, in 10⁻¹² ({@link Long#MAX_VALUE}: none yet). */
        private long lowestOf(Tracked t) {
            if (t.lowest == null) {
                t.lowest = minDistances.computeIfAbsent(t.key, k -> new BigDecimal[1]);
            }
            BigDecimal least = t.lowest[0];
            if (least == null) {
                return Long.MAX_VALUE;
            }
            if (least.scale() > FixedMonitor.DISTANCE) {
                throw new ArithmeticException("a smallest distance finer than the fixed point");
            }
            return t.lowestUnits(least);
        }

        /**
         * A quiet's bounds in fixed point: mark (10⁻⁸), σ (10⁻¹⁰) and distance (10⁻¹²) low and high, its end (ns), and z
         * (10⁻¹⁰) low and high. A mark is rounded to 10⁻⁸: one unit inside each end keeps the exact mark inside the band.
         * σ, distances and z are handed out as exact multiples of their units, so theirs are exact.
         */
        private static final int MARK_LOW = 0;

        private static final int MARK_HIGH = 1;
        private static final int SIGMA_LOW = 2;
        private static final int SIGMA_HIGH = 3;
        private static final int DISTANCE_LOW = 4;
        private static final int DISTANCE_HIGH = 5;
        private static final int UNTIL = 6;
        private static final int Z_LOW = 7;
        private static final int Z_HIGH = 8;

        private static long[] bounds(Quiet quiet) {
            long[] b = new long[9];
            java.util.Arrays.fill(b, Long.MAX_VALUE);
            b[MARK_LOW] = Long.MIN_VALUE;
            b[SIGMA_LOW] = Long.MIN_VALUE;
            b[DISTANCE_LOW] = Long.MIN_VALUE;
            b[Z_LOW] = Long.MIN_VALUE;
            if (quiet instanceof Quiet.Wallets band) {
                quiet = band.quiet();
            }
            if (quiet instanceof Quiet.Within q) {
                if (q.lowMark() != null) {
                    b[MARK_LOW] = Math.addExact(Fixed.of(q.lowMark(), FixedMonitor.PRICE, RoundingMode.CEILING), 1);
                }
                if (q.highMark() != null) {
                    b[MARK_HIGH] =
                            Math.subtractExact(Fixed.of(q.highMark(), FixedMonitor.PRICE, RoundingMode.FLOOR), 1);
                }
                if (q.lowSigma() != null) {
                    b[SIGMA_LOW] = Fixed.of(q.lowSigma(), FixedMonitor.MEASURE, RoundingMode.CEILING);
                }
                if (q.highSigma() != null) {
                    b[SIGMA_HIGH] = Fixed.of(q.highSigma(), FixedMonitor.MEASURE, RoundingMode.FLOOR);
                }
                if (q.lowDistance() != null) {
                    b[DISTANCE_LOW] = Fixed.of(q.lowDistance(), FixedMonitor.DISTANCE, RoundingMode.CEILING);
                }
                if (q.highDistance() != null) {
                    b[DISTANCE_HIGH] = Fixed.of(q.highDistance(), FixedMonitor.DISTANCE, RoundingMode.FLOOR);
                }
                if (q.until() != null) {
                    b[UNTIL] = epochNanos(q.until());
                }
                if (q.lowZ() != null) {
                    b[Z_LOW] = Fixed.of(q.lowZ(), FixedMonitor.MEASURE, RoundingMode.CEILING);
                }
                if (q.highZ() != null) {
                    b[Z_HIGH] = Fixed.of(q.highZ(), FixedMonitor.MEASURE, RoundingMode.FLOOR);
                }
            }
            return b;
        }

        /**
         * The marks (10⁻⁸) between which the distance to {@code liquidation} (positive) stays inside the distance
         * bounds of {@code b}: {low, high}, checked at both ends with the very distance a mark is measured by. At a fixed
         * liquidation price the distance only rises with the mark for a long and only falls for a short, so the check
         * at the ends covers every mark between. The ends come from the bounds solved for the mark (a mark one unit
         * inside); where either check fails, or the solve leaves the fixed point, no mark is inside ({1, 0}) and each
         * is measured.
         */
        private static long[] inside(FixedMonitor.Position measure, Side side, BigDecimal liquidation, long[] b) {
            try {
                long at = measure.units(liquidation);
                long one = Fixed.ten(FixedMonitor.DISTANCE);
                boolean longs = side == Side.LONG;
                // A long's distance is 1 - L/p, a short's L/p - 1: at least dL where p >= L/(1 - dL) (long) or
                // p <= L/(1 + dL) (short), at most dH where p <= L/(1 - dH) (long) or p >= L/(1 + dH) (short).
                long low = Long.MIN_VALUE;
                long high = Long.MAX_VALUE;
                long dLow = b[DISTANCE_LOW];
                long dHigh = b[DISTANCE_HIGH];
                if (dLow != Long.MIN_VALUE) {
                    long over = longs ? one - dLow : one + dLow;
                    if (over <= 0) {
                        return new long[] {1, 0};
                    }
                    long p = Fixed.mulDiv(at, one, over);
                    if (longs) {
                        low = Math.max(low, p + 1);
                    } else {
                        high = Math.min(high, p - 1);
                    }
                }
                if (dHigh != Long.MAX_VALUE) {
                    long over = longs ? one - dHigh : one + dHigh;
                    if (over > 0) {
                        long p = Fixed.mulDiv(at, one, over);
                        if (longs) {
                            high = Math.min(high, p - 1);
                        } else {
                            low = Math.max(low, p + 1);
                        }
                    } else if (!longs) {
                        return new long[] {1, 0};
                    }
                }
                // Each end a bound set is checked with the very distance a mark is measured by; an open end needs none
                // (the distance moves away from the bound set at the other end).
                boolean lowSet = low != Long.MIN_VALUE;
                low = Math.max(low, 1);
                if (low > high
                        || (lowSet && !within(measure.distance(side, low, liquidation), b))
                        || (high != Long.MAX_VALUE && !within(measure.distance(side, high, liquidation), b))) {
                    return new long[] {1, 0};
                }
                return new long[] {low, high};
            } catch (ArithmeticException beyondFixedPoint) {
                return new long[] {1, 0};
            }
        }

        /**
         * Position {@code i}'s {@link #inside} marks, at σ {@code sigma} (10⁻¹⁰; not worked out where the quiet bounds no
         * z), kept on the position for the next run at the same liquidation price whose first σ lies in their range.
         * Where the quiet bounds z they hold for any σ within 5 % of {@code sigma}: z = d · 10⁸ / σ (truncated) is at
         * least zL where d · 10⁸ ≥ zL · σ and at most zH where d · 10⁸ ≤ zH · σ, so the distance band narrows to one
         * unit inside what the z bounds give at the σ that binds; else for any σ.
         */
        private void marks(int i, long sigma) {
            Tracked t = tracked[i];
            if (t.quietMarks == null
                    || t.quietMarksAt != prices[i]
                    || sigma < t.quietMarksSigma[0]
                    || sigma > t.quietMarksSigma[1]) {
                long[] b = bounds[i];
                long[] range = {Long.MIN_VALUE, Long.MAX_VALUE};
                long[] narrowed = b;
                if (zBounded[i]) {
                    range = new long[] {sigma - sigma / 20, sigma + sigma / 20};
                    narrowed = b.clone();
                    try {
                        long unit = Fixed.ten(2 * FixedMonitor.MEASURE - FixedMonitor.DISTANCE);
                        if (b[Z_LOW] != Long.MIN_VALUE) {
                            long d = Fixed.mulDiv(b[Z_LOW], b[Z_LOW] >= 0 ? range[1] : range[0], unit) + 1;
                            narrowed[DISTANCE_LOW] = Math.max(narrowed[DISTANCE_LOW], d);
                        }
                        if (b[Z_HIGH] != Long.MAX_VALUE) {
                            long d = Fixed.mulDiv(b[Z_HIGH], b[Z_HIGH] >= 0 ? range[0] : range[1], unit) - 1;
                            narrowed[DISTANCE_HIGH] = Math.min(narrowed[DISTANCE_HIGH], d);
                        }
                    } catch (ArithmeticException beyondFixedPoint) {
                        narrowed[DISTANCE_LOW] = 1;
                        narrowed[DISTANCE_HIGH] = 0;
                    }
                }
                t.quietMarks = narrowed[DISTANCE_LOW] > narrowed[DISTANCE_HIGH]
                        ? new long[] {1, 0}
                        : inside(measures[i], sides[i], prices[i], narrowed);
                t.quietMarksSigma = range;
                t.quietMarksBand = zBounded[i] ? volatility.varianceBand(range[0], range[1]) : null;
                t.quietMarksAt = prices[i];
            }
            inside[i] = t.quietMarks;
            insideSigma[i] = t.quietMarksSigma;
            insideBand[i] = t.quietMarksBand;
        }

        private static boolean within(long distance, long[] b) {
            return distance >= b[DISTANCE_LOW] && distance <= b[DISTANCE_HIGH];
        }

        /**
         * Takes a mark of {@code price} (10⁻⁸) at {@code nanos}, exactly as {@link #step} would, when every position
         * is quiet at it; otherwise takes nothing and returns false (the mark is then {@link #step}'s).
         */
        public boolean take(long nanos, long price) {
            return take(nanos, price, null, -1);
        }

        /**
         * {@link #take(long, long)} at step {@code index} of a replay whose other policies' engines keep what they
         * worked out in {@code memo}: the variance and σ are taken from it where this engine's state is the one they
         * were worked out from, and kept in it where not.
         */
        public boolean take(long nanos, long price, VolatilityMemo memo, int index) {
            if (nanos <= watch.timeNanos || price <= 0) {
                return false;
            }
            long wait = nanos - watch.timeNanos;
            long slowest = watch.slowest;
            long slowestAt = watch.slowestAtNanos;
            if (nanos - slowestAt > memoryNanos || slowest <= wait) {
                slowest = wait;
                slowestAt = nanos;
            }
            long variance;
            long sigma = VolatilityMemo.NOT_WORKED_OUT;
            // The slot of a mark this run takes right after one whose slot the same run of another engine kept: the
            // state is that slot's without comparing it. Else the state is compared in full.
            boolean trusted = memo != null && memo.trusted(index, chain, memoOut);
            boolean found = trusted;
            long nextChain = chain;
            if (memo != null && !trusted) {
                volatility.state(nanos, price, slowest, slowestAt, memoState);
                found = memo.find(index, memoState, memoOut);
                nextChain = found ? memo.chain(index) : 0;
            }
            if (found) {
                variance = memoOut[0];
                sigma = memoOut[1];
                if (sigma != VolatilityMemo.NOT_WORKED_OUT) {
                    volatility.marksRoot(memoOut[2]);
                }
            } else {
                variance = volatility.next(nanos, price, memo, index);
                if (memo != null) {
                    nextChain = memo.keep(index, memoState, variance, sigma, 0, ownChain(memo)) ? ownChain : 0;
                }
            }
            // σ itself is worked out only where its value is read (z, and z's speed at the run's end); its bands are
            // told from the variance. Where σ may leave the fixed point, or a slow wait stretches it, it is worked out
            // here, as the step would.
            if (readsSigma
                    && sigma == VolatilityMemo.NOT_WORKED_OUT
                    && volatility.sigmaWithin(variance, slowest, FixedMonitor.Symbol.ANY_SIGMA) < 0) {
                sigma = sigmaNow(variance, slowest, memo, index);
                if (sigma < 0) {
                    return false;
                }
            }
            for (int i = 0; i < tracked.length; i++) {
                long[] b = bounds[i];
                if (price < b[MARK_LOW] || price > b[MARK_HIGH] || nanos >= b[UNTIL]) {
                    return false;
                }
                if (sigmaBand[i] != null
                        && (sigma != VolatilityMemo.NOT_WORKED_OUT
                                ? sigma < b[SIGMA_LOW] || sigma > b[SIGMA_HIGH]
                                : volatility.sigmaWithin(variance, slowest, sigmaBand[i]) == 0)) {
                    return false;
                }
                if (prices[i] != null) {
                    if (inside[i] == null || !knownAt(i, sigma, variance, slowest)) {
                        // The marks known to keep the distance and z in bounds: none yet, or σ left the band they hold
                        // for (only a quiet that bounds z has one). Worked out around this σ, which z needs below
                        // anyway, for this mark and the next.
                        if (zBounded[i] && sigma == VolatilityMemo.NOT_WORKED_OUT) {
                            sigma = sigmaNow(variance, slowest, memo, index);
                            if (sigma < 0) {
                                return false;
                            }
                        }
                        marks(i, sigma);
                    }
                    long[] in = inside[i];
                    if (price < in[0] || price > in[1]) {
                        long d = measures[i].distance(sides[i], price, prices[i]);
                        if (!within(d, b)) {
                            return false;
                        }
                        if (zBounded[i]) {
                            if (sigma == VolatilityMemo.NOT_WORKED_OUT) {
                                sigma = sigmaNow(variance, slowest, memo, index);
                                if (sigma < 0) {
                                    return false;
                                }
                            }
                            long zi = FixedMonitor.Position.z(d, sigma);
                            if (zi < b[Z_LOW] || zi > b[Z_HIGH]) {
                                return false;
                            }
                        }
                    }
                }
            }
            // What σ is at least besides the marks, for a trail's σ worked out at the run's end (the next close moves
            // it).
            long least = readsSigma && sigma == VolatilityMemo.NOT_WORKED_OUT ? volatility.leastSigma() : 0;
            volatility.commit(nanos, price, variance);
            chain = nextChain;
            watch.slowest = slowest;
            watch.slowestAtNanos = slowestAt;
            watch.timeNanos = nanos;
            for (int i = 0; i < tracked.length; i++) {
                Tracked t = tracked[i];
                if (prices[i] != null) {
                    long a = adverse[i];
                    adverse[i] = a < 0 ? price : sides[i] == Side.LONG ? Math.min(a, price) : Math.max(a, price);
                    if (trails[i] != null) {
                        trails[i].add(nanos, price, sigma, variance, least);
                    }
                }
                // At WATCH with nothing to do, an episode ends an hour (by default) after the position came back.
                if (nanos >= episodeEnds[i] && t.inEpisode) {
                    t.inEpisode = false;
                    episodeEnds[i] = Long.MAX_VALUE;
                    gate.endEpisode(t.key);
                }
            }
            roll(nanos);
            taken++;
            return true;
        }

        /**
         * Takes the marks from {@code from} on, up to {@code to} (not included), at once, exactly as {@link #take} would
         * take them one by one, as long as each is a mark {@link #take} would take from the memo without working
         * anything out: a mark whose memo slot the same run as the last mark taken kept, later than the one before, at or
         * above 1 and inside {@code [low, high]} (10⁻⁸) and every position's mark bounds, before {@code before} (ns),
         * every quiet's end and every episode's, with σ told inside each position's σ band from the slot's variance (or
         * its σ, where it holds one), and the mark inside the marks where each position's distance and z are known to be
         * within their bounds ({@link #marks}). Such a mark changes only the volatility (as the slot hands it out), the
         * wait, the time, the most adverse mark, the gate's day and z's trail, and the last of them says where each of
         * the others is; the trail takes each one. Returns the first index not taken, {@code from} where none was
         * (nothing then changed): {@link #take} takes that one, or ends the run.
         *
         * @param nanos each step's time (ns since the epoch), by index
         * @param marks each step's mark (10⁻⁸) by index; a step that is not a mark has no slot of a mark's
         */
        public int jump(
                int from, int to, long[] nanos, long[] marks, long low, long high, long before, VolatilityMemo memo) {
            if (memo == null || chain == 0) {
                return from;
            }
            int until = memo.trustedUntil(from, to, chain);
            if (until <= from) {
                return from;
            }
            long lo = Math.max(low, 1);
            long hi = high;
            long end = before;
            for (int i = 0; i < tracked.length; i++) {
                long[] b = bounds[i];
                lo = Math.max(lo, b[MARK_LOW]);
                hi = Math.min(hi, b[MARK_HIGH]);
                end = Math.min(end, Math.min(b[UNTIL], episodeEnds[i]));
                if (prices[i] != null) {
                    if (inside[i] == null) {
                        return from;
                    }
                    lo = Math.max(lo, inside[i][0]);
                    hi = Math.min(hi, inside[i][1]);
                }
            }
            long last = watch.timeNanos;
            long least = Long.MAX_VALUE;
            long most = Long.MIN_VALUE;
            int k = from;
            while (k < until) {
                long price = marks[k];
                long at = nanos[k];
                if (price < lo || price > hi || at >= end || at <= last || !told(k, memo)) {
                    break;
                }
                // z's trail takes every mark, as it was told (memoOut holds its slot): σ where the slot holds it, else
                // the variance and what σ is at least besides the marks (the ranges' σ, which told worked out).
                long sigma = memoOut[1];
                long leastSigma = readsSigma && sigma == VolatilityMemo.NOT_WORKED_OUT ? volatility.leastSigma() : 0;
                for (ZTrail trail : trails) {
                    if (trail != null) {
                        trail.add(at, price, sigma, memoOut[0], leastSigma);
                    }
                }
                least = Math.min(least, price);
                most = Math.max(most, price);
                last = at;
                k++;
            }
            if (k == from) {
                return from;
            }
            int tail = k - 1;
            memo.after(tail, memoOut);
            if (memoOut[1] != VolatilityMemo.NOT_WORKED_OUT) {
                volatility.marksRoot(memoOut[2]);
            }
            volatility.took(nanos[tail], marks[tail], memoOut[0]);
            watch.slowest = memoOut[3];
            watch.slowestAtNanos = memoOut[4];
            watch.timeNanos = nanos[tail];
            for (int i = 0; i < tracked.length; i++) {
                if (prices[i] != null) {
                    long a = adverse[i];
                    long worst = sides[i] == Side.LONG ? least : most;
                    adverse[i] = a < 0 ? worst : sides[i] == Side.LONG ? Math.min(a, worst) : Math.max(a, worst);
                }
            }
            roll(nanos[tail]);
            taken += k - from;
            return k;
        }

        /**
         * Whether σ ({@link VolatilityMemo#NOT_WORKED_OUT}: told from the variance and the slowest wait) surely lies in
         * the band position {@code i}'s known marks hold for ({@link #marks}; any σ where they hold for every one).
         */
        private boolean knownAt(int i, long sigma, long variance, long slowest) {
            if (insideBand[i] == null) {
                return true;
            }
            long[] at = insideSigma[i];
            return sigma != VolatilityMemo.NOT_WORKED_OUT
                    ? sigma >= at[0] && sigma <= at[1]
                    : volatility.sigmaWithin(variance, slowest, insideBand[i]) == 1;
        }

        /**
         * Whether {@link #take} would take mark {@code k} from its slot without working σ out: told from the slot's
         * variance (or its σ, where it holds one) inside every position's σ band and the band its known marks hold for.
         */
        private boolean told(int k, VolatilityMemo memo) {
            memo.after(k, memoOut);
            long variance = memoOut[0];
            long sigma = memoOut[1];
            long slowest = memoOut[3];
            boolean worked = sigma != VolatilityMemo.NOT_WORKED_OUT;
            if (readsSigma && !worked && volatility.sigmaWithin(variance, slowest, FixedMonitor.Symbol.ANY_SIGMA) < 0) {
                return false;
            }
            for (int i = 0; i < tracked.length; i++) {
                long[] b = bounds[i];
                if (sigmaBand[i] != null
                        && (worked
                                ? sigma < b[SIGMA_LOW] || sigma > b[SIGMA_HIGH]
                                : volatility.sigmaWithin(variance, slowest, sigmaBand[i]) != 1)) {
                    return false;
                }
                if (prices[i] != null && !knownAt(i, sigma, variance, slowest)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * σ at this mark, worked out ({@link FixedMonitor.Symbol#units}; -1 where it leaves the fixed point) and kept in
         * the memo's slot of the mark, which holds this engine's state.
         */
        private long sigmaNow(long variance, long slowest, VolatilityMemo memo, int index) {
            long sigma = volatility.units(variance, true, slowest);
            if (sigma >= 0 && memo != null) {
                memo.keepSigma(index, sigma, volatility.marksRoot());
            }
            return sigma;
        }

        private long ownChain(VolatilityMemo memo) {
            if (ownChain == 0) {
                ownChain = memo.newChain();
            }
            return ownChain;
        }

        /**
         * The marks a position's z's speed depends on, kept through a run and worked through at its end exactly as each
         * mark would have been (its distance and z, then the speed): the speed is a mean over five minutes, so after a
         * wait of five minutes or more it is the last move of z alone, and only the mark before such a wait and the
         * marks after it are kept.
         */
        private static final class ZTrail {
            private static final long FIVE_MINUTES_NANOS = 300_000L * 1_000_000L;
            private final FixedMonitor.Position measure;
            private long[] nanos = new long[8];
            private long[] prices = new long[8];
            /** σ at each mark kept, or not worked out: then the variance and what σ was at least besides the marks. */
            private long[] sigmas = new long[8];

            private long[] variances = new long[8];
            private long[] leasts = new long[8];
            private int size;
            /** Whether the first mark kept only gives the z the next one moves from (a wait of five minutes after it). */
            private boolean fromFirst;

            ZTrail(FixedMonitor.Position measure) {
                this.measure = measure;
            }

            /**
             * An empty trail for {@code t}'s run: the one its last run used, emptied (runs of one engine follow each
             * other, and a trail is read only at its run's end), where it was for the same measure.
             */
            static ZTrail fresh(Tracked t, FixedMonitor.Position measure) {
                ZTrail trail = t.trail;
                if (trail == null || trail.measure != measure) {
                    trail = new ZTrail(measure);
                    t.trail = trail;
                }
                trail.size = 0;
                trail.fromFirst = false;
                return trail;
            }

            void add(long at, long price, long sigma, long variance, long least) {
                long before = size > 0 ? nanos[size - 1] : measure.hasZ() ? measure.lastZNanos() : Long.MAX_VALUE;
                if (before != Long.MAX_VALUE && at - before >= FIVE_MINUTES_NANOS) {
                    if (size > 0) {
                        nanos[0] = nanos[size - 1];
                        prices[0] = prices[size - 1];
                        sigmas[0] = sigmas[size - 1];
                        variances[0] = variances[size - 1];
                        leasts[0] = leasts[size - 1];
                        size = 1;
                        fromFirst = true;
                    }
                }
                if (size == nanos.length) {
                    nanos = java.util.Arrays.copyOf(nanos, size * 2);
                    prices = java.util.Arrays.copyOf(prices, size * 2);
                    sigmas = java.util.Arrays.copyOf(sigmas, size * 2);
                    variances = java.util.Arrays.copyOf(variances, size * 2);
                    leasts = java.util.Arrays.copyOf(leasts, size * 2);
                }
                nanos[size] = at;
                prices[size] = price;
                sigmas[size] = sigma;
                variances[size] = variance;
                leasts[size] = least;
                size++;
            }

            /** Works the kept marks through the position's measures, as each would have been on its own. */
            void replay(Side side, BigDecimal liquidation, FixedMonitor.Symbol volatility) {
                for (int k = 0; k < size; k++) {
                    long sigma = sigmas[k] != VolatilityMemo.NOT_WORKED_OUT
                            ? sigmas[k]
                            : volatility.sigmaAt(variances[k], leasts[k]);
                    long z = FixedMonitor.Position.z(measure.distance(side, prices[k], liquidation), sigma);
                    // The first of a wait's two marks sets only the z the speed moves from (any speed before it is
                    // replaced by the next mark's move).
                    measure.commit(z, nanos[k], k == 0 && fromFirst ? 0 : measure.speedAfter(z, nanos[k]));
                }
                size = 0;
                fromFirst = false;
            }
        }

        /**
         * A quiet position's mark rolls the gate's day at {@code nanos} ({@link Engine#decide}); a mark with none held
         * does not. Rolling to a day the gate is on already changes nothing, so only a mark past the last day rolled
         * rolls.
         */
        private void roll(long nanos) {
            if (tracked.length != 0 && nanos >= rolledUntil) {
                long second = Math.floorDiv(nanos, 1_000_000_000L);
                gate.roll(second);
                rolledUntil = (Math.floorDiv(second, 86_400L) + 1) * 86_400L * 1_000_000_000L;
            }
        }

        /** How many marks were taken. */
        public int taken() {
            return taken;
        }

        /**
         * Ends the run: {@code last}, the last mark taken, becomes the symbol's newest mark, and the trading state is as
         * {@link #step} leaves it at that time.
         */
        public Step finish(EngineEvent.MarkUpdated last) {
            if (taken == 0) {
                return Step.NONE;
            }
            if (epochNanos(last.time()) != watch.timeNanos) {
                throw new IllegalArgumentException(
                        "the last mark taken was at " + watch.timeNanos + " ns, not " + last.time());
            }
            watch.mark = last.mark();
            watch.last = last.last();
            watch.time = last.time();
            for (int i = 0; i < tracked.length; i++) {
                if (adverse[i] >= 0) {
                    long d = measures[i].distance(sides[i], adverse[i], prices[i]);
                    lowest[i] = Math.min(lowest[i], d);
                }
                if (trails[i] != null) {
                    trails[i].replay(sides[i], prices[i], volatility);
                }
                Tracked t = tracked[i];
                BigDecimal[] least = t.lowest;
                if (lowest[i] != Long.MAX_VALUE && (least[0] == null || t.lowestUnits(least[0]) != lowest[i])) {
                    least[0] = Fixed.decimal(lowest[i], FixedMonitor.DISTANCE);
                }
            }
            facts = null;
            updateTradingState(last.time());
            idle = this;
            return collected();
        }

        /**
         * A candle of the symbol closed: its range moves the volatility, as {@link #step} takes it. Its high and low are
         * in 10⁻⁸ and its interval in seconds, given only for a candle that {@link #counts} (any other moves nothing).
         */
        public void candle(long high, long low, long seconds) {
            closed = true;
            volatility.candle(high, low, seconds);
        }

        /**
         * {@link #candle(long, long, long)} at step {@code index} of a replay whose other policies' engines keep what
         * they worked out in {@code memo}: the ranges' variance after the close is taken from it where this engine's
         * before it is the one it was worked out from, and kept in it where not.
         */
        public void candle(long high, long low, long seconds, VolatilityMemo memo, int index) {
            closed = true;
            volatility.candle(high, low, seconds, memo, index);
        }

        /** Whether a candle with this range and interval moves the volatility at all. */
        public static boolean counts(BigDecimal high, BigDecimal low, Duration interval) {
            return FixedMonitor.Symbol.counts(high, low, interval);
        }

        /**
         * Ends a run whose last event was not a mark (a candle's close) at {@code time}: the trading state as
         * {@link #step} leaves it. {@link #finish} does the same at the last mark's time.
         */
        public Step end(Instant time) {
            facts = null;
            updateTradingState(time);
            idle = this;
            return collected();
        }

        /**
         * Ends a run that took nothing (no mark, no close): the engine is as it was, and may hand this object out as its
         * next run.
         */
        public void abandon() {
            if (taken > 0 || closed) {
                throw new IllegalStateException("a run that took marks or closes ends by finish or end");
            }
            idle = this;
        }
    }

    /** The smallest distance to liquidation (fraction of the mark) seen for this position, closed or not. */
    public Optional<BigDecimal> minDistance(String symbol, Side side) {
        BigDecimal[] least = minDistances.get(label(symbol, side));
        return least == null ? Optional.empty() : Optional.ofNullable(least[0]);
    }

    /** The liquidation the monitor measured last for this position. */
    public Optional<Liquidation> liquidation(String symbol, Side side) {
        Tracked tracked = positions.get(label(symbol, side));
        if (tracked == null) {
            return Optional.empty();
        }
        if (tracked.state.mode() == MarginMode.CROSS) {
            // The price of this symbol at which the cross account is liquidated by a common move of every mark.
            Optional<CrossAccount.Member> member = crossAccount().flatMap(a -> a.member(symbol, side));
            if (member.isEmpty() || crossDistance.isEmpty()) {
                return Optional.empty();
            }
            BigDecimal d = crossDistance.get();
            return Optional.of(
                    d.signum() < 0
                            ? new Liquidation.Unavoidable("the cross account is at or below maintenance")
                            : crossLiquidation(member.get(), d, tracked.state));
        }
        return Optional.ofNullable(tracked.liquidation);
    }

    /** Whether no position is tracked: nothing the engine hears can lead to an action until one is. */
    public boolean tracksNothing() {
        return positions.isEmpty();
    }

    public Optional<RiskLevel> level(String symbol, Side side) {
        Tracked tracked = positions.get(label(symbol, side));
        return tracked == null ? Optional.empty() : Optional.of(tracked.level);
    }
}
