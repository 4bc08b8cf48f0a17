package ballast.exchange.binance;

import static ballast.core.Decimals.normalize;
import static java.util.Objects.requireNonNull;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code GET /fapi/v2/positionRisk}, exact as the venue reported it. Decimals are normalised (trailing zeros
 * stripped) so that equal amounts compare equal whatever scale they arrived with.
 *
 * @param positionAmt signed: negative for a short (one-way {@code BOTH} or hedge {@code SHORT})
 * @param liquidationPrice empty where Binance reports {@code "0"}: no liquidation price (flat, or fully covered), never
 *     a price of zero
 * @param isolatedWallet the margin put into an isolated position; zero for cross
 * @param isolatedMargin isolated wallet plus unrealised PnL
 * @param notional signed like the amount, at the mark price
 */
public record BinancePosition(
        String symbol,
        PositionSide positionSide,
        BigDecimal positionAmt,
        BigDecimal entryPrice,
        BigDecimal markPrice,
        Optional<BigDecimal> liquidationPrice,
        int leverage,
        MarginMode marginType,
        BigDecimal isolatedWallet,
        BigDecimal isolatedMargin,
        BigDecimal unRealizedProfit,
        BigDecimal notional,
        boolean isAutoAddMargin,
        Instant updateTime) {

    public BinancePosition {
        requireNonNull(symbol, "symbol");
        requireNonNull(positionSide, "positionSide");
        positionAmt = normalize(requireNonNull(positionAmt, "positionAmt"));
        entryPrice = normalize(requireNonNull(entryPrice, "entryPrice"));
        markPrice = normalize(requireNonNull(markPrice, "markPrice"));
        liquidationPrice = requireNonNull(liquidationPrice, "liquidationPrice").map(p -> {
            if (p.signum() <= 0) {
                throw new IllegalArgumentException(
                        symbol + ": a liquidation price must be > 0 or absent, was " + p.toPlainString());
            }
            return normalize(p);
        });
        requireNonNull(marginType, "marginType");
        isolatedWallet = normalize(requireNonNull(isolatedWallet, "isolatedWallet"));
        isolatedMargin = normalize(requireNonNull(isolatedMargin, "isolatedMargin"));
        unRealizedProfit = normalize(requireNonNull(unRealizedProfit, "unRealizedProfit"));
        notional = normalize(requireNonNull(notional, "notional"));
        requireNonNull(updateTime, "updateTime");
    }

    public boolean flat() {
        return positionAmt.signum() == 0;
    }

    /** The direction held, or empty when flat. */
    public Optional<Side> side() {
        return flat() ? Optional.empty() : Optional.of(positionAmt.signum() > 0 ? Side.LONG : Side.SHORT);
    }

    /** The unsigned size. */
    public BigDecimal quantity() {
        return positionAmt.abs();
    }
}
