package ballast.app.binance;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * The process's connections to Binance: one OkHttp client (its connection pool and dispatcher shared by REST and the
 * streams, TCP_NODELAY on every socket) and the streams' scheduler. Closing lets go of both.
 */
final class BinanceConnections implements AutoCloseable {
    final OkHttpClient http;
    final ScheduledExecutorService streams;

    private BinanceConnections(OkHttpClient http, ScheduledExecutorService streams) {
        this.http = http;
        this.streams = streams;
    }

    /** @param requestTimeout how long a REST request may take to be written and answered */
    static BinanceConnections open(Duration requestTimeout) {
        OkHttpClient http = new OkHttpClient.Builder()
                // A protective request is small and urgent: no Nagle delay on its way out.
                .socketFactory(new NoDelaySockets())
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(requestTimeout)
                .writeTimeout(requestTimeout)
                .build();
        ScheduledExecutorService streams = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ballast-streams");
            t.setDaemon(true);
            return t;
        });
        return new BinanceConnections(http, streams);
    }

    @Override
    public void close() {
        streams.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Plain sockets with TCP_NODELAY set, for OkHttp (which leaves Nagle's algorithm on). */
    private static final class NoDelaySockets extends javax.net.SocketFactory {
        private final javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();

        private static java.net.Socket noDelay(java.net.Socket socket) throws java.io.IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            return noDelay(plain.createSocket(host, port, local, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(
                java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            return noDelay(plain.createSocket(address, port, local, localPort));
        }
    }
}
