package ballast.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which running bot a command talks to ({@code ballast status}, {@code halt}, {@code resume}): {@code --profile} or
 * {@code --port}, a picocli mixin; without either, the one bot running here.
 */
public final class WhichBot {

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Which bot: the one started with this profile (default: the one bot running here).")
    String profile;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Its status port on 127.0.0.1 (default: read from run/<profile>/status.port).")
    Integer port;

    /**
     * {@code --port} when given, else the one the bot of {@code --profile} wrote in {@code run/<profile>/status.port};
     * with no profile named, the one bot running here (several: the user names one).
     */
    int port() {
        if (port != null) {
            return port;
        }
        String which = profile;
        if (which == null) {
            List<String> running = having("status.port");
            if (running.isEmpty()) {
                throw new UsageException("no bot is running here (no run/<profile>/status.port; start one with"
                        + " 'ballast run --profile demo|paper|testnet|live', or give --port)");
            }
            if (running.size() > 1) {
                throw new UsageException(
                        "bots are running here for " + String.join(", ", running) + ": say which with --profile");
            }
            which = running.get(0);
        }
        Path file = Path.of("run", which, "status.port");
        try {
            return Integer.parseInt(
                    Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            throw new UsageException("no " + which + " bot is running here (no " + file + "; start one with 'ballast"
                    + " run --profile " + which + "', or give --port)");
        } catch (IOException | NumberFormatException e) {
            throw new UsageException("cannot read the status port from " + file + ": " + e.getMessage());
        }
    }

    /** The profiles that have {@code run/<profile>/<file>} here, in {@link RunCommand#PROFILES}' order. */
    static List<String> having(String file) {
        List<String> found = new ArrayList<>();
        for (String p : RunCommand.PROFILES) {
            if (Files.isRegularFile(Path.of("run", p, file))) {
                found.add(p);
            }
        }
        return found;
    }
}
