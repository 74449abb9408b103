package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.SharedData;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.junit.jupiter.api.Test;

/** End to end on an official HL7 example that carries meta.versionId, as pretty-printed by HL7. */
class HL7ExampleProofTest {

    @Test
    void officialExampleVerifiesAndAnEditedCopyDoesNot() throws IOException {
        byte[] served = Files.readAllBytes(SharedData.hl7R4Examples().resolve("Patient/Patient-ch-example.json"));
        LeafEntry entry = new LeafEntry(
                Operation.CREATE,
                ResourceRef.parse("Patient/ch-example/_history/1"),
                ContentHash.of(served),
                LogFixture.salt(99));
        LogFixture log = new LogFixture(9);
        InMemorySubtreeHashes tree = log.tree;
        tree.append(entry.leafHash());
        long size = tree.size();
        byte[] root = tree.root();
        CheckpointSource chain = s -> s == size ? Optional.of(root) : Optional.empty();

        AnchorProof proof = AnchorProof.forLeaf(entry, size - 1, size, tree, LogFixture.ANCHOR);
        assertTrue(ProofVerifier.verify(served, ProofJson.write(proof), chain).verified());

        String edited =
                new String(served, StandardCharsets.UTF_8).replace("2016-05-16T00:55:52Z", "2016-05-16T00:55:53Z");
        assertEquals(
                Status.CONTENT_HASH_MISMATCH,
                ProofVerifier.verify(edited.getBytes(StandardCharsets.UTF_8), proof, chain)
                        .status(),
                "meta.lastUpdated is covered");
    }
}
