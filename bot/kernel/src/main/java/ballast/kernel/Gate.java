package ballast.kernel;

import ballast.core.policy.Action;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Enforces the budgets and the trading state whatever a policy proposes. Money for a top-up is counted when the top-up
 * is admitted (so two top-ups in flight cannot both spend the last of a budget) and given back only when the venue
 * proves it did not apply it.
 *
 * <p>Budgets: per position per episode, a share of the free balance the episode started with; per UTC day, a share of
 * the free balance the day started with; never more than the free balance.
 */
public final class Gate {
    private static final MathContext MC = MathContext.DECIMAL64;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /**
     * @param episodeSharePct a position may spend this share of the free balance at the start of its episode
     * @param daySharePct all positions together may spend this share of the free balance at the start of the UTC day
     * @param maxTopUpsPerEpisode top-ups one position may make in one episode, whatever the money left
     */
    public record Params(BigDecimal episodeSharePct, BigDecimal daySharePct, int maxTopUpsPerEpisode) {
        public Params {
            if (maxTopUpsPerEpisode < 0) {
                throw new IllegalArgumentException(
                        "gate: maxTopUpsPerEpisode must be >= 0, was " + maxTopUpsPerEpisode);
            }
            if (episodeSharePct.signum() < 0 || episodeSharePct.compareTo(HUNDRED) > 0) {
                throw new IllegalArgumentException("gate: episodeSharePct must be in [0, 100], was " + episodeSharePct);
            }
            if (daySharePct.signum() < 0 || daySharePct.compareTo(HUNDRED) > 0) {
                throw new IllegalArgumentException("gate: daySharePct must be in [0, 100], was " + daySharePct);
            }
        }

        /** Money budgets only: no limit on the number of top-ups. */
        public Params(BigDecimal episodeSharePct, BigDecimal daySharePct) {
            this(episodeSharePct, daySharePct, Integer.MAX_VALUE);
        }

        public static Params defaults() {
            return new Params(new BigDecimal("20"), new BigDecimal("60"), 3);
        }
    }

    /** The gate's answer. */
    public sealed interface Verdict {
        record Admitted() implements Verdict {}

        record Refused(String reason) implements Verdict {}
    }

    /** One book's running episode: its budget, what it spent, how many top-ups it made. */
    public record Episode(String book, long id, BigDecimal budget, BigDecimal spent, int topUps) {}

    /**
     * What an admitted top-up was counted against, so a refund goes back to the same episode and the same day: keyed by
     * the intent's client id, which the journal keeps, so a charge outlives the process that made it.
     */
    public record Charge(String clientId, String book, long episode, LocalDate day, BigDecimal amount) {}

    /**
     * Everything the gate remembers, to be journalled and restored after a restart: the running episodes, the top-ups
     * not yet settled, the day and what it spent, the free balance it last heard. The trading state is the engine's.
     */
    public record Memory(
            List<Episode> episodes,
            List<Charge> charges,
            long episodeSequence,
            LocalDate day,
            BigDecimal dayBudget,
            BigDecimal daySpent,
            BigDecimal freeBalance) {
        public Memory {
            episodes = List.copyOf(episodes);
            charges = List.copyOf(charges);
        }
    }

    private final Params params;
    private final Map<String, Episode> episodes = new HashMap<>();
    // Keyed by the intent's client id: a refund or settlement names the very top-up that was charged.
    private final Map<String, Charge> charges = new LinkedHashMap<>();
    private long episodeSequence;
    private TradingState state = TradingState.ACTIVE;
    private BigDecimal freeBalance = BigDecimal.ZERO;
    private LocalDate day;
    private long dayNumber;
    private BigDecimal dayBudget = BigDecimal.ZERO;
    private BigDecimal daySpent = BigDecimal.ZERO;

    /** Symbols whose positions keep other per-position limits (the day's share is the account's). */
    private final Map<String, Params> bySymbol;

    public Gate(Params params) {
        this(params, Map.of());
    }

    /**
     * @param bySymbol symbols whose positions have their own episode share and top-up cap; the day's share is always
     *     {@code params}'s, as the day's budget is the whole account's
     */
    public Gate(Params params, Map<String, Params> bySymbol) {
        this.params = params;
        this.bySymbol = Map.copyOf(bySymbol);
    }

