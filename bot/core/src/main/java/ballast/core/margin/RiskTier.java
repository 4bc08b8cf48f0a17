package ballast.core.margin;

import static ballast.core.Decimals.normalize;

import java.math.BigDecimal;

/**
 * One maintenance-margin bracket (Binance "bracket", Bybit "risk limit"): it holds for {@code floor <= notional < cap}.
 * {@code maintAmount} is Binance's {@code cum}, Bybit's "MM deduction".
 */
public record RiskTier(
        int tier,
        BigDecimal notionalFloor,
        BigDecimal notionalCap,
        int maxLeverage,
        BigDecimal maintMarginRate,
        BigDecimal maintAmount) {

    public RiskTier {
        if (tier < 0) {
            throw new IllegalArgumentException("tier must be >= 0, was " + tier);
        }
        if (notionalFloor == null || notionalFloor.signum() < 0) {
            throw new IllegalArgumentException(
                    "tier " + tier + ": notional floor must be >= 0, was " + plain(notionalFloor));
        }
        if (notionalCap == null || notionalCap.compareTo(notionalFloor) <= 0) {
            throw new IllegalArgumentException("tier " + tier + ": notional cap must be > floor "
                    + notionalFloor.toPlainString() + ", was " + plain(notionalCap));
        }
        if (maxLeverage < 1) {
            throw new IllegalArgumentException("tier " + tier + ": max leverage must be >= 1, was " + maxLeverage);
        }
        if (maintMarginRate == null || maintMarginRate.signum() < 0 || maintMarginRate.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException(
                    "tier " + tier + ": maintenance margin rate must be in [0, 1), was " + plain(maintMarginRate));
        }
        if (maintAmount == null || maintAmount.signum() < 0) {
            throw new IllegalArgumentException(
                    "tier " + tier + ": maintenance amount must be >= 0, was " + plain(maintAmount));
        }
        notionalFloor = normalize(notionalFloor);
        notionalCap = normalize(notionalCap);
        maintMarginRate = normalize(maintMarginRate);
        maintAmount = normalize(maintAmount);
    }

    public boolean contains(BigDecimal notional) {
        return notional.compareTo(notionalFloor) >= 0 && notional.compareTo(notionalCap) < 0;
    }

    /** Maintenance margin on this tier's line: {@code notional × rate − amount}. */
    public BigDecimal maintenanceMargin(BigDecimal notional) {
        return notional.multiply(maintMarginRate).subtract(maintAmount);
    }

    private static String plain(BigDecimal value) {
        return value == null ? "missing" : value.toPlainString();
    }
}
