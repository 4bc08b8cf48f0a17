package ballast.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A move term taken from a walk ({@link VolatilityMemo#moves}) gives the variance the monitor works out itself: along a
 * path of marks (small moves, jumps of many times the price, waits shorter and longer than the memory), a monitor that
 * takes the walk's terms and one that works every term out hold the same variance after every mark. The walk is
 * another engine's, so it is not this monitor's own: the monitor skips some of the walk's marks (its last mark is then
 * not the walk's one before), some steps are not the walk's at all, and some walks are for another memory. A term is
 * taken only where the walk worked it out from this monitor's last mark, the same mark and memory; without either
 * check the variances part.
 */
class MoveTermProperties {

    @Property(tries = 400)
    void a_walks_move_term_gives_the_variance_worked_out(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 7200) int memorySeconds,
            @ForAll @IntRange(min = 0, max = 30) int skipPercent,
            @ForAll boolean otherMemory) {
        Random random = new Random(seed);
        Engine.Params params = params(memorySeconds);
        long memoryMillis = params.volatilityMemory().toMillis();
        int n = 400;
        long[] marks = new long[n];
        long[] nanos = new long[n];
        long price = 6_000_000_000_000L;
        long time = 1_700_000_000_000_000_000L;
        for (int k = 0; k < n; k++) {
            int kind = random.nextInt(100);
            if (kind < 2) {
                // A jump of many times the price either way (the term may leave the fixed point).
                price = random.nextBoolean() ? price * (2 + random.nextInt(200)) : Math.max(1, price / 50);
            } else {
                price = Math.max(1, price + (long) (random.nextGaussian() * price / 200));
            }
            // Waits from a millisecond to past the memory; now and then the same nanosecond (no move).
            long wait = random.nextInt(20) == 0
                    ? 0
                    : random.nextInt(10) == 0
                            ? memoryMillis * 1_000_000L + random.nextInt(1_000_000_000)
                            : 1_000_000L + random.nextLong(60_000_000_000L);
            time += wait;
            marks[k] = price;
            nanos[k] = time;
        }
        // The walk: every mark after the one before, as a replay's walk keeps them, for its memory.
        long walkMemory = otherMemory ? memoryMillis + 1000 : memoryMillis;
        long[] walk = new long[3 * n];
        for (int k = 0; k < n; k++) {
            long before = k == 0 ? Long.MIN_VALUE : marks[k - 1];
            long term = VolatilityMemo.NO_MOVE;
            if (k > 0) {
                try {
                    term = VolatilityMemo.moveTerm(before, marks[k], walkMemory);
                } catch (ArithmeticException beyondTheFixedPoint) {
                    // left to the monitor
                }
            }
            walk[3 * k] = before;
            walk[3 * k + 1] = marks[k];
            walk[3 * k + 2] = term;
        }
        // The replay's steps: each the walk's, or (now and then) one the walk does not have.
        int[] at = new int[n];
        for (int k = 0; k < n; k++) {
            at[k] = random.nextInt(50) == 0 ? -1 : k;
        }
        VolatilityMemo memo = new VolatilityMemo();
        memo.reset(n);
        memo.moves(at, walk, walkMemory);

        FixedMonitor.Symbol worked = new FixedMonitor.Symbol(params);
        FixedMonitor.Symbol taking = new FixedMonitor.Symbol(params);
        int taken = 0;
        for (int k = 0; k < n; k++) {
            if (random.nextInt(100) < skipPercent) {
                continue; // this engine does not take the walk's mark: its last mark is then not the walk's one before
            }
            long expected;
            try {
                expected = worked.next(nanos[k], marks[k]);
            } catch (ArithmeticException beyondTheFixedPoint) {
                int step = k;
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> taking.next(nanos[step], marks[step], memo, step))
                        .isInstanceOf(ArithmeticException.class);
                break;
            }
            long got = taking.next(nanos[k], marks[k], memo, k);
            assertThat(got).as("the variance at mark %d", k).isEqualTo(expected);
            if (memo.move(k, lastMark(k, marks), marks[k], memoryMillis) != VolatilityMemo.NO_MOVE) {
                taken++;
            }
            worked.commit(nanos[k], marks[k], expected);
            taking.commit(nanos[k], marks[k], got);
        }
        Statistics.label("marks the walk had a term for, from the last mark taken")
                .collect(taken > 0);
    }

    /** The walk's mark before step {@code k}. */
    private static long lastMark(int k, long[] marks) {
        return k == 0 ? Long.MIN_VALUE : marks[k - 1];
    }

    @Property(tries = 50)
    void a_term_is_taken_only_for_the_walks_last_mark_mark_and_memory(
            @ForAll @IntRange(min = 1, max = 1_000_000) int move, @ForAll @IntRange(min = 60, max = 7200) int memory) {
        long last = 6_000_000_000_000L;
        long price = last + move;
        long memoryMillis = memory * 1000L;
        long term = VolatilityMemo.moveTerm(last, price, memoryMillis);
        VolatilityMemo memo = new VolatilityMemo();
        memo.reset(2);
        memo.moves(new int[] {-1, 0}, new long[] {last, price, term}, memoryMillis);
        assertThat(memo.move(1, last, price, memoryMillis)).isEqualTo(term);
        assertThat(memo.move(0, last, price, memoryMillis))
                .as("a step not the walk's")
                .isEqualTo(VolatilityMemo.NO_MOVE);
        assertThat(memo.move(1, last + 1, price, memoryMillis))
                .as("another last mark")
                .isEqualTo(VolatilityMemo.NO_MOVE);
        assertThat(memo.move(1, last, price + 1, memoryMillis))
                .as("another mark")
                .isEqualTo(VolatilityMemo.NO_MOVE);
        assertThat(memo.move(1, last, price, memoryMillis + 1000))
                .as("another memory")
                .isEqualTo(VolatilityMemo.NO_MOVE);
        memo.reset(2);
        assertThat(memo.move(1, last, price, memoryMillis)).as("after a reset").isEqualTo(VolatilityMemo.NO_MOVE);
    }

    private static Engine.Params params(int memorySeconds) {
        return new Engine.Params(
                Duration.ofMinutes(30),
                Duration.ofSeconds(memorySeconds),
                new BigDecimal("0.01"),
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Optional.empty(),
                Map.of());
    }
}
