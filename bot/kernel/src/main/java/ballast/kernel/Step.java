package ballast.kernel;

import java.util.ArrayList;
import java.util.List;

/** Everything one {@link Engine#step} decided, in order: compare whole lists in tests. */
public record Step(List<Decided> decided) {
    /** A step that decided nothing: most marks. */
    public static final Step NONE = new Step(List.of());

    public Step {
        decided = List.copyOf(decided);
    }

    /** The intents issued, for the executor. */
    public List<Intent> intents() {
        if (decided.isEmpty()) {
            return List.of();
        }
        List<Intent> intents = new ArrayList<>(decided.size());
        for (Decided d : decided) {
            if (d instanceof Decided.Issued issued) {
                intents.add(issued.intent());
            }
        }
        return intents;
    }

    /** The facts of one kind, in order. */
    public <T extends Decided> List<T> all(Class<T> kind) {
        List<T> found = new ArrayList<>();
        for (Decided d : decided) {
            if (kind.isInstance(d)) {
                found.add(kind.cast(d));
            }
        }
        return found;
    }

    public boolean isEmpty() {
        return decided.isEmpty();
    }
}
