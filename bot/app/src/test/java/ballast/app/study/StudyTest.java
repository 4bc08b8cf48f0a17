package ballast.app.study;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import ballast.app.replay.ReplayReport;
import ballast.app.replay.ReplayRunner;
import ballast.core.Side;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A small study on the FTX days shipped with the repository (real Binance 1h candles, mark and funding): the same seed
 * draws the same entries, threads do not change a figure, and every entry's figures are those of an ordinary replay of
 * its window.
 */
class StudyTest {

    static final Path FTX =
            Path.of("../../config/scenarios/data/ftx-2022-11").toAbsolutePath().normalize();
    static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();

    static StudySpec spec(int entries, long seed) {
        return new StudySpec(
                StudyData.find(FTX, List.of("BTCUSDT", "ETHUSDT"), "1h"),
                List.of(Side.LONG, Side.SHORT),
                List.of(new BigDecimal("10"), new BigDecimal("20")),
                List.of(Duration.ofDays(1), Duration.ofHours(36)),
                Instant.parse("2022-11-07T00:00:00Z"),
                Instant.parse("2022-11-11T00:00:00Z"),
                entries,
                seed,
                new BigDecimal("1000"),
                new BigDecimal("5000"),
                List.of("budget", "ladder", "none", "buffer-exit"),
                Optional.empty(),
                Duration.ofDays(1));
    }

    static Study study() {
        Settings settings = Settings.defaults();
        return new Study(new ReplayRunner(TIERS, settings), settings.bufferExit());
    }

    @Test
    void the_same_seed_gives_the_same_study_whatever_the_threads() {
        StudySpec spec = spec(12, 7);
        List<Study.EntryResult> one = study().run(spec, 1, n -> {});
        List<Study.EntryResult> two = study().run(spec, 2, n -> {});
        assertThat(new StudyReport(spec, two).csv()).isEqualTo(new StudyReport(spec, one).csv());
        assertThat(spec(12, 8).draw()).isNotEqualTo(spec.draw());
        assertThat(one)
                .allSatisfy(r -> assertThat(r.entry().start())
                        .isAfterOrEqualTo(spec.from())
                        .isBeforeOrEqualTo(spec.to().minus(r.entry().horizon())));
    }

    @Test
    void every_entry_is_the_replay_of_its_window() {
        // Settlements fall on candle boundaries (00:00, 08:00, 16:00): the window's merge meets ties at every one.
        StudySpec spec = spec(16, 3);
        List<Study.EntryResult> results = study().run(spec, 2, n -> {});
        for (Study.EntryResult r : results) {
            assertIsThePlainReplay(spec, r);
        }
    }

    /** The study's outcome of every policy on {@code r}'s entry is that of an ordinary replay of its window. */
    static void assertIsThePlainReplay(StudySpec spec, Study.EntryResult r) {
        StudyData.SymbolFiles files = spec.data().stream()
                .filter(f -> f.symbol().equals(r.entry().symbol()))
                .findFirst()
                .orElseThrow();
        List<String> policies = List.of("budget", "ladder", "none", "buffer-exit");
        ReplayReport replay = new ReplayRunner(TIERS, Settings.defaults())
                .run(Study.scenario(spec, r.entry(), files), policies, e -> {});
        Map<String, ReplayReport.PolicyRun> runs = replay.results().stream()
                .collect(Collectors.toMap(ReplayReport.PolicyRun::policy, Function.identity()));
        for (String policy : policies) {
            ReplayReport.Summary summary = runs.get(policy).summary();
            assertThat(r.outcomes().get(policy).finalEquity())
                    .as("entry " + r.entry().id() + " " + policy)
                    .isEqualTo(summary.finalEquity());
            assertThat(r.outcomes().get(policy).liquidations()).isEqualTo(summary.liquidations());
            assertThat(r.outcomes().get(policy).actions()).isEqualTo(summary.actions());
        }
    }

