package ballast.core.margin;

import java.util.Locale;

public enum MarginMode {
    ISOLATED,
    CROSS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
