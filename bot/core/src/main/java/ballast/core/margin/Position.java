package ballast.core.margin;

import static ballast.core.Decimals.requirePositive;

import ballast.core.Side;
import java.math.BigDecimal;

/** An open position on one side of one symbol: size in base units (always > 0) and average entry price. */
public record Position(String symbol, Side side, BigDecimal qty, BigDecimal entryPrice) {

    public Position {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("position symbol is required");
        }
        if (side == null) {
            throw new IllegalArgumentException("position side is required");
        }
        qty = requirePositive("position qty", qty);
        entryPrice = requirePositive("entry price", entryPrice);
    }

    /** Notional at entry, {@code qty × entry}: Bybit's "position value", Binance's "current position at the opening price". */
    public BigDecimal entryNotional() {
        return qty.multiply(entryPrice);
    }

    public BigDecimal notionalAt(BigDecimal price) {
        return qty.multiply(price);
    }

    /** Unrealised profit at {@code price}, signed by side. */
    public BigDecimal unrealizedPnl(BigDecimal price) {
        return side.sign().multiply(qty).multiply(price.subtract(entryPrice));
    }

    public Position withQty(BigDecimal newQty) {
        return new Position(symbol, side, newQty, entryPrice);
    }
}
