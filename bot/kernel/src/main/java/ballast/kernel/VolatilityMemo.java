package ballast.kernel;

/**
 * The marks' variance and σ that one engine worked out at each step of a replay, for the next engine replaying the same
 * steps under another policy: the four policies of a study's entry see the same marks, so their engines compute the
 * same σ four times. A slot is reused only when the engine taking it holds exactly the state the slot was worked out
 * from (the variance, the last mark and its time, the ranges' variance, the slowest wait, the horizon, memory and
 * floor, the mark and its time): equal inputs give equal outputs, so an engine whose state differs in any of them
 * (another warm-up, a mark it took differently) computes its own. Not thread-safe: one per thread.
 */
public final class VolatilityMemo {
    static final int STATE = 10;

    /** A slot's σ when the engine that filled it needed only the variance (the next that needs σ works it out). */
    static final long NOT_WORKED_OUT = Long.MIN_VALUE;

    private long[] slots = new long[0];
    private int size;
    private long reused;

    /** Empties the memo for a replay of {@code steps} steps (keeping its arrays when they are large enough). */
    public void reset(int steps) {
        size = steps;
        int needed = steps * (STATE + 3);
        if (slots.length < needed) {
            slots = new long[needed];
        }
        // A slot is filled when its first word is not this marker (a variance is never negative).
        for (int i = 0; i < steps; i++) {
            slots[i * (STATE + 3)] = -1;
        }
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
        int at = index * (STATE + 3);
        if (slots[at] < 0) {
            return false;
        }
        for (int k = 0; k < STATE; k++) {
            if (slots[at + k] != state[k]) {
                return false;
            }
        }
        reused++;
        out[0] = slots[at + STATE];
        out[1] = slots[at + STATE + 1];
        out[2] = slots[at + STATE + 2];
        return true;
    }

    /** Keeps what was worked out at {@code index} from {@code state}. */
    void keep(int index, long[] state, long variance, long sigma, long root) {
        if (index < 0 || index >= size || state[0] < 0) {
            return;
        }
        int at = index * (STATE + 3);
        System.arraycopy(state, 0, slots, at, STATE);
        slots[at + STATE] = variance;
        slots[at + STATE + 1] = sigma;
        slots[at + STATE + 2] = root;
    }
}