    @Test
    void an_entry_the_draw_repeats_is_replayed_once_and_reported_as_itself() {
        // Seven opening hours, two symbols, two sides and two leverages: twenty draws repeat some entries.
        StudySpec spec = new StudySpec(
                StudyData.find(FTX, List.of("BTCUSDT", "ETHUSDT"), "1h"),
                List.of(Side.LONG, Side.SHORT),
                List.of(new BigDecimal("10"), new BigDecimal("20")),
                List.of(Duration.ofDays(1)),
                Instant.parse("2022-11-07T00:00:00Z"),
                Instant.parse("2022-11-08T06:00:00Z"),
                20,
                5,
                new BigDecimal("1000"),
                new BigDecimal("5000"),
                List.of("budget", "ladder", "none", "buffer-exit"),
                Optional.empty(),
                Duration.ofDays(1));
        List<StudySpec.Entry> drawn = spec.draw();
        Map<StudySpec.Window, List<StudySpec.Entry>> same = drawn.stream()
                .collect(Collectors.groupingBy(
                        StudySpec.Entry::window, java.util.LinkedHashMap::new, Collectors.toList()));
        assertThat(same.values()).anySatisfy(repeats -> assertThat(repeats).hasSizeGreaterThan(1));
        java.util.concurrent.atomic.AtomicInteger last = new java.util.concurrent.atomic.AtomicInteger();
        List<Study.EntryResult> results = study().run(spec, 2, n -> last.accumulateAndGet(n, Math::max));
        // Two threads report their counts in either order: the largest heard is every entry.
        assertThat(last.get()).isEqualTo(20);
        assertThat(results).extracting(Study.EntryResult::entry).containsExactlyElementsOf(drawn);
        for (Study.EntryResult r : results) {
            assertIsThePlainReplay(spec, r);
        }
        // The report says how many different windows there were.
        long different = same.size();
        assertThat(new StudyReport(spec, results).text())
                .startsWith("study: 20 entries (" + different + " different: the draw repeats some), ");
        // A repeat carries its own entry and the same class and outcomes as the entry it repeats.
        for (List<StudySpec.Entry> repeats : same.values()) {
            Study.EntryResult first = results.get(drawn.indexOf(repeats.getFirst()));
            for (StudySpec.Entry e : repeats) {
                Study.EntryResult again = results.get(drawn.indexOf(e));
                assertThat(again.pathClass()).isEqualTo(first.pathClass());
                assertThat(again.outcomes()).isEqualTo(first.outcomes());
            }
        }
    }

    @Test
    void the_report_names_every_policy_and_class_and_the_budget_keeps_its_promise() {
        StudySpec spec = spec(16, 11);
        StudyReport report = new StudyReport(spec, study().run(spec, 2, n -> {}));
        assertThat(report.figures())
                .extracting(StudyReport.PolicyFigures::policy)
                .containsExactly("budget", "ladder", "none", "buffer-exit");
        StudyReport.PolicyFigures budget = report.of("budget").orElseThrow();
        assertThat(budget.liquidated()).isZero();
        // Never beyond the declared budget by more than 0.5 % of the equity.
        assertThat(budget.worstOverBudget().orElseThrow()).isLessThanOrEqualTo(new BigDecimal("0.005"));
        assertThat(report.classes().stream()
                        .mapToInt(StudyReport.ClassFigures::n)
                        .sum())
                .isEqualTo(16);
        String text = report.text();
        assertThat(text).contains("CVaR 5 %", "vs buffer-exit", "exit, rebound", "declared budget");
        // The span is where entries open and by when they close: the last can open only a horizon before its end.
        assertThat(text.lines().findFirst().orElseThrow())
                .contains(", opened from " + spec.from() + " and closed by " + spec.to() + ", ");
        String html = report.html();
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg", "<rect", "budget")
                .doesNotContain("{{")
                // The bins are as wide as the page says, and one entry is one entry.
                .containsPattern("Entries per (percentage point|\\d+ percentage points) of return")
                .doesNotContain("<title>1 entries");
        assertThat(report.csv().lines().count()).isEqualTo(1 + 16 * 4);
    }

    @Test
    void flat_files_may_be_gzipped_as_the_shipped_month_is() {
        Path ordinary = Path.of("../../config/scenarios/data/ordinary-2025-06")
                .toAbsolutePath()
                .normalize();
        StudyData.SymbolFiles files =
                StudyData.find(ordinary, List.of("BTCUSDT"), "1m").get(0);
        assertThat(files.candles().getFileName().toString()).isEqualTo("binance_um_BTCUSDT_1m.csv.gz");
        assertThat(files.funding())
                .hasValueSatisfying(
                        f -> assertThat(f.getFileName().toString()).startsWith("binance_um_BTCUSDT_funding.csv"));
        assertThat(files.mark()).isEmpty();
    }
}
