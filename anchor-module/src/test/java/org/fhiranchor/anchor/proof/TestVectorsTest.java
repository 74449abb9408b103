package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.junit.jupiter.api.Test;

/**
 * docs/test-vectors must equal what the code generates today. To regenerate after an intended format
 * change: {@code FHIR_ANCHOR_WRITE_VECTORS=1 mvn -o -q -pl anchor-module test -Dtest=TestVectorsTest}.
 */
class TestVectorsTest {

    private static final Path DIR = Path.of("..", "docs", "test-vectors");

    @Test
    void committedVectorsMatchTheCode() throws IOException {
        Map<String, String> generated = TestVectors.generate();
        if ("1".equals(System.getenv("FHIR_ANCHOR_WRITE_VECTORS"))) {
            Files.createDirectories(DIR);
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Files.writeString(DIR.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        for (Map.Entry<String, String> file : generated.entrySet()) {
            Path path = DIR.resolve(file.getKey());
            assertTrue(Files.exists(path), path.toAbsolutePath() + " is missing; see this class's comment");
            assertEquals(
                    file.getValue(),
                    Files.readString(path, StandardCharsets.UTF_8),
                    path + " is stale or was edited by hand; regenerate it (see this class's comment)");
        }
    }

    @Test
    void committedProofVerifiesFromTheFileAlone() throws IOException {
        JsonObject vector = JsonParser.parseObject(Files.readAllBytes(DIR.resolve("proof.json")));
        byte[] served = vector.getString("served").getBytes(StandardCharsets.UTF_8);
        byte[] proofJson = vector.getString("proofJson").getBytes(StandardCharsets.UTF_8);
        byte[] anchoredRoot = HexFormat.of().parseHex(vector.getString("anchoredRoot"));
        long treeSize = vector.getObject("proof").getNumber("treeSize").asNonNegativeLong();
        CheckpointSource chain = size -> size == treeSize ? Optional.of(anchoredRoot) : Optional.empty();
        assertTrue(ProofVerifier.verify(served, proofJson, chain).verified());
    }

    @Test
    void committedMultiProofVerifiesFromTheFileAlone() throws IOException {
        JsonObject vector = JsonParser.parseObject(Files.readAllBytes(DIR.resolve("multiproof.json")));
        JsonObject served = vector.getObject("served");
        byte[] proofJson = vector.getString("proofJson").getBytes(StandardCharsets.UTF_8);
        byte[] anchoredRoot = HexFormat.of().parseHex(vector.getString("anchoredRoot"));
        long treeSize = vector.getObject("proof").getNumber("treeSize").asNonNegativeLong();
        CheckpointSource chain = size -> size == treeSize ? Optional.of(anchoredRoot) : Optional.empty();
        MultiProofVerifier.Result result = MultiProofVerifier.verify(
                proofJson,
                ref -> served.members().get(ref.toString()) instanceof org.fhiranchor.anchor.canonical.JsonString text
                        ? text.value().getBytes(StandardCharsets.UTF_8)
                        : null,
                chain);
        assertTrue(result.verified(), result.overall().detail());
        assertEquals(3, result.versions().size());
    }

    @Test
    void committedBatchedProofVerifiesFromTheFileAlone_andOnlyForItsMember() throws IOException {
        JsonObject vector = JsonParser.parseObject(Files.readAllBytes(DIR.resolve("batched-proof.json")));
        int member = (int) vector.getNumber("member").asNonNegativeLong();
        org.fhiranchor.anchor.canonical.JsonArray members = vector.getArray("members");
        byte[] proofJson = vector.getString("proofJson").getBytes(StandardCharsets.UTF_8);
        byte[] anchoredRoot = HexFormat.of().parseHex(vector.getString("anchoredRoot"));
        long treeSize = vector.getNumber("treeSize").asNonNegativeLong();
        CheckpointSource chain = size -> size == treeSize ? Optional.of(anchoredRoot) : Optional.empty();
        assertEquals(BatchedProof.FORMAT, BatchedProofJson.formatOf(proofJson));
        for (int i = 0; i < members.size(); i++) {
            byte[] served = ((JsonObject) members.get(i)).getString("served").getBytes(StandardCharsets.UTF_8);
            VerificationResult result = BatchedProofVerifier.verify(served, proofJson, chain);
            assertEquals(
                    i == member ? VerificationResult.Status.VERIFIED : VerificationResult.Status.CONTENT_HASH_MISMATCH,
                    result.status(),
                    i + ": " + result.detail());
        }
        // The record as served is the record in the proof.
        assertEquals(
                new String(
                        org.fhiranchor.anchor.canonical.CanonicalJson.canonicalize(
                                vector.getString("batchRecord").getBytes(StandardCharsets.UTF_8)),
                        StandardCharsets.UTF_8),
                org.fhiranchor.anchor.canonical.CanonicalJson.serializeToString(
                        vector.getObject("proof").getObject("batchRecord")));
    }
}
