package org.fhiranchor.server.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The answers a verifier writer meets, as docs/anchoring.md describes them: value types of
 * {@code $checkpoints} and {@code $consistency}, their refusals, the {@code proof} attachment, reads
 * of a deleted version, and that every representation of a version (pretty, XML) hashes the same.
 */
class VerifyAnswersShapeTest extends FhirRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyRepresentationHashesToTheLoggedContentHash_andTheProofIsBase64CanonicalJson() throws Exception {
        String id = client.create()
                .resource(ClinicalFixtures.patient("urn:test:" + UUID.randomUUID(), "s1", "Shape", "1990-02-03"))
                .execute()
                .getId()
                .getIdPart();
        String version = "Patient/" + id + "/_history/1";
        JsonNode verify = awaitAnchored(version);
        String logged = param(verify, "contentHash").path("valueString").asText();
        JsonNode attachment = param(verify, "proof").path("valueAttachment");
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/json");
        byte[] proof = Base64.getDecoder().decode(attachment.path("data").asText());
        assertThat(JSON.readTree(proof).path("contentHash").asText()).isEqualTo(logged);
        assertThat(new String(proof, StandardCharsets.UTF_8)).doesNotContain(" ", "\n"); // canonical: one byte form

        for (String query :
                new String[] {"", "?_pretty=true", "?_format=json", "?_format=application/fhir%2Bjson&_pretty=true"}) {
            assertThat(hex(ContentHash.of(get("/" + version + query).body().getBytes(StandardCharsets.UTF_8))))
                    .as(query)
                    .isEqualTo(logged);
        }
        // An XML reader parses the XML and hashes the JSON form of what it parsed.
        HttpResponse<String> xml = http(
                "GET",
                "/" + version + "?_format=xml",
                null,
                null,
                token,
                java.util.Map.of("Accept", "application/fhir+xml"));
        assertThat(xml.body()).startsWith("<Patient");
        Patient parsed = CLIENT_CONTEXT.newXmlParser().parseResource(Patient.class, xml.body());
        assertThat(hex(ContentHash.of(CLIENT_CONTEXT
                        .newJsonParser()
                        .encodeResourceToString(parsed)
                        .getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(logged);
    }

    @Test
    void checkpointsAndConsistency_giveNumbersAsNumbers_andRefuseUnanchoredSizes() throws Exception {
        String id = client.create()
                .resource(ClinicalFixtures.patient("urn:test:" + UUID.randomUUID(), "s2", "Shape", "1990-02-03"))
                .execute()
                .getId()
                .getIdPart();
        awaitAnchored("Patient/" + id + "/_history/1");
        JsonNode page = JSON.readTree(get("/$checkpoints?_count=1000").body());
        JsonNode last = null;
        for (JsonNode checkpoint : page.path("parameter")) {
            last = checkpoint;
        }
        assertThat(last).isNotNull();
        for (String name : new String[] {"treeSize", "chainId", "blockNumber"}) {
            assertThat(part(last, name).path("valueInteger").isNumber())
                    .as(name)
                    .isTrue();
        }
        long size = part(last, "treeSize").path("valueInteger").asLong();

        JsonNode same =
                JSON.readTree(get("/$consistency?from=" + size + "&to=" + size).body());
        assertThat(param(same, "fromRootHash").path("valueString").asText())
                .isEqualTo(param(same, "toRootHash").path("valueString").asText());
        assertThat(param(same, "consistencyPath").path("part").size()).isZero();

        for (String bad : new String[] {
            "from=" + (size + 100000) + "&to=" + (size + 100000),
            "from=0&to=" + size,
            "from=" + size + "&to=1",
            "from=x&to=1"
        }) {
            HttpResponse<String> refused = get("/$consistency?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("OperationOutcome");
        }
    }

    @Test
    void aDeletedVersion_readsAs410_andItsTombstoneIsProvable() throws Exception {
        String id = client.create()
                .resource(ClinicalFixtures.patient("urn:test:" + UUID.randomUUID(), "s3", "Shape", "1990-02-03"))
                .execute()
                .getId()
                .getIdPart();
        client.delete().resourceById("Patient", id).execute();
        assertThat(get("/Patient/" + id).statusCode()).isEqualTo(410);
        assertThat(get("/Patient/" + id + "/_history/2").statusCode()).isEqualTo(410);
        JsonNode verify = awaitAnchored("Patient/" + id + "/_history/2");
        assertThat(param(verify, "operation").path("valueCode").asText()).isEqualTo("delete");
        assertThat(param(verify, "contentHash").path("valueString").asText()).isEqualTo("0".repeat(64));
    }

    private JsonNode awaitAnchored(String version) throws Exception {
        await(version + " anchored")
                .atMost(Duration.ofSeconds(60))
                .until(() -> "anchored"
                        .equals(param(
                                        JSON.readTree(
                                                get("/" + version + "/$verify").body()),
                                        "status")
                                .path("valueCode")
                                .asText()));
        return JSON.readTree(get("/" + version + "/$verify").body());
    }

    private static JsonNode param(JsonNode parameters, String name) {
        for (JsonNode p : parameters.path("parameter")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return JSON.missingNode();
    }

    private static JsonNode part(JsonNode parameter, String name) {
        for (JsonNode p : parameter.path("part")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return JSON.missingNode();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
