package ballast.app.history;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Where downloaded history lives: Binance's archive layout without its monthly/daily level, so that one folder holds
 * one series and a scenario names that folder. Files keep the archive's own names.
 *
 * <pre>
 * DIR/binance/futures/um/klines/BTCUSDT/1h/BTCUSDT-1h-2024-07.zip        (+ .CHECKSUM)   a month from the archive
 * DIR/binance/futures/um/klines/BTCUSDT/1h/BTCUSDT-1h-2024-08-01.zip     (+ .CHECKSUM)   a day from the archive
 * DIR/binance/futures/um/klines/BTCUSDT/1h/BTCUSDT-1h-2024-08-10.json                    a day from REST
 * DIR/binance/futures/um/klines/BTCUSDT/1h/BTCUSDT-1h-2024-08-11.partial.json            today so far, from REST
 * DIR/binance/futures/um/markPriceKlines/BTCUSDT/1h/...
 * DIR/binance/futures/um/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-08.zip
 * </pre>
 */
public record HistoryLayout(Path dir) {

    public static final String ROOT = "binance/futures/um";

    /** The folder of one series. */
    public Path folder(HistoryKind kind, String symbol, String interval) {
        Path base = dir.resolve(ROOT).resolve(kind.archiveName).resolve(symbol);
        return kind.hasInterval() ? base.resolve(interval) : base;
    }

    /** {@code BTCUSDT-1h} or {@code BTCUSDT-fundingRate}: the stem every file of a series starts with. */
    static String stem(HistoryKind kind, String symbol, String interval) {
        return symbol + "-" + (kind.hasInterval() ? interval : "fundingRate");
    }

    static String monthName(HistoryKind kind, String symbol, String interval, YearMonth month) {
        return stem(kind, symbol, interval) + "-" + month;
    }

    static String dayName(HistoryKind kind, String symbol, String interval, LocalDate day) {
        return stem(kind, symbol, interval) + "-" + day;
    }

    /** {@code data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-08.zip}: the path on the archive host. */
    static String archivePath(HistoryKind kind, String symbol, String interval, boolean monthly, String name) {
        return "data/futures/um/" + (monthly ? "monthly" : "daily") + "/" + kind.archiveName + "/" + symbol
                + (kind.hasInterval() ? "/" + interval : "") + "/" + name + ".zip";
    }
}
