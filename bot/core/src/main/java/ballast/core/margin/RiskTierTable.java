package ballast.core.margin;

import java.math.BigDecimal;
import java.util.List;

/**
 * A symbol's maintenance-margin brackets, contiguous from notional 0 upwards, with a label that says where they came from
 * (a dated snapshot, a live fetch, or explicit rates given by the user).
 */
public record RiskTierTable(String symbol, String source, List<RiskTier> tiers) {

    /** A cap that stands for "no upper bound" when a user gives one explicit rate. */
    public static final BigDecimal UNBOUNDED = new BigDecimal("1e30");

    public RiskTierTable {
        if (symbol == null || symbol.isBlank()) {
            throw new IllegalArgumentException("risk tier table: symbol is required");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("risk tier table " + symbol + ": source is required");
        }
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("risk tier table " + symbol + ": no tiers");
        }
        if (tiers.get(0).notionalFloor().signum() != 0) {
            throw new IllegalArgumentException(
                    "risk tier table " + symbol + ": the first tier must start at notional 0, was "
                            + tiers.get(0).notionalFloor().toPlainString());
        }
        for (int i = 1; i < tiers.size(); i++) {
            RiskTier previous = tiers.get(i - 1);
            RiskTier current = tiers.get(i);
            if (current.notionalFloor().compareTo(previous.notionalCap()) != 0) {
                throw new IllegalArgumentException(
                        "risk tier table " + symbol + ": tier " + current.tier() + " starts at "
                                + current.notionalFloor().toPlainString() + " but tier " + previous.tier() + " ends at "
                                + previous.notionalCap().toPlainString());
            }
            if (current.maintMarginRate().compareTo(previous.maintMarginRate()) < 0) {
                throw new IllegalArgumentException("risk tier table " + symbol + ": tier " + current.tier()
                        + " has a lower maintenance rate than tier " + previous.tier());
            }
        }
    }

    /** One rate and amount for every notional: what {@code --mmr R --maint-amount C} means. */
    public static RiskTierTable flat(
            String symbol, BigDecimal maintMarginRate, BigDecimal maintAmount, int maxLeverage) {
        return new RiskTierTable(
                symbol,
                "explicit rate " + maintMarginRate.toPlainString() + ", amount " + maintAmount.toPlainString(),
                List.of(new RiskTier(1, BigDecimal.ZERO, UNBOUNDED, maxLeverage, maintMarginRate, maintAmount)));
    }

    /**
     * The tier that holds for {@code notional}. A notional at or beyond the last cap cannot be opened on the venue; it is
     * measured on the last (strictest) tier rather than refused, so a risk figure is never lower than the venue's.
     */
    public RiskTier tierFor(BigDecimal notional) {
        if (notional.signum() < 0) {
            throw new IllegalArgumentException("notional must be >= 0, was " + notional.toPlainString());
        }
        for (RiskTier tier : tiers) {
            if (tier.contains(notional)) {
                return tier;
            }
        }
        return tiers.get(tiers.size() - 1);
    }

    /** Maintenance margin of a position of this notional: {@code notional × MMR − amount} of the tier it falls in. */
    public BigDecimal maintenanceMargin(BigDecimal notional) {
        return tierFor(notional).maintenanceMargin(notional);
    }

    /**
     * Whether the maintenance margin never falls as the notional grows: every bracket asks at its floor at least what
     * the bracket below asks there (a venue sets each bracket's amount so that they meet). The rates never fall, so
     * within a bracket it rises.
     */
    public boolean joined() {
        for (int i = 1; i < tiers.size(); i++) {
            BigDecimal floor = tiers.get(i).notionalFloor();
            if (tiers.get(i).maintenanceMargin(floor).compareTo(tiers.get(i - 1).maintenanceMargin(floor)) < 0) {
                return false;
            }
        }
        return true;
    }

    public boolean isFlat() {
        return tiers.size() == 1;
    }
}
