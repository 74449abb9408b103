package org.fhiranchor.anchor.verifier;

import static org.fhiranchor.anchor.verifier.FakeFhirServer.object;
import static org.fhiranchor.anchor.verifier.FakeFhirServer.param;
import static org.fhiranchor.anchor.verifier.FakeFhirServer.parametersJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ChainAnchor;
import org.fhiranchor.anchor.proof.ProofJson;
import org.fhiranchor.anchor.verifier.VerifyParameters.NoProofException;
import org.junit.jupiter.api.Test;

/** Reading the proof out of a $verify answer, and the errors when there is none to read. */
class VerifyParametersTest {

    static final ChainAnchor ANCHOR = new ChainAnchor(31337, "0x" + "ab".repeat(20), "0x" + "cd".repeat(32), 7);

    static AnchorProof proof() {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        LeafEntry entry = new LeafEntry(
                Operation.CREATE, ResourceRef.parse("Patient/p1/_history/1"), ExampleLog.salt(1), ExampleLog.salt(2));
        tree.append(entry.leafHash());
        tree.append(ExampleLog.salt(3));
        return AnchorProof.forLeaf(entry, 0, 2, tree, ANCHOR);
    }

    @Test
    void readsTheAttachmentAndNothingElse() {
        AnchorProof proof = proof();
        // The human-readable parameters say something else entirely: they must not matter.
        byte[] answer = FakeFhirServer.anchoredAnswer(proof, "0x" + "ee".repeat(20));
        VerifyParameters parsed = VerifyParameters.parse(answer);
        assertEquals(proof, parsed.proof());
        assertArrayEquals(ProofJson.write(proof), parsed.proofJson());
        assertEquals(Optional.of("anchored"), parsed.status());
    }

    @Test
    void pendingAndTamperedReportTheServersStatus() {
        NoProofException pending = assertThrows(
                NoProofException.class,
                () -> VerifyParameters.parse(FakeFhirServer.statusOnlyAnswer("pending", "Patient/p1/_history/1")));
        assertEquals(Optional.of("pending"), pending.serverStatus());
        assertTrue(pending.getMessage().contains("status pending"), pending.getMessage());

        // Even with a proof attached, a server that says "tampered" is not overruled.
        List<JsonValue> parameters = new ArrayList<>(parametersOf(FakeFhirServer.anchoredAnswer(proof(), "x")));
        parameters.set(0, param("status", "valueCode", new JsonString("tampered")));
        NoProofException tampered =
                assertThrows(NoProofException.class, () -> VerifyParameters.parse(parametersJson(parameters)));
        assertEquals(Optional.of("tampered"), tampered.serverStatus());
    }

    @Test
    void missingOrGarbledProofIsAClearError() {
        assertMessage(
                parametersJson(List.of(param("status", "valueCode", new JsonString("anchored")))),
                "carries no proof attachment");
        assertMessage(withData("not base64 !"), "not base64");
        assertMessage(
                withData(Base64.getEncoder().encodeToString("{\"format\":1}".getBytes(StandardCharsets.UTF_8))),
                "not a valid fhir-anchor-proof/1");
        assertMessage(
                "{\"resourceType\":\"OperationOutcome\"}".getBytes(StandardCharsets.UTF_8), "not a FHIR Parameters");
        assertMessage("<Parameters/>".getBytes(StandardCharsets.UTF_8), "not valid JSON");

        List<JsonValue> twice = new ArrayList<>(parametersOf(FakeFhirServer.anchoredAnswer(proof(), "x")));
        twice.add(twice.get(twice.size() - 1));
        assertMessage(parametersJson(twice), "more than one proof");
    }

    private static byte[] withData(String data) {
        return parametersJson(List.of(
                param("status", "valueCode", new JsonString("anchored")),
                param(
                        "proof",
                        "valueAttachment",
                        object("contentType", new JsonString("application/json"), "data", new JsonString(data)))));
    }

    private static List<JsonValue> parametersOf(byte[] answer) {
        return JsonParser.parseObject(answer).getArray("parameter").elements();
    }

    private static void assertMessage(byte[] answer, String expected) {
        NoProofException e = assertThrows(NoProofException.class, () -> VerifyParameters.parse(answer));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
