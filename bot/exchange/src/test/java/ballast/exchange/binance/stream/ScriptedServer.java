package ballast.exchange.binance.stream;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.BufferedSink;
import okio.ByteString;
import okio.Okio;

/**
 * A venue stand-in on 127.0.0.1: every request is upgraded to a WebSocket (unless a refusal was queued), and the test
 * gets a handle per connection to send frames from the server side, close it, or see how the client left.
 */
final class ScriptedServer implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> refusals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger abrupt = new AtomicInteger();

    ScriptedServer() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                Integer refusal = refusals.poll();
                if (refusal != null) {
                    connections.add(new Connection(request, true));
                    return new MockResponse.Builder().code(refusal).build();
                }
                Connection connection = new Connection(request, false);
                connections.add(connection);
                if (abrupt.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return connection.rawUpgrade();
                }
                return new MockResponse.Builder()
                        .webSocketUpgrade(connection.listener)
                        .build();
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    String baseUrl() {
        return "ws://127.0.0.1:" + server.getPort();
    }

    /** The next connection attempt answers with this HTTP status instead of upgrading. */
    void refuseNext(int httpStatus) {
        refusals.add(httpStatus);
    }

    /**
     * The next connection is upgraded by hand on the raw socket, so that {@link Connection#cancel()} can cut the TCP
     * connection without a close frame (OkHttp's server-side WebSocket cannot be cancelled).
     */
    void cutAbruptlyNext() {
        abrupt.incrementAndGet();
    }

    /** The next connection attempt (in arrival order), waiting for it if need be. */
    Connection nextConnection() {
        try {
            Connection c = connections.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (c == null) {
                fail("no connection attempt within " + Await.TIMEOUT);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next upgraded connection, once its server side is open and can send. */
    Connection nextOpenConnection() {
        Connection c = nextConnection();
        if (c.refused) {
            fail("expected an upgraded connection, got a refused attempt: " + c.request.getTarget());
        }
        c.awaitOpen();
        return c;
    }

    /** True if no further attempt arrives within a short while (for "does not reconnect" checks only). */
    boolean noConnectionWithin(long millis) throws InterruptedException {
        return connections.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        server.close();
    }

    static final class Connection {
        final RecordedRequest request;
        final boolean refused;
        private final CountDownLatch opened = new CountDownLatch(1);
        private final CountDownLatch ended = new CountDownLatch(1);
        private final CountDownLatch cut = new CountDownLatch(1);
        private volatile WebSocket socket;
        private volatile BufferedSink rawSink;
        private volatile String endedHow = "";

        final WebSocketListener listener = new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                socket = webSocket;
                opened.countDown();
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                endedHow = "client closed " + code;
                webSocket.close(code, null);
                ended.countDown();
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                endedHow = "failed: " + t;
                ended.countDown();
            }
        };

        Connection(RecordedRequest request, boolean refused) {
            this.request = request;
            this.refused = refused;
        }

        String target() {
            return request.getTarget();
        }

        void awaitOpen() {
            await(opened, "server side of the WebSocket to open");
        }

        void send(String text) {
            if (rawSink != null) {
                sendRaw(text);
            } else if (!socket.send(text)) {
                fail("server could not send (socket closing)");
            }
        }

        /** The server says goodbye properly. */
        void close(int code, String reason) {
            socket.close(code, reason);
        }

        /** The server vanishes without a close frame (only for connections made by {@link #cutAbruptlyNext()}). */
        void cancel() {
            if (rawSink == null) {
                fail("only a raw connection can be cut; call cutAbruptlyNext() first");
            }
            cut.countDown();
        }

        /** RFC 6455 by hand: 101 with the accept hash, then unmasked text frames until the test cuts the socket. */
        MockResponse rawUpgrade() {
            String key = request.getHeaders().get("Sec-WebSocket-Key");
            String accept = ByteString.encodeUtf8(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                    .sha1()
                    .base64();
            return new MockResponse.Builder()
                    .code(101)
                    .setHeader("Upgrade", "websocket")
                    .setHeader("Connection", "Upgrade")
                    .setHeader("Sec-WebSocket-Accept", accept)
                    .socketHandler(raw -> {
                        rawSink = Okio.buffer(raw.getSink());
                        opened.countDown();
                        try {
                            cut.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        raw.cancel();
                        try {
                            rawSink.close();
                            raw.getSource().close();
                        } catch (IOException ignored) {
                            // The point is that the connection is gone; how it went is irrelevant.
                        }
                    })
                    .build();
        }

        private synchronized void sendRaw(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            try {
                rawSink.writeByte(0x81); // FIN + text
                if (payload.length < 126) {
                    rawSink.writeByte(payload.length);
                } else {
                    rawSink.writeByte(126);
                    rawSink.writeShort(payload.length);
                }
                rawSink.write(payload);
                rawSink.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits until the client has left this connection, and says how. */
        String awaitEnded() {
            await(ended, "client to leave the connection");
            return endedHow;
        }

        private static void await(CountDownLatch latch, String what) {
            try {
                if (!latch.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("timed out waiting for " + what);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
