package ballast.exchange.binance;

import static ballast.core.Decimals.normalize;
import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * An order as {@code POST}, {@code GET} or {@code DELETE /fapi/v1/order} report it.
 *
 * @param type Binance's order type ({@code MARKET}, {@code LIMIT}, {@code STOP_MARKET}, …), kept as text: an order
 *     type this code does not place is still an order the reconciler must see
 * @param averagePrice empty until something filled (Binance sends {@code "0"} or {@code "0.00000"})
 */
public record BinanceOrder(
        String symbol,
        long orderId,
        String clientOrderId,
        OrderSide side,
        PositionSide positionSide,
        String type,
        OrderStatus status,
        boolean reduceOnly,
        BigDecimal origQty,
        BigDecimal executedQty,
        Optional<BigDecimal> averagePrice,
        Instant updateTime) {

    public BinanceOrder {
        requireNonNull(symbol, "symbol");
        requireNonNull(clientOrderId, "clientOrderId");
        requireNonNull(side, "side");
        requireNonNull(positionSide, "positionSide");
        requireNonNull(type, "type");
        requireNonNull(status, "status");
        origQty = normalize(requireNonNull(origQty, "origQty"));
        executedQty = normalize(requireNonNull(executedQty, "executedQty"));
        averagePrice = requireNonNull(averagePrice, "averagePrice").map(p -> normalize(p));
        requireNonNull(updateTime, "updateTime");
    }
}
