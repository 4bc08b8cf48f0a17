package ballast.app.history;

import ballast.app.format.Figures;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * What a download tells a person watching: files done of those planned, bytes, rows, and the file in hand. On a
 * terminal it is one line on standard error, redrawn at most ten times a second; anywhere else it says nothing (a log
 * or a pipe gets the summary at the end instead).
 */
public interface Progress {

    void planned(int files);

    void file(String name);

    void bytes(long n);

    void rows(long n);

    void fileDone();

    void finish();

    static Progress none() {
        return new Progress() {
            @Override
            public void planned(int files) {}

            @Override
            public void file(String name) {}

            @Override
            public void bytes(long n) {}

            @Override
            public void rows(long n) {}

            @Override
            public void fileDone() {}

            @Override
            public void finish() {}
        };
    }

    /** A progress bar on {@code err}, for a terminal. */
    static Progress bar(PrintWriter err, Clock clock) {
        return new Bar(err, clock);
    }

    final class Bar implements Progress {
        private static final int WIDTH = 24;
        private final PrintWriter err;
        private final Clock clock;
        private int planned;
        private int done;
        private long bytes;
        private long rows;
        private String current = "";
        private long lastDraw;
        private int lastLength;

        Bar(PrintWriter err, Clock clock) {
            this.err = err;
            this.clock = clock;
        }

        @Override
        public void planned(int files) {
            planned += files;
            draw(true);
        }

        @Override
        public void file(String name) {
            current = name;
            draw(true);
        }

        @Override
        public void bytes(long n) {
            bytes += n;
            draw(false);
        }

        @Override
        public void rows(long n) {
            rows += n;
            draw(false);
        }

        @Override
        public void fileDone() {
            done++;
            draw(true);
        }

        @Override
        public void finish() {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
        }

        private void draw(boolean now) {
            long t = clock.millis();
            if (!now && t - lastDraw < 100) {
                return;
            }
            lastDraw = t;
            int total = Math.max(planned, done);
            int filled = total == 0 ? 0 : WIDTH * done / total;
            String line = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + total + " files  "
                    + Figures.bytes(bytes) + "  " + Figures.count(rows) + " rows  " + current;
            String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
            lastLength = line.length();
            err.print("\r" + padded);
            err.flush();
        }
    }
}