    /** The limits of {@code book}: its symbol's when it has its own, else the account's. */
    private Params paramsOf(String book) {
        if (bySymbol.isEmpty() || book.equals(Engine.CROSS)) {
            return params;
        }
        int colon = book.lastIndexOf(':');
        return colon <= 0 ? params : bySymbol.getOrDefault(book.substring(0, colon), params);
    }

    public void tradingState(TradingState newState) {
        this.state = newState;
    }

    public TradingState tradingState() {
        return state;
    }

    public void freeBalance(BigDecimal free) {
        this.freeBalance = free;
    }

    public BigDecimal freeBalance() {
        return freeBalance;
    }

    /** Starts an episode for {@code position}: its budget is fixed now, from the free balance now. */
    public void startEpisode(String position) {
        episodes.put(
                position,
                new Episode(
                        position,
                        ++episodeSequence,
                        share(freeBalance, paramsOf(position).episodeSharePct()),
                        BigDecimal.ZERO,
                        0));
    }

    public void endEpisode(String position) {
        episodes.remove(position);
    }

    /**
     * Time has reached {@code now}: a new UTC day starts its budget from the free balance then. The engine tells the gate
     * on every mark of a held position, asked about a budget or not (a quiet run on the first mark of each UTC day it
     * reaches, which is the same), so the day starts at the same moment either way.
     */
    public void roll(Instant now) {
        rollDay(now.getEpochSecond());
    }

    /** {@link #roll(Instant)} at a time given in seconds since the epoch. */
    public void roll(long epochSecond) {
        rollDay(epochSecond);
    }

    /** What {@code position} may still spend on top-ups now: the smallest of its budgets and the free balance. */
    public BigDecimal budgetLeft(String position, Instant now) {
        rollDay(now);
        Episode episode = episodes.get(position);
        BigDecimal episodeLeft =
                episode == null ? BigDecimal.ZERO : episode.budget().subtract(episode.spent());
        return episodeLeft.min(dayBudget.subtract(daySpent)).min(freeBalance).max(BigDecimal.ZERO);
    }

    /**
     * Admits or refuses one action for {@code position}; an admitted top-up is counted against its budgets at once,
     * under {@code clientId} (the id its intent is sent with, which a refund or settlement names).
     */
    public Verdict admit(String position, String clientId, Action action, Instant now) {
        // An alert, or the exchange-side backstop (it only ever closes, and spends nothing), passes in any state.
        if (action instanceof Action.Alert
                || action instanceof Action.PlaceBackstop
                || action instanceof Action.CancelBackstop) {
            return new Verdict.Admitted();
        }
        if (state == TradingState.HALTED) {
            return new Verdict.Refused("trading is HALTED: only alerts pass");
        }
        if (state == TradingState.REDUCING && !action.protective()) {
            return new Verdict.Refused("trading is REDUCING: only protective actions pass");
        }
        if (action instanceof Action.TopUpMargin topUp) {
            BigDecimal left = budgetLeft(position, now);
            if (topUp.amount().compareTo(left) > 0) {
                return new Verdict.Refused("top-up " + topUp.amount().toPlainString() + " is over the budget left, "
                        + left.toPlainString());
            }
            Episode episode = episodes.get(position);
            int cap = paramsOf(position).maxTopUpsPerEpisode();
            if (episode.topUps() >= cap) {
                return new Verdict.Refused("this episode has had its " + cap + " top-ups");
            }
            if (charges.containsKey(clientId)) {
                throw new IllegalArgumentException("client id " + clientId + " has already been charged");
            }
            episodes.put(
                    position,
                    new Episode(
                            position,
                            episode.id(),
                            episode.budget(),
                            episode.spent().add(topUp.amount()),
                            episode.topUps() + 1));
            daySpent = daySpent.add(topUp.amount());
            freeBalance = freeBalance.subtract(topUp.amount());
            charges.put(clientId, new Charge(clientId, position, episode.id(), day, topUp.amount()));
        }
        return new Verdict.Admitted();
    }

