package ballast.core.venue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Everything a reconcile needs from a venue: open positions and the free balance, as of a venue time. */
public record AccountSnapshot(Instant asOf, BigDecimal freeBalance, List<PositionSnapshot> positions) {
    public AccountSnapshot {
        positions = List.copyOf(positions);
    }
}
