package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.junit.jupiter.api.Test;

/** {@code fhir-anchor-batched-proof/1}, docs/verification.md section 4.2, with each failure in the doc's step order. */
class BatchedProofVerifierTest {

    private static final String RECORD_PREFIX = "batch record Basic/batch-t/_history/1: ";

    private final BatchFixture batch = BatchFixture.of(8, "t", 5);

    private static BatchedProof with(
            BatchedProof p, byte[] salt, long batchIndex, long batchSize, List<byte[]> path, JsonObject record) {
        return new BatchedProof(
                new LeafClaims(
                        p.leaf().resource(),
                        p.leaf().operation(),
                        p.leaf().contentHash(),
                        salt,
                        p.leaf().leafHash()),
                batchIndex,
                batchSize,
                path,
                record,
                p.batchProof());
    }

    private static JsonObject record(String json) {
        return JsonParser.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private VerificationResult verify(int index, BatchedProof proof) {
        return BatchedProofVerifier.verify(batch.served.get(index), proof, batch.chain);
    }

    @Test
    void everyMemberOfBatchesOfEverySizeVerifies_alsoFromItsJson() {
        Random random = new Random(42);
        List<Integer> sizes = new ArrayList<>(List.of(1, 2, 3, 40));
        for (int i = 0; i < 8; i++) {
            sizes.add(1 + random.nextInt(40));
        }
        for (int size : sizes) {
            BatchFixture b = BatchFixture.of(size, "s" + size, random.nextInt(12));
            for (int index = 0; index < size; index++) {
                BatchedProof proof = b.proof(index);
                assertEquals(size, proof.batchSize());
                assertEquals(
                        MerkleTree.inclusionPath(index, size, treeOf(b.memberLeafHashes))
                                .size(),
                        proof.batchPath().size());
                byte[] json = BatchedProofJson.write(proof);
                BatchedProof read = BatchedProofJson.read(json);
                assertEquals(proof, read);
                assertEquals(proof.hashCode(), read.hashCode());
                assertEquals(
                        new String(json, StandardCharsets.UTF_8),
                        new String(BatchedProofJson.write(read), StandardCharsets.UTF_8));
                VerificationResult result = BatchedProofVerifier.verify(b.served.get(index), json, b.chain);
                assertEquals(Status.VERIFIED, result.status(), size + "/" + index + ": " + result.detail());
                assertTrue(
                        result.detail()
                                .contains("member " + index + " of " + size + " of the batch Basic/batch-s" + size),
                        result.detail());
            }
        }
    }

    private static org.fhiranchor.anchor.log.InMemorySubtreeHashes treeOf(List<byte[]> leafHashes) {
        org.fhiranchor.anchor.log.InMemorySubtreeHashes tree = new org.fhiranchor.anchor.log.InMemorySubtreeHashes();
        leafHashes.forEach(tree::append);
        return tree;
    }

    @Test
    void theProofIsAValueObject_itsArraysCannotBeChangedFromOutside() {
        BatchedProof proof = batch.proof(3);
        proof.leaf().salt()[0] ^= 1;
        proof.batchPath().get(0)[0] ^= 1;
        assertTrue(verify(3, proof).verified());
        assertEquals(proof, batch.proof(3));
        assertNotEquals(proof, batch.proof(4));
    }

    @Test
    void step1_theMemberItself_contentIdentityAndLeaf() {
        BatchedProof proof = batch.proof(3);
        String served = new String(batch.served.get(3), StandardCharsets.UTF_8);
        assertEquals(
                Status.CONTENT_HASH_MISMATCH,
                BatchedProofVerifier.verify(utf8(served.replace("dr-jane-roe", "dr-john-doe")), proof, batch.chain)
                        .status());
        assertEquals(
                Status.CONTENT_HASH_MISMATCH,
                BatchedProofVerifier.verify(batch.served.get(4), proof, batch.chain)
                        .status());
        assertEquals(
                Status.RESOURCE_UNREADABLE,
                BatchedProofVerifier.verify(null, proof, batch.chain).status());
        assertEquals(
                Status.RESOURCE_UNREADABLE,
                BatchedProofVerifier.verify(utf8("{\"a\":1,\"a\":1}"), proof, batch.chain)
                        .status());
        // Whitespace is not content.
        assertTrue(BatchedProofVerifier.verify(utf8(served.replace(",", ", ")), proof, batch.chain)
                .verified());

        // The right hash under another name: a proof of ae-t-3 presented as the proof of ae-t-9.
        BatchedProof renamed = new BatchedProof(
                new LeafClaims(
                        new ResourceRef("AuditEvent", "ae-t-9", "1"),
                        proof.leaf().operation(),
                        proof.leaf().contentHash(),
                        proof.leaf().salt(),
                        proof.leaf().leafHash()),
                3,
                8,
                proof.batchPath(),
                proof.batchRecord(),
                proof.batchProof());
        assertEquals(Status.RESOURCE_MISMATCH, verify(3, renamed).status());

        byte[] salt = proof.leaf().salt();
        salt[5] ^= 1;
        VerificationResult wrongSalt = verify(3, with(proof, salt, 3, 8, proof.batchPath(), proof.batchRecord()));
        assertEquals(Status.LEAF_HASH_MISMATCH, wrongSalt.status());
        // Another member's salt is as wrong as a random one.
        assertEquals(
                Status.LEAF_HASH_MISMATCH,
                verify(3, with(proof, batch.members.get(4).salt(), 3, 8, proof.batchPath(), proof.batchRecord()))
                        .status());
    }

    @Test
    void step3_theMembersPathInTheBatch() {
        BatchedProof proof = batch.proof(3);
        List<byte[]> forged = proof.batchPath();
        forged.get(1)[31] ^= 1;
        VerificationResult path = verify(3, with(proof, proof.leaf().salt(), 3, 8, forged, proof.batchRecord()));
        assertEquals(Status.INCLUSION_FAILED, path.status());
        assertEquals("batch: root mismatch", path.detail());

        VerificationResult index =
                verify(3, with(proof, proof.leaf().salt(), 2, 8, proof.batchPath(), proof.batchRecord()));
        assertEquals(Status.INCLUSION_FAILED, index.status());
        assertEquals("batch: root mismatch", index.detail());

        List<byte[]> longer = proof.batchPath();
        longer.add(new byte[32]);
        assertEquals(
                "batch: path too long",
                verify(3, with(proof, proof.leaf().salt(), 3, 8, longer, proof.batchRecord()))
                        .detail());
        assertEquals(
                "batch: path too short",
                verify(
                                3,
                                with(
                                        proof,
                                        proof.leaf().salt(),
                                        3,
                                        8,
                                        proof.batchPath().subList(0, 2),
                                        proof.batchRecord()))
                        .detail());
        // Another member's path.
        assertEquals(
                Status.INCLUSION_FAILED,
                verify(3, with(proof, proof.leaf().salt(), 3, 8, batch.proof(4).batchPath(), proof.batchRecord()))
                        .status());
    }

    @Test
    void step2and3_aChangedRootOrSizeOfTheRecordFailsTheMembersInclusion_beforeTheRecordIsHashed() {
        BatchedProof proof = batch.proof(3);
        // Another root: the member's path no longer leads to what the record states (step 3), which is
        // decided before the record itself is checked against the log (step 4).
        byte[] otherRoot = BatchedProof.batchRoot(batch.memberLeafHashes.subList(0, 7));
        VerificationResult root = verify(
                3,
                with(
                        proof,
                        proof.leaf().salt(),
                        3,
                        8,
                        proof.batchPath(),
                        record(BatchFixture.batchRecordJson("batch-t", "2026-12-05T09:15:00Z", otherRoot, 8))));
        assertEquals(Status.INCLUSION_FAILED, root.status());
        assertEquals("batch: root mismatch", root.detail());

        // Another size in the record only: the statement and the proof disagree (step 2).
        VerificationResult size = verify(
                3,
                with(
                        proof,
                        proof.leaf().salt(),
                        3,
                        8,
                        proof.batchPath(),
                        record(batch.recordJson.replace("\"valueInteger\":8", "\"valueInteger\":9"))));
        assertEquals(Status.INCLUSION_FAILED, size.status());
        assertTrue(
                size.detail().startsWith("batch: the batch record states 9 members, the proof says 8"), size.detail());

        // Another size in both: RFC 9162 paths bind the size only through the root, and member 0's path
        // in a tree of 7 is the same as in a tree of 8, so step 3 passes; the record's hash catches it (step 4).
        BatchedProof first = batch.proof(0);
        JsonObject seven = record(batch.recordJson.replace("\"valueInteger\":8", "\"valueInteger\":7"));
        BatchedProof shrunk = with(first, first.leaf().salt(), 0, 7, first.batchPath(), seven);
        VerificationResult both = BatchedProofVerifier.verify(batch.served.get(0), shrunk, batch.chain);
        assertEquals(Status.CONTENT_HASH_MISMATCH, both.status());
        assertTrue(both.detail().startsWith(RECORD_PREFIX), both.detail());

        // A record rewritten to state another real batch that contains the member (member 3 of the first 4):
        // every step on the member passes, and only the record's hash against the log fails.
        List<byte[]> fewer = batch.memberLeafHashes.subList(0, 4);
        JsonObject rewritten = record(
                BatchFixture.batchRecordJson("batch-t", "2026-12-05T09:15:00Z", BatchedProof.batchRoot(fewer), 4));
        BatchedProof smaller = BatchedProof.forMember(batch.members.get(3), 3, fewer, rewritten, batch.recordProof);
        VerificationResult forged = verify(3, smaller);
        assertEquals(Status.CONTENT_HASH_MISMATCH, forged.status());
        assertTrue(forged.detail().startsWith(RECORD_PREFIX), forged.detail());
    }

    @Test
    void step2_aRecordThatIsNotABatchRecordIsAMalformedProof() {
        BatchedProof proof = batch.proof(3);
        String json = batch.recordJson;
        String rootHex = HexFormat.of().formatHex(BatchedProof.batchRoot(batch.memberLeafHashes));
        assertNotEquals(rootHex, rootHex.toUpperCase(java.util.Locale.ROOT));
        String rootExtension = "{\"url\":\"" + BatchRecord.ROOT_EXTENSION + "\",\"valueString\":\"" + rootHex + "\"}";
        String sizeExtension = "{\"url\":\"" + BatchRecord.SIZE_EXTENSION + "\",\"valueInteger\":8}";
        assertTrue(json.contains(rootExtension) && json.contains(sizeExtension), json);
        String[] notRecords = {
            json.replace("\"Basic\"", "\"Provenance\""),
            json.replace("\"audit-batch\"", "\"audit-log\""),
            json.replace(BatchRecord.CODE_SYSTEM, "http://example.org/other"),
            json.replace(rootExtension + ",", ""),
            json.replace("," + sizeExtension, ""),
            json.replace(rootExtension, rootExtension + "," + rootExtension),
            json.replace(sizeExtension, sizeExtension + "," + sizeExtension),
            json.replace(rootExtension, rootExtension.replace("valueString", "valueCode")),
            json.replace(rootHex, rootHex.substring(1)),
            json.replace(rootHex, rootHex.toUpperCase(java.util.Locale.ROOT)),
            json.replace("\"valueInteger\":8", "\"valueInteger\":\"8\""),
            json.replace("\"valueInteger\":8", "\"valueInteger\":8.0"),
            json.replace("\"valueInteger\":8", "\"valueInteger\":0"),
            json.replace("\"valueInteger\":8", "\"valueInteger\":-8"),
            json.replace("\"extension\":[", "\"modifierExtension\":["),
        };
        for (String notRecord : notRecords) {
            assertNotEquals(json, notRecord);
            VerificationResult result =
                    verify(3, with(proof, proof.leaf().salt(), 3, 8, proof.batchPath(), record(notRecord)));
            assertEquals(Status.MALFORMED_PROOF, result.status(), notRecord + ": " + result.detail());
        }
    }

    @Test
    void step4_theRecordMustBeAnchored() {
        BatchedProof proof = batch.proof(3);
        VerificationResult none = BatchedProofVerifier.verify(batch.served.get(3), proof, size -> Optional.empty());
        assertEquals(Status.NOT_ANCHORED, none.status());
        assertTrue(
                none.detail().startsWith(RECORD_PREFIX + "no checkpoint on chain for tree size " + batch.treeSize),
                none.detail());
        assertEquals(
                Status.ANCHORED_ROOT_MISMATCH,
                BatchedProofVerifier.verify(batch.served.get(3), proof, size -> Optional.of(new byte[32]))
                        .status());
        assertEquals(
                Status.CHECKPOINT_UNAVAILABLE,
                BatchedProofVerifier.verify(batch.served.get(3), proof, size -> {
                            throw new IllegalStateException("node down");
                        })
                        .status());

        // The record's own proof, broken: its path, its salt.
        AnchorProof recordProof = proof.batchProof();
        List<byte[]> path = recordProof.auditPath();
        path.get(0)[0] ^= 1;
        AnchorProof badPath = new AnchorProof(
                new LeafClaims(
                        recordProof.leaf().resource(),
                        recordProof.leaf().operation(),
                        recordProof.leaf().contentHash(),
                        recordProof.leaf().salt(),
                        recordProof.leaf().leafHash()),
                recordProof.leafIndex(),
                recordProof.treeSize(),
                recordProof.rootHash(),
                path,
                recordProof.anchor());
        VerificationResult inclusion = verify(
                3,
                new BatchedProof(
                        new LeafClaims(
                                proof.leaf().resource(),
                                proof.leaf().operation(),
                                proof.leaf().contentHash(),
                                proof.leaf().salt(),
                                proof.leaf().leafHash()),
                        3,
                        8,
                        proof.batchPath(),
                        proof.batchRecord(),
                        badPath));
        assertEquals(Status.INCLUSION_FAILED, inclusion.status());
        assertEquals(RECORD_PREFIX + "root mismatch", inclusion.detail());
        AnchorProof badSalt = new AnchorProof(
                new LeafClaims(
                        recordProof.leaf().resource(),
                        recordProof.leaf().operation(),
                        recordProof.leaf().contentHash(),
                        new byte[32],
                        recordProof.leaf().leafHash()),
                recordProof.leafIndex(),
                recordProof.treeSize(),
                recordProof.rootHash(),
                recordProof.auditPath(),
                recordProof.anchor());
        assertEquals(
                Status.LEAF_HASH_MISMATCH,
                verify(
                                3,
                                new BatchedProof(
                                        new LeafClaims(
                                                proof.leaf().resource(),
                                                proof.leaf().operation(),
                                                proof.leaf().contentHash(),
                                                proof.leaf().salt(),
                                                proof.leaf().leafHash()),
                                        3,
                                        8,
                                        proof.batchPath(),
                                        proof.batchRecord(),
                                        badSalt))
                        .status());
        // The record's proof names another resource than the record it carries.
        AnchorProof otherRecord = new AnchorProof(
                new LeafClaims(
                        ResourceRef.parse("Basic/batch-u/_history/1"),
                        recordProof.leaf().operation(),
                        recordProof.leaf().contentHash(),
                        recordProof.leaf().salt(),
                        recordProof.leaf().leafHash()),
                recordProof.leafIndex(),
                recordProof.treeSize(),
                recordProof.rootHash(),
                recordProof.auditPath(),
                recordProof.anchor());
        assertEquals(
                Status.RESOURCE_MISMATCH,
                verify(
                                3,
                                new BatchedProof(
                                        new LeafClaims(
                                                proof.leaf().resource(),
                                                proof.leaf().operation(),
                                                proof.leaf().contentHash(),
                                                proof.leaf().salt(),
                                                proof.leaf().leafHash()),
                                        3,
                                        8,
                                        proof.batchPath(),
                                        proof.batchRecord(),
                                        otherRecord))
                        .status());
    }

    @Test
    void noFlippedBitOfTheProofJsonVerifies_andNoneThrows() {
        Random random = new Random(4242L);
        List<BatchFixture> batches = new ArrayList<>();
        for (int size = 1; size <= 9; size++) {
            batches.add(BatchFixture.of(size, "f" + size, size % 4));
        }
        for (int iteration = 0; iteration < 3000; iteration++) {
            BatchFixture b = batches.get(random.nextInt(batches.size()));
            int index = random.nextInt(b.members.size());
            byte[] json = BatchedProofJson.write(b.proof(index));
            String text = new String(json, StandardCharsets.UTF_8);
            // The record proof's anchor object only says where to look (the verifier's CheckpointSource decides):
            // every other byte is tampered with.
            int anchorStart = text.indexOf("\"batchProof\":{\"anchor\":") + "\"batchProof\":{".length();
            int anchorEnd = text.indexOf(",\"auditPath\"", anchorStart);
            assertTrue(anchorStart > 0 && anchorEnd > anchorStart, text);
            int position;
            do {
                position = random.nextInt(json.length);
            } while (position >= anchorStart && position < anchorEnd);
            json[position] ^= (byte) (1 << random.nextInt(8));
            VerificationResult result = BatchedProofVerifier.verify(b.served.get(index), json, b.chain);
            assertFalse(
                    result.verified(), "flipped byte " + position + ": " + new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void theJsonFormIsStrict() {
        String json = new String(BatchedProofJson.write(batch.proof(3)), StandardCharsets.UTF_8);
        assertEquals(BatchedProof.FORMAT, BatchedProofJson.formatOf(utf8(json)));
        assertEquals(AnchorProof.FORMAT, BatchedProofJson.formatOf(ProofJson.write(batch.recordProof)));
        assertNull(BatchedProofJson.formatOf(utf8("{\"a\":1,\"a\":2}")));
        assertNull(BatchedProofJson.formatOf(utf8("[]")));
        String salt = HexFormat.of().formatHex(batch.members.get(3).salt());
        String firstPathHash =
                HexFormat.of().formatHex(batch.proof(3).batchPath().get(0));
        String recordSalt = HexFormat.of().formatHex(batch.recordEntry.salt());
        assertTrue(json.contains("\"batchIndex\":3,") && json.contains(salt) && json.contains(recordSalt), json);
        String[] malformed = {
            json.replace("\"batchIndex\":3,", "\"batchIndex\":3,\"extra\":1,"),
            json.replace("\"batchIndex\":3,", ""),
            json.replace("\"batchIndex\":3,", "\"batchIndex\":3.0,"),
            json.replace("\"batchIndex\":3,", "\"batchIndex\":8,"),
            json.replace("\"batchIndex\":3,", "\"batchIndex\":\"3\","),
            json.replace("\"batchSize\":8,", "\"batchSize\":0,"),
            json.replace(salt, salt.toUpperCase(java.util.Locale.ROOT)),
            json.replace(firstPathHash, firstPathHash.toUpperCase(java.util.Locale.ROOT)),
            json.replace(firstPathHash, "0x" + firstPathHash.substring(2)),
            json.replace(recordSalt, recordSalt.toUpperCase(java.util.Locale.ROOT)),
            json.replace("\"treeSize\":", "\"extra\":1,\"treeSize\":"),
            json.replace(BatchedProof.FORMAT, AnchorProof.FORMAT),
            json.replace(AnchorProof.FORMAT, "fhir-anchor-proof/2"),
            json.replace("\"batchRecord\":{", "\"batchRecord\":[{").replace(",\"batchSize\"", "],\"batchSize\""),
            json.replace("\"batchIndex\":3,", "\"batchIndex\":3,\"batchIndex\":3,"),
            json.substring(0, json.length() - 1),
        };
        for (String bad : malformed) {
            assertNotEquals(json, bad);
            VerificationResult result = BatchedProofVerifier.verify(batch.served.get(3), utf8(bad), batch.chain);
            assertEquals(Status.MALFORMED_PROOF, result.status(), bad + ": " + result.detail());
        }
        // Errors inside the batch record's proof say so.
        assertEquals(
                "batchProof: proof: unknown member \"extra\"",
                BatchedProofVerifier.verify(
                                batch.served.get(3),
                                utf8(json.replace("\"treeSize\":", "\"extra\":1,\"treeSize\":")),
                                batch.chain)
                        .detail());
        // An ordinary proof is not a batched one, and the other way round.
        assertEquals(
                Status.MALFORMED_PROOF,
                BatchedProofVerifier.verify(batch.served.get(3), ProofJson.write(batch.recordProof), batch.chain)
                        .status());
        assertEquals(
                Status.MALFORMED_PROOF,
                ProofVerifier.verify(batch.served.get(3), utf8(json), batch.chain)
                        .status());
        assertTrue(BatchedProofVerifier.verify(batch.served.get(3), utf8(json), batch.chain)
                .verified());
    }
}
