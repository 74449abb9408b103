package org.fhiranchor.server.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the team's shared test data ({@code ../shared/data} beside the repository), which is
 * read in place and never copied into the repository.
 */
public final class SharedData {

    private SharedData() {}

    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isDirectory(candidate.resolve("synthea-r4"))) {
                return candidate;
            }
        }
        String missing = "shared/data not found beside the repository; these tests read ../shared/data";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            // In CI the data is there by contract: a missing directory must fail the build, not skip it.
            throw new IllegalStateException(missing + " (CI=true: not skipped)");
        }
        Assumptions.abort(missing);
        throw new IllegalStateException("unreachable");
    }

    public static Path synthea() {
        return dir().resolve("synthea-r4");
    }

    public static Path hl7Examples() {
        return dir().resolve("hl7-r4-examples");
    }
}
