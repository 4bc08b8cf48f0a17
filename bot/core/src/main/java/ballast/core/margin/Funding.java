package ballast.core.margin;

import static ballast.core.Decimals.requirePositive;
import static ballast.core.Decimals.requirePresent;

import ballast.core.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Perpetual funding: at each funding time a position open at that instant pays or receives
 * {@code size × mark × rate}; a positive rate means longs pay shorts.
 */
public final class Funding {

    private Funding() {}

    /** One funding settlement of the venue: its time, its rate, and the mark at that time if it is known. */
    public record Settlement(Instant time, BigDecimal rate, Optional<BigDecimal> mark) {
        public Settlement {
            if (time == null) {
                throw new IllegalArgumentException("funding time is required");
            }
            rate = requirePresent("funding rate", rate);
            mark.ifPresent(m -> requirePositive("funding mark", m));
        }
    }

    /** What one settlement did to a position. */
    public sealed interface Payment {
        /** Signed cash flow to the position: negative when it pays. */
        BigDecimal cashFlow();

        record Settled(BigDecimal cashFlow) implements Payment {}

        /**
         * The mark at the funding time is not known, so the amount cannot be computed; nothing is booked (as freqtrade
         * does for a NaN mark) and the caller is told, so a report can say that funding is incomplete.
         */
        record MarkUnknown(Instant time) implements Payment {
            @Override
            public BigDecimal cashFlow() {
                return BigDecimal.ZERO;
            }
        }
    }

    /** Cash flow to a position of {@code qty} on {@code side}: {@code −side × qty × mark × rate}. */
    public static BigDecimal cashFlow(Side side, BigDecimal qty, BigDecimal mark, BigDecimal rate) {
        return side.sign().negate().multiply(qty).multiply(mark).multiply(rate);
    }

    public static Payment settle(Side side, BigDecimal qty, Settlement settlement) {
        return settlement
                .mark()
                .<Payment>map(mark -> new Payment.Settled(cashFlow(side, qty, mark, settlement.rate())))
                .orElseGet(() -> new Payment.MarkUnknown(settlement.time()));
    }

    /**
     * Every payment of a position of constant size held from {@code openedAt} (inclusive) to {@code closedAt}
     * (exclusive): only positions open at the funding instant pay or receive.
     */
    public static List<Payment> payments(
            Side side, BigDecimal qty, Instant openedAt, Instant closedAt, List<Settlement> settlements) {
        return settlements.stream()
                .filter(s -> !s.time().isBefore(openedAt) && s.time().isBefore(closedAt))
                .map(s -> settle(side, qty, s))
                .toList();
    }

    public static BigDecimal total(List<Payment> payments) {
        return payments.stream().map(Payment::cashFlow).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
