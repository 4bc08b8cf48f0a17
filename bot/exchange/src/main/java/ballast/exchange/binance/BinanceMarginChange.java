package ballast.exchange.binance;

import static ballast.core.Decimals.normalize;
import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/** What {@code POST /fapi/v1/positionMargin} confirmed: {@code amount} moved into ({@code added}) or out of isolated margin. */
public record BinanceMarginChange(BigDecimal amount, boolean added) {

    public BinanceMarginChange {
        amount = normalize(requireNonNull(amount, "amount"));
    }
}
