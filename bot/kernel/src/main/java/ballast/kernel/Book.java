package ballast.kernel;

import ballast.core.PositionKey;

/**
 * What the engine keeps a ladder and a budget for: one isolated (or cross) position, or the cross account as a whole,
 * which the ladder measures and acts on as one.
 */
public sealed interface Book {

    /** The name the gate keys its budgets by, and the journal and reports print. */
    String label();

    record Of(PositionKey position) implements Book {
        @Override
        public String label() {
            return position.label();
        }
    }

    /** The cross account: its positions share one wallet, one distance and one ladder. */
    record CrossAccount() implements Book {
        @Override
        public String label() {
            return Engine.CROSS;
        }
    }

    Book CROSS = new CrossAccount();

    static Book of(PositionKey position) {
        return new Of(position);
    }
}
