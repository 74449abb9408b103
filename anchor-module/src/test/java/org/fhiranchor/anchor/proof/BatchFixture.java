package org.fhiranchor.anchor.proof;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * A sealed audit batch (docs/verification.md section 4.2) in a small log: AuditEvent members with their
 * served bytes and salts, the batch record (a Basic as served) stating the members' root and size, the
 * record's version as a leaf between other leaves, and a chain that holds the root of the whole log only.
 * Public for the verifier package's tests.
 */
public final class BatchFixture {

    public final List<LeafEntry> members = new ArrayList<>();
    /** The served JSON of each member, in batch order. */
    public final List<byte[]> served = new ArrayList<>();

    public final List<byte[]> memberLeafHashes = new ArrayList<>();
    /** The batch record exactly as served. */
    public final String recordJson;

    public final JsonObject record;
    public final LeafEntry recordEntry;
    public final long recordLeafIndex;
    public final InMemorySubtreeHashes log = new InMemorySubtreeHashes();
    public final long treeSize;
    public final AnchorProof recordProof;
    /** Holds the root of {@link #treeSize} and nothing else. */
    public final CheckpointSource chain;

    /**
     * @param memberJson the members as served, each an AuditEvent version 1
     * @param salts one per member
     * @param before,after leaves of the log before and after the record's leaf
     */
    public BatchFixture(
            List<String> memberJson,
            List<byte[]> salts,
            String recordId,
            String sealed,
            byte[] recordSalt,
            List<LeafEntry> before,
            List<LeafEntry> after,
            ChainAnchor anchor) {
        for (int i = 0; i < memberJson.size(); i++) {
            byte[] bytes = memberJson.get(i).getBytes(StandardCharsets.UTF_8);
            JsonObject parsed = JsonParser.parseObject(bytes);
            ResourceRef ref = new ResourceRef(
                    parsed.getString("resourceType"),
                    parsed.getString("id"),
                    parsed.getObject("meta").getString("versionId"));
            LeafEntry entry = new LeafEntry(Operation.CREATE, ref, ContentHash.of(bytes), salts.get(i));
            members.add(entry);
            served.add(bytes);
            memberLeafHashes.add(entry.leafHash());
        }
        recordJson = batchRecordJson(recordId, sealed, BatchedProof.batchRoot(memberLeafHashes), members.size());
        record = JsonParser.parseObject(recordJson.getBytes(StandardCharsets.UTF_8));
        recordEntry = new LeafEntry(
                Operation.CREATE, new ResourceRef("Basic", recordId, "1"), ContentHash.of(record), recordSalt);
        before.forEach(e -> log.append(e.leafHash()));
        recordLeafIndex = log.size();
        log.append(recordEntry.leafHash());
        after.forEach(e -> log.append(e.leafHash()));
        treeSize = log.size();
        recordProof = AnchorProof.forLeaf(recordEntry, recordLeafIndex, treeSize, log, anchor);
        byte[] root = log.root();
        long size = treeSize;
        chain = s -> s == size ? Optional.of(root.clone()) : Optional.empty();
    }

    /** A batch of {@code size} members (ids {@code ae-<tag>-<i>}) after {@code before} and before 3 other leaves. */
    public static BatchFixture of(int size, String tag, int before) {
        List<String> json = new ArrayList<>();
        List<byte[]> salts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            json.add(auditEventJson("ae-" + tag + "-" + i, "Patient/p" + (i % 7), "vread", i));
            salts.add(sha256("member salt " + tag + " " + i));
        }
        LogFixture filler = new LogFixture(before + 3);
        return new BatchFixture(
                json,
                salts,
                "batch-" + tag,
                "2026-12-05T09:15:00Z",
                sha256("batch record salt " + tag),
                filler.entries.subList(0, before),
                filler.entries.subList(before, before + 3),
                LogFixture.ANCHOR);
    }

    public BatchedProof proof(int index) {
        return BatchedProof.forMember(members.get(index), index, memberLeafHashes, record, recordProof);
    }

    /**
     * An AuditEvent as the server writes it (R4, IHE BALP-shaped, what was accessed named by identifier) and
     * serves it: compact JSON, HAPI's member order. Fictional.
     */
    public static String auditEventJson(String id, String target, String interaction, int second) {
        String time = String.format("2026-12-05T09:14:%02d", second % 60);
        return "{\"resourceType\":\"AuditEvent\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\","
                + "\"lastUpdated\":\"" + time + ".512+00:00\"},"
                + "\"type\":{\"system\":\"http://terminology.hl7.org/CodeSystem/audit-event-type\",\"code\":\"rest\","
                + "\"display\":\"RESTful Operation\"},"
                + "\"subtype\":[{\"system\":\"http://hl7.org/fhir/restful-interaction\",\"code\":\"" + interaction
                + "\"}],"
                + "\"action\":\"" + action(interaction) + "\","
                + "\"recorded\":\"" + time + ".498+00:00\",\"outcome\":\"0\",\"outcomeDesc\":\"HTTP 200\","
                + "\"agent\":[{\"role\":[{\"coding\":[{\"system\":\"urn:fhir-anchor:role\",\"code\":\"clinician\"}]}],"
                + "\"who\":{\"identifier\":{\"system\":\"urn:fhir-anchor:token-subject\",\"value\":\"dr-jane-roe\"}},"
                + "\"altId\":\"dr-jane-roe\",\"name\":\"dr-jane-roe\",\"requestor\":true,"
                + "\"network\":{\"address\":\"10.20.30.40\",\"type\":\"2\"}}],"
                + "\"source\":{\"observer\":{\"display\":\"fhir-anchor.example.org\"},"
                + "\"type\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/security-source-type\",\"code\":\"4\","
                + "\"display\":\"Application Server\"}]},"
                + "\"entity\":[{\"what\":{\"identifier\":{\"system\":\"urn:fhir-anchor:resource\",\"value\":\"" + target
                + "\"}},\"name\":\"" + target + "\"}]}";
    }

    /** As the server's AuditEventFactory maps a REST interaction. */
    private static String action(String interaction) {
        return switch (interaction) {
            case "create" -> "C";
            case "read", "vread" -> "R";
            case "update", "patch" -> "U";
            case "delete" -> "D";
            default -> "E";
        };
    }

    /** The batch record as served (docs/verification.md section 4.2). */
    public static String batchRecordJson(String id, String sealed, byte[] root, long size) {
        return "{\"resourceType\":\"Basic\",\"id\":\"" + id + "\",\"meta\":{\"versionId\":\"1\","
                + "\"lastUpdated\":\"" + sealed.replace("Z", ".000+00:00") + "\"},"
                + "\"extension\":[{\"url\":\"" + BatchRecord.ROOT_EXTENSION + "\",\"valueString\":\""
                + HexFormat.of().formatHex(root) + "\"},"
                + "{\"url\":\"" + BatchRecord.SIZE_EXTENSION + "\",\"valueInteger\":" + size + "}],"
                + "\"code\":{\"coding\":[{\"system\":\"" + BatchRecord.CODE_SYSTEM + "\",\"code\":\""
                + BatchRecord.AUDIT_BATCH
                + "\"}]},\"created\":\"" + sealed.substring(0, 10) + "\"}";
    }

    static byte[] sha256(String s) {
        return TestVectors.sha256(s.getBytes(StandardCharsets.UTF_8));
    }
}
