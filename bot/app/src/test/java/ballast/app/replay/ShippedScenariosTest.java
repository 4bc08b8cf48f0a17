package ballast.app.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a fresh clone ships runs on a fresh clone: every scenario under {@code config/scenarios} either reads data inside
 * the repository, or says in its first lines that it needs downloaded data and how to get it; and the data folder's
 * README accounts for every file in it, with the right row counts and sizes.
 */
class ShippedScenariosTest {

    static final Path CONFIG = Path.of("../../config").toAbsolutePath().normalize();
    static final Path REPO = CONFIG.getParent();

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> files = Files.walk(CONFIG.resolve("scenarios"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static boolean needsDownload(Path scenario) throws IOException {
        return Files.readString(scenario).contains("Needs downloaded data");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void reads_only_what_the_repository_ships_or_says_how_to_download_it(Path file) throws IOException {
        if (needsDownload(file)) {
            assertThat(Files.readString(file))
                    .as("a scenario that needs downloaded data says how to get it")
                    .contains("./ballast data download --symbol");
            return;
        }
        Scenario scenario = ScenarioFile.load(file);
        for (Scenario.PositionSpec p : scenario.positions()) {
            Stream.of(
                            List.of(p.candles()),
                            p.mark().stream().toList(),
                            p.funding().stream().toList())
                    .flatMap(List::stream)
                    .forEach(data -> assertThat(data.normalize())
                            .as(file.getFileName() + " reads " + data)
                            .startsWith(REPO)
                            .isRegularFile());
        }
    }

    @Test
    void a_scenario_whose_data_is_not_downloaded_says_which_download_fetches_it(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path copy = Files.copy(
                CONFIG.resolve("scenarios/throughput-btc-2022h2.yaml"), tmp.resolve("throughput-btc-2022h2.yaml"));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ScenarioFile.load(copy)))
                .isInstanceOf(ScenarioFile.ScenarioException.class)
                .hasMessageContaining("positions[0].data.candles: no such file or folder")
                .hasMessageEndingWith("throughput-btc-2022h2.yaml: its data is not downloaded yet; fetch it with:"
                        + " ./ballast data download --symbol BTCUSDT --from 2022-05-31 --to 2022-11-24 --interval 5m"
                        + " --mark --funding");
    }

    @Test
    void the_data_readme_accounts_for_every_shipped_file() throws IOException {
        Path data = ShippedScenarioDataTest.DATA;
        Set<String> listed = new HashSet<>();
        long total = 0;
        for (ShippedScenarioDataTest.Entry e : ShippedScenarioDataTest.entries()) {
            Path file = data.resolve(e.file());
            assertThat(file).as(e.file()).isRegularFile();
            assertThat(Files.size(file)).as("bytes of " + e.file()).isEqualTo(e.bytes());
            List<String> lines = ShippedScenarioDataTest.lines(file);
            assertThat(lines.size() - 1).as("rows of " + e.file()).isEqualTo(e.rows());
            assertThat(e.lastLine() - e.firstLine() + 1)
                    .as("source range of " + e.file())
                    .isEqualTo(e.rows());
            listed.add(e.file());
            total += e.bytes();
        }
        try (Stream<Path> files = Files.walk(data)) {
            Set<String> present = new HashSet<>(files.filter(Files::isRegularFile)
                    .map(p -> data.relativize(p).toString())
                    .filter(n -> !n.equals("README.md"))
                    .toList());
            assertThat(present).as("files in config/scenarios/data").isEqualTo(listed);
        }
        String readme = Files.readString(data.resolve("README.md"));
        assertThat(readme).contains(String.format(java.util.Locale.ROOT, "%,d bytes", total));
        // Small enough to ship in a repository: the limit is ours, kept honest here.
        assertThat(total).as("shipped scenario data, bytes").isLessThan(2_000_000);
    }
}
