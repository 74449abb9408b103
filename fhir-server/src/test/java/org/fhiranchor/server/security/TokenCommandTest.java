package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.oauth2.jwt.Jwt;

/** The {@code token} command: only the token on stdout, verifiable by the server, and no server started. */
class TokenCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void printsOnlyAVerifiableToken_andStartsNothing() {
        TokenSigningKeyFile.loadOrCreate(dataDir.resolve("keys")); // as the server does on its first start
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long started = System.nanoTime();
        int status = TokenCommand.run(
                new String[] {
                    "--role",
                    "patient",
                    "--subject",
                    "alice-app",
                    "--patient",
                    "p-1",
                    "--ttl",
                    "5m",
                    "--data-dir",
                    dataDir.toString()
                },
                print(out),
                print(err));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

        SecurityProperties properties =
                Binder.get(new StandardEnvironment()).bindOrCreate("fhir-anchor.security", SecurityProperties.class);
        Jwt jwt = JwtDecoders.embedded(TokenSigningKeyFile.loadOrCreate(dataDir.resolve("keys")), properties)
                .decode(lines.get(0));
        assertThat(jwt.getSubject()).isEqualTo("alice-app");
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("patient/*.rs patient/Consent.cu");
        assertThat(jwt.getClaimAsString("patient")).isEqualTo("p-1");
        assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofMinutes(5));
        // Only the key was touched: no database, no HAPI.
        assertThat(dataDir.resolve("db")).doesNotExist();
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void dataDirectoryWithoutKey_failsNamingHowToPointAtTheServer_andCreatesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TokenCommand.run(
                new String[] {"--role", "ehr", "--subject", "x", "--data-dir", dataDir.toString()},
                print(out),
                print(err));

        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("No signing key in " + dataDir.resolve("keys"))
                .contains("--data-dir")
                .contains("FHIR_ANCHOR_DATA_DIR")
                .contains("--create-key");
        assertThat(dataDir.resolve("keys")).doesNotExist();
    }

    @Test
    void createKeyOnRequest_thenTheSameKeySignsEveryLaterToken() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        assertThat(TokenCommand.run(
                        new String[] {"--role", "ehr", "--subject", "x", "--create-key", "--data-dir=" + dataDir},
                        print(first),
                        print(new ByteArrayOutputStream())))
                .isZero();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertThat(TokenCommand.run(
                        new String[] {"--role", "ehr", "--subject", "x", "--fhir-anchor.data-dir=" + dataDir},
                        print(second),
                        print(new ByteArrayOutputStream())))
                .isZero();

        SecurityProperties properties =
                Binder.get(new StandardEnvironment()).bindOrCreate("fhir-anchor.security", SecurityProperties.class);
        var decoder = JwtDecoders.embedded(TokenSigningKeyFile.loadOrCreate(dataDir.resolve("keys")), properties);
        assertThat(decoder.decode(first.toString(StandardCharsets.UTF_8).trim()).getSubject())
                .isEqualTo("x");
        assertThat(decoder.decode(second.toString(StandardCharsets.UTF_8).trim())
                        .getSubject())
                .isEqualTo("x");
    }

    @Test
    void clinicianToken_carriesFhirUser_andBreakGlassPurpose() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TokenCommand.run(
                new String[] {
                    "--role",
                    "clinician",
                    "--subject",
                    "dr-lee",
                    "--fhir-user",
                    "Practitioner/lee",
                    "--purpose",
                    "BTG",
                    "--create-key",
                    "--data-dir=" + dataDir
                },
                print(out),
                print(err));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        SecurityProperties properties =
                Binder.get(new StandardEnvironment()).bindOrCreate("fhir-anchor.security", SecurityProperties.class);
        Jwt jwt = JwtDecoders.embedded(TokenSigningKeyFile.loadOrCreate(dataDir.resolve("keys")), properties)
                .decode(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(jwt.getClaimAsString("fhirUser")).isEqualTo("Practitioner/lee");
        assertThat(jwt.getClaimAsString("purpose_of_use")).isEqualTo("BTG");
        assertThat(jwt.getClaimAsString("scope")).startsWith("user/*.rs");
        // A break-glass clinician is never a research requester.
        assertThat(ResearchRequesterInterceptor.requesterOf(jwt)).isEmpty();
    }

    @Test
    void unknownRoleOrMissingSubject_exit2WithUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(TokenCommand.run(
                        new String[] {"--role", "superuser", "--subject", "x", "--fhir-anchor.data-dir=" + dataDir},
                        print(new ByteArrayOutputStream()),
                        print(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: token");
        assertThat(TokenCommand.run(
                        new String[] {"--role", "ehr", "--fhir-anchor.data-dir=" + dataDir},
                        print(new ByteArrayOutputStream()),
                        print(err)))
                .isEqualTo(2);
        assertThat(Files.exists(dataDir.resolve("db"))).isFalse();
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }
}
