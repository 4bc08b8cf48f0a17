package ballast.bench;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.CrossRest;
import ballast.core.margin.Liquidation;
import ballast.core.margin.MarginRules;
import ballast.core.margin.MarginState;
import ballast.core.margin.Position;
import ballast.core.margin.RiskTierTable;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the margin engine's per-mark-update work on Binance's rules and the real BTCUSDT / ETHUSDT bracket tables of
 * 2024-10-24. Measured, never asserted: the figures go to docs/benchmarks.md.
 *
 * <p>The tables are the shipped Binance snapshots of 2024-10-24, loaded once in setup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class LiquidationBenchmark {

    /**
     * The 20 other positions of the cross account: symbol, side, qty, entry, mark, table ("BTC" or "ETH"). Mixed sides,
     * marks on both sides of entry, notionals in brackets 1 to 3. Symbols other than BTCUSDT / ETHUSDT use one of the two
     * tables as a stand-in: the work per position (a bracket walk, a multiply, a signed PnL) is the same.
     */
    private static final String[][] OTHERS = {
        {"ETHUSDT", "LONG", "12", "2500", "2540", "ETH"},
        {"SOLUSDT", "SHORT", "300", "172", "168.4", "ETH"},
        {"BNBUSDT", "LONG", "40", "590", "583.1", "ETH"},
        {"XRPUSDT", "SHORT", "25000", "0.5210", "0.5302", "ETH"},
        {"DOGEUSDT", "LONG", "150000", "0.1398", "0.14215", "ETH"},
        {"ADAUSDT", "SHORT", "40000", "0.3512", "0.3455", "ETH"},
        {"AVAXUSDT", "LONG", "900", "26.75", "25.98", "ETH"},
        {"LINKUSDT", "SHORT", "1500", "11.42", "11.61", "ETH"},
        {"DOTUSDT", "LONG", "3000", "4.215", "4.302", "ETH"},
        {"LTCUSDT", "SHORT", "200", "68.9", "67.05", "ETH"},
        {"MKRUSDT", "SHORT", "400", "1600", "1625", "ETH"},
        {"BCHUSDT", "LONG", "60", "352.4", "349.9", "BTC"},
        {"TRXUSDT", "SHORT", "100000", "0.1623", "0.1611", "BTC"},
        {"NEARUSDT", "LONG", "5000", "4.812", "4.955", "BTC"},
        {"APTUSDT", "SHORT", "2500", "8.96", "9.12", "BTC"},
        {"ARBUSDT", "LONG", "30000", "0.5431", "0.5377", "BTC"},
        {"OPUSDT", "SHORT", "8000", "1.652", "1.598", "BTC"},
        {"FILUSDT", "LONG", "4000", "3.875", "3.911", "BTC"},
        {"ATOMUSDT", "SHORT", "3000", "4.421", "4.502", "BTC"},
        {"BTCDOMUSDT", "LONG", "50", "2150", "2163.5", "BTC"},
    };

    private MarginRules rules;

    // a. isolated long 0.5 BTCUSDT @ 60,000, wallet 3,000: tier 1, LP 54,216.87
    private MarginState isolatedTier1;
    // b. D-7: long 52 @ 60,000, wallet 312,000: entry tier 4, re-checked to tier 3, LP 54,334.91
    private MarginState bracketRecheck;
    // c. cross long 1 BTCUSDT @ 60,000 on a 25,000 cross wallet, with 20 other positions at their own marks (their
    // UPNL1 − TMM1 is −12,798.2): entry tier 2, re-checked to tier 1, LP 47,990.17
    private Position crossPosition;
    private BigDecimal crossWallet;
    private BigDecimal crossLeverage;
    private RiskTierTable btcTiers;
    private List<CrossRest.Other> others;
    // d. top-up of case a so that the liquidation price is 10 % below a mark of 57,000
    private BigDecimal topUpMark;
    private BigDecimal topUpDistance;

    @Setup
    public void setup() {
        rules = MarginRules.binance();
        // Parsed here, in setup, so the benchmark measures the engine and not the snapshot loader.
        ShippedRiskTiers shipped = ShippedRiskTiers.load();
        LocalDate asOf = LocalDate.parse("2024-10-24");
        btcTiers = shipped.find(Venue.BINANCE, "BTCUSDT", Optional.of(asOf)).table();
        RiskTierTable ethTiers =
                shipped.find(Venue.BINANCE, "ETHUSDT", Optional.of(asOf)).table();

        isolatedTier1 = MarginState.isolated(
                new Position("BTCUSDT", Side.LONG, new BigDecimal("0.5"), new BigDecimal("60000")),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                btcTiers);
        bracketRecheck = MarginState.isolated(
                new Position("BTCUSDT", Side.LONG, new BigDecimal("52"), new BigDecimal("60000")),
                new BigDecimal("312000"),
                BigDecimal.TEN,
                btcTiers);

        crossPosition = new Position("BTCUSDT", Side.LONG, BigDecimal.ONE, new BigDecimal("60000"));
        crossWallet = new BigDecimal("25000");
        crossLeverage = BigDecimal.TEN;
        others = new ArrayList<>(OTHERS.length);
        for (String[] row : OTHERS) {
            others.add(new CrossRest.Other(
                    new Position(row[0], Side.valueOf(row[1]), new BigDecimal(row[2]), new BigDecimal(row[3])),
                    new BigDecimal(row[4]),
                    row[5].equals("BTC") ? btcTiers : ethTiers));
        }
        others = List.copyOf(others);

        topUpMark = new BigDecimal("57000");
        topUpDistance = new BigDecimal("0.10");
    }

    @Benchmark
    public Liquidation isolatedTier1() {
        return rules.liquidation(isolatedTier1);
    }

    @Benchmark
    public Liquidation isolatedBracketRecheck() {
        return rules.liquidation(bracketRecheck);
    }

    /** What the live monitor does per mark update of a cross account: re-sum the rest, then solve for the price. */
    @Benchmark
    public Liquidation crossWith20Others() {
        CrossRest rest = CrossRest.of(others);
        return rules.liquidation(MarginState.cross(crossPosition, crossWallet, crossLeverage, rest, btcTiers));
    }

    @Benchmark
    public MarginRules.TopUp topUpForTarget() {
        return rules.topUpFor(isolatedTier1, topUpMark, topUpDistance);
    }
}
