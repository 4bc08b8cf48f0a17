package ballast.core.venue;

import static ballast.core.Decimals.requirePositive;

import java.math.BigDecimal;

/**
 * What an order must respect on a venue: price tick, size step, least size, least notional. Rounding to these happens
 * once, where an intent becomes an order.
 */
public record InstrumentSpec(
        String symbol, BigDecimal tickSize, BigDecimal stepSize, BigDecimal minQty, BigDecimal minNotional) {
    public InstrumentSpec {
        tickSize = requirePositive(symbol + " tick size", tickSize);
        stepSize = requirePositive(symbol + " step size", stepSize);
        minQty = requirePositive(symbol + " minimum quantity", minQty);
        minNotional = ballast.core.Decimals.requireNonNegative(symbol + " minimum notional", minNotional);
    }
}
