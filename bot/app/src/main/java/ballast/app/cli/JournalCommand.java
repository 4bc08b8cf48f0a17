package ballast.app.cli;

import ballast.app.config.SettingsFile;
import ballast.app.run.Journal;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ballast journal}: what the bot did and why, from its journal. */
@Command(
        name = "journal",
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "What the bot did and why: every level move, intent, outcome, refusal, alert and change of trading state"
                    + " it journalled, oldest first."
        })
public final class JournalCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Whose journal: run/<profile>/journal.sqlite (default: the one journal here).")
    String profile;

    @Option(names = "--file", paramLabel = "FILE", description = "The journal file itself.")
    Path file;

    @Option(
            names = "--since",
            paramLabel = "WHEN",
            description = "Only from WHEN on: a time (2022-11-09T12:00:00Z), a day (2022-11-09), or a duration ago"
                    + " (6h).")
    String since;

    @Option(names = "--json", description = "One JSON object per line instead of the table.")
    boolean json;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help.")
    boolean help;

    private final Clock clock;

    public JournalCommand(Clock clock) {
        this.clock = clock;
    }

    /** The profile of the one journal under {@code run/}; none or several: the user names one. */
    private static String only() {
        List<String> found = WhichBot.having("journal.sqlite");
        if (found.size() > 1) {
            throw new UsageException("journals are here for " + String.join(", ", found)
                    + ": say whose with --profile (or name one with --file)");
        }
        return found.isEmpty() ? "demo" : found.get(0);
    }

    @Override
    public Integer call() {
        Path journalFile = file != null ? file : Path.of("run", profile == null ? only() : profile, "journal.sqlite");
        if (!Files.isRegularFile(journalFile)) {
            throw new UsageException("no journal at " + journalFile.toAbsolutePath() + " (a bot writes it as it"
                    + " runs: 'ballast run --profile demo'; or name one with --file)");
        }
        Optional<Instant> from = since == null ? Optional.empty() : Optional.of(when(since));
        List<Journal.Entry> entries;
        try (Journal journal = Journal.open(journalFile)) {
            entries = journal.entries(from);
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper();
        for (Journal.Entry e : entries) {
            if (json) {
                ObjectNode line = mapper.createObjectNode();
                line.put("seq", e.seq());
                line.put("time", e.time().toString());
                line.put("kind", e.kind());
                line.put("book", e.book());
                line.put("clientId", e.clientId());
                line.put("detail", e.detail());
                out.println(line.toString());
            } else {
                out.println(TIME.format(e.time()) + "  " + pad(e.kind(), 8) + " "
                        + pad(e.book() == null ? "" : e.book(), 15) + " " + e.detail()
                        + (e.clientId() == null ? "" : "  [" + e.clientId() + "]"));
            }
        }
        if (!json && entries.isEmpty()) {
            out.println("(nothing journalled" + (since == null ? "" : " since " + since) + ")");
        }
        out.flush();
        return 0;
    }

    private Instant when(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            // a day or a duration
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADay) {
            // a duration
        }
        try {
            return clock.instant().minus(SettingsFile.parseDuration(text));
        } catch (RuntimeException e) {
            throw new UsageException("--since takes a time (2022-11-09T12:00:00Z), a day (2022-11-09) or a duration"
                    + " ago (6h), was '" + text + "'");
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
