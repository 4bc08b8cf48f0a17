package ballast.app.run;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The running bot on 127.0.0.1 only: {@code /status} (the latest snapshot as JSON), {@code /health} (200, or 503 with
 * the reason when trading is not ACTIVE or a mark is stale) and {@code /metrics} (Prometheus). It reads snapshots the
 * engine thread published; it never touches the engine. Nothing it serves holds a secret.
 */
public final class StatusServer implements AutoCloseable {
    private final HttpServer server;

    private StatusServer(HttpServer server) {
        this.server = server;
    }

    /** Serves {@code board} on 127.0.0.1:{@code port} (0: any free port); no operator commands. */
    public static StatusServer start(int port, StatusBoard board, Duration staleAfter, java.time.Clock clock) {
        return start(port, board, staleAfter, clock, null);
    }

    /**
     * As above, and {@code POST /halt?reason=...} and {@code POST /resume?reason=...} put an operator's command into
     * {@code commands} (the bot's inbox: the engine decides, as for every other event). Loopback only, like the rest.
     */
    public static StatusServer start(
            int port,
            StatusBoard board,
            Duration staleAfter,
            java.time.Clock clock,
            java.util.function.Consumer<ballast.kernel.EngineEvent> commands) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new IllegalArgumentException("the status server cannot listen on 127.0.0.1:" + port + ": "
                    + e.getMessage() + " (another bot there? choose another port)");
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ballast-status");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/status", exchange -> {
            Optional<StatusBoard.Snapshot> latest = board.latest();
            if (latest.isEmpty()) {
                reply(exchange, 503, "text/plain", "starting: no step taken yet\n");
            } else {
                reply(exchange, 200, "application/json", JournalJson.write(latest.get()) + "\n");
            }
        });
        server.createContext("/health", exchange -> {
            Optional<String> sick = board.unhealthy(clock.instant(), staleAfter);
            if (sick.isPresent()) {
                reply(exchange, 503, "text/plain", sick.get() + "\n");
            } else {
                reply(exchange, 200, "text/plain", "ok\n");
            }
        });
        server.createContext(
                "/metrics",
                exchange -> reply(
                        exchange,
                        200,
                        "text/plain; version=0.0.4",
                        board.registry().scrape()));
        for (ballast.kernel.EngineEvent.OperatorCommand.Command command :
                ballast.kernel.EngineEvent.OperatorCommand.Command.values()) {
            String path = "/" + command.name().toLowerCase(java.util.Locale.ROOT);
            server.createContext(path, exchange -> {
                if (commands == null) {
                    reply(exchange, 404, "text/plain", "this bot takes no commands\n");
                    return;
                }
                if (!exchange.getRequestMethod().equals("POST")) {
                    reply(exchange, 405, "text/plain", "POST " + path + "?reason=...\n");
                    return;
                }
                String reason = reason(exchange.getRequestURI().getRawQuery());
                commands.accept(new ballast.kernel.EngineEvent.OperatorCommand(clock.instant(), command, reason));
                reply(
                        exchange,
                        202,
                        "text/plain",
                        command + " asked (" + reason + "): 'ballast status' shows when"
                                + " the engine has taken it\n");
            });
        }
        server.start();
        return new StatusServer(server);
    }

    /** The {@code reason} parameter of a query, or "by hand"; at most 200 characters, printable. */
    static String reason(String rawQuery) {
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.startsWith("reason=")) {
                    String text = java.net.URLDecoder.decode(pair.substring("reason=".length()), StandardCharsets.UTF_8)
                            .replaceAll("\\p{Cntrl}", " ")
                            .strip();
                    if (!text.isEmpty()) {
                        return text.length() > 200 ? text.substring(0, 200) : text;
                    }
                }
            }
        }
        return "by hand";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type + (type.contains("charset") ? "" : "; charset=utf-8"));
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * Writes {@code port} to {@code file} whole or not at all (a temporary file moved into place): a reader never sees
     * it half written.
     */
    static void writePort(java.nio.file.Path file, int port) throws java.io.IOException {
        java.nio.file.Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        java.nio.file.Files.writeString(temporary, port + "\n");
        java.nio.file.Files.move(
                temporary,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
