package ballast.core.margin;

import static ballast.core.Decimals.divide;

import ballast.core.Side;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A cross-margin account measured whole, as the venue measures it: the cross wallet plus every cross position's
 * unrealised PnL at its own mark, against the sum of their maintenance margins on their own tiers. It is liquidated
 * (all of it) when the first is no longer above the second.
 *
 * <p>Its distance to liquidation is one number for the whole account: the smallest move {@code δ} of every mark against
 * its own position at once (longs' marks to {@code mark × (1 − δ)}, shorts' to {@code mark × (1 + δ)}) that brings the
 * margin balance down to maintenance. Crypto falls together, so this is the move that matters; for one position it is
 * that position's own distance to its liquidation price. The price of a position's symbol at that point is the line a
 * chart draws as its liquidation price.
 *
 * @param wallet the cross wallet balance (what the venue calls crossWalletBalance: deposits and realised PnL)
 */
public record CrossAccount(MarginRules rules, BigDecimal wallet, List<Member> members) {

    /** A cross position with the mark it is valued at. */
    public record Member(Position position, BigDecimal mark, BigDecimal leverage, RiskTierTable tiers) {
        public Member {
            if (mark == null || mark.signum() <= 0) {
                throw new IllegalArgumentException("mark of " + position.symbol() + " must be > 0, was "
                        + (mark == null ? "missing" : mark.toPlainString()));
            }
        }

        /** The mark after an adverse move of {@code delta} (never below zero). */
        BigDecimal markAfter(BigDecimal delta) {
            // A search point, not an amount: 16 significant digits keep the search exact to far below a tick without
            // letting every step's product grow by the digits of the last.
            BigDecimal moved = mark.multiply(
                    BigDecimal.ONE.subtract(position.side().sign().multiply(delta)), java.math.MathContext.DECIMAL64);
            return moved.signum() > 0 ? moved : BigDecimal.ZERO;
        }
    }

    /** The largest adverse move searched: a short's mark at 101 times today's. Beyond it, "never". */
    private static final BigDecimal MAX_MOVE = BigDecimal.valueOf(100);

    private static final int MAX_STEPS = 100;
    /** Far below any distance a policy compares: a billionth of the marks. */
    private static final BigDecimal TOLERANCE = new BigDecimal("1e-12");

    public CrossAccount {
        members = List.copyOf(members);
        if (wallet == null) {
            throw new IllegalArgumentException("cross wallet is required");
        }
    }

    /** Cross wallet plus every position's unrealised PnL at its mark moved adversely by {@code delta}. */
    public BigDecimal marginBalance(BigDecimal delta) {
        BigDecimal balance = wallet;
        for (Member m : members) {
            balance = balance.add(m.position().unrealizedPnl(m.markAfter(delta)));
        }
        return balance;
    }

    /** Sum of the positions' maintenance margins at their marks moved adversely by {@code delta}. */
    public BigDecimal maintenanceMargin(BigDecimal delta) {
        BigDecimal total = BigDecimal.ZERO;
        for (Member m : members) {
            BigDecimal price = m.markAfter(delta);
            total = total.add(rules.maintenanceMargin(state(m), price.signum() > 0 ? price : BigDecimal.ZERO));
        }
        return total;
    }

    /** Margin balance over maintenance at {@code delta}; liquidated when it is not positive. */
    private BigDecimal headroom(BigDecimal delta) {
        return marginBalance(delta).subtract(maintenanceMargin(delta));
    }

    /**
     * The account's distance to liquidation as a fraction of the marks: positive while safe; −1 when it is liquidatable
     * now; empty when no move up to {@value #MAX_MOVE}× liquidates it (a long-only account whose margin covers its
     * notional, or no position at all).
     */
    public Optional<BigDecimal> distance() {
        if (members.isEmpty()) {
            return Optional.empty();
        }
        if (headroom(BigDecimal.ZERO).signum() <= 0) {
            return Optional.of(BigDecimal.ONE.negate());
        }
        boolean anyShort = members.stream().anyMatch(m -> m.position().side() == Side.SHORT);
        BigDecimal hi = anyShort ? MAX_MOVE : BigDecimal.ONE;
        if (headroom(hi).signum() > 0) {
            return Optional.empty();
        }
        // Headroom falls as the marks move against the positions (the balance loses q·mark per unit of move, the
        // maintenance changes by a fraction of that), and it is linear between bracket boundaries: regula falsi with
        // the Illinois correction finds the first move at which it reaches zero in a handful of steps, and never
        // leaves the bracket [lo, hi] (it falls back to halving when a step would).
        BigDecimal lo = BigDecimal.ZERO;
        BigDecimal fLo = headroom(lo);
        BigDecimal fHi = headroom(hi);
        int side = 0;
        for (int i = 0; i < MAX_STEPS && hi.subtract(lo).compareTo(TOLERANCE) > 0; i++) {
            BigDecimal x = hi.subtract(divide(fHi.multiply(hi.subtract(lo)), fHi.subtract(fLo)))
                    .round(java.math.MathContext.DECIMAL64);
            if (x.compareTo(lo) <= 0 || x.compareTo(hi) >= 0) {
                x = divide(lo.add(hi), BigDecimal.TWO);
            }
            BigDecimal fx = headroom(x);
            if (fx.signum() > 0) {
                lo = x;
                fLo = fx;
                if (side == -1) {
                    fHi = divide(fHi, BigDecimal.TWO);
                }
                side = -1;
            } else {
                hi = x;
                fHi = fx;
                if (side == 1) {
                    fLo = divide(fLo, BigDecimal.TWO);
                }
                side = 1;
                if (fx.signum() == 0) {
                    break;
                }
            }
        }
        return Optional.of(hi.stripTrailingZeros());
    }

