package org.fhiranchor.server.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default secret: created once, owner-only, reused, never shown. */
class ConsentKeysTest {

    @Test
    void defaultKeyFile_isCreatedOwnerOnly_andReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys").resolve("consent-hmac.key");
        ConsentKeys first = ConsentKeys.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String secret = Files.readString(file);
        assertThat(secret).matches("[0-9a-f]{64}");
        ConsentKeys again = ConsentKeys.loadOrCreate(file);
        assertThat(again.patientKey("Patient/p")).isEqualTo(first.patientKey("Patient/p"));
        assertThat(first.toString()).doesNotContain(secret.substring(0, 8));
    }

    @Test
    void theEmbeddedDefault_isCreatedOnFirstUse_notAtStart(@TempDir Path dir) {
        Path file = dir.resolve("keys").resolve("consent-hmac.key");
        ConsentKeys keys = ConsentKeys.lazy(() -> ConsentKeys.loadOrCreate(file));
        assertThat(dir.resolve("keys")).doesNotExist();
        byte[] patientKey = keys.patientKey("Patient/p");
        assertThat(file).exists();
        assertThat(ConsentKeys.read(file).patientKey("Patient/p")).isEqualTo(patientKey);
    }

    @Test
    void aBadKey_isRefused_withoutEchoingIt() {
        assertThatThrownBy(() -> ConsentKeys.fromHex("not-hex-secret-value")).hasMessageNotContaining("secret-value");
        assertThatThrownBy(() -> ConsentKeys.fromHex("abcd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreDomainSeparated() {
        ConsentKeys keys = ConsentFlattenerTest.KEYS;
        assertThat(keys.patientKey("Patient/x")).isNotEqualTo(keys.granteeKey("Patient/x"));
        assertThat(keys.consentKey("x")).isNotEqualTo(keys.patientKey("Consent/x"));
    }
}
