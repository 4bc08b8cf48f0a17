package ballast.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ballast sweep} end to end on the FTX days shipped with the repository: one row per setting, and the setting
 * that equals the defaults has exactly the figures {@code ballast study} gives the budget policy on the same entries.
 */
class SweepCommandTest {

    static final String DATA = Path.of("../../config/scenarios/data/ftx-2022-11")
            .toAbsolutePath()
            .normalize()
            .toString();
    static final String[] DRAW = {
        "--data",
        DATA,
        "--from",
        "2022-11-06",
        "--to",
        "2022-11-11",
        "--horizons",
        "1d",
        "--entries",
        "16",
        "--seed",
        "3"
    };

    @TempDir
    Path dir;

    static String[] with(String... more) {
        return Stream.concat(Arrays.stream(DRAW), Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void each_setting_is_a_row_and_the_default_setting_is_the_studys_budget() throws IOException {
        Path sweepCsv = dir.resolve("sweep.csv");
        Path studyCsv = dir.resolve("study.csv");
        BadInputTest.Result sweep = BadInputTest.run(Stream.concat(
                        Stream.of("sweep"),
                        Arrays.stream(with("--grid", "maxMultiplier=10,40", "--csv", sweepCsv.toString())))
                .toArray(String[]::new));
        assertThat(sweep.exit()).as(sweep.err()).isZero();
        assertThat(sweep.out())
                .contains("maxMultiplier=10")
                .contains("maxMultiplier=40")
                .contains("quiet (cost)")
                // Every column the table abbreviates is said in words below it, and the frontier's rule.
                .contains("liq: entries liquidated", "over bdg: the worst loss beyond", "frontier *: no other");
        assertThat(sweep.err()).contains("sweep: 1/2 maxMultiplier=10 done");

        BadInputTest.Result study = BadInputTest.run(Stream.concat(
                        Stream.of("study"),
                        Arrays.stream(with("--policies", "budget,none,buffer-exit", "--csv", studyCsv.toString())))
                .toArray(String[]::new));
        assertThat(study.exit()).as(study.err()).isZero();

        List<String> rows = Files.readAllLines(sweepCsv);
        assertThat(rows).hasSize(3);
        List<String> header = List.of(rows.get(0).split(","));
        String[] defaults = rows.stream()
                .filter(r -> r.startsWith("\"maxMultiplier=40\""))
                .findFirst()
                .orElseThrow()
                .split(",");
        // The study's budget returns on the same entries: their mean and worst are the sweep's figures.
        List<String> studyRows = Files.readAllLines(studyCsv);
        List<String> studyHeader = List.of(studyRows.get(0).split(","));
        List<BigDecimal> returns = studyRows.stream()
                .skip(1)
                .map(r -> r.split(","))
                .filter(r -> r[studyHeader.indexOf("policy")].equals("budget"))
                .map(r -> new BigDecimal(r[studyHeader.indexOf("return")]))
                .toList();
        assertThat(returns).hasSize(16);
        BigDecimal worst = returns.stream().min(BigDecimal::compareTo).orElseThrow();
        BigDecimal mean =
                returns.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(16));
        assertThat(new BigDecimal(defaults[header.indexOf("worst")])).isEqualByComparingTo(worst);
        assertThat(new BigDecimal(defaults[header.indexOf("mean")]))
                .isCloseTo(mean, org.assertj.core.data.Offset.offset(new BigDecimal("0.000001")));
    }

    @Test
    void a_grid_key_that_is_not_a_setting_or_breaks_a_rule_is_named_before_anything_runs() {
        BadInputTest.Result unknown =
                BadInputTest.run(Stream.concat(Stream.of("sweep"), Arrays.stream(with("--grid", "nonsense=1")))
                        .toArray(String[]::new));
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("nonsense").doesNotContain("Exception");
        BadInputTest.Result rule =
                BadInputTest.run(Stream.concat(Stream.of("sweep"), Arrays.stream(with("--grid", "guardZ=9")))
                        .toArray(String[]::new));
        assertThat(rule.exit()).isEqualTo(2);
        assertThat(rule.err()).contains("safeZ").doesNotContain("Exception");
        assertThat(rule.out()).doesNotContain("study:");
    }
}
