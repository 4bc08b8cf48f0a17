package ballast.app.binance;

import ballast.core.venue.FeedEvent;
import ballast.core.venue.FeedSink;
import ballast.exchange.binance.BinancePremiumIndex;
import ballast.exchange.binance.BinanceRestClient;
import ballast.exchange.binance.stream.BinanceFeeds;
import ballast.exchange.binance.stream.BinanceStreamEvent;
import ballast.exchange.binance.stream.FeedRuntime;
import ballast.exchange.binance.stream.FeedTiming;
import ballast.exchange.binance.stream.MarkPriceStream;
import ballast.exchange.venue.VenueResult;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The kept symbols' marks from Binance: the mark-price stream, and while it is not connected (stale, reconnecting,
 * closed) each symbol's mark read over REST ({@code GET /fapi/v1/premiumIndex}, public) instead, so a dropped WebSocket
 * never leaves a falling position unmeasured: every second for a few symbols, slower for many (about 1,000 weight a
 * minute at most, under half of Binance's 2,400). The testnet and live profiles and the paper profile read marks this
 * one way.
 */
final class BinanceMarkFeed implements AutoCloseable {
    private final BinanceConnections connections;
    private final BinanceRestClient client;
    private final String streamBase;
    private final List<String> symbols;
    private final Clock clock;
    private final ScheduledExecutorService fallbackScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ballast-mark-fallback");
        t.setDaemon(true);
        return t;
    });
    private final java.util.function.Consumer<BinanceStreamEvent.MarkPrice> frames;
    private MarkPriceStream stream;
    private ScheduledFuture<?> polling;

    BinanceMarkFeed(
            BinanceConnections connections,
            BinanceRestClient client,
            String streamBase,
            List<String> symbols,
            Clock clock) {
        this(connections, client, streamBase, symbols, clock, frame -> {});
    }

    /** @param frames told of every mark frame as the stream sent it (its funding rate and time), before the sink */
    BinanceMarkFeed(
            BinanceConnections connections,
            BinanceRestClient client,
            String streamBase,
            List<String> symbols,
            Clock clock,
            java.util.function.Consumer<BinanceStreamEvent.MarkPrice> frames) {
        this.frames = frames;
        this.connections = connections;
        this.client = client;
        this.streamBase = streamBase;
        this.symbols = List.copyOf(symbols);
        this.clock = clock;
    }

    /** Starts the stream into {@code sink} (and the REST marks whenever it is down). */
    synchronized void start(FeedSink sink) {
        FeedRuntime runtime = new FeedRuntime(connections.http, connections.streams, clock, new java.util.Random());
        String name = MarkPriceStream.name(symbols);
        FeedSink watched = event -> {
            if (event instanceof FeedEvent.Status status && status.feed().equals(name)) {
                fallback(sink, status.state() != FeedEvent.Status.State.CONNECTED);
            }
            sink.accept(event);
        };
        java.util.function.Consumer<BinanceStreamEvent> translated = BinanceFeeds.into(watched);
        stream = new MarkPriceStream(
                streamBase,
                symbols,
                event -> {
                    if (event instanceof BinanceStreamEvent.MarkPrice mark) {
                        frames.accept(mark);
                    }
                    translated.accept(event);
                },
                FeedTiming.markPriceDefaults(),
                runtime);
        stream.start();
    }

    /** Starts or stops reading marks over REST; called from the stream's thread, never blocks. */
    private synchronized void fallback(FeedSink sink, boolean on) {
        if (on && polling == null && !fallbackScheduler.isShutdown()) {
            long every = Math.max(1_000, symbols.size() * 60L);
            polling = fallbackScheduler.scheduleWithFixedDelay(
                    () -> {
                        for (String symbol : symbols) {
                            if (client.premiumIndex(symbol) instanceof VenueResult.Ok<BinancePremiumIndex> ok) {
                                sink.accept(new FeedEvent.Mark(
                                        symbol,
                                        ok.value().markPrice(),
                                        ok.value().time(),
                                        clock.instant()));
                            }
                        }
                    },
                    0,
                    every,
                    TimeUnit.MILLISECONDS);
        } else if (!on && polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }

    @Override
    public synchronized void close() {
        fallbackScheduler.shutdownNow();
        if (stream != null) {
            stream.close();
        }
    }
}
