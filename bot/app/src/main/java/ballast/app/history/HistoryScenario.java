package ballast.app.history;

import ballast.app.format.Figures;
import ballast.app.marketdata.MarketDataFiles;
import ballast.app.replay.ScenarioFile;
import ballast.core.Side;
import ballast.core.margin.MarginMode;
import ballast.core.market.CandleSeries;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code ballast data scenario}: a ready-to-run scenario for a window of downloaded history, one position per symbol.
 * It checks first that the candles cover the window (and says which download fills it when they do not), takes the mark
 * and funding folders where they exist, and writes paths relative to the scenario file, so the pair can be moved
 * together.
 */
public final class HistoryScenario {

    /** The position each symbol gets. */
    public record Position(Side side, BigDecimal leverage, BigDecimal margin, MarginMode mode) {}

    /** What to write. */
    public record Spec(
            Path dir,
            List<String> symbols,
            String interval,
            Instant from,
            Instant to,
            Duration warmUp,
            Position position,
            BigDecimal wallet,
            Path out) {
        public Spec {
            symbols = List.copyOf(symbols);
        }
    }

    /** The file written, and what a person should know about it. */
    public record Written(Path file, List<String> notes) {}

    private HistoryScenario() {}

    /** The one candle interval downloaded for {@code symbol}, when there is exactly one. */
    public static String onlyInterval(Path dir, String symbol) {
        Path candles =
                new HistoryLayout(dir).folder(HistoryKind.CANDLES, symbol, "x").getParent();
        List<String> intervals = new ArrayList<>();
        if (Files.isDirectory(candles)) {
            try (Stream<Path> list = Files.list(candles)) {
                list.filter(Files::isDirectory)
                        .map(p -> p.getFileName().toString())
                        .sorted()
                        .forEach(intervals::add);
            } catch (IOException e) {
                throw new HistoryDownload.DownloadException("cannot list " + candles + ": " + e.getMessage(), false);
            }
        }
        if (intervals.size() == 1) {
            return intervals.getFirst();
        }
        if (intervals.isEmpty()) {
            throw new HistoryDownload.DownloadException(
                    "--symbol " + symbol + ": no candles downloaded for it under " + dir
                            + " (first: ballast data download --symbol " + symbol + " ...)",
                    true);
        }
        throw new HistoryDownload.DownloadException(
                "--interval is needed: " + symbol + " has candles at " + String.join(", ", intervals) + " under " + dir,
                true);
    }

