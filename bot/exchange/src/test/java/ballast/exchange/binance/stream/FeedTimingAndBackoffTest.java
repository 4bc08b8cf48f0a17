package ballast.exchange.binance.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeedTimingAndBackoffTest {

    /** Always draws the largest value allowed, so the delay equals the cap. */
    static final class MaxRandom extends Random {
        private static final long serialVersionUID = 1L;

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }

    @Test
    void backoff_cap_doubles_from_base_up_to_max() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));

        assertThat(b.cap(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(b.cap(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.cap(6)).isEqualTo(Duration.ofMillis(16_000));
        assertThat(b.cap(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.cap(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void full_jitter_stays_within_zero_and_the_cap() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
        Random seeded = new Random(7);

        for (int attempt = 0; attempt < 40; attempt++) {
            for (int draw = 0; draw < 50; draw++) {
                assertThat(b.delay(attempt, seeded)).isBetween(Duration.ZERO, b.cap(attempt));
            }
        }
        assertThat(b.delay(3, new MaxRandom())).isEqualTo(Duration.ofMillis(2_000));
    }

    @Test
    void defaults_are_valid_and_rotate_before_a_day() {
        assertThat(FeedTiming.markPriceDefaults().maxConnectionAge()).isLessThan(Duration.ofHours(24));
        assertThat(FeedTiming.userDataDefaults().staleAfter()).isGreaterThan(Duration.ofMinutes(1));
    }

    @Test
    void inconsistent_timings_are_refused() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new FeedTiming(s, Duration.ofMillis(500), s, Duration.ofHours(1), s, s, Duration.ZERO))
                .hasMessageContaining("reconnectAfterSilence");
        assertThatThrownBy(() -> new FeedTiming(s, s, s, Duration.ofHours(24), s, s, Duration.ZERO))
                .hasMessageContaining("24 h");
        assertThatThrownBy(() -> new FeedTiming(s, s, s, Duration.ofHours(1), s, Duration.ofMillis(1), Duration.ZERO))
                .hasMessageContaining("backoffMax");
        assertThatThrownBy(() -> new FeedTiming(Duration.ZERO, s, s, Duration.ofHours(1), s, s, Duration.ZERO))
                .hasMessageContaining("staleAfter must be positive");
    }
}
