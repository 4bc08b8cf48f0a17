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
import java.util.function.Function;

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
        int k = Math.max(
                1,
                BigDecimal.valueOf(sorted.size())
                        .multiply(share)
                        .setScale(0, RoundingMode.CEILING)
                        .intValueExact());
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
     * {@code statistic} with a standard error from resampling whole clusters with replacement ({@value #BOOTSTRAP}
     * times, from {@code seed}: the same data give the same error). {@code statistic} must depend on the values only,
     * not on their order in the list (it is handed each resample in value order).
     */
    public static Estimate bootstrap(List<Obs> xs, Function<List<Obs>, BigDecimal> statistic, long seed) {
        BigDecimal value = statistic.apply(xs);
        // Each observation by its rank among all of them: a resample is put together as ranks, sorted as ints and
        // handed to the statistic in value order, so its own sort finds one ascending run (sorting decimals anew for
        // every resample was most of a 10,000-entry study's report). The statistic sees the same values as before.
        Obs[] all = xs.toArray(Obs[]::new);
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> all[i].value()));
        Obs[] ranked = new Obs[all.length];
        int[] rank = new int[all.length];
        for (int r = 0; r < order.length; r++) {
            ranked[r] = all[order[r]];
            rank[order[r]] = r;
        }
        Map<String, List<Integer>> clusters = new LinkedHashMap<>();
        for (int i = 0; i < all.length; i++) {
            clusters.computeIfAbsent(all[i].cluster(), c -> new ArrayList<>()).add(rank[i]);
        }
        if (clusters.size() < 2) {
            return new Estimate(value, Optional.empty());
        }
        List<int[]> groups = new ArrayList<>();
        for (List<Integer> cluster : clusters.values()) {
            groups.add(cluster.stream().mapToInt(Integer::intValue).toArray());
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Obs> replicates = new ArrayList<>();
        int[] ranks = new int[0];
        for (int b = 0; b < BOOTSTRAP; b++) {
            int size = 0;
            int[][] drawn = new int[groups.size()][];
            for (int i = 0; i < groups.size(); i++) {
                drawn[i] = groups.get(random.nextInt(groups.size()));
                size += drawn[i].length;
            }
            if (ranks.length < size) {
                ranks = new int[size];
            }
            int at = 0;
            for (int[] group : drawn) {
                System.arraycopy(group, 0, ranks, at, group.length);
                at += group.length;
            }
            Arrays.sort(ranks, 0, size);
            List<Obs> sample = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                sample.add(ranked[ranks[i]]);
            }
            replicates.add(new Obs("", statistic.apply(sample)));
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
