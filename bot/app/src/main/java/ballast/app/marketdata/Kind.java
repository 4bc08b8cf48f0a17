package ballast.app.marketdata;

import java.util.List;

/** What a caller wants out of a file, and the names of the values each row yields for it, in order. */
enum Kind {
    /** open, high, low, close, volume (volume is zero where the file has none). */
    CANDLES(List.of("open", "high", "low", "close", "volume")),
    /** the funding rate of the interval that settles at the row's time. */
    FUNDING(List.of("funding_rate"));

    final List<String> valueNames;

    Kind(List<String> valueNames) {
        this.valueNames = valueNames;
    }
}
