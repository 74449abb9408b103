package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.junit.jupiter.api.Test;

class MultiProofVerifierTest {

    private static final ChainAnchor ANCHOR =
            new ChainAnchor(31337, "0x5fbdb2315678afecb367f032d93f642f64180aa3", "0x" + "ab".repeat(32), 7);

    /** A log of n versions of Observations, the ith with its served bytes; index 5 is a delete. */
    private final Map<ResourceRef, byte[]> served = new HashMap<>();

    private final List<LeafEntry> entries = new ArrayList<>();
    private final InMemorySubtreeHashes tree = new InMemorySubtreeHashes();

    private void log(int n) {
        for (int i = 0; i < n; i++) {
            ResourceRef ref = new ResourceRef("Observation", "o" + i, i == 5 ? "2" : "1");
            byte[] bytes = ("{\"resourceType\":\"Observation\",\"id\":\"o" + i + "\",\"meta\":{\"versionId\":\""
                            + ref.versionId() + "\"},\"status\":\"final\",\"valueInteger\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8);
            Operation operation = i == 5 ? Operation.DELETE : Operation.CREATE;
            LeafEntry entry = new LeafEntry(
                    operation,
                    ref,
                    operation == Operation.DELETE ? ContentHash.deleted() : ContentHash.of(bytes),
                    TestVectors.salt(i));
            if (operation != Operation.DELETE) {
                served.put(ref, bytes);
            }
            entries.add(entry);
            tree.append(entry.leafHash());
        }
    }

    private MultiProof proofOf(long treeSize, int... indexes) {
        List<MultiProof.Version> versions = new ArrayList<>();
        for (int index : indexes) {
            versions.add(MultiProof.Version.of(entries.get(index), index));
        }
        return MultiProof.forLeaves(versions, treeSize, tree, ANCHOR);
    }

    private CheckpointSource chainHolding(long treeSize) {
        byte[] root = org.fhiranchor.anchor.log.MerkleTree.root(treeSize, tree);
        return size -> size == treeSize ? Optional.of(root) : Optional.empty();
    }

    @Test
    void manyVersionsVerifyAgainstOneAnchoredRoot_whateverTheirOrderAndSpread() {
        log(1000);
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            long treeSize = 900 + random.nextInt(101);
            int[] indexes = random.ints(1 + random.nextInt(60), 0, (int) treeSize)
                    .distinct()
                    .toArray();
            MultiProof proof = proofOf(treeSize, indexes);
            MultiProof read = MultiProofJson.read(MultiProofJson.write(proof));
            assertEquals(proof, read);
            MultiProofVerifier.Result result = MultiProofVerifier.verify(read, served::get, chainHolding(treeSize));
            assertTrue(result.verified(), result.overall().detail());
            assertEquals(indexes.length, result.versions().size());
            assertTrue(result.versions().stream().allMatch(v -> v.result().verified()));
        }
    }

    @Test
    void aTamperedVersionIsNamed_andTheOthersStillVerify() {
        log(40);
        MultiProof proof = proofOf(40, 3, 5, 17, 30);
        ResourceRef changed = entries.get(17).ref();
        Map<ResourceRef, byte[]> copy = new HashMap<>(served);
        copy.put(
                changed,
                new String(served.get(changed), StandardCharsets.UTF_8)
                        .replace("\"valueInteger\":17", "\"valueInteger\":71")
                        .getBytes(StandardCharsets.UTF_8));
        MultiProofVerifier.Result result = MultiProofVerifier.verify(proof, copy::get, chainHolding(40));
        assertFalse(result.verified());
        assertEquals(Status.CONTENT_HASH_MISMATCH, result.overall().status());
        assertTrue(
                result.overall().detail().startsWith(changed.toString()),
                result.overall().detail());
        for (MultiProofVerifier.VersionResult version : result.versions()) {
            assertEquals(
                    version.resource().equals(changed) ? Status.CONTENT_HASH_MISMATCH : Status.VERIFIED,
                    version.result().status(),
                    version.resource().toString());
        }
    }

    @Test
    void aBodyForTheDelete_aMissingBody_aForgedPath_andAnotherRootAreRefused() {
        log(40);
        MultiProof proof = proofOf(40, 5, 6);
        Map<ResourceRef, byte[]> withDeleteBody = new HashMap<>(served);
        withDeleteBody.put(entries.get(5).ref(), served.get(entries.get(6).ref()));
        assertEquals(
                Status.RESOURCE_MISMATCH,
                MultiProofVerifier.verify(proof, withDeleteBody::get, chainHolding(40))
                        .overall()
                        .status());
        assertEquals(
                Status.RESOURCE_UNREADABLE,
                MultiProofVerifier.verify(proof, ref -> null, chainHolding(40))
                        .overall()
                        .status());

        List<byte[]> forged = new ArrayList<>(proof.hashes());
        byte[] first = forged.get(0).clone();
        first[0] ^= 1;
        forged.set(0, first);
        MultiProof forgedProof = new MultiProof(proof.versions(), proof.treeSize(), proof.rootHash(), forged, ANCHOR);
        assertEquals(
                Status.INCLUSION_FAILED,
                MultiProofVerifier.verify(forgedProof, served::get, chainHolding(40))
                        .overall()
                        .status());

        assertEquals(
                Status.ANCHORED_ROOT_MISMATCH,
                MultiProofVerifier.verify(proof, served::get, size -> Optional.of(new byte[32]))
                        .overall()
                        .status());
        assertEquals(
                Status.NOT_ANCHORED,
                MultiProofVerifier.verify(proof, served::get, size -> Optional.empty())
                        .overall()
                        .status());
        assertEquals(
                Status.CHECKPOINT_UNAVAILABLE,
                MultiProofVerifier.verify(proof, served::get, size -> {
                            throw new IllegalStateException("node down");
                        })
                        .overall()
                        .status());
    }

    @Test
    void theJsonFormIsStrict() {
        log(10);
        String json = new String(MultiProofJson.write(proofOf(10, 2, 7)), StandardCharsets.UTF_8);
        assertEquals(
                Status.MALFORMED_PROOF,
                MultiProofVerifier.verify(
                                json.replace("\"treeSize\":10", "\"treeSize\":10,\"extra\":1")
                                        .getBytes(StandardCharsets.UTF_8),
                                served::get,
                                chainHolding(10))
                        .overall()
                        .status());
        assertEquals(
                Status.MALFORMED_PROOF,
                MultiProofVerifier.verify(
                                json.replace("fhir-anchor-multiproof/1", "fhir-anchor-proof/1")
                                        .getBytes(StandardCharsets.UTF_8),
                                served::get,
                                chainHolding(10))
                        .overall()
                        .status());
        // Versions out of leaf order, or one leaf twice, are refused.
        MultiProof proof = proofOf(10, 2, 7);
        assertThrows(
                IllegalArgumentException.class,
                () -> new MultiProof(
                        List.of(proof.versions().get(1), proof.versions().get(0)),
                        10,
                        proof.rootHash(),
                        proof.hashes(),
                        ANCHOR));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MultiProof(
                        List.of(proof.versions().get(0), proof.versions().get(0)),
                        10,
                        proof.rootHash(),
                        proof.hashes(),
                        ANCHOR));
        assertThrows(
                IllegalArgumentException.class,
                () -> new MultiProof(List.of(), 10, proof.rootHash(), proof.hashes(), ANCHOR));
    }
}
