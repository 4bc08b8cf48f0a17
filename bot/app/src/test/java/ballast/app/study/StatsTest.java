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
        Stats.Estimate a = Stats.bootstrap(XS, Stats::median, 42);
        Stats.Estimate b = Stats.bootstrap(XS, Stats::median, 42);
        assertThat(a).isEqualTo(b);
        assertThat(a.value()).isEqualByComparingTo("4");
        assertThat(a.se().orElseThrow()).isPositive();
        // A statistic that cannot vary across resamples has no error.
        List<Stats.Obs> same = List.of(o("a", "2"), o("b", "2"), o("c", "2"));
        assertThat(Stats.bootstrap(same, Stats::median, 1).se().orElseThrow()).isEqualByComparingTo("0");
    }
}
