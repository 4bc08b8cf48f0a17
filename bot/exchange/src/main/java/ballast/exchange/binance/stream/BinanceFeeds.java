package ballast.exchange.binance.stream;

import ballast.core.venue.FeedEvent;
import ballast.core.venue.FeedSink;
import java.util.function.Consumer;

/** Binance's stream events in venue-neutral words: what the bot's feed ports hear. */
public final class BinanceFeeds {
    private BinanceFeeds() {}

    /** The feed event one Binance stream event means. */
    public static FeedEvent translate(BinanceStreamEvent event) {
        return switch (event) {
            case BinanceStreamEvent.MarkPrice m -> new FeedEvent.Mark(m.symbol(), m.mark(), m.tsEvent(), m.tsInit());
            case BinanceStreamEvent.AccountUpdate a ->
                new FeedEvent.AccountChanged("ACCOUNT_UPDATE " + a.reason(), a.tsEvent(), a.tsInit());
            case BinanceStreamEvent.OrderTradeUpdate o ->
                new FeedEvent.AccountChanged(
                        "ORDER_TRADE_UPDATE " + o.clientOrderId() + " " + o.status(), o.tsEvent(), o.tsInit());
            case BinanceStreamEvent.MarginCall c ->
                new FeedEvent.AccountChanged("MARGIN_CALL", c.tsEvent(), c.tsInit());
            case BinanceStreamEvent.AccountConfigUpdate c ->
                new FeedEvent.AccountChanged("ACCOUNT_CONFIG_UPDATE", c.tsEvent(), c.tsInit());
            case BinanceStreamEvent.ListenKeyExpired k ->
                new FeedEvent.Status(
                        "user-data",
                        FeedEvent.Status.State.CLOSED,
                        "listen key expired: events may have been missed",
                        k.tsEvent(),
                        k.tsInit());
            case BinanceStreamEvent.FeedStatus f ->
                new FeedEvent.Status(
                        f.stream(),
                        switch (f.status()) {
                            case CONNECTED -> FeedEvent.Status.State.CONNECTED;
                            case STALE -> FeedEvent.Status.State.STALE;
                            case RECONNECTING -> FeedEvent.Status.State.RECONNECTING;
                            case CLOSED -> FeedEvent.Status.State.CLOSED;
                        },
                        f.reason(),
                        f.tsEvent(),
                        f.tsInit());
        };
    }

    /** A stream sink that hands {@code sink} the translated events. */
    public static Consumer<BinanceStreamEvent> into(FeedSink sink) {
        return event -> sink.accept(translate(event));
    }
}
