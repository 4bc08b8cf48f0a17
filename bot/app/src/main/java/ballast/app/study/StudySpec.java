package ballast.app.study;

import ballast.core.Side;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What a study replays: {@code entries} positions drawn at random (from {@code seed}: the same spec gives the same
 * entries) over symbols, sides, leverages and horizons, opened at whole hours between {@code from} and {@code to −
 * horizon}, each with {@code margin} isolated and {@code wallet} free beside it, under every policy in
 * {@code policies}.
 *
 * @param reactEvery the stress mode: the bot sees a mark and may act only this often, while the venue still liquidates
 *     on every mark
 */
public record StudySpec(
        List<StudyData.SymbolFiles> data,
        List<Side> sides,
        List<BigDecimal> leverages,
        List<Duration> horizons,
        Instant from,
        Instant to,
        int entries,
        long seed,
        BigDecimal margin,
        BigDecimal wallet,
        List<String> policies,
        Optional<Duration> reactEvery,
        Duration warmUp) {

    public StudySpec {
        data = List.copyOf(data);
        sides = List.copyOf(sides);
        leverages = List.copyOf(leverages);
        horizons = List.copyOf(horizons);
        policies = List.copyOf(policies);
        if (data.isEmpty() || sides.isEmpty() || leverages.isEmpty() || horizons.isEmpty() || policies.isEmpty()) {
            throw new IllegalArgumentException("a study needs at least one symbol, side, leverage, horizon and policy");
        }
        if (entries < 1) {
            throw new IllegalArgumentException("--entries must be at least 1, was " + entries);
        }
    }

    /** One position of the study. */
    public record Entry(int id, String symbol, Side side, BigDecimal leverage, Instant start, Duration horizon) {
        public Instant end() {
            return start.plus(horizon);
        }

        /** The month it opened in: entries of one month share their market, and cluster together. */
        public String month() {
            return YearMonth.from(start.atZone(ZoneOffset.UTC)).toString();
        }

        /** What its replay depends on: two entries with the same one are the same replay (the draw may repeat one). */
        public Window window() {
            return new Window(symbol, side, leverage, start, horizon);
        }
    }

    /** An entry without its number: the symbol, side, leverage and span its replay depends on. */
    public record Window(String symbol, Side side, BigDecimal leverage, Instant start, Duration horizon) {}

    /** The entries, drawn from the seed. */
    public List<Entry> draw() {
        Instant first = from.truncatedTo(ChronoUnit.HOURS);
        SplittableRandom random = new SplittableRandom(seed);
        List<Entry> drawn = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            StudyData.SymbolFiles symbol = data.get(random.nextInt(data.size()));
            Side side = sides.get(random.nextInt(sides.size()));
            BigDecimal leverage = leverages.get(random.nextInt(leverages.size()));
            Duration horizon = horizons.get(random.nextInt(horizons.size()));
            long hours = Duration.between(first, to.minus(horizon)).toHours();
            if (hours < 0) {
                throw new IllegalArgumentException("the span " + from + " to " + to + " is shorter than the horizon "
                        + ballast.app.format.Figures.duration(horizon));
            }
            Instant start = first.plus(Duration.ofHours(random.nextLong(hours + 1)));
            drawn.add(new Entry(i + 1, symbol.symbol(), side, leverage, start, horizon));
        }
        return drawn;
    }
}
