package ballast.app.cli;

import java.io.Console;

/** Whether standard output and error reach a person at a terminal (progress bars draw only then). */
final class Terminal {
    private Terminal() {}

    /**
     * From Java 22 on, {@link System#console()} returns a console even when the streams are redirected, and {@code
     * Console.isTerminal()} tells the difference; before 22, a console exists only on a terminal. This builds for 21 and
     * runs on newer, so it asks for {@code isTerminal} where the running JVM has it.
     */
    static boolean attached() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console exists only on a terminal
        }
    }
}
