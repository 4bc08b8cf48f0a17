package ballast.exchange.binance;

import static ballast.core.Decimals.normalize;
import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * {@code GET /fapi/v1/premiumIndex} for one symbol: the mark price liquidation is judged on, the index, and funding.
 *
 * @param lastFundingRate a fraction per funding interval (0.0001 = 0.01 %), signed: positive means longs pay
 * @param time when the venue computed these values
 */
public record BinancePremiumIndex(
        String symbol,
        BigDecimal markPrice,
        BigDecimal indexPrice,
        BigDecimal lastFundingRate,
        Instant nextFundingTime,
        Instant time) {

    public BinancePremiumIndex {
        requireNonNull(symbol, "symbol");
        markPrice = normalize(requireNonNull(markPrice, "markPrice"));
        indexPrice = normalize(requireNonNull(indexPrice, "indexPrice"));
        lastFundingRate = normalize(requireNonNull(lastFundingRate, "lastFundingRate"));
        requireNonNull(nextFundingTime, "nextFundingTime");
        requireNonNull(time, "time");
    }
}
