package ballast.app.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The study's statistics on figures worked by hand. */
class StatsTest {

    static Stats.Obs o(String cluster, String value) {
        return new Stats.Obs(cluster, new BigDecimal(value));
    }

    static final List<Stats.Obs> XS =
            List.of(o("2024-01", "1"), o("2024-01", "3"), o("2024-02", "5"), o("2024-03", "7"));

    @Test
    void the_mean_has_a_month_clustered_standard_error() {
        // Mean 4. Residuals summed per month: January (1 − 4) + (3 − 4) = −4, February 1, March 3; their squares sum
        // to 26; with G = 3 months: 26 · 3/2 = 39, over n² = 16: 2.4375, whose root is 1.5612495.
        Stats.Estimate e = Stats.meanClustered(XS);
        assertThat(e.value()).isEqualByComparingTo("4");
        assertThat(e.se().orElseThrow()).isCloseTo(new BigDecimal("1.5612495"), Offset.offset(new BigDecimal("1e-7")));
    }

    @Test
    void one_month_gives_no_standard_error_rather_than_a_false_one() {
        assertThat(Stats.meanClustered(List.of(o("2024-01", "1"), o("2024-01", "2")))
                        .se())
                .isEmpty();
    }

    @Test
    void median_cvar_and_worst() {
        assertThat(Stats.median(XS)).isEqualByComparingTo("4");
        assertThat(Stats.median(XS.subList(0, 3))).isEqualByComparingTo("3");
        // 5 % of four entries rounds up to one: the worst; half of them: the mean of the worst two.
        assertThat(Stats.cvar(XS, new BigDecimal("0.05"))).isEqualByComparingTo("1");
        assertThat(Stats.cvar(XS, new BigDecimal("0.5"))).isEqualByComparingTo("2");
        assertThat(Stats.worst(XS)).isEqualByComparingTo("1");
    }

    @Test
    void the_bootstrap_resamples_whole_months_from_its_seed() {
        Stats.Estimate a = Stats.bootstrap(XS, Stats.MEDIAN, 42);
        Stats.Estimate b = Stats.bootstrap(XS, Stats.MEDIAN, 42);
        assertThat(a).isEqualTo(b);
        assertThat(a.value()).isEqualByComparingTo("4");
        assertThat(a.se().orElseThrow()).isPositive();
        // A statistic that cannot vary across resamples has no error.
        List<Stats.Obs> same = List.of(o("a", "2"), o("b", "2"), o("c", "2"));
        assertThat(Stats.bootstrap(same, Stats.MEDIAN, 1).se().orElseThrow()).isEqualByComparingTo("0");
    }

    @Test
    void the_bootstrap_gives_what_resampling_the_months_and_sorting_each_resample_gives() {
        // The bootstrap hands the statistic each resample in value order (from ranks); resampling the months as they
        // come and letting the statistic sort them must give the same figures, ties and all.
        java.util.SplittableRandom data = new java.util.SplittableRandom(7);
        for (int round = 0; round < 30; round++) {
            List<Stats.Obs> xs = new java.util.ArrayList<>();
            int n = 1 + data.nextInt(300);
            for (int i = 0; i < n; i++) {
                xs.add(o("m" + data.nextInt(1 + data.nextInt(12)), data.nextInt(-40, 40) + "." + data.nextInt(3)));
            }
            long seed = data.nextLong();
            java.util.function.Function<List<Stats.Obs>, BigDecimal> cvar = v -> Stats.cvar(v, new BigDecimal("0.05"));
            assertThat(Stats.bootstrap(xs, Stats.MEDIAN, seed)).isEqualTo(resampled(xs, Stats::median, seed));
            assertThat(Stats.bootstrap(xs, Stats.cvarOf(new BigDecimal("0.05")), seed))
                    .isEqualTo(resampled(xs, cvar, seed));
        }
    }

    /** The bootstrap as written first: months drawn from the same seed, each resample in the order drawn. */
    private static Stats.Estimate resampled(
            List<Stats.Obs> xs, java.util.function.Function<List<Stats.Obs>, BigDecimal> statistic, long seed) {
        java.util.Map<String, List<Stats.Obs>> clusters = new java.util.LinkedHashMap<>();
        xs.forEach(x -> clusters.computeIfAbsent(x.cluster(), c -> new java.util.ArrayList<>())
                .add(x));
        if (clusters.size() < 2) {
            return new Stats.Estimate(statistic.apply(xs), java.util.Optional.empty());
        }
        List<List<Stats.Obs>> groups = List.copyOf(clusters.values());
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<Stats.Obs> replicates = new java.util.ArrayList<>();
        for (int b = 0; b < Stats.BOOTSTRAP; b++) {
            List<Stats.Obs> sample = new java.util.ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                sample.addAll(groups.get(random.nextInt(groups.size())));
            }
            replicates.add(new Stats.Obs("", statistic.apply(sample)));
        }
        BigDecimal mean = Stats.mean(replicates);
        BigDecimal sumSquares = BigDecimal.ZERO;
        for (Stats.Obs r : replicates) {
            sumSquares = sumSquares.add(r.value().subtract(mean).pow(2));
        }
        return new Stats.Estimate(
                statistic.apply(xs),
                java.util.Optional.of(sumSquares
                        .divide(BigDecimal.valueOf(Stats.BOOTSTRAP - 1L), Stats.MC)
                        .sqrt(Stats.MC)));
    }
}