    /** The price of {@code member}'s symbol when the account is liquidated by a common move of {@code distance}. */
    public static BigDecimal priceAt(Member member, BigDecimal distance) {
        return member.markAfter(distance);
    }

    /**
     * The position whose removal helps the account most: the largest maintenance margin less unrealised PnL (what it
     * takes from the margin balance's surplus over maintenance). Empty for an empty account.
     */
    public Optional<Member> contributor() {
        return members.stream()
                .max(Comparator.comparing(m -> rules.maintenanceMargin(state(m), m.mark())
                        .subtract(m.position().unrealizedPnl(m.mark()))));
    }

    /** The member holding {@code symbol} and {@code side}. */
    public Optional<Member> member(String symbol, Side side) {
        return members.stream()
                .filter(m ->
                        m.position().symbol().equals(symbol) && m.position().side() == side)
                .findFirst();
    }

    /**
     * The account after a reduce-only cut of {@code qty} of {@code member} at its mark, paying {@code feeRate} of the
     * notional: the realised PnL and the fee go to the cross wallet; a cut of the whole size removes the position.
     */
    public CrossAccount afterCut(Member member, BigDecimal qty, BigDecimal feeRate) {
        Position p = member.position();
        BigDecimal cut = qty.min(p.qty());
        BigDecimal realised = p.withQty(cut).unrealizedPnl(member.mark());
        BigDecimal fee = cut.multiply(member.mark()).multiply(feeRate);
        List<Member> after = new ArrayList<>();
        for (Member m : members) {
            if (m != member) {
                after.add(m);
            } else if (cut.compareTo(p.qty()) < 0) {
                after.add(new Member(p.withQty(p.qty().subtract(cut)), m.mark(), m.leverage(), m.tiers()));
            }
        }
        return new CrossAccount(rules, wallet.add(realised).subtract(fee), after);
    }

    /** A cut of one position: its size, whether it closes the position, and the account's distance after it. */
    public record Cut(BigDecimal qty, boolean closes, Optional<BigDecimal> distanceAfter) {}

    /**
     * The smallest cut of {@code member} after which the account's distance is at least {@code target}; the whole
     * position when no partial cut reaches it (then {@link Cut#closes()}, and the distance after may still fall short).
     */
    public Cut cutFor(Member member, BigDecimal target, BigDecimal feeRate) {
        BigDecimal qty = member.position().qty();
        if (meets(this, target)) {
            return new Cut(BigDecimal.ZERO, false, distance());
        }
        CrossAccount closed = afterCut(member, qty, feeRate);
        BigDecimal tiny = qty.movePointLeft(9);
        if (!meets(afterCut(member, qty.subtract(tiny), feeRate), target)) {
            return new Cut(qty, true, closed.distance());
        }
        BigDecimal ok = qty.subtract(tiny);
        BigDecimal bad = BigDecimal.ZERO;
        BigDecimal tolerance = qty.movePointLeft(9);
        while (ok.subtract(bad).compareTo(tolerance) > 0) {
            BigDecimal mid = divide(ok.add(bad), BigDecimal.TWO);
            if (meets(afterCut(member, mid, feeRate), target)) {
                ok = mid;
            } else {
                bad = mid;
            }
        }
        return new Cut(ok, false, afterCut(member, ok, feeRate).distance());
    }

    private static boolean meets(CrossAccount account, BigDecimal target) {
        Optional<BigDecimal> d = account.distance();
        return d.isEmpty() || d.get().compareTo(target) >= 0;
    }

    /** A member as a one-position cross state (for its maintenance on its own tiers). */
    private MarginState state(Member m) {
        return MarginState.cross(m.position(), wallet.max(BigDecimal.ZERO), m.leverage(), CrossRest.NONE, m.tiers());
    }
}
