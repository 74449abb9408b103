package org.fhiranchor.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.security.EmbeddedIssuer;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.TokenIssuer;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.fhiranchor.server.support.TestDataDirectory;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server is stopped in the middle of a run and started again on the same data directory: the
 * accesses of both halves are all in the audit trail, and the token minted before the restart is
 * still accepted (the signing key was reused, not regenerated).
 */
class AuditAcrossRestartTest {

    @Test
    void accessesBeforeAndAfterRestart_areAllAudited() {
        Path dataDir = TestDataDirectory.newSubdirectory("restart-");
        String subject = "restart-ehr-" + UUID.randomUUID();
        String token;
        IIdType patient;

        try (ConfigurableApplicationContext first = start(dataDir)) {
            token = first.getBean(EmbeddedIssuer.class)
                    .mint(TokenIssuer.TokenRequest.of(Role.EHR, subject, Duration.ofMinutes(30)));
            IGenericClient ehr = client(first, token);
            patient = ehr.create()
                    .resource(ClinicalFixtures.patient("urn:restart", "r1", "Restart", "1970-01-01"))
                    .execute()
                    .getId()
                    .toUnqualifiedVersionless();
            ehr.read().resource(Patient.class).withId(patient).execute();
            ehr.search()
                    .byUrl("Patient?identifier=urn:restart|r1")
                    .returnBundle(Bundle.class)
                    .execute();
        }
        // Both runs really use this directory: its key and database are what the second run reuses.
        assertThat(dataDir.resolve("keys").resolve("jwt-signing-key.p8")).exists();
        assertThat(dataDir.resolve("db")).isDirectory();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            IGenericClient ehr = client(second, token);
            ehr.read().resource(Patient.class).withId(patient).execute();
            ehr.history().onInstance(patient).returnBundle(Bundle.class).execute();

            String auditorToken = second.getBean(EmbeddedIssuer.class)
                    .mint(TokenIssuer.TokenRequest.of(Role.AUDITOR, "restart-auditor", Duration.ofMinutes(5)));
            Bundle count = client(second, auditorToken)
                    .search()
                    .byUrl("AuditEvent?agent-name=" + subject + "&_summary=count")
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(count.getTotal()).isEqualTo(5);
        } finally {
            TestDataDirectory.deleteRecursively(dataDir);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        FhirAnchorApplication.useUtc();
        return new SpringApplicationBuilder(FhirAnchorApplication.class)

                // Command-line arguments: they outrank application.properties (default properties would not).
                .run("--fhir-anchor.data-dir=" + dataDir, "--server.port=0", "--server.address=127.0.0.1");
    }

    private static IGenericClient client(ConfigurableApplicationContext context, String bearer) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        IGenericClient client =
                FhirRestTestAccess.clientContext().newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(bearer));
        return client;
    }

    /** The test base's lenient client context, without starting its Spring context. */
    private static final class FhirRestTestAccess extends FhirRestTest {
        static ca.uhn.fhir.context.FhirContext clientContext() {
            return CLIENT_CONTEXT;
        }
    }
}
