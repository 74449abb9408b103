package org.fhiranchor.anchor.proof;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * A small deterministic log: patients created, updated and deleted, every version a leaf, and a fake
 * chain that anchored the root of every tree size (so mutated tree sizes still find a checkpoint).
 */
final class LogFixture {

    static final ChainAnchor ANCHOR =
            new ChainAnchor(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x" + "ab".repeat(32), 42);

    final List<LeafEntry> entries = new ArrayList<>();
    /** The served JSON of each version, null for deletes. */
    final List<byte[]> bodies = new ArrayList<>();

    final InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
    final Map<Long, byte[]> anchoredRoots = new HashMap<>();
    final CheckpointSource chain =
            size -> Optional.ofNullable(anchoredRoots.get(size)).map(byte[]::clone);

    LogFixture(int size) {
        for (int i = 0; i < size; i++) {
            int patient = i % 5;
            int version = i / 5 + 1;
            Operation operation =
                    version == 1 ? Operation.CREATE : (i % 11 == 10 ? Operation.DELETE : Operation.UPDATE);
            ResourceRef ref = new ResourceRef("Patient", "p" + patient, Integer.toString(version));
            byte[] body = operation == Operation.DELETE ? null : patientJson(ref, i);
            byte[] contentHash = body == null ? ContentHash.deleted() : ContentHash.of(body);
            LeafEntry entry = new LeafEntry(operation, ref, contentHash, salt(i));
            entries.add(entry);
            bodies.add(body);
            tree.append(entry.leafHash());
            anchoredRoots.put(tree.size(), tree.root());
        }
    }

    AnchorProof proof(int leafIndex, long treeSize) {
        return AnchorProof.forLeaf(entries.get(leafIndex), leafIndex, treeSize, tree, ANCHOR);
    }

    static byte[] patientJson(ResourceRef ref, int seed) {
        String json = "{\n  \"resourceType\": \"" + ref.type() + "\",\n  \"id\": \"" + ref.id() + "\",\n"
                + "  \"meta\": {\"versionId\": \"" + ref.versionId() + "\", \"lastUpdated\": \"2026-11-21T05:"
                + String.format("%02d", seed % 60) + ":00.000+00:00\"},\n"
                + "  \"active\": " + (seed % 2 == 0) + ",\n"
                + "  \"name\": [{\"family\": \"M\u00fcller-" + seed + "\", \"given\": [\"Zo\u00eb\"]}],\n"
                + "  \"extension\": [{\"url\": \"http://example.org/weight\", \"valueDecimal\": 7.20}]\n}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Deterministic stand-in for the server's random salt. */
    static byte[] salt(int i) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(("salt-" + i).getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
