package ballast.app.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The download's progress line on a terminal: files, bytes, rows and the file in hand, redrawn in place. */
class ProgressTest {

    @Test
    void one_line_redrawn_in_place_then_cleared() {
        StringWriter text = new StringWriter();
        HandClock clock = new HandClock(Instant.parse("2024-08-10T00:00:00Z"));
        Progress bar = Progress.bar(new PrintWriter(text, true), clock);

        bar.planned(4);
        bar.file("BTCUSDT-1m-2024-08-01.zip");
        bar.bytes(1_200_000);
        clock.sleep(Duration.ofMillis(150));
        bar.rows(1440);
        bar.fileDone();
        String drawn = text.toString();
        bar.finish();

        String[] frames = drawn.split("\r");
        assertThat(frames[frames.length - 1])
                .isEqualTo("[######------------------] 1/4 files  1.20 MB  1,440 rows  BTCUSDT-1m-2024-08-01.zip");
        assertThat(drawn).doesNotContain("\n");
        assertThat(text.toString()).endsWith("\r");
    }

    @Test
    void bytes_between_redraws_do_not_redraw() {
        StringWriter text = new StringWriter();
        HandClock clock = new HandClock(Instant.parse("2024-08-10T00:00:00Z"));
        Progress bar = Progress.bar(new PrintWriter(text, true), clock);
        bar.planned(1);
        int before = text.toString().length();
        for (int i = 0; i < 1000; i++) {
            bar.bytes(100); // the clock does not move: at most one redraw per 100 ms
        }
        assertThat(text.toString().length() - before).isLessThan(200);
    }
}
