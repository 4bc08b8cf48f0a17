package ballast.app.marketdata;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that reads the large real-data folder {@code ../shared/data}: it runs where the folder is (development,
 * CI) and is skipped, with the reason, on a clone without it. Skipped is not passed: the summary line at the end of the
 * run names every class skipped this way.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsSharedData.Condition.class)
public @interface NeedsSharedData {

    /** What the class checks, for the skip message ("the loader on 31 real files"). */
    String value();

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (SharedData.find().isPresent()) {
                return ConditionEvaluationResult.enabled("../shared/data is present");
            }
            String what = context.getTestClass()
                    .map(c -> c.getAnnotation(NeedsSharedData.class))
                    .map(NeedsSharedData::value)
                    .orElse("real-data checks");
            return ConditionEvaluationResult.disabled(
                    SkippedTestsSummary.REASON_PREFIX + what + ": " + SharedData.whyMissing());
        }
    }
}
