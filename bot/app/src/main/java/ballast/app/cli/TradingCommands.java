package ballast.app.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ballast halt} and {@code ballast resume}: an operator's command to a running bot, through its loopback status
 * port. Halted, the bot sends nothing (its exchange-side backstops stay on the venue); resumed, it decides again from the
 * venue's truth. The engine takes the command as an event like any other, so the journal and the alerts say when.
 */
public final class TradingCommands {
    private TradingCommands() {}

    abstract static class Base implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--profile",
                paramLabel = "NAME",
                description = "Which bot: the one started with this profile (default: live).")
        String profile = "live";

        @Option(
                names = "--port",
                paramLabel = "PORT",
                description = "Its status port on 127.0.0.1 (default: read from run/<profile>/status.port).")
        Integer port;

        @Option(
                names = "--reason",
                paramLabel = "TEXT",
                description = "Why, for the journal and the alerts (default: by hand).")
        String reason = "by hand";

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help.")
        boolean help;

        abstract String path();

        @Override
        public Integer call() {
            int at = port != null ? port : portOf(Path.of("run", profile, "status.port"));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + path() + "?reason="
                            + URLEncoder.encode(reason, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UsageException("no bot answers on 127.0.0.1:" + at + " ("
                        + e.getClass().getSimpleName() + "): it has stopped, or the port is another one");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            if (response.statusCode() != 202) {
                throw new UsageException("the bot on 127.0.0.1:" + at + " answered " + response.statusCode() + ": "
                        + response.body().trim());
            }
            spec.commandLine().getOut().println(response.body().trim());
            return 0;
        }

        private int portOf(Path file) {
            try {
                return Integer.parseInt(
                        Files.readString(file, StandardCharsets.UTF_8).trim());
            } catch (NoSuchFileException e) {
                throw new UsageException(
                        "no " + profile + " bot is running here (no " + file + "; give --profile or" + " --port)");
            } catch (IOException | NumberFormatException e) {
                throw new UsageException("cannot read the status port from " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(
            name = "halt",
            usageHelpAutoWidth = true,
            sortOptions = false,
            description = {
                "Halts a running bot: it sends nothing more until 'ballast resume' (its exchange-side backstops stay on"
                        + " the venue and still close a position before liquidation)."
            })
    public static final class Halt extends Base {
        @Override
        String path() {
            return "/halt";
        }
    }

    @Command(
            name = "resume",
            usageHelpAutoWidth = true,
            sortOptions = false,
            description = {"Lifts a halt (an operator's, or one a fault the venue answered put the bot in)."})
    public static final class Resume extends Base {
        @Override
        String path() {
            return "/resume";
        }
    }
}
