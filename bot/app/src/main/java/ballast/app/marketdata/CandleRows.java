package ballast.app.marketdata;

import ballast.app.marketdata.MarketDataFiles.DataFileException;
import ballast.core.market.Candle;
import ballast.core.market.CandleSeries;
import ballast.core.market.Gap;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows into candles: checks that open times strictly ascend, lets {@link Candle}'s constructor validate each
 * bar (naming the row when it refuses one), then infers the interval and finds the gaps.
 */
final class CandleRows implements RowSink {
    private final String file;
    private final List<Candle> candles = new ArrayList<>();
    private final List<RowRef> refs = new ArrayList<>();

    CandleRows(String file) {
        this.file = file;
    }

    @Override
    public void accept(Instant time, BigDecimal[] v, RowRef where) {
        if (!candles.isEmpty()) {
            Times.requireAfter("open time", candles.getLast().openTime(), refs.getLast(), time, where);
        }
        Candle candle;
        try {
            candle = new Candle(time, v[0], v[1], v[2], v[3], v[4]);
        } catch (IllegalArgumentException e) {
            String why = whyInvalid(v);
            throw where.error(why == null ? e.getMessage() : why + " (candle opening " + time + ")", e);
        }
        candles.add(candle);
        refs.add(where);
    }

    /**
     * The series, at the most common difference between consecutive open times (ties go to the shorter one). Every
     * other difference must be a whole multiple of it: a larger one is a {@link Gap}, anything else is an error.
     */
    CandleSeries toSeries() {
        if (candles.isEmpty()) {
            throw new DataFileException(file + ": no rows");
        }
        if (candles.size() == 1) {
            throw refs.getFirst().error("only one candle; at least two are needed to infer the candle interval");
        }
        Map<Duration, Integer> counts = new HashMap<>();
        for (int i = 1; i < candles.size(); i++) {
            counts.merge(step(i), 1, Integer::sum);
        }
        Duration interval = null;
        int best = 0;
        for (Map.Entry<Duration, Integer> e : counts.entrySet()) {
            if (e.getValue() > best || (e.getValue() == best && e.getKey().compareTo(interval) < 0)) {
                interval = e.getKey();
                best = e.getValue();
            }
        }
        List<Gap> gaps = new ArrayList<>();
        for (int i = 1; i < candles.size(); i++) {
            Duration step = step(i);
            if (step.equals(interval)) {
                continue;
            }
            long intervals = step.dividedBy(interval);
            if (intervals < 1 || !interval.multipliedBy(intervals).equals(step)) {
                throw refs.get(i)
                        .error("open time " + candles.get(i).openTime() + " is " + Times.human(step) + " after "
                                + refs.get(i - 1).nameFrom(refs.get(i)) + " ("
                                + candles.get(i - 1).openTime()
                                + "), not a whole multiple of the file's candle interval " + Times.human(interval)
                                + " (the most common step)");
            }
            gaps.add(new Gap(candles.get(i - 1).openTime(), candles.get(i).openTime(), intervals - 1));
        }
        return new CandleSeries(file, interval, candles, gaps);
    }

    private Duration step(int i) {
        return Duration.between(candles.get(i - 1).openTime(), candles.get(i).openTime());
    }

    /** A precise reason for a bar {@link Candle} refused (values as read), or null to use the constructor's. */
    static String whyInvalid(BigDecimal[] v) {
        List<String> names = Kind.CANDLES.valueNames;
        for (int i = 0; i < 4; i++) {
            if (v[i] != null && v[i].signum() <= 0) {
                return names.get(i) + " " + v[i].toPlainString() + " is not above 0";
            }
        }
        BigDecimal open = v[0];
        BigDecimal high = v[1];
        BigDecimal low = v[2];
        BigDecimal close = v[3];
        if (high.compareTo(low) < 0) {
            return "high " + high.toPlainString() + " is below low " + low.toPlainString();
        }
        if (high.compareTo(open) < 0) {
            return "high " + high.toPlainString() + " is below open " + open.toPlainString();
        }
        if (high.compareTo(close) < 0) {
            return "high " + high.toPlainString() + " is below close " + close.toPlainString();
        }
        if (low.compareTo(open) > 0) {
            return "low " + low.toPlainString() + " is above open " + open.toPlainString();
        }
        if (low.compareTo(close) > 0) {
            return "low " + low.toPlainString() + " is above close " + close.toPlainString();
        }
        if (v[4] != null && v[4].signum() < 0) {
            return "volume " + v[4].toPlainString() + " is negative";
        }
        return null;
    }
}
