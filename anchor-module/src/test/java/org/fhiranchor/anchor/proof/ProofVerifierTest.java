package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.junit.jupiter.api.Test;

class ProofVerifierTest {

    private final LogFixture log = new LogFixture(23);

    private static AnchorProof with(
            AnchorProof p,
            ResourceRef resource,
            Operation operation,
            byte[] leafHash,
            long leafIndex,
            long treeSize,
            byte[] rootHash,
            List<byte[]> path) {
        return new AnchorProof(
                new LeafClaims(
                        resource, operation, p.leaf().contentHash(), p.leaf().salt(), leafHash),
                leafIndex,
                treeSize,
                rootHash,
                path,
                p.anchor());
    }

    @Test
    void everyVersionVerifiesAgainstEveryLaterCheckpoint() {
        int deletes = 0;
        for (int i = 0; i < 23; i++) {
            for (long n = i + 1; n <= 23; n++) {
                VerificationResult result = ProofVerifier.verify(log.bodies.get(i), log.proof(i, n), log.chain);
                assertEquals(Status.VERIFIED, result.status(), i + "/" + n + ": " + result.detail());
            }
            deletes += log.entries.get(i).operation() == Operation.DELETE ? 1 : 0;
        }
        assertTrue(deletes > 0, "the fixture must contain deletes");
    }

    @Test
    void verifiesFromJsonBytesAndReformattedResources() {
        AnchorProof proof = log.proof(7, 20);
        String reformatted = new String(log.bodies.get(7), StandardCharsets.UTF_8)
                .replace("\n", "")
                .replace(": ", ":");
        assertTrue(
                ProofVerifier.verify(reformatted.getBytes(StandardCharsets.UTF_8), ProofJson.write(proof), log.chain)
                        .verified(),
                "whitespace is not content");
    }

    @Test
    void reportsEachFailureSpecifically() {
        AnchorProof proof = log.proof(7, 20);
        byte[] body = log.bodies.get(7);

        assertEquals(
                Status.MALFORMED_PROOF,
                ProofVerifier.verify(body, "{}".getBytes(StandardCharsets.UTF_8), log.chain)
                        .status());
        assertEquals(
                Status.RESOURCE_UNREADABLE,
                ProofVerifier.verify(null, proof, log.chain).status());
        assertEquals(
                Status.RESOURCE_UNREADABLE,
                ProofVerifier.verify("{\"a\":1,\"a\":1}".getBytes(StandardCharsets.UTF_8), proof, log.chain)
                        .status());
        String changed = new String(body, StandardCharsets.UTF_8).replace("7.20", "7.2");
        VerificationResult precision = ProofVerifier.verify(changed.getBytes(StandardCharsets.UTF_8), proof, log.chain);
        assertEquals(Status.CONTENT_HASH_MISMATCH, precision.status(), "7.20 -> 7.2 is a change of content");

        // A proof for another version of the same patient, presented with this body, fails on the hash;
        // a proof whose content hash matches but whose reference names another resource fails on the reference.
        AnchorProof otherRef = new AnchorProof(
                new LeafClaims(
                        new ResourceRef("Patient", "p9", "2"),
                        proof.leaf().operation(),
                        proof.leaf().contentHash(),
                        proof.leaf().salt(),
                        proof.leaf().leafHash()),
                7,
                20,
                proof.rootHash(),
                proof.auditPath(),
                proof.anchor());
        VerificationResult ref = ProofVerifier.verify(body, otherRef, log.chain);
        assertEquals(Status.RESOURCE_MISMATCH, ref.status());
        assertTrue(
                ref.detail().contains("Patient/p2/_history/2") && ref.detail().contains("Patient/p9/_history/2"),
                ref.detail());

        byte[] badLeaf = proof.leaf().leafHash();
        badLeaf[31] ^= 1;
        assertEquals(
                Status.LEAF_HASH_MISMATCH,
                ProofVerifier.verify(
                                body,
                                with(
                                        proof,
                                        proof.leaf().resource(),
                                        proof.leaf().operation(),
                                        badLeaf,
                                        7,
                                        20,
                                        proof.rootHash(),
                                        proof.auditPath()),
                                log.chain)
                        .status());
        assertEquals(
                Status.LEAF_HASH_MISMATCH,
                ProofVerifier.verify(
                                body,
                                with(
                                        proof,
                                        proof.leaf().resource(),
                                        Operation.CREATE,
                                        proof.leaf().leafHash(),
                                        7,
                                        20,
                                        proof.rootHash(),
                                        proof.auditPath()),
                                log.chain)
                        .status());

        VerificationResult inclusion = ProofVerifier.verify(
                body,
                with(
                        proof,
                        proof.leaf().resource(),
                        proof.leaf().operation(),
                        proof.leaf().leafHash(),
                        6,
                        20,
                        proof.rootHash(),
                        proof.auditPath()),
                log.chain);
        assertEquals(Status.INCLUSION_FAILED, inclusion.status());
        assertEquals("root mismatch", inclusion.detail());

        assertEquals(
                Status.NOT_ANCHORED,
                ProofVerifier.verify(body, proof, size -> Optional.empty()).status());
        assertEquals(
                Status.CHECKPOINT_UNAVAILABLE,
                ProofVerifier.verify(body, proof, size -> {
                            throw new IllegalStateException("node down");
                        })
                        .status());
        assertEquals(
                Status.ANCHORED_ROOT_MISMATCH,
                ProofVerifier.verify(body, proof, size -> Optional.of(log.anchoredRoots.get(19L)))
                        .status());
        // A consistent fake tree head that was never anchored is exactly what the last check exists for.
        assertEquals(
                Status.ANCHORED_ROOT_MISMATCH,
                ProofVerifier.verify(body, proof, size -> Optional.of(new byte[32]))
                        .status());
    }

    @Test
    void deletesTakeNoBody() {
        int deleteIndex = 10;
        assertEquals(Operation.DELETE, log.entries.get(deleteIndex).operation());
        AnchorProof proof = log.proof(deleteIndex, 23);
        assertTrue(ProofVerifier.verify(null, proof, log.chain).verified());
        assertEquals(
                Status.RESOURCE_MISMATCH,
                ProofVerifier.verify(log.bodies.get(0), proof, log.chain).status());
    }
}
