package ballast.exchange.binance.stream;

import ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus;
import ballast.exchange.binance.stream.BinanceStreamEvent.FeedStatus.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One logical feed kept alive over a succession of WebSocket connections: connect, parse, deliver, watch for silence,
 * rotate before the venue's age limit, and reconnect with backoff, reporting each transition as a {@link FeedStatus}.
 *
 * <p>Threading: OkHttp's reader thread delivers frames, the injected scheduler runs connects and the watchdog. All
 * state and every call into the sink happen under this object's monitor, so the sink sees one total order (a status is
 * never overtaken by an event of the connection it describes). The sink must therefore be quick and non-blocking, as an
 * inbox is. Callbacks from a connection that has been replaced are ignored, so a late close of an old socket cannot
 * tear down its successor.
 */
final class FeedConnection {

    /** What differs between feeds: where to connect, and what is secret. */
    interface Endpoint {
        /** Builds the request for the next attempt. Runs on the scheduler, outside the lock: it may call REST. */
        Request prepare();

        /** Removes secrets from text bound for a log line or a status reason. */
        String redact(String text);

        /** The server answered the upgrade with this HTTP status instead of 101. */
        default void handshakeRejected(int httpStatus) {}

        /** Called under the lock after the sink has seen the event. */
        default void delivered(BinanceStreamEvent event) {}
    }

    private static final System.Logger LOG = System.getLogger(FeedConnection.class.getName());
    private static final int NORMAL_CLOSURE = 1000;

    private final String name;
    private final Endpoint endpoint;
    private final Consumer<BinanceStreamEvent> sink;
    private final FeedTiming timing;
    private final FeedRuntime runtime;
    private final OkHttpClient http;
    private final BinanceStreamParser parser;
    private final Backoff backoff;

    // All below guarded by this.
    private boolean started;
    private boolean closed;
    private WebSocket current;
    private Instant openedAt; // null while the handshake is in flight
    private Instant lastFrameAt;
    private int failures;
    private Status status;
    private ScheduledFuture<?> pendingConnect;
    private ScheduledFuture<?> watchdog;

