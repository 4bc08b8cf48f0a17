package ballast.exchange.binance.stream;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * The account's own events (balances, positions, orders, margin calls, leverage) over the private route:
 * {@code <base>/private/ws?listenKey=<key>&events=ACCOUNT_UPDATE/ORDER_TRADE_UPDATE/MARGIN_CALL/ACCOUNT_CONFIG_UPDATE/listenKeyExpired}.
 *
 * <p>Owns its listen key: creates one before the first connection, extends it on a schedule (default every 30 min;
 * the venue keeps a key 60 min), creates a new one when the venue reports it expired or gone (or refuses the handshake
 * with a 4xx), and invalidates it on {@link #close()}. The key is a credential: it appears only in the request URL,
 * never in a log line, status reason or exception message (it is masked to its last four characters).
 *
 * <p>Assumed, to verify against the futures change log: the several event names in {@code events} are separated by
 * {@value #EVENT_SEPARATOR} (as streams are in a combined stream; the reference leaves the separator open); frames on
 * the private route may come raw or in a {@code {"stream":…,"data":…}} envelope, and both are accepted.
 */
public final class UserDataStream implements AutoCloseable {

    public static final List<String> EVENTS = List.of(
            BinanceStreamParser.ACCOUNT_UPDATE,
            BinanceStreamParser.ORDER_TRADE_UPDATE,
            BinanceStreamParser.MARGIN_CALL,
            BinanceStreamParser.ACCOUNT_CONFIG_UPDATE,
            BinanceStreamParser.LISTEN_KEY_EXPIRED);

    /** Assumption to verify: how several {@code events} share one query parameter. */
    public static final String EVENT_SEPARATOR = "/";

    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(30);

    static final String ROUTE = "private/ws";

    private static final System.Logger LOG = System.getLogger(UserDataStream.class.getName());
    private static final int REMEMBERED_KEYS = 4;

    private final String baseUrl;
    private final ListenKeyService listenKeys;
    private final Duration keepAliveInterval;
    private final FeedRuntime runtime;
    private final Backoff keepAliveBackoff;
    private final FeedConnection feed;

    private final Object keyLock = new Object();
    // Guarded by keyLock. Lock order: the feed's monitor may be held when taking keyLock, never the reverse.
    private String key;
    private boolean renewKey;
    private final Deque<String> knownKeys = new ArrayDeque<>();
    private ScheduledFuture<?> keepAliveTask;
    private int keepAliveFailures;
    private boolean closed;

    public UserDataStream(
            String baseUrl,
            ListenKeyService listenKeys,
            Consumer<BinanceStreamEvent> sink,
            FeedTiming timing,
            FeedRuntime runtime) {
        this(baseUrl, listenKeys, DEFAULT_KEEP_ALIVE, sink, timing, runtime);
    }

    /**
     * @param baseUrl WebSocket host, e.g. {@code wss://fstream.binance.com} (live) or {@code ws://127.0.0.1:port}
     * @param keepAliveInterval how often the key is extended; must leave margin inside the venue's 60 min
     * @param sink the engine's inbox: called from OkHttp's and the scheduler's threads, one call at a time; must not
     *     block
     */
    public UserDataStream(
            String baseUrl,
            ListenKeyService listenKeys,
            Duration keepAliveInterval,
            Consumer<BinanceStreamEvent> sink,
            FeedTiming timing,
            FeedRuntime runtime) {
        Urls.base(baseUrl); // fail at construction, not on the first connect
        this.baseUrl = baseUrl;
        this.listenKeys = Objects.requireNonNull(listenKeys, "listenKeys");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        if (keepAliveInterval.isNegative()
                || keepAliveInterval.isZero()
                || keepAliveInterval.compareTo(Duration.ofMinutes(55)) > 0) {
            throw new IllegalArgumentException(
                    "keepAliveInterval must be positive and at most 55 min (a key lives 60 min), was "
                            + keepAliveInterval);
        }
        this.keepAliveInterval = keepAliveInterval;
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.keepAliveBackoff = new Backoff(timing.backoffBase(), timing.backoffMax());
        this.feed = new FeedConnection("binance.userData", new Endpoint(), sink, timing, runtime);
    }

    /** Creates a listen key and connects (asynchronously, on the scheduler); statuses and events follow on the sink. */
    public void start() {
        feed.start();
        scheduleKeepAlive(keepAliveInterval);
    }

    /**
     * Closes the connection for good (emits {@code CLOSED}) and invalidates the listen key at the venue, best effort.
     * The REST call runs on the caller's thread. Does not shut down the injected scheduler or client.
     */
    @Override
    public void close() {
        String last;
        synchronized (keyLock) {
            if (closed) {
                return;
            }
            closed = true;
            if (keepAliveTask != null) {
                keepAliveTask.cancel(false);
                keepAliveTask = null;
            }
            last = key;
            key = null;
        }
        feed.close();
        if (last != null) {
            try {
                listenKeys.close(last);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "binance.userData: could not close listen key " + mask(last) + ": "
                                + redact(String.valueOf(e)));
            }
        }
    }

    /** The name carried by this stream's {@link BinanceStreamEvent.FeedStatus} events. */
    public String name() {
        return feed.name();
    }

    static HttpUrl url(String baseUrl, String listenKey) {
        return Urls.route(baseUrl, ROUTE)
                // The key is the venue's opaque token: let HttpUrl escape whatever it contains.
                .addQueryParameter("listenKey", listenKey)
                // Encoded on purpose: the separator must reach the venue as a literal '/', not %2F.
                .addEncodedQueryParameter("events", String.join(EVENT_SEPARATOR, EVENTS))
                .build();
    }

    /** Shows only the last four characters: enough to tell keys apart in a log, not enough to use one. */
    static String mask(String key) {
        if (key == null) {
            return "<none>";
        }
        return key.length() <= 8 ? "****" : "****" + key.substring(key.length() - 4);
    }

    private String redact(String text) {
        if (text == null) {
            return "";
        }
        String out = text;
        synchronized (keyLock) {
            for (String k : knownKeys) {
                out = out.replace(k, mask(k));
            }
        }
        return out;
    }

    // --- keepalive, on the scheduler ---

    private void scheduleKeepAlive(Duration delay) {
        synchronized (keyLock) {
            if (closed) {
                return;
            }
            try {
                keepAliveTask = runtime.scheduler().schedule(this::keepAlive, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                LOG.log(Level.ERROR, "binance.userData: scheduler refused the listen-key keepalive");
            }
        }
    }

    private void keepAlive() {
        Duration next = keepAliveInterval;
        try {
            next = keepAliveOnce();
        } catch (RuntimeException e) {
            // Whatever went wrong, the chain of keepalives must not end here: a key left alone dies in 60 min.
            LOG.log(Level.ERROR, "binance.userData: keepalive round failed: " + redact(String.valueOf(e)));
        } finally {
            scheduleKeepAlive(next);
        }
    }

    /** One keepalive; returns when to run the next. */
    private Duration keepAliveOnce() {
        String k;
        synchronized (keyLock) {
            keepAliveTask = null;
            if (closed) {
                return keepAliveInterval;
            }
            k = key;
        }
        if (k == null) {
            // No key yet (the first create failed or is under way): the connect path will make one.
            return keepAliveInterval;
        }
        try {
            listenKeys.keepAlive(k);
            synchronized (keyLock) {
                keepAliveFailures = 0;
            }
            return keepAliveInterval;
        } catch (ListenKeyGoneException e) {
            boolean stillCurrent;
            synchronized (keyLock) {
                stillCurrent = k.equals(key);
                if (stillCurrent) {
                    renewKey = true;
                }
            }
            LOG.log(Level.WARNING, "binance.userData: listen key " + mask(k) + " is gone at the venue");
            if (stillCurrent) {
                feed.reconnectNow("listen key no longer exists at the venue");
            }
            return keepAliveInterval;
        } catch (RuntimeException e) {
            // Transient (network, 5xx): the key still has the rest of its 60 min, so retry soon rather than wait a
            // full interval, without hammering REST.
            int n;
            synchronized (keyLock) {
                n = keepAliveFailures;
                keepAliveFailures = Math.min(keepAliveFailures + 1, 1_000);
            }
            Duration retry = keepAliveBackoff.delay(n, runtime.random());
            if (retry.compareTo(keepAliveInterval) > 0) {
                retry = keepAliveInterval;
            }
            LOG.log(
                    Level.WARNING,
                    "binance.userData: keepalive of listen key " + mask(k) + " failed (" + redact(String.valueOf(e))
                            + "); retrying in " + retry.toMillis() + " ms");
            return retry;
        }
    }

    private final class Endpoint implements FeedConnection.Endpoint {

        @Override
        public Request prepare() {
            String k;
            boolean renew;
            synchronized (keyLock) {
                if (closed) {
                    throw new IllegalStateException("stream is closed");
                }
                k = key;
                renew = renewKey || key == null;
            }
            if (renew) {
                String fresh = listenKeys.create();
                if (fresh == null || fresh.isBlank()) {
                    throw new IllegalStateException("the listen key service returned no key");
                }
                synchronized (keyLock) {
                    knownKeys.remove(fresh);
                    knownKeys.addFirst(fresh);
                    while (knownKeys.size() > REMEMBERED_KEYS) {
                        knownKeys.removeLast();
                    }
                    key = fresh;
                    renewKey = false;
                }
                LOG.log(Level.INFO, () -> "binance.userData: using listen key " + mask(fresh));
                k = fresh;
            }
            return new Request.Builder().url(url(baseUrl, k)).build();
        }

        @Override
        public String redact(String text) {
            return UserDataStream.this.redact(text);
        }

        @Override
        public void handshakeRejected(int httpStatus) {
            // 4xx on the upgrade most likely means the key is unknown; 418/429 are rate limits, where a fresh key
            // would only add REST calls.
            if (httpStatus >= 400 && httpStatus < 500 && httpStatus != 418 && httpStatus != 429) {
                synchronized (keyLock) {
                    renewKey = true;
                }
            }
        }

        @Override
        public void delivered(BinanceStreamEvent event) {
            if (event instanceof BinanceStreamEvent.ListenKeyExpired) {
                synchronized (keyLock) {
                    renewKey = true;
                }
                feed.reconnectNow("listen key expired");
            }
        }
    }
}
