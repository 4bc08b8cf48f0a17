package ballast.exchange.binance;

import static ballast.core.Decimals.normalize;
import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/** The account totals of {@code GET /fapi/v3/account}, in the margin asset (USDT). */
public record BinanceAccount(
        BigDecimal totalWalletBalance,
        BigDecimal totalMarginBalance,
        BigDecimal totalMaintMargin,
        BigDecimal availableBalance) {

    public BinanceAccount {
        totalWalletBalance = normalize(requireNonNull(totalWalletBalance, "totalWalletBalance"));
        totalMarginBalance = normalize(requireNonNull(totalMarginBalance, "totalMarginBalance"));
        totalMaintMargin = normalize(requireNonNull(totalMaintMargin, "totalMaintMargin"));
        availableBalance = normalize(requireNonNull(availableBalance, "availableBalance"));
    }
}
