package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import ballast.app.marketdata.NeedsSharedData;
import ballast.app.marketdata.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every trimmed file shipped in {@code config/scenarios/data} is, row for row and byte for byte, the range of its source
 * file in {@code shared/data} that its README names: the two cannot drift apart. Needs the shared folder.
 */
@NeedsSharedData("the shipped scenario data compared row by row with its source")
class ShippedScenarioDataTest {

    static final Path DATA =
            Path.of("../../config/scenarios/data").toAbsolutePath().normalize();

    /** One row of the README's table: shipped file, rows, bytes, source file, source line range. */
    record Entry(String file, int rows, long bytes, String source, int firstLine, int lastLine) {
        @Override
        public String toString() {
            return file;
        }
    }

    private static final Pattern ROW =
            Pattern.compile("\\| `([^`]+)` \\| (\\d+) \\| (\\d+) \\| [^|]+ \\| `([^`]+)` \\| (\\d+)–(\\d+) \\|");

    static List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(DATA.resolve("README.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                entries.add(new Entry(
                        m.group(1),
                        Integer.parseInt(m.group(2)),
                        Long.parseLong(m.group(3)),
                        m.group(4),
                        Integer.parseInt(m.group(5)),
                        Integer.parseInt(m.group(6))));
            }
        }
        return entries;
    }

    static List<String> lines(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().toList();
        }
    }

    static Stream<Entry> shipped() throws IOException {
        return entries().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shipped")
    void every_row_is_the_source_row(Entry entry) throws IOException {
        List<String> shipped = lines(DATA.resolve(entry.file()));
        List<String> source = lines(SharedData.file(entry.source()));

        assertThat(shipped.getFirst()).as("header").isEqualTo(source.getFirst());
        // Source lines are 1-based and count the header as line 1.
        assertThat(shipped.subList(1, shipped.size()))
                .as("rows of " + entry.file() + " = lines " + entry.firstLine() + "–" + entry.lastLine() + " of "
                        + entry.source())
                .containsExactlyElementsOf(source.subList(entry.firstLine() - 1, entry.lastLine()));
    }
}
