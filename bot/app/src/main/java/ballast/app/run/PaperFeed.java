package ballast.app.run;

import ballast.app.history.Sleeper;
import ballast.app.replay.ReplayRunner;
import ballast.app.replay.Scenario;
import ballast.app.venue.PaperTruth;
import ballast.exchange.paper.PaperVenue;
import ballast.kernel.EngineEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Plays a replay window into a running {@link Bot} as the market and the paper venue would: each price moves the
 * venue first (a liquidation, an automatic top-up), then reaches the bot as a mark; funding is paid and told; candle
 * closes and the trader's signals arrive at their times. It waits for the bot to settle after each event, so the bot
 * hears exactly what a replay's engine hears, in the same order: the runtime adds no behaviour of its own.
 */
public final class PaperFeed {
    private final ReplayRunner.Prepared prepared;
    private final ReplayRunner.Opening opening;
    private final Bot bot;
    private final SimClock clock;
    private final Sleeper sleeper;
    private final long speed;

    /**
     * @param speed market time per wall time (7,200: two hours a second); 0 plays as fast as the bot settles
     */
    public PaperFeed(
            ReplayRunner.Prepared prepared,
            ReplayRunner.Opening opening,
            Bot bot,
            SimClock clock,
            Sleeper sleeper,
            long speed) {
        this.prepared = prepared;
        this.opening = opening;
        this.bot = bot;
        this.clock = clock;
        this.sleeper = sleeper;
        this.speed = speed;
    }

    /** Plays the warm-up, opens the positions, then plays the window; {@code progress} hears each step's index. */
    public void play(LongConsumer progress) throws InterruptedException {
        for (EngineEvent event : prepared.warmUp()) {
            tell(event);
        }
        for (EngineEvent event : opening.truth()) {
            tell(event);
        }
        PaperVenue venue = opening.venue();
        List<Scenario.Signal> signals = prepared.scenario().signals();
        int nextSignal = 0;
        Map<String, BigDecimal> lastMarks = new HashMap<>();
        List<ReplayRunner.MarketStep> steps = prepared.steps();
        Instant first = steps.get(0).time();
        long startedNanos = System.nanoTime();
        long index = 0;
        for (ReplayRunner.MarketStep step : steps) {
            pace(first, step.time(), startedNanos);
            while (nextSignal < signals.size() && !signals.get(nextSignal).at().isAfter(step.time())) {
                Scenario.Signal signal = signals.get(nextSignal++);
                tell(new EngineEvent.ConvictionSet(step.time(), signal.symbol(), signal.conviction()));
            }
            if (step.closed().isPresent()) {
                tell(step.closed().get());
            } else if (step.fundingRate().isPresent()) {
                BigDecimal mark = lastMarks.get(step.symbol());
                if (mark != null) {
                    clock.set(step.time());
                    for (PaperVenue.VenueEvent e : venue.onFunding(
                            step.symbol(), step.time(), step.fundingRate().get(), mark)) {
                        tellAll(PaperTruth.of(venue, e));
                    }
                    tellAll(PaperTruth.balance(venue, step.time()));
                }
            } else {
                lastMarks.put(step.symbol(), step.mark());
                clock.set(step.time());
                for (PaperVenue.VenueEvent e : venue.onPrice(step.symbol(), step.time(), step.last(), step.mark())) {
                    tellAll(PaperTruth.of(venue, e));
                }
                tell(new EngineEvent.MarkUpdated(step.time(), step.symbol(), step.mark(), step.last()));
            }
            progress.accept(++index);
        }
    }

    private void tellAll(List<EngineEvent> events) throws InterruptedException {
        for (EngineEvent event : events) {
            tell(event);
        }
    }

    /** One event, and everything it leads to (intents, their outcomes, the venue's truth after them), settled. */
    private void tell(EngineEvent event) throws InterruptedException {
        clock.set(event.time());
        bot.put(event);
        bot.awaitIdle();
    }

    /** Holds the market back to {@code speed} times the wall clock; sleeps only when a tenth of a second ahead. */
    private void pace(Instant first, Instant now, long startedNanos) throws InterruptedException {
        if (speed <= 0) {
            return;
        }
        long marketNanos = Duration.between(first, now).toNanos();
        long dueNanos = marketNanos / speed;
        long ahead = dueNanos - (System.nanoTime() - startedNanos);
        if (ahead >= 100_000_000L) {
            sleeper.sleep(Duration.ofNanos(ahead));
        }
    }
}
