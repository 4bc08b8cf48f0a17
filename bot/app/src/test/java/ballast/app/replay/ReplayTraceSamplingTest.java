package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trace keeps every {@code stride}-th mark of its symbol, counted from the window's first, whichever way the replay
 * takes the marks: after its position is gone (a close, a liquidation, the backstop), a replay with nothing left to
 * protect only samples the rest, and its points are still exactly those marks. Checked on every shipped scenario under
 * every policy, against the window's own steps.
 */
class ReplayTraceSamplingTest {

    static final int POINTS = 300;

    @Test
    void after_a_position_is_gone_its_trace_keeps_every_stride_th_mark() throws Exception {
        ReplayRunner runner = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).sampling(POINTS);
        int checked = 0;
        for (Path file : ShippedReplayGoldenTest.scenarios()) {
            ReplayRunner.Prepared prepared = runner.prepare(ScenarioFile.load(file));
            int stride = (int) Math.max(1, prepared.events() / POINTS);
            ReplayReport report = prepared.run(List.of("budget", "ladder", "none", "buffer-exit"), e -> {});
            for (ReplayReport.PolicyRun run : report.results()) {
                for (ReplayReport.PositionTrace trace : run.positions()) {
                    if (trace.qtyAtEnd().signum() != 0 || trace.actions().isEmpty()) {
                        continue;
                    }
                    // The marks of the trace's symbol, in the order the replay takes them.
                    List<Instant> marks = new ArrayList<>();
                    for (ReplayRunner.MarketStep step : prepared.steps()) {
                        if (step.symbol().equals(trace.symbol())
                                && step.fundingRate().isEmpty()
                                && step.closed().isEmpty()) {
                            marks.add(step.time());
                        }
                    }
                    Instant gone = trace.actions().getLast().time();
                    int first = 0;
                    while (first < marks.size() && !marks.get(first).isAfter(gone)) {
                        first++;
                    }
                    // From the mark after the one that follows the end (that one may be sampled for the event).
                    List<Instant> expected = new ArrayList<>();
                    for (int k = first + 1; k < marks.size(); k++) {
                        if (k % stride == 0) {
                            expected.add(marks.get(k));
                        }
                    }
                    Instant from = first < marks.size() ? marks.get(first) : gone;
                    List<Instant> kept = trace.points().stream()
                            .map(ReplayReport.TracePoint::time)
                            .filter(t -> t.isAfter(from))
                            .toList();
                    assertThat(kept)
                            .as(
                                    "%s, %s, %s %s after %s",
                                    file.getFileName(), run.policy(), trace.symbol(), trace.side(), gone)
                            .isEqualTo(expected);
                    if (!expected.isEmpty()) {
                        checked++;
                    }
                }
            }
        }
        assertThat(checked)
                .as("positions gone before their window's end, with marks sampled after")
                .isGreaterThan(10);
    }

    /**
     * A study's runner keeps no funding payment among a trace's events: every summary, point and action is what a runner
     * keeping them gives, on every shipped scenario under every policy.
     */
    @Test
    void a_runner_without_funding_events_keeps_everything_else() throws Exception {
        int dropped = 0;
        for (boolean afterEvents : new boolean[] {false, true}) {
            dropped += withoutFunding(afterEvents);
        }
        assertThat(dropped).as("funding payments left out").isGreaterThan(100);
    }

    /** The comparison with or without the point after each event; returns how many payments were left out. */
    private static int withoutFunding(boolean afterEvents) throws Exception {
        ReplayRunner keeping = new ReplayRunner(ShippedRiskTiers.load(), Settings.defaults()).sampling(50, afterEvents);
        ReplayRunner without = keeping.withoutFundingEvents();
        List<String> policies = List.of("budget", "ladder", "none", "buffer-exit");
        int dropped = 0;
        for (Path file : ShippedReplayGoldenTest.scenarios()) {
            Scenario scenario = ScenarioFile.load(file);
            ReplayReport all = keeping.run(scenario, policies, e -> {});
            ReplayReport some = without.run(scenario, policies, e -> {});
            for (int r = 0; r < all.results().size(); r++) {
                ReplayReport.PolicyRun a = all.results().get(r);
                ReplayReport.PolicyRun b = some.results().get(r);
                assertThat(b.summary())
                        .as("%s %s", file.getFileName(), a.policy())
                        .isEqualTo(a.summary());
                assertThat(b.equity()).isEqualTo(a.equity());
                for (int t = 0; t < a.positions().size(); t++) {
                    ReplayReport.PositionTrace ta = a.positions().get(t);
                    ReplayReport.PositionTrace tb = b.positions().get(t);
                    List<ReplayReport.ActionEvent> notFunding = ta.actions().stream()
                            .filter(e -> !e.kind().equals("funding"))
                            .toList();
                    dropped += ta.actions().size() - notFunding.size();
                    assertThat(tb.actions()).isEqualTo(notFunding);
                    assertThat(tb.points()).isEqualTo(ta.points());
                    assertThat(tb.qtyAtEnd()).isEqualTo(ta.qtyAtEnd());
                }
            }
        }
        return dropped;
    }
}
