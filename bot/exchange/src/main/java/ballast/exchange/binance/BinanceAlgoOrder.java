package ballast.exchange.binance;

import java.math.BigDecimal;

/**
 * One open conditional order on Binance's Algo Service, as {@code GET /fapi/v1/openAlgoOrders} lists it.
 *
 * @param orderType STOP_MARKET for Ballast's backstop
 * @param workingType MARK_PRICE for Ballast's backstop (the default, CONTRACT_PRICE, triggers on the last price)
 * @param closePosition a close-all stop (no quantity)
 * @param status NEW while it waits for its trigger
 */
public record BinanceAlgoOrder(
        String symbol,
        String clientAlgoId,
        OrderSide side,
        PositionSide positionSide,
        String orderType,
        BigDecimal triggerPrice,
        String workingType,
        boolean closePosition,
        String status) {

    /** Whether it is a close-all stop on the mark price that still waits: what Ballast places as a backstop. */
    public boolean markStopClosingAll() {
        return closePosition
                && orderType.equals("STOP_MARKET")
                && workingType.equals("MARK_PRICE")
                && status.equals("NEW");
    }
}
