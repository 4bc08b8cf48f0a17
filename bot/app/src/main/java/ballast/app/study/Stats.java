package ballast.app.study;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The statistics a study reports, in exact decimals: mean, median, the mean of the worst 5 % (CVaR), the worst, and
 * standard errors that respect that entries of the same month share their market (month-clustered for the mean, a
 * cluster bootstrap for the median and the CVaR). Entries that overlap in time are not independent: an error bar that
 * pretended they were would be too narrow.
 */
public final class Stats {
    static final MathContext MC = MathContext.DECIMAL64;
    /** Resamples of whole months for the bootstrap standard errors. */
    static final int BOOTSTRAP = 200;

    private Stats() {}

    /** One observation and the cluster (month) it belongs to. */
    public record Obs(String cluster, BigDecimal value) {}

    /** A figure with its standard error, when there is one (fewer than two clusters: none). */
    public record Estimate(BigDecimal value, Optional<BigDecimal> se) {}

    public static BigDecimal mean(List<Obs> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("no observations");
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Obs x : xs) {
            sum = sum.add(x.value());
        }
        return sum.divide(BigDecimal.valueOf(xs.size()), MC);
    }

    /**
     * The mean with its cluster-robust standard error: {@code sqrt(G/(G−1) · Σ_g (Σ_{i∈g} (x_i − x̄))²) / n}, the usual
     * sandwich estimator with the small-sample factor for {@code G} clusters.
     */
    public static Estimate meanClustered(List<Obs> xs) {
        BigDecimal mean = mean(xs);
        Map<String, BigDecimal> residuals = new LinkedHashMap<>();
        for (Obs x : xs) {
            residuals.merge(x.cluster(), x.value().subtract(mean), BigDecimal::add);
        }
        int g = residuals.size();
        if (g < 2) {
            return new Estimate(mean, Optional.empty());
        }
        BigDecimal sumSquares = BigDecimal.ZERO;
        for (BigDecimal r : residuals.values()) {
            sumSquares = sumSquares.add(r.multiply(r));
        }
        BigDecimal n = BigDecimal.valueOf(xs.size());
        BigDecimal variance = sumSquares
                .multiply(BigDecimal.valueOf(g))
                .divide(BigDecimal.valueOf(g - 1L), MC)
                .divide(n.multiply(n), MC);
        return new Estimate(mean, Optional.of(variance.sqrt(MC)));
    }

    /** The median (the mean of the two middle values for an even count). */
    public static BigDecimal median(List<Obs> xs) {
        List<BigDecimal> sorted = sorted(xs);
        int n = sorted.size();
        return n % 2 == 1
                ? sorted.get(n / 2)
                : sorted.get(n / 2 - 1).add(sorted.get(n / 2)).divide(BigDecimal.TWO, MC);
    }

    /** The mean of the worst {@code ceil(share · n)} values (at least one): the conditional value at risk. */
    public static BigDecimal cvar(List<Obs> xs, BigDecimal share) {
        List<BigDecimal> sorted = sorted(xs);
        int k = worstCount(sorted.size(), share);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < k; i++) {
            sum = sum.add(sorted.get(i));
        }
        return sum.divide(BigDecimal.valueOf(k), MC);
    }

    public static BigDecimal worst(List<Obs> xs) {
        return sorted(xs).get(0);
    }

    /**
     * A statistic of values that depends on the values alone, not their order, worked out on a resample held as counts:
     * {@code ranked} is every observation in value order, and a resample takes {@code ranked[r]} {@code counts[r]}
     * times, {@code size} in all (at least one).
     */
    public interface Ranked {
        BigDecimal of(BigDecimal[] ranked, int[] counts, int size);
    }

    /** {@link #median} of a resample held as counts. */
    public static final Ranked MEDIAN = (ranked, counts, size) -> {
        BigDecimal lower = at(ranked, counts, (size - 1) / 2);
        return size % 2 == 1 ? lower : lower.add(at(ranked, counts, size / 2)).divide(BigDecimal.TWO, MC);
    };

    /** {@link #cvar} of a resample held as counts. */
    public static Ranked cvarOf(BigDecimal share) {
        return (ranked, counts, size) -> {
            int k = worstCount(size, share);
            // The worst k values, each as many times as the resample holds it: v · t is exactly t additions of v.
            BigDecimal sum = BigDecimal.ZERO;
            int left = k;
            for (int r = 0; left > 0; r++) {
                int t = Math.min(counts[r], left);
                if (t > 0) {
                    sum = sum.add(t == 1 ? ranked[r] : ranked[r].multiply(BigDecimal.valueOf(t)));
                    left -= t;
                }
            }
            return sum.divide(BigDecimal.valueOf(k), MC);
        };
    }

    /** The value at {@code position} (from 0) of a resample held as counts. */
    private static BigDecimal at(BigDecimal[] ranked, int[] counts, int position) {
        int seen = 0;
        for (int r = 0; ; r++) {
            seen += counts[r];
            if (seen > position) {
                return ranked[r];
            }
        }
    }

    /** How many of {@code n} values the CVaR of {@code share} averages: {@code ceil(share · n)}, at least one. */
    private static int worstCount(int n, BigDecimal share) {
        return Math.max(
                1,
                BigDecimal.valueOf(n)
                        .multiply(share)
                        .setScale(0, RoundingMode.CEILING)
                        .intValueExact());
    }

    /**
     * {@code statistic} with a standard error from resampling whole clusters with replacement ({@value #BOOTSTRAP}
     * times, from {@code seed}: the same data give the same error).
     */
    public static Estimate bootstrap(List<Obs> xs, Ranked statistic, long seed) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("no observations");
        }
        // Each observation by its rank among all of them (ties in the order they come): a resample is then a count per
        // rank, made by adding up the months drawn, and its statistic a walk up the ranks. Neither a resample nor its
        // sort is ever made (sorting ten thousand decimals, or even their ranks, 200 times per figure was most of a
        // large study's report).
        Obs[] all = xs.toArray(Obs[]::new);
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> all[i].value()));
        BigDecimal[] ranked = new BigDecimal[all.length];
        int[] rank = new int[all.length];
        for (int r = 0; r < order.length; r++) {
            ranked[r] = all[order[r]].value();
            rank[order[r]] = r;
        }
        int[] counts = new int[all.length];
        Arrays.fill(counts, 1);
        BigDecimal value = statistic.of(ranked, counts, all.length);
        Map<String, List<Integer>> clusters = new LinkedHashMap<>();
        for (int i = 0; i < all.length; i++) {
            clusters.computeIfAbsent(all[i].cluster(), c -> new ArrayList<>()).add(rank[i]);
        }
        if (clusters.size() < 2) {
            return new Estimate(value, Optional.empty());
        }
        int[][] groups = new int[clusters.size()][];
        int g = 0;
        for (List<Integer> cluster : clusters.values()) {
            groups[g++] = cluster.stream().mapToInt(Integer::intValue).toArray();
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Obs> replicates = new ArrayList<>(BOOTSTRAP);
        for (int b = 0; b < BOOTSTRAP; b++) {
            Arrays.fill(counts, 0);
            int size = 0;
            for (int i = 0; i < groups.length; i++) {
                int[] drawn = groups[random.nextInt(groups.length)];
                for (int r : drawn) {
                    counts[r]++;
                }
                size += drawn.length;
            }
            replicates.add(new Obs("", statistic.of(ranked, counts, size)));
        }
        BigDecimal mean = mean(replicates);
        BigDecimal sumSquares = BigDecimal.ZERO;
        for (Obs r : replicates) {
            BigDecimal d = r.value().subtract(mean);
            sumSquares = sumSquares.add(d.multiply(d));
        }
        BigDecimal variance = sumSquares.divide(BigDecimal.valueOf(BOOTSTRAP - 1L), MC);
        return new Estimate(value, Optional.of(variance.sqrt(MC)));
    }

    private static List<BigDecimal> sorted(List<Obs> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("no observations");
        }
        List<BigDecimal> values = new ArrayList<>(xs.size());
        for (Obs x : xs) {
            values.add(x.value());
        }
        values.sort(Comparator.naturalOrder());
        return values;
    }
}
