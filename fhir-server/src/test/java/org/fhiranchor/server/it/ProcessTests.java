package org.fhiranchor.server.it;

import java.nio.file.Path;
import java.util.List;

/** Settings shared by the tests that run the packaged server as a process. */
final class ProcessTests {

    /** Checkpoints every second, so that a test sees anchoring complete soon. */
    static final List<String> FAST_CHECKPOINTS = List.of("--fhir-anchor.anchoring.checkpoint-interval=1s");

    private ProcessTests() {}

    static Path jar() {
        return Path.of(System.getProperty("fhir-anchor.server.jar", "target/fhir-anchor-server.jar"))
                .toAbsolutePath();
    }
}