    public static Written write(Spec spec, Clock clock, boolean overwrite) {
        if (Files.exists(spec.out()) && !overwrite) {
            throw new HistoryDownload.DownloadException(
                    spec.out() + " exists; choose another name or add --force to replace it", true);
        }
        HistoryLayout layout = new HistoryLayout(spec.dir());
        Path base = spec.out().toAbsolutePath().normalize().getParent();
        List<String> notes = new ArrayList<>();
        StringBuilder positions = new StringBuilder();
        Duration warmUp = spec.warmUp();
        for (String symbol : spec.symbols()) {
            Path candles = layout.folder(HistoryKind.CANDLES, symbol, spec.interval());
            CandleSeries series = covering(candles, symbol, "candles", spec);
            Instant first = series.candles().getFirst().openTime();
            Duration available = Duration.between(first, spec.from());
            if (available.compareTo(warmUp) < 0) {
                warmUp = available.isNegative() ? Duration.ZERO : available;
                notes.add(symbol + ": candles start " + first + ", so the warm-up is " + Figures.duration(warmUp)
                        + ", not " + Figures.duration(spec.warmUp()));
            }
            Path mark = layout.folder(HistoryKind.MARK, symbol, spec.interval());
            Path funding = layout.folder(HistoryKind.FUNDING, symbol, spec.interval());
            boolean hasMark = hasData(mark);
            boolean hasFunding = hasData(funding);
            if (hasMark) {
                covering(mark, symbol, "mark", spec);
            } else {
                notes.add(symbol + ": no mark-price data (download with --mark): last price stands in for mark, the"
                        + " conservative choice");
            }
            if (!hasFunding) {
                notes.add(symbol + ": no funding data (download with --funding): funding is not simulated");
            }
            Position p = spec.position();
            positions
                    .append("  - symbol: ")
                    .append(symbol)
                    .append('\n')
                    .append("    side: ")
                    .append(p.side().name().toLowerCase(Locale.ROOT))
                    .append('\n')
                    .append("    leverage: ")
                    .append(p.leverage().toPlainString())
                    .append('\n')
                    .append("    margin: ")
                    .append(p.margin().toPlainString())
                    .append('\n')
                    .append("    marginMode: ")
                    .append(p.mode().name().toLowerCase(Locale.ROOT))
                    .append('\n')
                    .append("    data:\n")
                    .append("      candles: ")
                    .append(relative(base, candles))
                    .append('\n');
            if (hasMark) {
                positions.append("      mark: ").append(relative(base, mark)).append('\n');
            }
            if (hasFunding) {
                positions
                        .append("      funding: ")
                        .append(relative(base, funding))
                        .append('\n');
            }
        }
        Position p = spec.position();
        String name = String.join("+", spec.symbols()) + " " + p.side().name().toLowerCase(Locale.ROOT) + " "
                + day(spec.from()) + " to " + day(spec.to());
        String yaml = "# Written by 'ballast data' at "
                + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " from Binance USDⓈ-M history in "
                + spec.dir() + " (" + spec.interval() + " candles).\n"
                + "# Each symbol: a " + p.leverage().toPlainString() + "x "
                + p.side().name().toLowerCase(Locale.ROOT)
                + ", " + p.mode().name().toLowerCase(Locale.ROOT) + ", "
                + p.margin().toPlainString()
                + " USDT margin, opened at the first candle's open; "
                + spec.wallet().toPlainString()
                + " USDT free beside them.\n"
                + "# Replay it: ballast replay " + spec.out() + "\n"
                + "name: " + name + "\n"
                + "exchange: binance\n"
                + "from: " + spec.from() + "\n"
                + "to: " + spec.to() + "\n"
                + "warmUp: " + (warmUp.isZero() ? "0" : Figures.duration(warmUp))
                + "                 # the engine watches the mark this long before the positions open\n"
                + "account:\n"
                + "  wallet: " + spec.wallet().toPlainString() + "\n"
                + "positions:\n"
                + positions;
        try {
            Path parent = spec.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path temp = spec.out().resolveSibling("." + spec.out().getFileName() + ".part");
            Files.writeString(temp, yaml);
            Files.move(temp, spec.out(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HistoryDownload.DownloadException(
                    spec.out() + ": cannot write the scenario (" + HistoryDownload.reason(e) + ")", true);
        }
        ScenarioFile.load(spec.out()); // what was written must read back; a bug here must not reach a replay
        return new Written(spec.out(), notes);
    }

    private static boolean hasData(Path folder) {
        return Files.isDirectory(folder) && !MarketDataFiles.dataFiles(folder).isEmpty();
    }

    /** The series of a folder, which must cover {@code [from, to)}; if not, the message says which download fills it. */
    private static CandleSeries covering(Path folder, String symbol, String what, Spec spec) {
        String fill = "ballast data download --symbol " + symbol + " --from "
                + day(spec.from().minus(spec.warmUp()))
                + " --to " + day(spec.to().plus(Duration.ofDays(1)).minusMillis(1)) + " --interval " + spec.interval()
                + " --mark --funding --dir " + spec.dir();
        if (!Files.isDirectory(folder) || MarketDataFiles.dataFiles(folder).isEmpty()) {
            throw new HistoryDownload.DownloadException(
                    symbol + ": no " + spec.interval() + " " + what + " under " + spec.dir() + "; first: " + fill,
                    true);
        }
        CandleSeries series = MarketDataFiles.loadCandles(folder, spec.from().minus(spec.warmUp()), spec.to());
        Instant first = series.candles().getFirst().openTime();
        Instant end = series.candles().getLast().openTime().plus(series.interval());
        if (first.isAfter(spec.from()) || end.isBefore(spec.to())) {
            throw new HistoryDownload.DownloadException(
                    symbol + ": the " + spec.interval() + " " + what + " in " + folder + " cover " + first + " to "
                            + end + ", not " + spec.from() + " to " + spec.to() + "; first: " + fill,
                    true);
        }
        return series;
    }

    private static String relative(Path base, Path folder) {
        return base.relativize(folder.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static String day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
