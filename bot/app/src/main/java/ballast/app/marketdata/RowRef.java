package ballast.app.marketdata;

/**
 * Where a row is in its file, for messages. A CSV row is named by its line ({@code prices.csv:17}); a JSON row by the
 * parser's line and its 1-based index in the top-level array ({@code BTCUSDT-5m.json: line 1, row 4021}), since
 * freqtrade writes a whole file on one line.
 */
record RowRef(String file, int line, int row, boolean json) {

    static RowRef csv(String file, int line) {
        return new RowRef(file, line, 0, false);
    }

    static RowRef json(String file, int line, int row) {
        return new RowRef(file, line, row, true);
    }

    /** The prefix of a message about this row: {@code prices.csv:17} or {@code x.json: line 1, row 4021}. */
    String at() {
        return json ? file + ": line " + line + ", row " + row : file + ":" + line;
    }

    /** This row named from a message about another row of the same file: {@code line 16} or {@code row 4020 (line 1)}. */
    String name() {
        return json ? "row " + row + " (line " + line + ")" : "line " + line;
    }

    /** This row named from a message about {@code other}: its short name in the same file, its full place otherwise. */
    String nameFrom(RowRef other) {
        return file.equals(other.file) ? name() : at();
    }

    MarketDataFiles.DataFileException error(String what) {
        return new MarketDataFiles.DataFileException(at() + ": " + what);
    }

    MarketDataFiles.DataFileException error(String what, Throwable cause) {
        return new MarketDataFiles.DataFileException(at() + ": " + what, cause);
    }
}
