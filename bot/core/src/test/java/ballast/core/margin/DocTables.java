package ballast.core.margin;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Bracket tables typed in from margin-math.md §1.3 (Binance, as of 2024-10-24), for the core's own tests. */
final class DocTables {
    private DocTables() {}

    static final RiskTierTable BINANCE_BTCUSDT_2024_10_24 = table("BTCUSDT", new String[][] {
        {"0", "50000", "125", "0.004", "0"},
        {"50000", "600000", "100", "0.005", "50"},
        {"600000", "3000000", "75", "0.0065", "950"},
        {"3000000", "12000000", "50", "0.01", "11450"},
        {"12000000", "70000000", "25", "0.02", "131450"},
        {"70000000", "100000000", "20", "0.025", "481450"},
        {"100000000", "230000000", "10", "0.05", "2981450"},
        {"230000000", "480000000", "5", "0.10", "14481450"},
        {"480000000", "600000000", "4", "0.125", "26481450"},
        {"600000000", "800000000", "3", "0.15", "41481450"},
        {"800000000", "1200000000", "2", "0.25", "121481450"},
        {"1200000000", "1800000000", "1", "0.50", "421481450"},
    });

    static final RiskTierTable BINANCE_ETHUSDT_2024_10_24 = table("ETHUSDT", new String[][] {
        {"0", "50000", "125", "0.004", "0"},
        {"50000", "600000", "100", "0.005", "50"},
        {"600000", "3000000", "75", "0.0065", "950"},
        {"3000000", "12000000", "50", "0.01", "11450"},
        {"12000000", "50000000", "25", "0.02", "131450"},
        {"50000000", "65000000", "20", "0.025", "381450"},
        {"65000000", "150000000", "10", "0.05", "2006450"},
        {"150000000", "320000000", "5", "0.10", "9506450"},
        {"320000000", "400000000", "4", "0.125", "17506450"},
        {"400000000", "530000000", "3", "0.15", "27506450"},
        {"530000000", "800000000", "2", "0.25", "80506450"},
        {"800000000", "1200000000", "1", "0.50", "280506450"},
    });

    /** Binance BTCUSDT as of 2022-05-21 (tiers 1–4 are enough for the FAQ examples). */
    static final RiskTierTable BINANCE_BTCUSDT_2022_05_21 = table("BTCUSDT", new String[][] {
        {"0", "50000", "125", "0.004", "0"},
        {"50000", "250000", "100", "0.005", "50"},
        {"250000", "1000000", "50", "0.01", "1300"},
        {"1000000", "10000000", "20", "0.025", "16300"},
    });

    /** Bybit BTCUSDT, margin-math.md §2.2, first three tiers. */
    static final RiskTierTable BYBIT_BTCUSDT = table("BTCUSDT", new String[][] {
        {"0", "2000000", "100", "0.005", "0"},
        {"2000000", "2600000", "90", "0.0056", "1200"},
        {"2600000", "3200000", "80", "0.0063", "3020"},
    });

    static RiskTierTable table(String symbol, String[][] rows) {
        List<RiskTier> tiers = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            String[] r = rows[i];
            tiers.add(new RiskTier(
                    i + 1,
                    new BigDecimal(r[0]),
                    new BigDecimal(r[1]),
                    Integer.parseInt(r[2]),
                    new BigDecimal(r[3]),
                    new BigDecimal(r[4])));
        }
        return new RiskTierTable(symbol, "margin-math.md", tiers);
    }

    static RiskTierTable flat(String mmr, String cum) {
        return RiskTierTable.flat("TEST", new BigDecimal(mmr), new BigDecimal(cum), 125);
    }
}
