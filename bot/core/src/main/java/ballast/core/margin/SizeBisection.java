package ballast.core.margin;

import ballast.core.Decimals;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Optional;

/**
 * The bisection {@link MarginRules#cutFor} runs on the size a cut leaves, with far fewer liquidation solves and the same
 * answer. Meeting a distance is monotone in the size (a smaller position meets whatever a larger one does), so a
 * midpoint at or under a size known to meet meets, and one at or over a size known not to does not: only midpoints
 * strictly between the two need a solve. Before bisecting, a few probes close that gap: the distance is linear in
 * {@code 1/size} within a bracket when the cut keeps the margin (or its net, until the loss empties the wallet), so an interpolation in {@code 1/size} lands
 * next to the answer, and a probe either side of it leaves a gap under the bisection's tolerance. Where the distance is
 * not linear (a bracket's edge, a pro-rata release) the probes cost a handful of solves and the bisection asks the rest.
 * Where meeting is not monotone (a position hedged by an opposite leg: as it shrinks past the leg the net exposure
 * changes side, so its distance rises to no liquidation price and falls again), every midpoint is solved, as before.
 */
final class SizeBisection {
    /** What the bisection asks: the distance at one remaining size (empty: no price liquidates it). */
    @FunctionalInterface
    interface DistanceAt {
        Optional<BigDecimal> at(BigDecimal size);
    }

    /** Rounds of two probes before bisecting. */
    private static final int ROUNDS = 6;

    private static final BigDecimal FOUR = BigDecimal.valueOf(4);
    /** With one size solved, the first estimate: this share of the gap in from the size that does not meet. */
    private static final BigDecimal IN_FROM_NO = BigDecimal.valueOf(64);

    private final DistanceAt distanceAt;
    private final BigDecimal target;
    /** Whether meeting is monotone in the size, so that the sizes solved decide the midpoints outside their gap. */
    private final boolean monotone;
    /** The largest size known to meet the target. */
    private BigDecimal yes;
    /** The smallest size known not to meet it. */
    private BigDecimal no;
    /**
     * The last two sizes solved that have a liquidation price, with their distance less the target: where the next
     * estimate extrapolates from ({@code earlier} is null until there are two).
     */
    private BigDecimal[] earlier;

    private BigDecimal[] latest;
    /** Solves asked. */
    private int solves;

    private SizeBisection(DistanceAt distanceAt, BigDecimal target, boolean monotone) {
        this.distanceAt = distanceAt;
        this.target = target;
        this.monotone = monotone;
    }

    /** The answer, and how many solves it took. */
    record Found(BigDecimal size, int solves) {}

    /**
     * What a bisection of {@code [tiny, qty]} on the midpoints {@code (ok + bad) / 2} (34 digits) ends with once the two
     * are within {@code tolerance}: the largest size it found to meet {@code target}. {@code tiny} meets it (its distance
     * is {@code atTiny}) and {@code qty} does not (its distance is {@code atQty}); {@code monotone} when a smaller size
     * meets whatever a larger one does (else every midpoint is solved).
     */
    static Found search(
            DistanceAt distanceAt,
            boolean monotone,
            BigDecimal target,
            BigDecimal tiny,
            Optional<BigDecimal> atTiny,
            BigDecimal qty,
            BigDecimal atQty,
            BigDecimal tolerance) {
        SizeBisection known = new SizeBisection(distanceAt, target, monotone);
        known.yes = tiny;
        known.no = qty;
        atTiny.ifPresent(d -> known.solved(tiny, d));
        known.solved(qty, atQty);
        if (monotone) {
            known.close(tolerance);
        }
        BigDecimal ok = tiny;
        BigDecimal bad = qty;
        while (bad.subtract(ok).compareTo(tolerance) > 0) {
            BigDecimal mid = Decimals.divide(ok.add(bad), BigDecimal.TWO);
            if (known.meets(mid)) {
                ok = mid;
            } else {
                bad = mid;
            }
        }
        return new Found(ok, known.solves);
    }

    /** Probes either side of an estimate of where meeting ends, until the gap is under {@code tolerance}. */
    private void close(BigDecimal tolerance) {
        BigDecimal step = tolerance.divide(FOUR);
        for (int round = 0; round < ROUNDS && no.subtract(yes).compareTo(tolerance) > 0; round++) {
            BigDecimal estimate = estimate();
            probe(estimate.subtract(step));
            if (no.subtract(yes).compareTo(tolerance) > 0) {
                probe(estimate.add(step));
            }
        }
    }

    /**
     * Where the distance reaches the target, by the secant in {@code 1/size} through the last two sizes solved (34
     * digits: the two can be nine orders apart); with one of them only, a step in from the size that does not meet (a
     * long's smallest sizes have no liquidation price); the midpoint where the secant leaves the gap.
     */
    private BigDecimal estimate() {
        BigDecimal middle = Decimals.divide(yes.add(no), BigDecimal.TWO);
        if (earlier == null) {
            return no.subtract(Decimals.divide(no.subtract(yes), IN_FROM_NO));
        }
        BigDecimal fall = latest[1].subtract(earlier[1]);
        if (fall.signum() == 0) {
            return middle;
        }
        MathContext mc = Decimals.MC;
        BigDecimal uLatest = BigDecimal.ONE.divide(latest[0], mc);
        BigDecimal uEarlier = BigDecimal.ONE.divide(earlier[0], mc);
        BigDecimal u = uLatest.subtract(
                latest[1].multiply(uLatest.subtract(uEarlier), mc).divide(fall, mc), mc);
        if (u.signum() <= 0) {
            return middle;
        }
        BigDecimal x = BigDecimal.ONE.divide(u, mc);
        return x.compareTo(yes) > 0 && x.compareTo(no) < 0 ? x : middle;
    }

    /** Keeps a solved size with a liquidation price for the next estimate. */
    private void solved(BigDecimal size, BigDecimal distance) {
        earlier = latest;
        latest = new BigDecimal[] {size, distance.subtract(target)};
    }

    /** Solves at {@code size} when it lies strictly between the known sizes, and keeps what it learns. */
    private void probe(BigDecimal size) {
        if (size.compareTo(yes) > 0 && size.compareTo(no) < 0) {
            meets(size);
        }
    }

    /** Whether {@code size} meets the target: from what is known where that decides it, else solved. */
    private boolean meets(BigDecimal size) {
        if (monotone && size.compareTo(yes) <= 0) {
            return true;
        }
        if (monotone && size.compareTo(no) >= 0) {
            return false;
        }
        solves++;
        Optional<BigDecimal> d = distanceAt.at(size);
        d.ifPresent(v -> solved(size, v));
        if (d.isEmpty() || d.get().compareTo(target) >= 0) {
            yes = size;
            return true;
        }
        no = size;
        return false;
    }
}
