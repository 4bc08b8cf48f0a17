package ballast.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.margin.MarginRules;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.strategies.HoldPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /health says what is wrong, including a mark stream that never delivered anything (no position to age). */
class StatusBoardTest {

    @Test
    void no_mark_from_the_venue_for_longer_than_stale_is_unhealthy_even_without_a_position() {
        SimClock clock = new SimClock(Instant.parse("2026-12-02T10:00:00Z"));
        StatusBoard board = new StatusBoard("paper", clock, () -> 0, () -> 0, Duration.ZERO);
        Engine engine = new Engine(
                MarginRules.binance(),
                Map.of(),
                new HoldPolicy("none"),
                new Gate(Gate.Params.defaults()),
                Engine.Params.defaults());
        Duration stale = Duration.ofSeconds(30);
        assertThat(board.unhealthy(clock.instant(), stale)).contains("starting: no step taken yet");

        EngineEvent balance = new EngineEvent.BalanceUpdated(clock.instant(), new BigDecimal("10000"));
        board.stepped(engine, balance, engine.step(balance));
        assertThat(board.unhealthy(clock.instant(), stale)).isEmpty();

        clock.set(clock.instant().plusSeconds(31));
        assertThat(board.unhealthy(clock.instant(), stale)).contains("no mark from the venue for 31 s");

        EngineEvent mark = new EngineEvent.MarkUpdated(
                clock.instant(), "BTCUSDT", new BigDecimal("60000"), new BigDecimal("60000"));
        board.stepped(engine, mark, engine.step(mark));
        assertThat(board.unhealthy(clock.instant(), stale)).isEmpty();
    }
}
