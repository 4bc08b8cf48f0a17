package ballast.app.history;

import ballast.exchange.binance.BinanceHistoryClient.KlineKind;
import java.util.Optional;

/** The three kinds of history a replay reads, by the names Binance's public archive gives their folders. */
public enum HistoryKind {
    /** Last-price candles: what {@code candles:} of a scenario reads. */
    CANDLES("klines", "candles", Optional.of(KlineKind.LAST)),
    /** Mark-price candles: what {@code mark:} reads; liquidation is decided on the mark. */
    MARK("markPriceKlines", "mark", Optional.of(KlineKind.MARK)),
    /** Funding settlements: what {@code funding:} reads. Monthly only in the archive. */
    FUNDING("fundingRate", "funding", Optional.empty());

    /** The archive's folder name ({@code klines}, {@code markPriceKlines}, {@code fundingRate}). */
    public final String archiveName;
    /** The word people use, and the scenario key. */
    public final String word;

    final Optional<KlineKind> kline;

    HistoryKind(String archiveName, String word, Optional<KlineKind> kline) {
        this.archiveName = archiveName;
        this.word = word;
        this.kline = kline;
    }

    public boolean hasInterval() {
        return this != FUNDING;
    }
}
