package ballast.app.marketdata;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The real market data in {@code shared/data}, a sibling of the repository ({@code ../shared/data} from the repo root),
 * present in development and CI, absent from a fresh clone. Tests that read it carry {@link NeedsSharedData}: where the
 * folder is missing they are skipped (never passed), and {@link SkippedTestsSummary} names them in one line at the end.
 * Tests run in the module directory, so this walks up from the working directory.
 */
public final class SharedData {
    private SharedData() {}

    /** The shared data folder, if it is beside the repository (or one of its parents). */
    public static Optional<Path> find() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path sibling = p.resolve("../shared/data").normalize();
            if (Files.isDirectory(sibling) && Files.isRegularFile(sibling.resolve("README.md"))) {
                return Optional.of(sibling);
            }
        }
        return Optional.empty();
    }

    /** Why {@link #find()} found nothing, in words. */
    static String whyMissing() {
        return "../shared/data (the project's real market data, beside the repository) is not next to "
                + Path.of("").toAbsolutePath() + " or any of its parents";
    }

    public static Path dir() {
        return find().orElseGet(() -> fail("real market data not found: " + whyMissing()));
    }

    public static Path file(String name) {
        Path file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            fail("shared data file missing: " + file);
        }
        return file;
    }
}
