package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.venue.PositionSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Engines of other policies that share a {@link LiquidationMemo} (a replay's policies, one after the other) take the
 * liquidation price one of them solved for the same position, and measure exactly as an engine that solves every one
 * itself: the same steps and the same liquidation after every settlement. A position that differs in anything but
 * its wallet (another size, another leverage) is solved anew, even at an equal wallet.
 */
class LiquidationMemoTest {

    static final String BTC = EngineQuietProperties.BTC;
    static final Instant T0 = EngineQuietProperties.T0;

    /** A long of {@code qty} BTC at 60,000 in isolated margin, {@code leverage}x, with {@code wallet} USDT. */
    static PositionSnapshot position(String qty, String wallet, String leverage) {
        return new PositionSnapshot(
                BTC,
                Side.LONG,
                ballast.core.margin.MarginMode.ISOLATED,
                new BigDecimal(qty),
                new BigDecimal("60000"),
                new BigDecimal(wallet),
                new BigDecimal(leverage),
                Optional.empty());
    }

    /** What an engine heard and measured: each step, and the liquidation after each event. */
    static List<Object> hear(Engine engine, List<EngineEvent> events) {
        List<Object> seen = new ArrayList<>();
        for (EngineEvent event : events) {
            seen.add(engine.step(event));
            seen.add(engine.liquidation(BTC, Side.LONG));
        }
        return seen;
    }

    /** A settlement every eight hours, each taking a payment with many digits, and a mark between them. */
    static List<EngineEvent> settlements(String qty, String wallet, String leverage) {
        List<EngineEvent> events = new ArrayList<>();
        events.add(new EngineEvent.BalanceUpdated(T0, new BigDecimal("20000")));
        BigDecimal w = new BigDecimal(wallet);
        BigDecimal mark = new BigDecimal("60000");
        for (int i = 0; i < 40; i++) {
            Instant at = T0.plusSeconds(8 * 3600L * i);
            events.add(new EngineEvent.PositionUpdated(at, position(qty, w.toPlainString(), leverage)));
            mark = mark.add(BigDecimal.valueOf((i * 37 % 11) - 5).multiply(new BigDecimal("31.7")));
            events.add(new EngineEvent.MarkUpdated(at.plusSeconds(60), BTC, mark, mark));
            w = w.subtract(new BigDecimal(qty).multiply(mark).multiply(new BigDecimal("0.000100123456789")));
        }
        return events;
    }

    @Test
    void a_shared_solve_measures_as_an_own_one_and_a_different_position_is_solved_anew() {
        LiquidationMemo memo = new LiquidationMemo();
        Engine first = EngineQuietProperties.engine(EngineQuietProperties.policy("budget"));
        first.share(memo);
        hear(first, settlements("0.5", "3000", "10"));
        long servedBefore = memo.served();

        Engine shared = EngineQuietProperties.engine(EngineQuietProperties.policy("ladder"));
        shared.share(memo);
        Engine own = EngineQuietProperties.engine(EngineQuietProperties.policy("ladder"));
        assertThat(hear(shared, settlements("0.5", "3000", "10")))
                .isEqualTo(hear(own, settlements("0.5", "3000", "10")));
        assertThat(memo.served()).as("solves served").isGreaterThan(servedBefore + 30);

        // The same wallets, another size or another leverage: nothing served, everything measured as alone.
        for (String[] other : new String[][] {{"0.6", "10"}, {"0.5", "20"}}) {
            long before = memo.served();
            Engine sharedOther = EngineQuietProperties.engine(EngineQuietProperties.policy("ladder"));
            sharedOther.share(memo);
            Engine ownOther = EngineQuietProperties.engine(EngineQuietProperties.policy("ladder"));
            assertThat(hear(sharedOther, settlements(other[0], "3000", other[1])))
                    .isEqualTo(hear(ownOther, settlements(other[0], "3000", other[1])));
            assertThat(memo.served())
                    .as("served for size %s, %sx", other[0], other[1])
                    .isEqualTo(before);
        }
    }
}
