package org.fhiranchor.server.anchoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.fhiranchor.anchor.chain.AnvilNode;
import org.fhiranchor.server.FhirAnchorApplication;
import org.springframework.boot.system.ApplicationHome;

/**
 * Where the embedded dev chain's {@code anvil} executable is, wherever the server was started from:
 * the configured path ({@value #PROPERTY}, or the environment variable {@value #ENV}), else beside
 * the server jar (a distribution keeps it in {@code lib/} with the jar), else {@code node_modules}
 * in or above the jar's directory (a repository checkout after {@code npm ci}), else in or above
 * the working directory.
 */
public final class AnvilBinary {

    public static final String PROPERTY = "fhir-anchor.chain.embedded.anvil-binary";
    public static final String ENV = AnvilNode.BINARY_ENV;

    private AnvilBinary() {}

    /** @param configured the property's value; null or blank to discover it */
    public static Path resolve(String configured) {
        return resolve(configured, searchRoots());
    }

    static Path resolve(String configured, List<Path> searchRoots) {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.strip());
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalStateException("anvil not found at " + path.toAbsolutePath() + ", named by " + PROPERTY
                        + " or the environment variable " + ENV + ": it must be an executable file");
            }
            return path;
        }
        return AnvilNode.findBinary(searchRoots)
                .orElseThrow(() -> new IllegalStateException(
                        "anvil not found (looked beside the server jar and in node_modules above " + searchRoots
                                + "): set " + PROPERTY + " or the environment variable " + ENV
                                + " to the anvil executable, run `npm ci` at the repository root, or anchor on another node"
                                + " with fhir-anchor.chain.mode=external"));
    }

    /** The server jar's directory (the classes directory when run from an IDE), then the working directory. */
    static List<Path> searchRoots() {
        LinkedHashSet<Path> roots = new LinkedHashSet<>();
        Path home = new ApplicationHome(FhirAnchorApplication.class)
                .getDir()
                .toPath()
                .toAbsolutePath();
        roots.add(home);
        roots.add(Path.of("").toAbsolutePath());
        return new ArrayList<>(roots);
    }
}
