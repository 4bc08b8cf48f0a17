package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.exchange.tiers.ShippedRiskTiers;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The engine is deterministic: the same events give the same decisions. Random price paths (crashes and pumps alike)
 * are written as candle files and replayed twice through engine, gate, policy and paper venue; everything the report
 * says, every action with its time, size and price, must be identical. Only the measured speed may differ.
 */
class ReplayDeterminismProperties {

    static final ShippedRiskTiers TIERS = ShippedRiskTiers.load();
    static final Instant START = Instant.parse("2022-11-07T00:00:00Z");

    @Provide
    Arbitrary<List<Integer>> moves() {
        // Per-candle moves in basis points: mostly small, with room for a crash or a squeeze.
        return Arbitraries.integers().between(-600, 500).list().ofMinSize(50).ofMaxSize(200);
    }

    @Property(tries = 25)
    void same_events_same_decisions(@ForAll("moves") List<Integer> moves, @ForAll boolean isLong) throws IOException {
        Path candles = Files.createTempFile("ballast-det", ".json");
        try {
            StringBuilder json = new StringBuilder("[");
            BigDecimal price = new BigDecimal("20000");
            for (int i = 0; i < moves.size(); i++) {
                BigDecimal next = price.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(moves.get(i), 4)))
                        .setScale(1, RoundingMode.HALF_UP);
                BigDecimal high =
                        price.max(next).multiply(new BigDecimal("1.002")).setScale(1, RoundingMode.HALF_UP);
                BigDecimal low =
                        price.min(next).multiply(new BigDecimal("0.998")).setScale(1, RoundingMode.HALF_UP);
                long ts = START.plusSeconds(300L * i).toEpochMilli();
                json.append(i == 0 ? "" : ",")
                        .append('[')
                        .append(ts)
                        .append(',')
                        .append(price.toPlainString())
                        .append(',')
                        .append(high.toPlainString())
                        .append(',')
                        .append(low.toPlainString())
                        .append(',')
                        .append(next.toPlainString())
                        .append(",1.0]");
                price = next;
            }
            Files.writeString(candles, json.append(']').toString());
            Scenario scenario = new Scenario(
                    "random walk",
                    Venue.BINANCE,
                    Optional.empty(),
                    START,
                    START.plusSeconds(300L * moves.size()),
                    java.time.Duration.ZERO,
                    new BigDecimal("5000"),
                    List.of(new Scenario.PositionSpec(
                            "BTCUSDT",
                            isLong ? Side.LONG : Side.SHORT,
                            BigDecimal.TEN,
                            new BigDecimal("1000"),
                            MarginMode.ISOLATED,
                            candles,
                            Optional.empty(),
                            Optional.empty())),
                    Optional.empty());
            List<String> policies = List.of("ladder", "buffer-exit", "exchange-auto-add");
            String first = withoutSpeed(ReplayJson.render(
                    new ReplayRunner(TIERS, ballast.app.config.Settings.defaults()).run(scenario, policies, e -> {})));
            String second = withoutSpeed(ReplayJson.render(
                    new ReplayRunner(TIERS, ballast.app.config.Settings.defaults()).run(scenario, policies, e -> {})));
            assertThat(second).isEqualTo(first);
        } finally {
            Files.deleteIfExists(candles);
        }
    }

    private static String withoutSpeed(String json) {
        return json.replaceAll("\"eventsPerSecond\" : \\d+", "");
    }
}
