package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSigningKeyFileTest {

    @TempDir
    Path dataDir;

    @Test
    void createdOwnerOnly_thenReused() throws Exception {
        Path keys = dataDir.resolve("keys");
        ECKey first = TokenSigningKeyFile.loadOrCreate(keys);
        ECKey second = TokenSigningKeyFile.loadOrCreate(keys);

        assertThat(second.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(second.toECPrivateKey().getEncoded())
                .isEqualTo(first.toECPrivateKey().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
                .isEqualTo("rwx------");
        for (String file : new String[] {TokenSigningKeyFile.PRIVATE_KEY_FILE, TokenSigningKeyFile.PUBLIC_KEY_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(file))))
                    .as(file)
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(keys)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            TokenSigningKeyFile.PRIVATE_KEY_FILE, TokenSigningKeyFile.PUBLIC_KEY_FILE);
        }
    }
}
