package ballast.app.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running bot's {@code /status} on 127.0.0.1. */
public final class StatusReader {
    private StatusReader() {}

    /** The bot's latest snapshot; a clear error when nothing answers or it has not stepped yet. */
    public static StatusBoard.Snapshot read(int port) {
        HttpResponse<String> response = send(
                port,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                        .GET());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException("the bot on 127.0.0.1:" + port + " answered " + response.statusCode()
                    + ": " + response.body().trim());
        }
        return JournalJson.read(response.body(), StatusBoard.Snapshot.class, "127.0.0.1:" + port + "/status");
    }

    /**
     * Sends an operator's command ({@code halt}, {@code resume}) to the bot on {@code port}; returns what it answered,
     * or a clear error when nothing answers or it refuses.
     */
    public static String command(int port, String command, String reason) {
        HttpResponse<String> response = send(
                port,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + command + "?reason="
                                + java.net.URLEncoder.encode(reason, java.nio.charset.StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 202) {
            throw new IllegalArgumentException("the bot on 127.0.0.1:" + port + " answered " + response.statusCode()
                    + ": " + response.body().trim());
        }
        return response.body().trim();
    }

    private static HttpResponse<String> send(int port, HttpRequest.Builder request) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response;
        try {
            response =
                    client.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalArgumentException("no bot answers on 127.0.0.1:" + port + " ("
                    + e.getClass().getSimpleName() + "): it has stopped, or the port is another one");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the status", e);
        }
        return response;
    }
}
