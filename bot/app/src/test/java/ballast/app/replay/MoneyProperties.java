package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.config.Settings;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Money is never made up: on every venue's rules, over random price paths (crashes, squeezes, gaps), sides, margin
 * modes, leverage 1–125,
 * free balances from zero, fees, slippage and funding, every policy runs to the end without an error, no account ends
 * below zero, and an isolated position never costs more than its margin plus what was added to it (by the policy, by a
 * cut that keeps its margin, or by the exchange's auto-add).
 */
class MoneyProperties {

    static final Instant START = Instant.parse("2022-11-07T00:00:00Z");

    record Case(
            Venue venue,
            List<Integer> moves,
            Side side,
            MarginMode mode,
            int leverage,
            BigDecimal wallet,
            BigDecimal takerFeePct,
            BigDecimal slippagePct,
            int fundingBp) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<List<Integer>> moves =
                Arbitraries.integers().between(-1500, 1200).list().ofMinSize(30).ofMaxSize(150);
        return Arbitraries.of(Venue.class)
                .flatMap(venue -> Combinators.combine(
                                moves,
                                Arbitraries.of(Side.class),
                                Arbitraries.of(MarginMode.class),
                                Arbitraries.integers().between(1, 125),
                                Arbitraries.of(0, 1, 50, 100, 1000, 5000).map(BigDecimal::valueOf),
                                Arbitraries.of("0", "0.02", "0.05", "0.1").map(BigDecimal::new),
                                Arbitraries.of("0", "0.05", "0.5", "2").map(BigDecimal::new),
                                Arbitraries.integers().between(-300, 300))
                        .as((m, side, mode, leverage, wallet, fee, slippage, funding) ->
                                new Case(venue, m, side, mode, leverage, wallet, fee, slippage, funding)));
    }

    @Property(tries = 40)
    void no_account_below_zero_and_isolated_loss_bounded_by_margin_and_adds(@ForAll("cases") Case c)
            throws IOException {
        Path dir = Files.createTempDirectory("ballast-money");
        try {
            Path candles = dir.resolve("BTCUSDT-5m.json");
            Path funding = dir.resolve("BTCUSDT-funding.json");
            writePath(c.moves(), candles);
            writeFunding(c.moves().size(), c.fundingBp(), funding);
            BigDecimal margin = new BigDecimal("100"); // 12,500 USDT at 125x: inside the first bracket
            Scenario scenario = new Scenario(
                    "money",
                    c.venue(),
                    Optional.empty(),
                    START,
                    START.plusSeconds(300L * c.moves().size()),
                    Duration.ZERO,
                    c.wallet(),
                    List.of(new Scenario.PositionSpec(
                            "BTCUSDT",
                            c.side(),
                            // Bybit's first BTCUSDT risk limit allows 100x; the others here allow 125x at this size.
                            BigDecimal.valueOf(c.venue() == Venue.BYBIT ? Math.min(c.leverage(), 100) : c.leverage()),
                            margin,
                            c.mode(),
                            candles,
                            Optional.empty(),
                            Optional.of(funding),
                            // Tiers ship for Binance and Bybit BTCUSDT; the other venues get the scenario's own rate.
                            c.venue() == Venue.BINANCE || c.venue() == Venue.BYBIT
                                    ? Optional.empty()
                                    : Optional.of(new BigDecimal("0.005")),
                            BigDecimal.ZERO,
                            "money.yaml: positions[0]")),
                    Optional.empty());
            Settings defaults = Settings.defaults();
            Settings settings = new Settings(
                    defaults.engine(),
                    defaults.gate(),
                    defaults.policy(),
                    defaults.budget(),
                    defaults.ladder(),
                    defaults.bufferExit(),
                    new Settings.Paper(
                            c.takerFeePct().movePointLeft(2),
                            c.slippagePct().movePointLeft(2),
                            defaults.paper().liquidationFee()));

            ReplayReport report = new ReplayRunner(ReplayDeterminismProperties.TIERS, settings)
                    .run(scenario, ReplayRunner.POLICIES, e -> {});

            // What the account held once the position was open: the free balance and the position's margin (a cross
            // position's margin is the free balance itself).
            BigDecimal start = c.mode() == MarginMode.ISOLATED ? c.wallet().add(margin) : c.wallet();
            for (ReplayReport.PolicyRun run : report.results()) {
                ReplayReport.Summary s = run.summary();
                assertThat(s.finalEquity()).as(run.policy() + ": final equity").isGreaterThanOrEqualTo(BigDecimal.ZERO);
                if (c.mode() == MarginMode.ISOLATED) {
                    BigDecimal loss = start.subtract(s.finalEquity());
                    assertThat(loss)
                            .as(
                                    run.policy()
                                            + ": an isolated position loses at most its margin, what was added and what its cuts kept")
                            .isLessThanOrEqualTo(margin.add(s.marginAdded()).add(s.marginKept()));
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    static void writePath(List<Integer> moves, Path file) throws IOException {
        StringBuilder json = new StringBuilder("[");
        BigDecimal price = new BigDecimal("20000");
        for (int i = 0; i < moves.size(); i++) {
            BigDecimal next = price.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(moves.get(i), 4)))
                    .setScale(1, RoundingMode.HALF_UP)
                    .max(new BigDecimal("1"));
            BigDecimal high = price.max(next).multiply(new BigDecimal("1.004")).setScale(1, RoundingMode.HALF_UP);
            BigDecimal low = price.min(next).multiply(new BigDecimal("0.996")).setScale(1, RoundingMode.HALF_UP);
            json.append(i == 0 ? "" : ",")
                    .append('[')
                    .append(START.plusSeconds(300L * i).toEpochMilli())
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
        Files.writeString(file, json.append(']').toString());
    }

    /** A funding settlement every hour (a stressed symbol's interval), at {@code bp} basis points. */
    static void writeFunding(int candles, int bp, Path file) throws IOException {
        StringBuilder json = new StringBuilder("[");
        int hours = Math.max(1, candles / 12);
        for (int h = 0; h < hours; h++) {
            json.append(h == 0 ? "" : ",")
                    .append('[')
                    .append(START.plusSeconds(3600L * h + 60).toEpochMilli())
                    .append(',')
                    .append(BigDecimal.valueOf(bp, 4).toPlainString())
                    .append(",0,0,0,0]");
        }
        Files.writeString(file, json.append(']').toString());
    }
}
