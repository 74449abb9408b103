package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the server finds anvil when it is started from any directory. */
class AnvilBinaryTest {

    @TempDir
    Path dir;

    @Test
    void configuredPathWins_andAMissingOneIsAnErrorNamingPropertyAndEnvironmentVariable() throws Exception {
        Path anvil = executable(dir.resolve("custom/anvil"));
        Path lib = dir.resolve("lib");
        executable(lib.resolve("anvil"));
        assertThat(AnvilBinary.resolve(anvil.toString(), List.of(lib))).isEqualTo(anvil);

        assertThatThrownBy(
                        () -> AnvilBinary.resolve(dir.resolve("nowhere/anvil").toString(), List.of(lib)))
                .hasMessageContaining(dir.resolve("nowhere/anvil").toString())
                .hasMessageContaining("fhir-anchor.chain.embedded.anvil-binary")
                .hasMessageContaining("FHIR_ANCHOR_ANVIL");
    }

    @Test
    void besideTheJar_thenNodeModulesAboveIt() throws Exception {
        Path lib = dir.resolve("dist/lib");
        Path besideJar = executable(lib.resolve("anvil"));
        assertThat(AnvilBinary.resolve("", List.of(lib))).isEqualTo(besideJar);

        Path repo = dir.resolve("repo");
        Path npm = executable(repo.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"));
        Path target = Files.createDirectories(repo.resolve("fhir-server/target"));
        assertThat(AnvilBinary.resolve(null, List.of(target))).isEqualTo(npm);
    }

    @Test
    void notFound_errorNamesPropertyAndEnvironmentVariable() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> AnvilBinary.resolve(" ", List.of(empty)))
                .hasMessageStartingWith("anvil not found")
                .hasMessageContaining("fhir-anchor.chain.embedded.anvil-binary")
                .hasMessageContaining("FHIR_ANCHOR_ANVIL");
    }

    private static Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