    /**
     * The venue proved a top-up did not happen: its money goes back to the free balance, and to the episode and the day
     * it was counted against if they are still running (a refund never enlarges a later episode or day). Returns the
     * book whose running episode the top-up had been counted against (it now has one top-up fewer), or empty.
     */
    public Optional<String> refund(String clientId, Instant now) {
        Charge charge = charges.remove(clientId);
        if (charge == null) {
            return Optional.empty();
        }
        rollDay(now);
        Episode episode = episodes.get(charge.book());
        if (episode != null && episode.id() == charge.episode()) {
            episodes.put(
                    charge.book(),
                    new Episode(
                            charge.book(),
                            episode.id(),
                            episode.budget(),
                            episode.spent().subtract(charge.amount()),
                            episode.topUps() - 1));
        }
        if (charge.day().equals(day)) {
            daySpent = daySpent.subtract(charge.amount());
        }
        freeBalance = freeBalance.add(charge.amount());
        return episode != null && episode.id() == charge.episode() ? Optional.of(charge.book()) : Optional.empty();
    }

    /**
     * A cut that kept its margin was filled: the free balance paid its realised loss and fee to keep the released margin
     * in the position, a top-up in all but name, so it counts against the position's episode and the day (never
     * below zero: a cut in profit spends nothing).
     */
    public void chargeKept(String position, BigDecimal amount, Instant now) {
        if (amount.signum() <= 0) {
            return;
        }
        rollDay(now);
        Episode episode = episodes.get(position);
        if (episode != null) {
            episodes.put(
                    position,
                    new Episode(
                            position,
                            episode.id(),
                            episode.budget(),
                            episode.spent().add(amount),
                            episode.topUps()));
        }
        daySpent = daySpent.add(amount);
    }

    /** The venue confirmed the top-up sent as {@code clientId}: its charge is final. */
    public void settle(String clientId) {
        charges.remove(clientId);
    }

    /** Whether a top-up sent as {@code clientId} is charged and not yet settled or refunded. */
    public boolean charged(String clientId) {
        return charges.containsKey(clientId);
    }

    /** What the gate remembers now (episodes in book order, charges in the order they were made). */
    public Memory memory() {
        List<Episode> running = new ArrayList<>(episodes.values());
        running.sort(Comparator.comparing(Episode::book));
        return new Memory(
                running, new ArrayList<>(charges.values()), episodeSequence, day, dayBudget, daySpent, freeBalance);
    }

    /**
     * Takes up where {@code memory} left off, replacing whatever this gate held: a restarted bot spends from the
     * budgets the last one left, and a refund or settlement of a top-up the last one sent finds its charge.
     */
    public void restore(Memory memory) {
        episodes.clear();
        for (Episode e : memory.episodes()) {
            episodes.put(e.book(), e);
        }
        charges.clear();
        for (Charge c : memory.charges()) {
            charges.put(c.clientId(), c);
        }
        episodeSequence = memory.episodeSequence();
        day = memory.day();
        dayNumber = day == null ? 0 : day.toEpochDay();
        dayBudget = memory.dayBudget();
        daySpent = memory.daySpent();
        freeBalance = memory.freeBalance();
    }

    public BigDecimal daySpent() {
        return daySpent;
    }

    public BigDecimal dayBudget() {
        return dayBudget;
    }

    public BigDecimal episodeSpent(String position) {
        Episode episode = episodes.get(position);
        return episode == null ? BigDecimal.ZERO : episode.spent();
    }

    public BigDecimal episodeBudget(String position) {
        Episode episode = episodes.get(position);
        return episode == null ? BigDecimal.ZERO : episode.budget();
    }

    private void rollDay(Instant now) {
        rollDay(now.getEpochSecond());
    }

    private void rollDay(long epochSecond) {
        // Called on every mark: compare whole UTC days as numbers rather than building a date each time.
        long epochDay = Math.floorDiv(epochSecond, 86_400L);
        if (day == null || epochDay != dayNumber) {
            dayNumber = epochDay;
            day = LocalDate.ofEpochDay(epochDay);
            dayBudget = share(freeBalance, params.daySharePct());
            daySpent = BigDecimal.ZERO;
        }
    }

    private static BigDecimal share(BigDecimal amount, BigDecimal pct) {
        return amount.max(BigDecimal.ZERO).multiply(pct).divide(HUNDRED, MC);
    }
}
