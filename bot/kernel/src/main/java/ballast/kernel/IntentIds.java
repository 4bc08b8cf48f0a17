package ballast.kernel;

import java.util.regex.Pattern;

/**
 * The client ids the engine gives its intents: a prefix and a sequence. Live, the prefix names the account's journal
 * and the sequence continues from the journal after a restart, so an id is never given twice and every retry of an
 * intent carries the id it was journalled with. Ids fit every venue we speak to: at most 36 characters of
 * {@code [A-Za-z0-9._:/-]} (Binance's {@code newClientOrderId}; Bybit's {@code orderLinkId} allows 36 too).
 */
public final class IntentIds {
    /** 16 characters and a {@code long}'s 19 digits stay within 36. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:/-]{1,16}");

    private final String prefix;
    private long next;

    /**
     * @param prefix what every id starts with (1 to 16 characters of {@code [A-Za-z0-9._:/-]})
     * @param next the sequence number the next id gets (≥ 1)
     */
    public IntentIds(String prefix, long next) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "a client id prefix must be 1 to 16 characters of A-Z, a-z, 0-9, '.', '_', ':', '/', '-', was '"
                            + prefix + "'");
        }
        if (next < 1) {
            throw new IllegalArgumentException("the next client id number must be >= 1, was " + next);
        }
        this.prefix = prefix;
        this.next = next;
    }

    /** What a replay uses: {@code bl-1}, {@code bl-2}, … */
    public static IntentIds replay() {
        return new IntentIds("bl-", 1);
    }

    /** The id the next intent will get. */
    String peek() {
        return prefix + next;
    }

    /** The id {@link #peek} gave has been issued: the next one gets the next number. */
    void advance() {
        next++;
    }

    public String prefix() {
        return prefix;
    }

    /** Continues from {@code next}, as a journal remembers it; never goes back. */
    void continueFrom(long next) {
        if (next < this.next) {
            throw new IllegalArgumentException(
                    "client ids would go back from " + this.next + " to " + next + ": an id may never be given twice");
        }
        this.next = next;
    }

    /** The number the next id will carry: what the journal keeps so a restart continues from it. */
    public long next() {
        return next;
    }
}
