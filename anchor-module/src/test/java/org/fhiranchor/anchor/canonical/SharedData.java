package org.fhiranchor.anchor.canonical;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared data directory. In CI the repository is cloned with {@code shared/} beside it; a
 * worktree may sit deeper, so walk up from the working directory until a {@code shared/data} appears.
 */
public final class SharedData {

    private SharedData() {}

    public static Path hl7R4Examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("data").resolve("hl7-r4-examples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        String missing = "shared/data/hl7-r4-examples not found above "
                + Path.of("").toAbsolutePath() + "; clone the shared data beside the repository to run this test";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(missing + " (CI=true: not skipped)");
        }
        assumeTrue(false, missing);
        throw new AssertionError("unreachable");
    }
}
