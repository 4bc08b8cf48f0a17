package ballast.core.venue;

import ballast.core.Side;
import ballast.core.margin.MarginMode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A venue's truth about one open position. {@code wallet} is the isolated wallet (isolated) or the cross wallet (cross).
 * {@code venueLiquidationPrice} is what the venue itself reports, a cross-check for the engine's own figure; empty when
 * the venue reports none (Binance sends {@code "0"}).
 */
public record PositionSnapshot(
        String symbol,
        Side side,
        MarginMode mode,
        BigDecimal qty,
        BigDecimal entryPrice,
        BigDecimal wallet,
        BigDecimal leverage,
        Optional<BigDecimal> venueLiquidationPrice) {}
