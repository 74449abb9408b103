package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFileTest {

    @TempDir
    Path dataDir;

    @Test
    void createdOwnerOnly_thenReused() throws Exception {
        Path keys = dataDir.resolve("keys");
        ECKey first = SigningKeyFile.loadOrCreate(keys);
        ECKey second = SigningKeyFile.loadOrCreate(keys);

        assertThat(second.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(second.toECPrivateKey().getEncoded()).isEqualTo(first.toECPrivateKey().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        for (String file : new String[] {SigningKeyFile.PRIVATE_KEY_FILE, SigningKeyFile.PUBLIC_KEY_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(file))))
                    .as(file).isEqualTo("rw-------");
        }
        try (var files = Files.list(keys)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SigningKeyFile.PRIVATE_KEY_FILE, SigningKeyFile.PUBLIC_KEY_FILE);
        }
    }
}
