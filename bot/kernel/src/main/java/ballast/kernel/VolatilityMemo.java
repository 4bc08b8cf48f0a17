package ballast.kernel;

/**
 * The marks' variance and σ that one engine worked out at each step of a replay (and the candles' ranges' variance at
 * each close), for the next engine replaying the same steps under another policy: the four policies of a study's entry
 * see the same marks, so their engines compute the same σ four times. A slot is reused only when the engine taking it
 * holds exactly the state the slot was worked out from (the variance, the last mark and its time, the ranges'
 * variance, the slowest wait, the horizon, memory and floor, the mark and its time; for a close, the ranges' variance
 * before it, the candle and the memory): equal inputs give equal outputs, so an engine whose state differs in any of
 * them (another warm-up, a mark it took differently) computes its own. Not thread-safe: one per thread.
 */
public final class VolatilityMemo {
    static final int STATE = 11;

    /**
     * Where a mark's state ({@code FixedMonitor.Symbol#state}) holds the slowest wait and when it was seen, both as they
     * are after its mark.
     */
    static final int SLOWEST = 4;

    static final int SLOWEST_AT = 10;

    /** What a slot hands out: the variance, σ and root worked out from its state. */
    private static final int OUT = 3;

    /** A slot's σ when the engine that filled it needed only the variance (the next that needs σ works it out). */
    static final long NOT_WORKED_OUT = Long.MIN_VALUE;

    /** What {@link #findRange} returns when no slot serves. */
    static final long NOT_FOUND = Long.MIN_VALUE;

    /**
     * Each slot's tag: 0 while empty, the chain of the run that kept it for a mark's (chains are above zero), this for a
     * candle's close: such a slot never serves a mark, nor a mark's slot a close.
     */
    private static final long RANGE = -1;

    /**
     * A slot's parts side by side, each in an array of its own: the tags, read at every mark a run takes from the memo
     * ({@link #trusted}), and what the slots hand out, read with them; the states, {@link #STATE} words a slot, read
     * only where a run starts ({@link #find}). A run's marks then read a tag and three words each, not the whole slot.
     */
    private long[] tags = new long[0];

    private long[] outs = new long[0];
    private long[] states = new long[0];
    private int size;

    /** What {@link #move} returns where the walk has no move term for the step: the monitor works it out. */
    public static final long NO_MOVE = Long.MIN_VALUE;

    /**
     * Each step's index in its walk (-1 for none); for each step {@code w} of the walk, from {@code 3w} on, its mark
     * before, its own mark (10⁻⁸) and its move term; and the memory they are for.
     */
    private int[] walkIndex;

    private long[] walkMoves;
    private long moveMemoryMillis = -1;
    private long reused;
    /** The last chain handed out ({@link #newChain}); never reused, resets included. */
    private long chains;

    /** Empties the memo for a replay of {@code steps} steps (keeping its arrays when they are large enough). */
    public void reset(int steps) {
        size = steps;
        walkIndex = null;
        walkMoves = null;
        moveMemoryMillis = -1;
        if (tags.length < steps) {
            tags = new long[steps];
            outs = new long[steps * OUT];
            states = new long[steps * STATE];
        } else {
            java.util.Arrays.fill(tags, 0, steps, 0L);
        }
    }

    /**
     * The move terms of this replay's steps, as their walk worked them out once for every replay of it: step {@code k}
     * is the walk's {@code at[k]} (-1 for a step it does not have), and {@code walk} holds for each step {@code w} of
     * the walk, from {@code 3w} on, the walk's mark before it, its mark (10⁻⁸) and the move of the one after the other
     * over a memory of {@code memoryMillis} ({@link #NO_MOVE} where none was worked out). The memo reads the arrays,
     * never writes them.
     */
    public void moves(int[] at, long[] walk, long memoryMillis) {
        if (at.length < size || walk.length % 3 != 0) {
            throw new IllegalArgumentException(
                    "move terms for " + at.length + " steps and " + walk.length + " numbers, the memo has " + size);
        }
        walkIndex = at;
        walkMoves = walk;
        moveMemoryMillis = memoryMillis;
    }

    /**
     * What a mark of {@code price} after one of {@code last} (both 10⁻⁸, {@code last} above zero) adds to the fixed-point
     * monitor's variance over a memory of {@code memoryMillis}, as its engine works it out: for a walk to work out once.
     * An {@link ArithmeticException} where the move leaves the fixed point (the engine then works it out itself).
     */
    public static long moveTerm(long last, long price, long memoryMillis) {
        return FixedMonitor.moveTerm(last, price, memoryMillis);
    }

    /**
     * {@link FixedMonitor#moveTerm} of a mark of {@code price} after {@code last} over {@code memoryMillis} at step
     * {@code index}, when the walk worked it out from that very last mark and memory; else {@link #NO_MOVE}.
     */
    long move(int index, long last, long price, long memoryMillis) {
        if (walkMoves == null || index < 0 || index >= size || memoryMillis != moveMemoryMillis) {
            return NO_MOVE;
        }
        int w = walkIndex[index];
        if (w < 0 || w >= walkMoves.length / 3) {
            return NO_MOVE;
        }
        int at = 3 * w;
        return walkMoves[at] == last && walkMoves[at + 1] == price ? walkMoves[at + 2] : NO_MOVE;
    }

