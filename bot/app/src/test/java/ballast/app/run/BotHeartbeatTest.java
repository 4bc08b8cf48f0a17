package ballast.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.venue.PaperDispatcher;
import ballast.app.venue.PaperTruth;
import ballast.core.Side;
import ballast.core.Venue;
import ballast.core.margin.MarginMode;
import ballast.core.margin.MarginRules;
import ballast.exchange.paper.PaperVenue;
import ballast.exchange.tiers.ShippedRiskTiers;
import ballast.kernel.Decided;
import ballast.kernel.Engine;
import ballast.kernel.EngineEvent;
import ballast.kernel.Gate;
import ballast.kernel.IntentIds;
import ballast.kernel.Monitor;
import ballast.kernel.Step;
import ballast.kernel.TradingState;
import ballast.strategies.LadderParams;
import ballast.strategies.LadderPolicy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot's heartbeat lets the engine notice what has not happened: a feed that went silent. */
class BotHeartbeatTest {
    static final Instant T0 = Instant.parse("2024-10-24T00:00:00Z");
    static final String BTC = "BTCUSDT";

    @Test
    void a_silent_feed_turns_trading_reducing_without_any_event_from_it(@TempDir Path dir) throws Exception {
        var tiers = ShippedRiskTiers.load()
                .find(Venue.BINANCE, BTC, Optional.of(LocalDate.parse("2024-10-24")))
                .table();
        PaperVenue venue = new PaperVenue(PaperVenue.Config.binance(), new BigDecimal("8015"));
        venue.open(
                BTC,
                Side.LONG,
                MarginMode.ISOLATED,
                new BigDecimal("0.5"),
                new BigDecimal("60000"),
                new BigDecimal("3000"),
                BigDecimal.TEN,
                tiers.tiers());
        SimClock clock = new SimClock(T0);
        List<Decided.TradingStateMoved> moves = new CopyOnWriteArrayList<>();
        try (Journal journal = Journal.open(dir.resolve("journal.sqlite"))) {
            Engine engine = new Engine(
                    MarginRules.binance(),
                    Map.of(BTC, tiers),
                    new LadderPolicy(LadderParams.defaults()),
                    new Gate(Gate.Params.defaults()),
                    Engine.Params.defaults(),
                    Monitor.FIXED,
                    new IntentIds(journal.idPrefix(), 1));
            Bot bot = new Bot(
                    engine,
                    journal,
                    new PaperDispatcher(venue),
                    intent -> List.of(),
                    clock,
                    new Bot.Listener() {
                        @Override
                        public void stepped(Engine e, EngineEvent event, Step step) {
                            moves.addAll(step.all(Decided.TradingStateMoved.class));
                        }
                    },
                    new Bot.Config(1_000, 300, Duration.ofSeconds(10), 20, Duration.ofMillis(20)));
            bot.start();
            bot.put(PaperTruth.position(venue, BTC, Side.LONG, T0));
            PaperTruth.balance(venue, T0).forEach(bot::put);
            bot.put(new EngineEvent.MarkUpdated(T0, BTC, new BigDecimal("60000"), new BigDecimal("60000")));
            bot.awaitIdle();
            assertThat(moves).isEmpty();

            // No mark comes for a minute (the engine's staleAfter is 30 s): only the heartbeat can tell.
            clock.set(T0.plusSeconds(60));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (moves.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(moves).first().satisfies(m -> {
                assertThat(m.to()).isEqualTo(TradingState.REDUCING);
                assertThat(m.reason()).isEqualTo("BTCUSDT:long: no mark for 60 s");
            });
            bot.stop(Duration.ofSeconds(2));
        }
    }
}
