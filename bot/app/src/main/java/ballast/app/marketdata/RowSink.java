package ballast.app.marketdata;

import java.math.BigDecimal;
import java.time.Instant;

/** Receives the rows a reader finds, in file order; {@code values} follow {@link Kind#valueNames}. */
interface RowSink {
    void accept(Instant time, BigDecimal[] values, RowRef where);
}