    FeedConnection(
            String name, Endpoint endpoint, Consumer<BinanceStreamEvent> sink, FeedTiming timing, FeedRuntime runtime) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        // newBuilder shares the caller's connection pool and dispatcher; only the ping differs per feed.
        this.http =
                runtime.http().newBuilder().pingInterval(timing.pingInterval()).build();
        this.parser = new BinanceStreamParser(runtime.clock());
        this.backoff = new Backoff(timing.backoffBase(), timing.backoffMax());
    }

    String name() {
        return name;
    }

    synchronized void start() {
        if (started) {
            throw new IllegalStateException(name + " was already started");
        }
        started = true;
        if (closed) {
            return;
        }
        long period = timing.watchdogPeriod().toMillis();
        try {
            watchdog = runtime.scheduler()
                    .scheduleAtFixedRate(guarded("watchdog", this::watch), period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(name + ": the scheduler refused the watchdog", e);
        }
        scheduleConnect(Duration.ZERO);
    }

    /** Stops for good: no reconnect follows. Emits {@link Status#CLOSED}. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancel(pendingConnect);
        cancel(watchdog);
        pendingConnect = null;
        watchdog = null;
        if (current != null) {
            current.close(NORMAL_CLOSURE, "client closing");
            current = null;
        }
        emit(Status.CLOSED, "closed on request");
    }

    /**
     * Drops the current connection and opens a new one (for a new listen key, say). If no connection is up, one is
     * already on its way and this does nothing.
     */
    synchronized void reconnectNow(String reason) {
        if (closed || !started || current == null) {
            return;
        }
        dropCurrent(false);
        replace(reason);
    }

    // --- scheduler side ---

    private void connect() {
        synchronized (this) {
            pendingConnect = null;
            if (closed || current != null) {
                return;
            }
        }
        Request request;
        try {
            request = endpoint.prepare();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (!closed && current == null) {
                    replace("could not prepare the connection: " + describe(e));
                }
            }
            return;
        }
        synchronized (this) {
            if (closed || current != null) {
                return;
            }
            openedAt = null;
            // Asynchronous: the handshake runs on OkHttp's threads, and its callbacks wait for this monitor.
            current = http.newWebSocket(request, new Listener());
        }
    }

    private synchronized void watch() {
        if (closed || current == null || openedAt == null) {
            return;
        }
        Instant now = runtime.clock().instant();
        Duration age = Duration.between(openedAt, now);
        Duration silence = Duration.between(lastFrameAt, now);
        if (age.compareTo(timing.maxConnectionAge()) >= 0) {
            dropCurrent(false);
            replace("rotating the connection at age " + age + ", before the venue's 24 h limit");
        } else if (silence.compareTo(timing.reconnectAfterSilence()) >= 0) {
            // A silent socket may be half-open: do not wait for a close handshake it will never answer.
            dropCurrent(true);
            replace("no data for " + silence.toMillis() + " ms");
        } else if (silence.compareTo(timing.staleAfter()) >= 0 && status == Status.CONNECTED) {
            emit(Status.STALE, "no data for " + silence.toMillis() + " ms");
        }
    }

    // --- transitions (all under the lock) ---

    private void dropCurrent(boolean abruptly) {
        WebSocket ws = current;
        if (ws == null) {
            return;
        }
        if (abruptly || openedAt == null) {
            ws.cancel();
        } else {
            ws.close(NORMAL_CLOSURE, "reconnecting");
        }
        current = null;
    }

    /** The current connection is gone (or was just dropped): say so once, and try again after a backoff. */
    private void replace(String reason) {
        Instant now = runtime.clock().instant();
        // Only a connection that stayed up for a while proves the venue is back; a socket that opens and dies at once
        // must keep climbing the backoff, or we would hammer the venue's connection limit.
        if (openedAt != null && Duration.between(openedAt, now).compareTo(timing.backoffMax()) >= 0) {
            failures = 0;
        }
        current = null;
        openedAt = null;
        Duration delay = backoff.delay(failures, runtime.random());
        failures = Math.min(failures + 1, 1_000);
        if (status != Status.RECONNECTING) {
            emit(Status.RECONNECTING, reason);
        }
        LOG.log(
                Level.INFO,
                () -> name + ": " + endpoint.redact(reason) + "; next attempt in " + delay.toMillis() + " ms");
        scheduleConnect(delay);
    }

    private void scheduleConnect(Duration delay) {
        cancel(pendingConnect);
        try {
            pendingConnect = runtime.scheduler()
                    .schedule(guarded("connect", this::connect), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The owner shut the scheduler down without closing us: nothing can run any more, so stop honestly.
            LOG.log(Level.ERROR, name + ": scheduler refused a reconnect; the feed stops here");
            pendingConnect = null;
            closed = true;
            emit(Status.CLOSED, "scheduler shut down");
        }
    }

    private void emit(Status next, String reason) {
        status = next;
        Instant now = runtime.clock().instant();
        String safe = endpoint.redact(reason);
        LOG.log(
                next == Status.CONNECTED || next == Status.CLOSED ? Level.INFO : Level.WARNING,
                () -> name + " " + next + ": " + safe);
        deliver(new FeedStatus(name, next, safe, now, now));
    }

    private void deliver(BinanceStreamEvent event) {
        try {
            sink.accept(event);
        } catch (RuntimeException e) {
            // A failing consumer must not kill the socket (OkHttp fails the connection if its listener throws).
            LOG.log(Level.ERROR, name + ": the sink refused " + event.getClass().getSimpleName(), e);
        }
    }

    private void skipped(ParsedFrame frame) {
        // Reasons quote frame content, and a user-data frame can carry the listen key: redact before anyone sees it.
        ParsedFrame safe = switch (frame) {
            case ParsedFrame.Ignored ignored -> new ParsedFrame.Ignored(endpoint.redact(ignored.reason()));
            case ParsedFrame.Malformed malformed -> new ParsedFrame.Malformed(endpoint.redact(malformed.reason()));
            case ParsedFrame.Event event -> throw new IllegalArgumentException("not a skipped frame: " + event);
        };
        if (safe instanceof ParsedFrame.Malformed(String reason)) {
            LOG.log(Level.WARNING, () -> name + ": malformed frame skipped: " + reason);
        } else if (safe instanceof ParsedFrame.Ignored(String reason)) {
            LOG.log(Level.INFO, () -> name + ": frame ignored: " + reason);
        }
        try {
            runtime.skippedFrames().accept(safe);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": the skipped-frame hook failed", e);
        }
    }

    private Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // An exception would silently cancel a periodic task; log it and keep the schedule alive.
                LOG.log(Level.ERROR, name + ": " + what + " failed: " + endpoint.redact(String.valueOf(e)));
            }
        };
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    private String describe(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Callbacks arrive on OkHttp's threads; each checks it still speaks for the current connection. */
    private final class Listener extends WebSocketListener {

        @Override
        public void onOpen(WebSocket ws, Response response) {
            synchronized (FeedConnection.this) {
                if (ws != current || closed) {
                    ws.cancel();
                    return;
                }
                Instant now = runtime.clock().instant();
                openedAt = now;
                lastFrameAt = now;
                emit(Status.CONNECTED, "connected");
            }
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            synchronized (FeedConnection.this) {
                if (ws != current || closed) {
                    return;
                }
                lastFrameAt = runtime.clock().instant();
                if (status == Status.STALE) {
                    emit(Status.CONNECTED, "data resumed after silence");
                }
                ParsedFrame frame = parser.parse(text);
                if (frame instanceof ParsedFrame.Event(BinanceStreamEvent event)) {
                    deliver(event);
                    endpoint.delivered(event);
                } else {
                    skipped(frame);
                }
            }
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            synchronized (FeedConnection.this) {
                if (ws != current || closed) {
                    return;
                }
                lastFrameAt = runtime.clock().instant();
                skipped(new ParsedFrame.Malformed(
                        "binance stream frame: binary frame of " + bytes.size() + " bytes; Binance sends text"));
            }
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            // Complete the close handshake the server started, whether or not this socket is still ours.
            ws.close(NORMAL_CLOSURE, null);
            synchronized (FeedConnection.this) {
                if (ws == current && !closed) {
                    replace("server closed the connection (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
                }
            }
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            synchronized (FeedConnection.this) {
                if (ws == current && !closed) {
                    replace("connection closed (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
                }
            }
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response response) {
            synchronized (FeedConnection.this) {
                if (ws != current || closed) {
                    return;
                }
                if (response != null && openedAt == null) {
                    endpoint.handshakeRejected(response.code());
                    replace("handshake refused with HTTP " + response.code());
                } else {
                    replace("connection failed: " + describe(t));
                }
            }
        }
    }
}
