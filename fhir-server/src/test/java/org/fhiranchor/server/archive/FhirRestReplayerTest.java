package org.fhiranchor.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.server.client.FhirClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replayer against a stand-in server that records what it is sent: the transactions it builds, the token it
 * sends, and how a refusal reaches the user (the server's OperationOutcome in the message).
 */
class FhirRestReplayerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final List<Bundle> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}";
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fhir", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(FHIR.newJsonParser().parseResource(Bundle.class, body));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void versionsGoAsTransactionsOfPutsWithTheirIds_aSecondVersionOrADeleteStartsANewOne() throws IOException {
        replayer("secret").replay(List.of(put("p1", 1), put("p2", 1), put("p1", 2), delete("p2")));

        assertThat(received).hasSize(3);
        assertThat(received.get(0).getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(received.get(0).getEntry())
                .extracting(
                        e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .containsExactly("PUT Patient/p1", "PUT Patient/p2");
        Patient first = (Patient) received.get(0).getEntry().get(0).getResource();
        assertThat(first.getIdElement().getIdPart()).isEqualTo("p1");
        assertThat(first.getMeta().getVersionId())
                .as("the fresh server assigns versions")
                .isNull();
        assertThat(received.get(0).getEntry().get(0).getFullUrl()).isEqualTo(base() + "/Patient/p1");
        assertThat(received.get(1).getEntry())
                .extracting(
                        e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .containsExactly("PUT Patient/p1");
        assertThat(received.get(2).getEntry())
                .extracting(
                        e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl())
                .containsExactly("DELETE Patient/p2");
        assertThat(authorizations).containsOnly("Bearer secret");
    }

    @Test
    void aRefusedTransaction_failsWithTheServersOperationOutcome() {
        status = 403;
        answer = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"forbidden\","
                + "\"diagnostics\":\"the token's role may not restore\"}]}";

        assertThatThrownBy(() -> replayer(null).replay(List.of(put("p1", 1))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("transaction of 1 version(s) failed")
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("error forbidden: the token's role may not restore");
        assertThat(authorizations).containsExactly((String) null);
    }

    private FhirRestReplayer replayer(String token) {
        return new FhirRestReplayer(FhirClients.connect(FHIR, base() + "/", token));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    private static ArchivedVersion put(String id, int version) {
        Patient patient = new Patient();
        patient.setId("Patient/" + id + "/_history/" + version);
        patient.getMeta().setVersionId(String.valueOf(version));
        patient.addName().setFamily("Replayed" + version);
        return new ArchivedVersion(
                version,
                new LeafEntry(
                        version == 1 ? Operation.CREATE : Operation.UPDATE,
                        new ResourceRef("Patient", id, String.valueOf(version)),
                        filled(1),
                        filled(2)),
                patient);
    }

    private static ArchivedVersion delete(String id) {
        return new ArchivedVersion(
                9,
                new LeafEntry(
                        Operation.DELETE,
                        new ResourceRef("Patient", id, "2"),
                        new byte[LeafEntry.HASH_LENGTH],
                        filled(3)),
                null);
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[LeafEntry.HASH_LENGTH];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
