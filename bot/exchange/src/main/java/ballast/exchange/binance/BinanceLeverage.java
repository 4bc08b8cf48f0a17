package ballast.exchange.binance;

import static java.util.Objects.requireNonNull;

/** What {@code POST /fapi/v1/leverage} confirmed for the symbol. */
public record BinanceLeverage(String symbol, int leverage) {

    public BinanceLeverage {
        requireNonNull(symbol, "symbol");
    }
}
