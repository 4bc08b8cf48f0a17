package ballast.app.marketdata;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real market data in {@code shared/data}, a sibling of the repository ({@code ../shared/data} from the repo root).
 * Tests run in the module directory, so this walks up from the working directory. Not finding it fails the test: the
 * data is part of the test, not optional.
 */
public final class SharedData {
    private SharedData() {}

    public static Path dir() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path sibling = p.resolve("../shared/data").normalize();
            if (Files.isDirectory(sibling) && Files.isRegularFile(sibling.resolve("README.md"))) {
                return sibling;
            }
        }
        return fail("real market data not found: no ../shared/data (with README.md) next to " + start
                + " or any of its parents; the shared data folder must sit next to the repository");
    }

    static Path file(String name) {
        Path file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("shared data file missing: " + file);
        }
        return file;
    }
}
