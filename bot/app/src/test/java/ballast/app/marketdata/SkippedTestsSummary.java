package ballast.app.marketdata;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a test run, one line naming the test classes skipped because the real-data folder is absent
 * (registered through {@code META-INF/services}), so that a clone without {@code ../shared/data} shows what it did not
 * check instead of passing silently.
 */
public final class SkippedTestsSummary implements TestExecutionListener {
    static final String REASON_PREFIX = "needs ../shared/data for ";

    private final List<String> skipped = new ArrayList<>();
    private String why;

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (reason != null && reason.startsWith(REASON_PREFIX)) {
            skipped.add(test.getDisplayName() + " (" + reason.substring(REASON_PREFIX.length(), reason.indexOf(": "))
                    + ")");
            why = reason.substring(reason.indexOf(": ") + 2);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (!skipped.isEmpty()) {
            System.out.println("SKIPPED without the real-data folder: " + String.join(", ", skipped) + "; " + why
                    + ". They run where it is (CI).");
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        // nothing: only skips are summarised
    }
}
