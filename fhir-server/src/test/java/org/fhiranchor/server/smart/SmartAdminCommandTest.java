package org.fhiranchor.server.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code user} and {@code client} commands on the server's (here: a fresh H2) database. */
class SmartAdminCommandTest {

    private final Path dataDir = TestDataDirectory.newSubdirectory("smart-cli-");

    @AfterEach
    void clean() {
        TestDataDirectory.deleteRecursively(dataDir);
    }

    @Test
    void usersAndClients_fromTheCommandLine() throws Exception {
        Result added = run(
                "user",
                "secret passphrase 1\n",
                "add",
                "--username",
                "ada",
                "--role",
                "patient",
                "--fhir-user",
                "Patient/sample-ada");
        assertThat(added.status).as(added.err).isZero();
        assertThat(added.out).contains("created ada (patient)");
        assertThat(added.out + added.err).doesNotContain("secret passphrase");

        assertThat(run("user", "short\n", "add", "--username", "bob", "--role", "clinician").status)
                .isEqualTo(2);
        assertThat(run("user", "long enough password\n", "add", "--username", "eve", "--role", "patient").err)
                .contains("needs its Patient");
        assertThat(run("user", "", "disable", "--username", "ada").status).isZero();
        assertThat(run("user", "", "list").out).contains("ada\tpatient\tPatient/sample-ada\tdisabled");

        Path jwks = dataDir.resolve("jwks.json");
        Files.writeString(
                jwks,
                new JWKSet(new ECKeyGenerator(Curve.P_384)
                                .keyID("k1")
                                .generate()
                                .toPublicJWK())
                        .toString());
        Result client = run(
                "client",
                "",
                "add",
                "--client-id",
                "bulk",
                "--scope",
                "system/*.rs",
                "--role",
                "ehr",
                "--jwks-file",
                jwks.toString());
        assertThat(client.status).as(client.err).isZero();
        assertThat(run("client", "", "list").out).contains("bulk\t[client_credentials]\tsystem/*.rs");
        assertThat(run(
                                "client",
                                "",
                                "add",
                                "--client-id",
                                "greedy",
                                "--scope",
                                "system/*.cruds",
                                "--role",
                                "auditor",
                                "--jwks-file",
                                jwks.toString())
                        .err)
                .contains("beyond the role auditor");
        assertThat(run("client", "", "revoke", "--client-id", "bulk").out).contains("revoked");
        assertThat(run("client", "", "list").out).doesNotContain("bulk");
    }

    private record Result(int status, String out, String err) {}

    private Result run(String command, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--fhir-anchor.data-dir=" + dataDir;
        int status = SmartAdminCommand.run(
                command,
                all,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