    /** How many times a slot was taken instead of worked out, since the memo was made. */
    public long reused() {
        return reused;
    }

    /**
     * Slot {@code index}'s variance, σ ({@link #NOT_WORKED_OUT} where it was not) and root when it was worked out from
     * this very state; else false.
     */
    boolean find(int index, long[] state, long[] out) {
        if (index < 0 || index >= size) {
            return false;
        }
        if (tags[index] <= 0) {
            return false;
        }
        int at = index * STATE;
        for (int k = 0; k < STATE; k++) {
            if (states[at + k] != state[k]) {
                return false;
            }
        }
        reused++;
        handOut(index, out);
        return true;
    }

    private void handOut(int index, long[] out) {
        int at = index * OUT;
        out[0] = outs[at];
        out[1] = outs[at + 1];
        out[2] = outs[at + 2];
    }

    /**
     * The ranges' variance after the candle closing at step {@code index} (high and low in 10⁻⁸, its interval in
     * seconds), when it was worked out here from the same variance before it ({@code before}, -1 for none yet) and the
     * same memory; else {@link #NOT_FOUND}.
     */
    long findRange(int index, long before, long high, long low, long seconds, long memorySeconds) {
        if (index < 0 || index >= size) {
            return NOT_FOUND;
        }
        int at = index * STATE;
        if (tags[index] != RANGE
                || states[at] != before
                || states[at + 1] != high
                || states[at + 2] != low
                || states[at + 3] != seconds
                || states[at + 4] != memorySeconds) {
            return NOT_FOUND;
        }
        reused++;
        return states[at + 5];
    }

    /** Keeps the ranges' variance {@code after} the candle closing at step {@code index}, from what it came from. */
    void keepRange(int index, long before, long high, long low, long seconds, long memorySeconds, long after) {
        if (index < 0 || index >= size) {
            return;
        }
        int at = index * STATE;
        tags[index] = RANGE;
        states[at] = before;
        states[at + 1] = high;
        states[at + 2] = low;
        states[at + 3] = seconds;
        states[at + 4] = memorySeconds;
        states[at + 5] = after;
    }

    /**
     * A chain for one quiet run that keeps slots: every slot the run keeps carries it, so that an engine whose state
     * was that of one of them can take the next without comparing its state ({@link #trusted}).
     */
    long newChain() {
        return ++chains;
    }

    /** The chain of the run that kept slot {@code index} (0 for none). */
    long chain(int index) {
        return index < 0 || index >= size || tags[index] < 0 ? 0 : tags[index];
    }

    /**
     * Slot {@code index}'s variance, σ and root without comparing the state, when the slot was kept by the run of
     * {@code chain}. Exact for an engine whose state before the previous mark was that of the slot the same run kept
     * there, and which took that mark (with the memo's variance) and only closes since: one run keeps the slots of the
     * marks it takes one after the other, and the same state, mark and closes give the same state again (the state
     * includes the slowest wait and when it was seen, the only other input of the next one). A slot kept again by
     * another run carries that run's chain and is compared in full.
     */
    boolean trusted(int index, long chain, long[] out) {
        if (chain == 0 || index < 0 || index >= size) {
            return false;
        }
        if (tags[index] != chain) {
            return false;
        }
        reused++;
        handOut(index, out);
        return true;
    }

    /**
     * The first index from {@code from} up to {@code to} whose slot the run of {@code chain} did not keep (a mark's slot
     * of another run, an empty one, a close's): the marks before it can each be taken as {@link #trusted} would hand
     * them out, one after the other, by an engine that took the mark before {@code from} from that run's slot.
     */
    int trustedUntil(int from, int to, long chain) {
        int end = Math.min(to, size);
        int k = Math.max(from, 0);
        if (chain <= 0) {
            return k;
        }
        while (k < end && tags[k] == chain) {
            k++;
        }
        return k;
    }

    /**
     * What slot {@code index} (a mark's) hands out and what its state holds of the wait: {@code out} gets the variance,
     * σ, root, and the slowest wait and when it was seen, as they were after its mark.
     */
    void after(int index, long[] out) {
        handOut(index, out);
        out[3] = states[index * STATE + SLOWEST];
        out[4] = states[index * STATE + SLOWEST_AT];
    }

    /** Keeps what was worked out at {@code index} from {@code state}, by the run of {@code chain}; false if not kept. */
    boolean keep(int index, long[] state, long variance, long sigma, long root, long chain) {
        if (index < 0 || index >= size || state[0] < 0 || chain <= 0) {
            return false;
        }
        System.arraycopy(state, 0, states, index * STATE, STATE);
        int at = index * OUT;
        outs[at] = variance;
        outs[at + 1] = sigma;
        outs[at + 2] = root;
        tags[index] = chain;
        return true;
    }

    /** Slot {@code index}, found for this state, gets the σ and root worked out from it (its chain stays). */
    void keepSigma(int index, long sigma, long root) {
        if (index < 0 || index >= size || tags[index] <= 0) {
            return;
        }
        outs[index * OUT + 1] = sigma;
        outs[index * OUT + 2] = root;
    }
}
