package ballast.core.venue;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A close-all stop the venue holds for a position, triggered on the mark price: what a backstop check reads back.
 *
 * @param side the side of the position the stop closes
 * @param clientId the id it was placed with
 */
public record StopOrder(String symbol, Side side, BigDecimal trigger, String clientId) {
    public StopOrder {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(clientId, "clientId");
    }
}
