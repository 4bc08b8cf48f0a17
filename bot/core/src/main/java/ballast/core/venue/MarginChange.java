package ballast.core.venue;

import ballast.core.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of a position's isolated margin as the venue records it: {@code amount} is positive when margin was added,
 * negative when it was removed. Margin changes carry no client id, so a reconcile finds one by its amount and time.
 */
public record MarginChange(String symbol, Side side, BigDecimal amount, Instant time) {
    public MarginChange {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(time, "time");
    }
}
