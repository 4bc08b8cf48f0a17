package ballast.app.study;

import ballast.app.history.HistoryLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds each symbol's history in a folder, in either of the two layouts Ballast knows: what {@code ballast data
 * download} writes ({@code binance/futures/um/klines/BTCUSDT/1h/}, {@code markPriceKlines/…}, {@code fundingRate/…}),
 * or one file per series named as the project's shared data names them ({@code binance_um_BTCUSDT_1h.csv},
 * {@code binance_um_BTCUSDT_1h_mark.csv}, {@code binance_um_BTCUSDT_funding.csv}).
 */
public final class StudyData {
    private StudyData() {}

    /** One symbol's series: last-price candles, and the mark and funding when the folder has them. */
    public record SymbolFiles(String symbol, Path candles, Optional<Path> mark, Optional<Path> funding) {}

    /** Thrown with a message that says what was looked for, and where. */
    public static final class MissingData extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MissingData(String message) {
            super(message);
        }
    }

    public static List<SymbolFiles> find(Path dir, List<String> symbols, String interval) {
        if (!Files.isDirectory(dir)) {
            throw new MissingData("--data: " + dir + " is not a folder (give the folder 'ballast data download'"
                    + " wrote to, or one holding binance_um_SYMBOL_" + interval + ".csv files)");
        }
        List<SymbolFiles> found = new ArrayList<>();
        for (String symbol : symbols) {
            found.add(find(dir, symbol.toUpperCase(Locale.ROOT), interval));
        }
        return found;
    }

    private static SymbolFiles find(Path dir, String symbol, String interval) {
        Path klines = dir.resolve(HistoryLayout.ROOT)
                .resolve("klines")
                .resolve(symbol)
                .resolve(interval);
        if (Files.isDirectory(klines)) {
            Path mark = dir.resolve(HistoryLayout.ROOT)
                    .resolve("markPriceKlines")
                    .resolve(symbol)
                    .resolve(interval);
            Path funding =
                    dir.resolve(HistoryLayout.ROOT).resolve("fundingRate").resolve(symbol);
            return new SymbolFiles(symbol, klines, existing(mark), existing(funding));
        }
        Path flat = dir.resolve("binance_um_" + symbol + "_" + interval + ".csv");
        for (String suffix : List.of("", ".gz")) {
            Path candles = dir.resolve(flat.getFileName() + suffix);
            if (Files.isRegularFile(candles)) {
                return new SymbolFiles(
                        symbol,
                        candles,
                        flatFile(dir, "binance_um_" + symbol + "_" + interval + "_mark.csv"),
                        flatFile(dir, "binance_um_" + symbol + "_funding.csv"));
            }
        }
        throw new MissingData("--data: no " + interval + " history of " + symbol + " in " + dir + " (looked for "
                + dir.relativize(klines) + "/ and " + flat.getFileName() + "); 'ballast data download --symbol "
                + symbol + " --interval " + interval + " --mark --funding --from DATE --dir " + dir + "' fetches it");
    }

    /** A flat file, plain or gzipped (as the shipped scenario data keeps its larger files). */
    private static Optional<Path> flatFile(Path dir, String name) {
        return existing(dir.resolve(name)).or(() -> existing(dir.resolve(name + ".gz")));
    }

    private static Optional<Path> existing(Path p) {
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }
}
