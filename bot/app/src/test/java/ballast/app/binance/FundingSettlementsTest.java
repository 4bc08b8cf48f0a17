package ballast.app.binance;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Funding settles once, at the time and the rate the stream announced last before it, never twice. */
class FundingSettlementsTest {

    static final Instant EIGHT = Instant.parse("2026-12-02T08:00:00Z");
    static final Instant SIXTEEN = Instant.parse("2026-12-02T16:00:00Z");

    @Test
    void the_first_frame_after_the_announced_time_says_it_settled_at_the_last_announced_rate() {
        FundingSettlements settlements = new FundingSettlements();
        assertThat(settlements.frame("BTCUSDT", new BigDecimal("0.0001"), EIGHT, EIGHT.minusSeconds(2)))
                .isEmpty();
        assertThat(settlements.frame("BTCUSDT", new BigDecimal("0.00012"), EIGHT, EIGHT.minusSeconds(1)))
                .isEmpty();
        assertThat(settlements.frame("BTCUSDT", new BigDecimal("0.00003"), SIXTEEN, EIGHT.plusMillis(400)))
                .contains(new FundingSettlements.Settlement("BTCUSDT", EIGHT, new BigDecimal("0.00012")));
        // The next frames announce the same next time: nothing more settled.
        assertThat(settlements.frame("BTCUSDT", new BigDecimal("0.00004"), SIXTEEN, EIGHT.plusSeconds(1)))
                .isEmpty();
        // Another symbol is its own.
        assertThat(settlements.frame("ETHUSDT", new BigDecimal("0.0001"), SIXTEEN, EIGHT.plusSeconds(1)))
                .isEmpty();
    }

    @Test
    void a_frame_that_moves_the_next_time_before_it_is_reached_settles_nothing() {
        FundingSettlements settlements = new FundingSettlements();
        settlements.frame("BTCUSDT", new BigDecimal("0.0001"), EIGHT, EIGHT.minusSeconds(60));
        // A venue that changes the schedule (or a frame out of order) is not a settlement.
        assertThat(settlements.frame("BTCUSDT", new BigDecimal("0.0001"), SIXTEEN, EIGHT.minusSeconds(30)))
                .isEmpty();
    }
}
