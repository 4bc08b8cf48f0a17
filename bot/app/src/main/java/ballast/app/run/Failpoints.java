package ballast.app.run;

/**
 * Named points in the running bot where a crash test stops the process dead ({@code Runtime.halt}, as SIGKILL would),
 * chosen with the system property {@code ballast.failpoint}. Without the property every point is a no-op; the crash
 * tests of the real process use it to die at an exact step of an action, which no outside signal can time.
 */
public final class Failpoints {

    /** The intent is in the journal; it has not been handed to the executor. */
    public static final String INTENT_JOURNALLED = "intent-journalled";

    /** The venue answered the request; the answer is not in the journal yet. */
    public static final String ANSWERED = "answered";

    private static final String ARMED = System.getProperty("ballast.failpoint", "");

    private Failpoints() {}

    /** Dies here, with exit code 137 (as a SIGKILL), when the armed point is {@code name}. */
    public static void hit(String name) {
        if (ARMED.equals(name)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
