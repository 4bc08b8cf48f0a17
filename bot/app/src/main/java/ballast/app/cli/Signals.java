package ballast.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and Ctrl-C for a long-running command: the first asks it to stop (the thread that runs it is interrupted and
 * winds down: nothing new is decided, what is in flight settles, the journal is flushed, and the command exits 0); a
 * second exits at once. Closing puts the JVM's own handlers back. Without the JDK's signal API (a JVM that lacks it),
 * the JVM's own handling stays.
 */
final class Signals implements AutoCloseable {
    private final List<sun.misc.Signal> signals = new ArrayList<>();
    private final List<sun.misc.SignalHandler> before = new ArrayList<>();

    private Signals() {}

    /** Installs the handlers for the running thread. */
    static Signals onStop(PrintWriter err) {
        Signals installed = new Signals();
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        Thread runner = Thread.currentThread();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(signal, s -> {
                    if (asked.getAndSet(true)) {
                        err.println("second signal: exiting now");
                        err.flush();
                        Runtime.getRuntime().halt(130);
                    }
                    err.println("SIG" + name + ": stopping (no new decisions; what is in flight settles; again to exit"
                            + " at once)");
                    err.flush();
                    runner.interrupt();
                });
                installed.signals.add(signal);
                installed.before.add(old);
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // This JVM keeps its own handling of the signal.
            }
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            sun.misc.Signal.handle(signals.get(i), before.get(i));
        }
    }
}
