package ballast.core.venue;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.Set;

/**
 * The port every venue implements, paper or real: the few writes a scaling policy needs and the snapshot a reconcile
 * reads. Every write carries the client id that every retry of it must reuse; its outcome is classified once by the
 * adapter ({@link Outcome}).
 */
public interface ExchangeGateway {

    /** What this venue can do; checked against a policy's needs at start, not at 3 a.m. */
    Set<Capability> capabilities();

    Outcome addIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId);

    Outcome removeIsolatedMargin(String symbol, Side side, BigDecimal amount, String clientId);

    /** Reduce-only market order of {@code qty} (never opens or flips a position). */
    Outcome reduceOnly(String symbol, Side side, BigDecimal qty, String clientId);

    /** Reduce-only close of the whole position. */
    Outcome closePosition(String symbol, Side side, String clientId);

    AccountSnapshot snapshot();
}
