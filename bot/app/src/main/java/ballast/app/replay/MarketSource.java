package ballast.app.replay;

import ballast.app.marketdata.MarketDataFiles;
import ballast.core.market.CandleSeries;
import ballast.core.market.FundingRate;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a replay's candles and funding come from. A replay reads its files; a study, which replays thousands of windows
 * of the same years, reads each file once and shares it, read-only, between its threads. Either way the replay slices
 * the window itself, so both give the same steps.
 */
public interface MarketSource {

    /** The candles of a file or folder (at least those in {@code [from, to)}; a folder may skip files outside it). */
    CandleSeries candles(Path path, Instant from, Instant to);

    /** The funding settlements of a file or folder (at least those in {@code [from, to)}). */
    List<FundingRate> funding(Path path, Instant from, Instant to);

    /**
     * Whether {@link #candles} gives each path's whole series, the same object every time: then a replay may walk a
     * file once and slice every window from it.
     */
    default boolean wholeFiles() {
        return false;
    }

    /** Reads the files every time. */
    MarketSource FILES = new MarketSource() {
        @Override
        public CandleSeries candles(Path path, Instant from, Instant to) {
            return MarketDataFiles.loadCandles(path, from, to);
        }

        @Override
        public List<FundingRate> funding(Path path, Instant from, Instant to) {
            return MarketDataFiles.loadFunding(path, from, to);
        }
    };

    /** Reads each file or folder whole, once, and keeps it for every later window (thread-safe). */
    static MarketSource cached() {
        Map<Path, CandleSeries> candles = new ConcurrentHashMap<>();
        Map<Path, List<FundingRate>> funding = new ConcurrentHashMap<>();
        return new MarketSource() {
            @Override
            public CandleSeries candles(Path path, Instant from, Instant to) {
                return candles.computeIfAbsent(path.toAbsolutePath().normalize(), MarketDataFiles::loadCandles);
            }

            @Override
            public List<FundingRate> funding(Path path, Instant from, Instant to) {
                return funding.computeIfAbsent(path.toAbsolutePath().normalize(), MarketDataFiles::loadFunding);
            }

            @Override
            public boolean wholeFiles() {
                return true;
            }
        };
    }
}
