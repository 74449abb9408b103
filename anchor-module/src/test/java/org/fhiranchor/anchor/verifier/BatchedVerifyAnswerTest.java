package org.fhiranchor.anchor.verifier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.BatchFixture;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.anchor.proof.BatchedProofJson;
import org.fhiranchor.anchor.proof.ProofJson;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.fhiranchor.anchor.verifier.VerifyParameters.NoProofException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code $verify} answer about a batch member (an AuditEvent the server wrote, docs/verification.md section
 * 4.2) carries a {@code fhir-anchor-batched-proof/1}: the single-version paths of the verifier pick it by its
 * {@code format} and verify the member through its batch record's leaf.
 */
class BatchedVerifyAnswerTest {

    private final BatchFixture batch = BatchFixture.of(6, "v", 4);
    private final Verifier verifier = new Verifier(batch.chain);
    private FakeFhirServer server;
    private FhirSource fhir;

    @BeforeEach
    void start() {
        server = new FakeFhirServer();
        for (int i = 0; i < batch.members.size(); i++) {
            String ref = batch.members.get(i).ref().toString();
            server.versions.put(ref, batch.served.get(i));
            server.verifyAnswers.put(ref, FakeFhirServer.batchedAnswer(batch.proof(i)));
            server.current.put("AuditEvent/" + batch.members.get(i).ref().id(), ref);
            server.history.add(FakeFhirServer.object(
                    "fullUrl",
                    new JsonString(server.base() + "/" + ref),
                    "resource",
                    JsonParser.parseObject(batch.served.get(i)),
                    "request",
                    FakeFhirServer.object("method", new JsonString("POST"), "url", new JsonString("AuditEvent"))));
        }
        fhir = new FhirSource(server.base(), null, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String ref(BatchFixture b, int i) {
        return b.members.get(i).ref().toString();
    }

    @Test
    void theAnswerIsReadByItsFormat() {
        BatchedProof proof = batch.proof(2);
        VerifyParameters parsed = VerifyParameters.parse(FakeFhirServer.batchedAnswer(proof));
        assertEquals(Optional.of(proof), parsed.batched());
        assertEquals(batch.recordProof, parsed.proof(), "the log proof is the batch record's");
        assertArrayEquals(BatchedProofJson.write(proof), parsed.proofJson());
        assertEquals(
                Optional.empty(),
                VerifyParameters.parse(FakeFhirServer.anchoredAnswer(batch.recordProof, "x"))
                        .batched());

        // A batched proof that is not well-formed is named as such.
        String broken = new String(BatchedProofJson.write(proof), StandardCharsets.UTF_8)
                .replace("\"batchIndex\":2", "\"batchIndex\":-2");
        List<JsonValue> parameters = new ArrayList<>(JsonParser.parseObject(FakeFhirServer.batchedAnswer(proof))
                .getArray("parameter")
                .elements());
        parameters.set(
                parameters.size() - 1,
                FakeFhirServer.param(
                        "proof",
                        "valueAttachment",
                        FakeFhirServer.object(
                                "contentType", new JsonString("application/json"),
                                "data",
                                        new JsonString(Base64.getEncoder()
                                                .encodeToString(broken.getBytes(StandardCharsets.UTF_8))))));
        NoProofException e = org.junit.jupiter.api.Assertions.assertThrows(
                NoProofException.class, () -> VerifyParameters.parse(FakeFhirServer.parametersJson(parameters)));
        assertTrue(e.getMessage().contains("not a valid " + BatchedProof.FORMAT), e.getMessage());
    }

    @Test
    void proofBytesAreVerifiedByTheirFormat() {
        assertEquals(
                Status.VERIFIED,
                verifier.verify(batch.served.get(2), BatchedProofJson.write(batch.proof(2)))
                        .status());
        assertEquals(
                Status.CONTENT_HASH_MISMATCH,
                verifier.verify(batch.served.get(1), BatchedProofJson.write(batch.proof(2)))
                        .status());
        // The ordinary format still goes the ordinary way: the batch record is a log leaf like any version.
        assertEquals(
                Status.VERIFIED,
                verifier.verify(CanonicalJson.serialize(batch.record), ProofJson.write(batch.recordProof))
                        .status());
        assertEquals(
                Status.MALFORMED_PROOF,
                verifier.verify(
                                batch.served.get(2),
                                "{\"format\":\"fhir-anchor-batched-proof/2\"}".getBytes(StandardCharsets.UTF_8))
                        .status());
    }

    @Test
    void aMemberFetchedFromTheServerVerifiesThroughItsBatch() {
        for (int i = 0; i < batch.members.size(); i++) {
            VersionCheck check = verifier.check(fhir, ref(batch, i));
            assertTrue(check.verified(), check.code() + ": " + check.detail());
            assertEquals(ref(batch, i), check.ref());
            assertEquals(Optional.of(batch.proof(i)), check.batched());
            assertEquals(Optional.of(batch.recordProof), check.proof());
            assertTrue(
                    check.detail().contains("member " + i + " of 6 of the batch Basic/batch-v/_history/1"),
                    check.detail());
        }
        // Type/id: the current version, which the proof is about.
        assertTrue(
                verifier.check(fhir, "AuditEvent/" + batch.members.get(3).ref().id())
                        .verified());
    }

    @Test
    void aChangedMember_aProofForAnotherMember_andAnUnanchoredRecordAreNotVerified() {
        String changed = ref(batch, 3);
        server.versions.put(
                changed,
                new String(batch.served.get(3), StandardCharsets.UTF_8)
                        .replace("dr-jane-roe", "dr-john-doe")
                        .getBytes(StandardCharsets.UTF_8));
        VersionCheck tampered = verifier.check(fhir, changed);
        assertEquals(VersionCheck.Outcome.FAILED, tampered.outcome());
        assertEquals(Status.CONTENT_HASH_MISMATCH.name(), tampered.code());

        // The server answers for member 1 with member 4's (good) proof.
        server.verifyAnswers.put(ref(batch, 1), FakeFhirServer.batchedAnswer(batch.proof(4)));
        VersionCheck wrong = verifier.check(fhir, ref(batch, 1));
        assertEquals(VersionCheck.WRONG_VERSION, wrong.code());
        assertEquals(Optional.of(batch.proof(4)), wrong.batched());

        VersionCheck notAnchored = new Verifier(size -> Optional.empty()).check(fhir, ref(batch, 2));
        assertEquals(Status.NOT_ANCHORED.name(), notAnchored.code());
        assertTrue(notAnchored.detail().startsWith("batch record Basic/batch-v/_history/1: "), notAnchored.detail());
    }

    @Test
    void aWalkOverTheHistoryVerifiesEveryMember() {
        server.serveAltered(
                ref(batch, 5),
                new String(batch.served.get(5), StandardCharsets.UTF_8)
                        .replace("\"HTTP 200\"", "\"HTTP 204\"")
                        .getBytes(StandardCharsets.UTF_8));
        WalkReport report = verifier.walk(fhir, "AuditEvent", 0, check -> {});
        assertEquals(6, report.checks().size());
        for (VersionCheck check : report.checks()) {
            assertEquals(
                    check.ref().equals(ref(batch, 5)) ? VersionCheck.Outcome.FAILED : VersionCheck.Outcome.VERIFIED,
                    check.outcome(),
                    check.ref() + ": " + check.detail());
        }
    }

    @Test
    void aMemberReportedBatchedByTheMultiVersionAnswerIsProvenByItsOwnVerify() {
        server.verifyManyAnswer = FakeFhirServer.parametersJson(List.of(FakeFhirServer.object(
                "name",
                new JsonString("version"),
                "part",
                new JsonArray(List.of(
                        FakeFhirServer.param("resource", "valueString", new JsonString(ref(batch, 0))),
                        FakeFhirServer.param("status", "valueCode", new JsonString("batched")))))));
        WalkReport report = verifier.checkMany(fhir, List.of(ref(batch, 0)));
        assertEquals(1, report.checks().size());
        VersionCheck check = report.checks().get(0);
        assertTrue(check.verified(), check.code() + ": " + check.detail());
        assertFalse(check.batched().isEmpty());
        assertEquals(
                ResourceRef.parse(ref(batch, 0)), check.batched().get().leaf().resource());
    }
}
