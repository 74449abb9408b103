package org.fhiranchor.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One scratch data directory per test JVM (the server's H2 files and everything else it writes
 * under {@code fhir-anchor.data-dir}), created under target/ and deleted when the JVM exits.
 */
public final class TestDataDirectory {

    private static final Path ROOT = create();

    private TestDataDirectory() {}

    public static Path root() {
        return ROOT;
    }

    /** A fresh sub-directory, for a test that needs its own server data. */
    public static Path newSubdirectory(String prefix) {
        try {
            return Files.createTempDirectory(ROOT, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path create() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Path dir = Files.createTempDirectory(target.toAbsolutePath(), "test-data-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit; target/ is removed by mvn clean anyway
        }
    }
}
