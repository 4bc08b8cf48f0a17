package ballast.core;

import java.util.Objects;

/**
 * One position's identity on an account: its symbol and side. A value, so maps, journals and reports key on it
 * instead of each building its own {@code symbol + ":" + side} text.
 */
public record PositionKey(String symbol, Side side) {
    public PositionKey {
        Objects.requireNonNull(side, "side");
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("a position key needs a symbol, was '" + symbol + "'");
        }
    }

    /** {@code BTCUSDT:long}: how the gate, the journal and the reports name the position. */
    public String label() {
        return symbol + ":" + side.label();
    }

    /** The key {@link #label} wrote; the error names the text when it is not one. */
    public static PositionKey parse(String label) {
        int colon = label.lastIndexOf(':');
        if (colon <= 0 || colon == label.length() - 1) {
            throw new IllegalArgumentException("not a position key (SYMBOL:long or SYMBOL:short): '" + label + "'");
        }
        String side = label.substring(colon + 1);
        return switch (side) {
            case "long" -> new PositionKey(label.substring(0, colon), Side.LONG);
            case "short" -> new PositionKey(label.substring(0, colon), Side.SHORT);
            default ->
                throw new IllegalArgumentException(
                        "not a position key (side must be long or short, was '" + side + "'): '" + label + "'");
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
