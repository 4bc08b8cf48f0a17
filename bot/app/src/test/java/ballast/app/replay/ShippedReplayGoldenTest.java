package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Monitor;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shipped scenario (crash days, cross pairs, the ordinary month) under every policy gives exactly the report it
 * gave when the golden file was written: the whole JSON report (every figure, trace point and action; only the
 * wall-clock events per second left out) by its SHA-256, and the table beside it so that a difference can be read.
 * Work that should not change a figure (speed: issue 11) must leave this file as it is; work that changes behaviour on
 * purpose rewrites it ({@code ./ballast test -Dtest=ShippedReplayGoldenTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dballast.golden.update=true}) and says why in its commit.
 */
class ShippedReplayGoldenTest {

    static final Path SCENARIOS =
            Path.of("../../config/scenarios").toAbsolutePath().normalize();
    static final Path GOLDEN = Path.of("src/test/resources/golden/replay-reports.txt");

    static List<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.walk(SCENARIOS, 2)) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getParent().equals(SCENARIOS)) // the throughput file reads downloaded data
                    .filter(p -> !p.startsWith(SCENARIOS.resolve("data")))
                    .sorted()
                    .toList();
        }
    }

    static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String reports(Monitor monitor) throws IOException {
        return reports(new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).measuring(monitor));
    }

    static String reports(ReplayRunner runner) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Path file : scenarios()) {
            ReplayReport report = runner.run(ScenarioFile.load(file), ReplayRunner.POLICIES, n -> {});
            String json = ReplayJson.render(report).replaceAll("\"eventsPerSecond\" : \\d+,", "");
            String table = ReplayTable.render(report).replaceAll("(?m)^\\d+ market events, .*\\n", "");
            out.append("== ")
                    .append(SCENARIOS.relativize(file).toString().replace('\\', '/'))
                    .append(" sha256 ")
                    .append(digest(json))
                    .append('\n')
                    .append(table);
        }
        return out.toString();
    }

    @Test
    void every_shipped_scenario_replays_to_the_golden_report() throws IOException {
        assertThat(scenarios()).hasSizeGreaterThanOrEqualTo(22);
        String now = reports(Monitor.FIXED);
        if (Boolean.getBoolean("ballast.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, now, StandardCharsets.UTF_8);
        }
        assertThat(now).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    /**
     * The monitor's two arithmetics agree on real paths: the exact {@code BigDecimal} one gives the same reports, to the
     * last digit of every figure and every action, as the fixed-point one the engine runs.
     */
    @Test
    void the_exact_monitor_replays_to_the_same_reports() throws IOException {
        assertThat(reports(Monitor.EXACT)).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    /**
     * Sampled once, as a study samples, a replay takes nearly every mark in a quiet run, the trace point after each
     * event (a funding settlement above all) inside one: the exact monitor, which takes no run, gives the same results,
     * trace points included (the JSON the golden file hashes has none).
     */
    @Test
    void sampled_once_the_quiet_runs_give_what_the_exact_monitor_gives() throws IOException {
        ReplayRunner fixed = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).sampling(1);
        ReplayRunner exact = fixed.measuring(Monitor.EXACT);
        for (Path file : scenarios()) {
            Scenario scenario = ScenarioFile.load(file);
            List<ReplayReport.PolicyRun> runs =
                    fixed.run(scenario, ReplayRunner.POLICIES, n -> {}).results();
            assertThat(comparable(runs))
                    .as("%s", file.getFileName())
                    .isEqualTo(comparable(
                            exact.run(scenario, ReplayRunner.POLICIES, n -> {}).results()));
            assertThat(runs.stream()
                            .mapToInt(r -> r.positions().getFirst().points().size())
                            .sum())
                    .as("points after events")
                    .isGreaterThan(runs.size());
        }
    }

    /**
     * Sampled as a study samples (one point, none after an event), every run is the same as sampled once with the points
     * after its events: the same summary, actions, liquidation, cuts and first point, and no other point.
     */
    @Test
    void a_trace_without_the_points_after_events_changes_nothing_else() throws IOException {
        ReplayRunner withPoints = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).sampling(1);
        ReplayRunner firstOnly = withPoints.sampling(1, false);
        for (Path file : scenarios()) {
            Scenario scenario = ScenarioFile.load(file);
            List<ReplayReport.PolicyRun> full =
                    withPoints.run(scenario, ReplayRunner.POLICIES, n -> {}).results();
            List<ReplayReport.PolicyRun> lean =
                    firstOnly.run(scenario, ReplayRunner.POLICIES, n -> {}).results();
            assertThat(lean).hasSameSizeAs(full);
            for (int i = 0; i < full.size(); i++) {
                ReplayReport.PolicyRun f = full.get(i);
                ReplayReport.PolicyRun l = lean.get(i);
                assertThat(l.summary())
                        .as("%s %s", file.getFileName(), f.policy())
                        .isEqualTo(f.summary());
                assertThat(l.lossBudget()).isEqualTo(f.lossBudget());
                for (int k = 0; k < f.positions().size(); k++) {
                    ReplayReport.PositionTrace ft = f.positions().get(k);
                    ReplayReport.PositionTrace lt = l.positions().get(k);
                    assertThat(lt.actions()).isEqualTo(ft.actions());
                    assertThat(lt.liquidatedAt()).isEqualTo(ft.liquidatedAt());
                    assertThat(lt.qtyAtEnd()).isEqualTo(ft.qtyAtEnd());
                    assertThat(lt.qtyCut()).isEqualTo(ft.qtyCut());
                    assertThat(lt.points()).containsExactly(ft.points().getFirst());
                }
            }
        }
    }

    /**
     * The runs with their smallest distance as the report shows it (four decimals of a percent): the exact monitor keeps
     * 34 digits of it, the fixed point twelve of the fraction; every other figure must be the same to the last digit.
     */
    static List<ReplayReport.PolicyRun> comparable(List<ReplayReport.PolicyRun> runs) {
        return runs.stream()
                .map(r -> {
                    ReplayReport.Summary s = r.summary();
                    return new ReplayReport.PolicyRun(
                            r.policy(),
                            new ReplayReport.Summary(
                                    s.liquidations(),
                                    s.finalEquity(),
                                    s.marginAdded(),
                                    s.marginKept(),
                                    s.marginReleased(),
                                    s.cutNotional(),
                                    s.lossRealisedByCuts(),
                                    s.fees(),
                                    s.funding(),
                                    s.actions(),
                                    s.minDistancePct().map(d -> d.setScale(4, RoundingMode.HALF_UP))),
                            r.positions(),
                            r.equity(),
                            r.lossBudget());
                })
                .toList();
    }

    /** Policies replayed side by side give the report one thread gives, notes and all (wall-clock speed aside). */
    @Test
    void policies_replayed_in_parallel_give_the_same_report() throws IOException {
        ReplayRunner one = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults());
        ReplayRunner three = one.parallel(3);
        for (Path file : scenarios().subList(0, 3)) {
            Scenario scenario = ScenarioFile.load(file);
            long[] heard = new long[1];
            String parallel = ReplayJson.render(three.run(scenario, ReplayRunner.POLICIES, n -> heard[0] = n));
            String serial = ReplayJson.render(one.run(scenario, ReplayRunner.POLICIES, n -> {}));
            assertThat(parallel.replaceAll("\"eventsPerSecond\" : \\d+,", ""))
                    .isEqualTo(serial.replaceAll("\"eventsPerSecond\" : \\d+,", ""));
            ReplayReport report = one.run(scenario, List.of("none"), n -> {});
            assertThat(heard[0]).as("progress ends at every run's events").isEqualTo(report.events() * 5);
        }
    }

    /**
     * A study's runner reads whole files once and walks each once, slicing every window from the walk: every shipped
     * scenario still replays to its golden report (the crash days' windows are sliced from walks of their shipped files,
     * and their 30-day variants would share them).
     */
    @Test
    void whole_files_walked_once_replay_to_the_same_reports() throws IOException {
        ReplayRunner runner =
                new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).reading(MarketSource.cached());
        assertThat(reports(runner)).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
    }

    /**
     * A whole-file walk keeps its steps as numbers and makes each again when asked: every step of every shipped
     * window, and of its warm-up, is equal (times, and prices digit for digit and in scale) to the step a walk of the
     * window alone makes.
     */
    @Test
    void steps_made_again_from_a_whole_file_walk_are_the_steps_walked() throws IOException {
        ReplayRunner plain = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults());
        ReplayRunner walked = plain.reading(MarketSource.cached());
        long between = 0;
        for (Path file : scenarios()) {
            Scenario scenario = ScenarioFile.load(file);
            ReplayRunner.Prepared alone = plain.prepare(scenario);
            ReplayRunner.Prepared sliced = walked.prepare(scenario);
            assertThat(sliced.steps()).as(file.toString()).isEqualTo(alone.steps());
            assertThat(sliced.warmUp()).as(file.toString()).isEqualTo(alone.warmUp());
            between += alone.steps().stream()
                    .filter(m -> m.last() != null && m.last().precision() > 15)
                    .count();
        }
        assertThat(between)
                .as("prices between two of a candle's, kept as digits")
                .isGreaterThan(1000);
    }
}
