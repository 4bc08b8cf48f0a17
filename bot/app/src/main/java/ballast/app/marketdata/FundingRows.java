package ballast.app.marketdata;

import ballast.app.marketdata.MarketDataFiles.DataFileException;
import ballast.core.market.FundingRate;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns rows into funding settlements: times strictly ascending, rate of any sign. */
final class FundingRows implements RowSink {
    private final String file;
    private final List<FundingRate> rates = new ArrayList<>();
    private RowRef last;

    FundingRows(String file) {
        this.file = file;
    }

    @Override
    public void accept(Instant time, BigDecimal[] v, RowRef where) {
        if (last != null) {
            Times.requireAfter("funding time", rates.getLast().time(), last, time, where);
        }
        try {
            rates.add(new FundingRate(time, v[0]));
        } catch (IllegalArgumentException e) {
            throw where.error(e.getMessage(), e);
        }
        last = where;
    }

    List<FundingRate> toList() {
        if (rates.isEmpty()) {
            throw new DataFileException(file + ": no rows");
        }
        return List.copyOf(rates);
    }
}
