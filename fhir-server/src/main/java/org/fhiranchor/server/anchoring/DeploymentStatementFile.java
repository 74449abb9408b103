package org.fhiranchor.server.anchoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.fhiranchor.anchor.chain.DeploymentStatement;

/**
 * The signed deployment statement of the contract this server deployed, kept in the data directory
 * ({@value #NAME}) for the operator to publish, and served at
 * {@code /.well-known/fhir-anchor-deployment} for convenience. A verifier pins its own copy: what
 * the server serves is never the root of trust.
 */
public final class DeploymentStatementFile {

    public static final String NAME = "deployment.json";

    private DeploymentStatementFile() {}

    static void write(Path dataDir, DeploymentStatement statement) {
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, NAME, ".tmp");
            Files.writeString(tmp, statement.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, dataDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(NAME), e);
        }
    }

    /** The statement's JSON, if this server deployed its contract (else the operator publishes one). */
    public static Optional<String> read(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
