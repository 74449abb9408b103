package org.fhiranchor.anchor.proof;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.ContentHash;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * Generates the files of docs/test-vectors from the code, deterministically. {@link TestVectorsTest}
 * compares them with the committed files, so the documents can never drift from the implementation.
 */
final class TestVectors {

    /** A version as HAPI serves it on GET Patient/example/_history/2 with _format=json (compact). */
    static final String PATIENT_V2 = "{\"resourceType\":\"Patient\",\"id\":\"example\",\"meta\":{\"versionId\":\"2\","
            + "\"lastUpdated\":\"2026-11-21T05:49:33.123+00:00\",\"source\":\"#Zk3qT1cS0xYa9bWn\"},"
            + "\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">"
            + "Zo\u00eb M\u00fcller \u2013 \\u00e9t\u00e9 \uD83C\uDF1E</div>\"},"
            + "\"extension\":[{\"url\":\"http://example.org/fhir/StructureDefinition/body-weight\","
            + "\"valueQuantity\":{\"value\":72.50,\"unit\":\"kg\",\"system\":\"http://unitsofmeasure.org\","
            + "\"code\":\"kg\"}}],"
            + "\"identifier\":[{\"system\":\"urn:oid:1.2.36.146.595.217.0.1\",\"value\":\"12345\"}],"
            + "\"active\":true,\"name\":[{\"use\":\"official\",\"family\":\"M\u00fcller\",\"given\":[\"Zo\u00eb\",\"Anne\"]}],"
            + "\"gender\":\"female\",\"birthDate\":\"1974-12-25\",\"multipleBirthInteger\":1,"
            + "\"address\":[{\"line\":[\"534 Erewhon St\\nUnit 7\"],\"city\":\"PleasantVille\",\"postalCode\":\"3999\"}]}";

    private TestVectors() {}

    /** File name to exact content. */
    static Map<String, String> generate() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("canonical-json.json", PrettyJson.write(canonicalJson()));
        files.put("resource-and-leaf.json", PrettyJson.write(resourceAndLeaf()));
        files.put("tree.json", PrettyJson.write(tree()));
        files.put("proof.json", PrettyJson.write(proof()));
        files.put("multiproof.json", PrettyJson.write(multiProof()));
        files.put("batched-proof.json", PrettyJson.write(batchedProof()));
        files.put("tlog.json", PrettyJson.write(TlogVectors.generate()));
        return files;
    }

    static byte[] salt(int i) {
        return sha256(("fhir-anchor test vector salt " + i).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject canonicalJson() {
        List<JsonValue> accept = new ArrayList<>();
        accept.add(accept(
                "object members sorted by UTF-16 code units, whitespace removed",
                " { \"b\" : 1 , \"a\" : 2 , \"A\" : 3 , \"aa\" : 4 , \"\" : 5 } "));
        accept.add(accept(
                "RFC 8785 section 3.2.3 ordering: U+1F600 (surrogates D83D DE00) sorts before U+FB33",
                "{\"\\u20ac\":\"Euro\",\"\\r\":\"CR\",\"\\ufb33\":\"Hebrew\",\"1\":\"One\","
                        + "\"\\ud83d\\ude00\":\"Smiley\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin\"}"));
        accept.add(accept(
                "string escapes: only \\\" \\\\ \\b \\f \\n \\r \\t and lowercase \\u00xx for other controls",
                "\"\\u0000 \\u001F \\b \\f \\n \\r \\t \\\" \\\\ \\/ \\u007f \\u00e9 \\u2028 \\ud83d\\ude00 \u00e9\""));
        accept.add(accept(
                "numbers are kept exactly as written (deviation from RFC 8785)",
                "[125.00, 7.20, 1E+2, 1e2, -0, 0.0, 1.5e-07, 12345678901234567890, 0.1]"));
        accept.add(accept(
                "literals, empty containers and nesting",
                "{\"z\": [true, false, null, {}, []], \"m\": {\"y\": {\"x\": [[1]]}}}"));
        List<JsonValue> reject = new ArrayList<>();
        reject.add(reject("duplicate key", utf8("{\"a\":1,\"a\":2}")));
        reject.add(reject("duplicate key spelled with an escape", utf8("{\"a\":1,\"\\u0061\":2}")));
        reject.add(reject("invalid UTF-8 byte", new byte[] {'"', (byte) 0xff, '"'}));
        reject.add(reject("overlong UTF-8 encoding of '/'", new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'}));
        reject.add(
                reject("UTF-8 encoded surrogate U+D800", new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}));
        reject.add(reject("byte order mark", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}));
        reject.add(reject("unpaired high surrogate escape", utf8("\"\\ud800\"")));
        reject.add(reject("unpaired low surrogate escape", utf8("\"\\udc00\"")));
        reject.add(reject("raw control character in a string", utf8("\"a\tb\"")));
        reject.add(reject("trailing content", utf8("{} {}")));
        reject.add(reject("trailing comma", utf8("[1,]")));
        reject.add(reject("leading zero", utf8("01")));
        reject.add(reject("no digit before the decimal point", utf8(".5")));
        reject.add(reject("plus sign", utf8("+1")));
        reject.add(reject("no digit after the decimal point", utf8("1.")));
        reject.add(reject("NaN", utf8("NaN")));
        reject.add(reject("nesting depth 513 (512 is the maximum)", utf8("[".repeat(513) + "]".repeat(513))));
        return obj(
                "description",
                "FHIR Anchor canonical JSON v1: 'input' is the JSON text (or 'inputHex' its"
                        + " bytes when they are not valid UTF-8); 'canonical' is the canonical text and 'sha256'"
                        + " the SHA-256 of its UTF-8 bytes, i.e. the content hash. Every 'reject' input must be"
                        + " refused.",
                "accept",
                new JsonArray(accept),
                "reject",
                new JsonArray(reject));
    }

    private static JsonObject accept(String description, String input) {
        byte[] canonical = CanonicalJson.canonicalize(utf8(input));
        return obj(
                "description",
                description,
                "input",
                input,
                "canonical",
                new String(canonical, StandardCharsets.UTF_8),
                "sha256",
                HexFormat.of().formatHex(sha256(canonical)));
    }

    private static JsonObject reject(String description, byte[] input) {
        try {
            JsonParser.parse(input);
            throw new IllegalStateException("vector should be rejected: " + description);
        } catch (JsonFormatException expected) {
            // the point of the vector
        }
        Optional<String> text = strictUtf8(input);
        return text.isPresent()
                ? obj("description", description, "input", text.get())
                : obj("description", description, "inputHex", HexFormat.of().formatHex(input));
    }

    private static JsonObject resourceAndLeaf() {
        byte[] served = utf8(PATIENT_V2);
        byte[] canonical = CanonicalJson.canonicalize(served);
        byte[] contentHash = ContentHash.of(served);
        LeafEntry update =
                new LeafEntry(Operation.UPDATE, ResourceRef.parse("Patient/example/_history/2"), contentHash, salt(0));
        LeafEntry delete = new LeafEntry(
                Operation.DELETE, ResourceRef.parse("Patient/example/_history/3"), ContentHash.deleted(), salt(1));
        return obj(
                "description",
                "A resource version as served (GET Patient/example/_history/2, _format=json),"
                        + " its canonical form, content hash, leaf entry and leaf hash; then the tombstone leaf"
                        + " of its delete (no body, content hash = 32 zero bytes).",
                "versions",
                new JsonArray(List.of(
                        obj(
                                "resource",
                                update.ref().toString(),
                                "operation",
                                "update",
                                "served",
                                PATIENT_V2,
                                "canonical",
                                new String(canonical, StandardCharsets.UTF_8),
                                "contentHash",
                                HexFormat.of().formatHex(contentHash),
                                "salt",
                                HexFormat.of().formatHex(update.salt()),
                                "leafEntry",
                                HexFormat.of().formatHex(update.encode()),
                                "leafHash",
                                HexFormat.of().formatHex(update.leafHash())),
                        obj(
                                "resource",
                                delete.ref().toString(),
                                "operation",
                                "delete",
                                "contentHash",
                                HexFormat.of().formatHex(delete.contentHash()),
                                "salt",
                                HexFormat.of().formatHex(delete.salt()),
                                "leafEntry",
                                HexFormat.of().formatHex(delete.encode()),
                                "leafHash",
                                HexFormat.of().formatHex(delete.leafHash())))));
    }

    static List<LeafEntry> treeEntries() {
        List<LeafEntry> entries = new ArrayList<>();
        String[] types = {"Patient", "Observation", "Patient", "Consent", "Observation", "Patient", "AuditEvent"};
        for (int i = 0; i < 7; i++) {
            ResourceRef ref = new ResourceRef(types[i], "id-" + (i % 3), Integer.toString(1 + i / 3));
            Operation operation = i == 5 ? Operation.DELETE : (i < 3 ? Operation.CREATE : Operation.UPDATE);
            byte[] contentHash = operation == Operation.DELETE
                    ? ContentHash.deleted()
                    : ContentHash.of(utf8("{\"resourceType\":\"" + ref.type() + "\",\"id\":\"" + ref.id()
                            + "\",\"meta\":{\"versionId\":\"" + ref.versionId() + "\"}}"));
            entries.add(new LeafEntry(operation, ref, contentHash, salt(100 + i)));
        }
        return entries;
    }

    private static JsonObject tree() {
        List<LeafEntry> entries = treeEntries();
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        List<JsonValue> leaves = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            tree.append(entries.get(i).leafHash());
            leaves.add(obj(
                    "index",
                    i,
                    "resource",
                    entries.get(i).ref().toString(),
                    "leafEntry",
                    HexFormat.of().formatHex(entries.get(i).encode()),
                    "leafHash",
                    HexFormat.of().formatHex(entries.get(i).leafHash())));
        }
        List<JsonValue> roots = new ArrayList<>();
        List<JsonValue> inclusion = new ArrayList<>();
        List<JsonValue> consistency = new ArrayList<>();
        for (long n = 0; n <= entries.size(); n++) {
            roots.add(obj("treeSize", n, "rootHash", HexFormat.of().formatHex(MerkleTree.root(n, tree))));
        }
        for (long n = 1; n <= entries.size(); n++) {
            for (long i = 0; i < n; i++) {
                inclusion.add(obj(
                        "leafIndex", i, "treeSize", n, "auditPath", hexArray(MerkleTree.inclusionPath(i, n, tree))));
            }
            for (long m = 1; m <= n; m++) {
                consistency.add(
                        obj("oldSize", m, "newSize", n, "path", hexArray(MerkleTree.consistencyPath(m, n, tree))));
            }
        }
        return obj(
                "description",
                "An RFC 9162 tree of 7 FHIR Anchor leaves: the root of every prefix (size 0 is"
                        + " SHA-256 of the empty string), every inclusion path PATH(m, D[n]) and every consistency"
                        + " path PROOF(m, D[n]) for n <= 7. Paths are listed in RFC order: from the leaf (or the"
                        + " old tree) upwards.",
                "leaves",
                new JsonArray(leaves),
                "roots",
                new JsonArray(roots),
                "inclusionProofs",
                new JsonArray(inclusion),
                "consistencyProofs",
                new JsonArray(consistency));
    }

    private static JsonObject proof() {
        List<LeafEntry> entries = new ArrayList<>(treeEntries());
        byte[] served = utf8(PATIENT_V2);
        LeafEntry patient = new LeafEntry(
                Operation.UPDATE, ResourceRef.parse("Patient/example/_history/2"), ContentHash.of(served), salt(0));
        entries.add(4, patient);
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        entries.forEach(e -> tree.append(e.leafHash()));
        ChainAnchor anchor = new ChainAnchor(
                31337,
                "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                "0x" + HexFormat.of().formatHex(sha256(utf8("example checkpoint transaction"))),
                1234);
        AnchorProof proof = AnchorProof.forLeaf(patient, 4, entries.size(), tree, anchor);
        if (!ProofVerifier.verify(
                        served, proof, size -> size == entries.size() ? Optional.of(tree.root()) : Optional.empty())
                .verified()) {
            throw new IllegalStateException("the example proof must verify");
        }
        return obj(
                "description",
                "A complete fhir-anchor-proof/1 for Patient/example/_history/2 (the resource of"
                        + " resource-and-leaf.json) at leaf 4 of a tree of 8. It verifies when the chain holds"
                        + " 'anchoredRoot' for tree size 8. 'proofJson' is the exact canonical text a server"
                        + " returns; 'proof' is the same object, indented.",
                "served",
                PATIENT_V2,
                "anchoredRoot",
                HexFormat.of().formatHex(tree.root()),
                "proofJson",
                new String(ProofJson.write(proof), StandardCharsets.UTF_8),
                "proof",
                ProofJson.toTree(proof));
    }

    /** The tree of {@link #proof()} (8 leaves), proven for leaves 1, 4 and 6 at once. */
    private static JsonObject multiProof() {
        List<LeafEntry> entries = new ArrayList<>(treeEntries());
        byte[] patientServed = utf8(PATIENT_V2);
        entries.add(
                4,
                new LeafEntry(
                        Operation.UPDATE,
                        ResourceRef.parse("Patient/example/_history/2"),
                        ContentHash.of(patientServed),
                        salt(0)));
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        entries.forEach(e -> tree.append(e.leafHash()));
        ChainAnchor anchor = new ChainAnchor(
                31337,
                "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                "0x" + HexFormat.of().formatHex(sha256(utf8("example checkpoint transaction"))),
                1234);
        Map<String, String> served = new LinkedHashMap<>();
        List<MultiProof.Version> versions = new ArrayList<>();
        for (int index : new int[] {6, 1, 4}) {
            LeafEntry entry = entries.get(index);
            versions.add(MultiProof.Version.of(entry, index));
            served.put(
                    entry.ref().toString(),
                    entry.operation() == Operation.DELETE
                            ? null
                            : index == 4
                                    ? PATIENT_V2
                                    : "{\"resourceType\":\"" + entry.ref().type() + "\",\"id\":\""
                                            + entry.ref().id() + "\",\"meta\":{\"versionId\":\""
                                            + entry.ref().versionId() + "\"}}");
        }
        MultiProof proof = MultiProof.forLeaves(versions, entries.size(), tree, anchor);
        if (!MultiProofVerifier.verify(
                        proof,
                        ref -> served.get(ref.toString()) == null ? null : utf8(served.get(ref.toString())),
                        size -> size == entries.size() ? Optional.of(tree.root()) : Optional.empty())
                .verified()) {
            throw new IllegalStateException("the example multi-proof must verify");
        }
        Map<String, JsonValue> servedJson = new LinkedHashMap<>();
        served.forEach((ref, text) -> servedJson.put(
                ref, text == null ? org.fhiranchor.anchor.canonical.JsonNull.INSTANCE : new JsonString(text)));
        return obj(
                "description",
                "A complete fhir-anchor-multiproof/1 for leaves 1, 4 and 6 (a create, an update"
                        + " and a delete) of the 8-leaf tree of proof.json. 'served' gives each version's bytes as served"
                        + " (null for the delete). It verifies when the chain holds 'anchoredRoot' for tree size 8."
                        + " 'proofJson' is the exact canonical text a server returns; 'proof' is the same object, indented.",
                "served",
                new JsonObject(servedJson),
                "anchoredRoot",
                HexFormat.of().formatHex(tree.root()),
                "proofJson",
                new String(MultiProofJson.write(proof), StandardCharsets.UTF_8),
                "proof",
                MultiProofJson.toTree(proof));
    }

    /** The AuditEvents of the batch of {@link #batchedProof()}: id, what was accessed, the interaction. */
    private static final String[][] BATCH_MEMBERS = {
        {"6f1c2a3e-0b4d-4e5f-9a7b-000000000001", "Patient/example", "read"},
        {"6f1c2a3e-0b4d-4e5f-9a7b-000000000002", "Patient/example/_history/2", "vread"},
        {"6f1c2a3e-0b4d-4e5f-9a7b-000000000003", "Observation", "search-type"},
        {"6f1c2a3e-0b4d-4e5f-9a7b-000000000004", "Patient/example/_history/2", "operation"},
        {"6f1c2a3e-0b4d-4e5f-9a7b-000000000005", "Observation/bp-1", "update"},
    };

    /**
     * A sealed audit batch of 5 AuditEvents, its batch record (a Basic) as leaf 8 of the 8-leaf tree of
     * proof.json, and the batched proof of member 2.
     */
    private static JsonObject batchedProof() {
        List<LeafEntry> before = new ArrayList<>(treeEntries());
        before.add(
                4,
                new LeafEntry(
                        Operation.UPDATE,
                        ResourceRef.parse("Patient/example/_history/2"),
                        ContentHash.of(utf8(PATIENT_V2)),
                        salt(0)));
        List<String> served = new ArrayList<>();
        List<byte[]> salts = new ArrayList<>();
        for (int i = 0; i < BATCH_MEMBERS.length; i++) {
            served.add(BatchFixture.auditEventJson(
                    BATCH_MEMBERS[i][0], BATCH_MEMBERS[i][1], BATCH_MEMBERS[i][2], 21 + 2 * i));
            salts.add(salt(200 + i));
        }
        ChainAnchor anchor = new ChainAnchor(
                31337,
                "0x5fbdb2315678afecb367f032d93f642f64180aa3",
                "0x" + HexFormat.of().formatHex(sha256(utf8("example checkpoint transaction 2"))),
                1240);
        BatchFixture batch = new BatchFixture(
                served,
                salts,
                "audit-batch-20261205T091500Z",
                "2026-12-05T09:15:00Z",
                salt(300),
                before,
                List.of(),
                anchor);
        int member = 2;
        BatchedProof proof = batch.proof(member);
        if (!BatchedProofVerifier.verify(batch.served.get(member), BatchedProofJson.write(proof), batch.chain)
                .verified()) {
            throw new IllegalStateException("the example batched proof must verify");
        }
        org.fhiranchor.anchor.log.InMemorySubtreeHashes memberTree =
                new org.fhiranchor.anchor.log.InMemorySubtreeHashes();
        batch.memberLeafHashes.forEach(memberTree::append);
        List<JsonValue> members = new ArrayList<>();
        for (int i = 0; i < batch.members.size(); i++) {
            LeafEntry entry = batch.members.get(i);
            members.add(obj(
                    "batchIndex",
                    i,
                    "resource",
                    entry.ref().toString(),
                    "operation",
                    "create",
                    "served",
                    served.get(i),
                    "contentHash",
                    HexFormat.of().formatHex(entry.contentHash()),
                    "salt",
                    HexFormat.of().formatHex(entry.salt()),
                    "leafEntry",
                    HexFormat.of().formatHex(entry.encode()),
                    "leafHash",
                    HexFormat.of().formatHex(entry.leafHash()),
                    "batchPath",
                    hexArray(MerkleTree.inclusionPath(i, batch.members.size(), memberTree))));
        }
        LeafEntry record = batch.recordEntry;
        return obj(
                "description",
                "A batch of 5 AuditEvents sealed together (docs/verification.md section 4.2):"
                        + " each member's served bytes, leaf entry, leaf hash (none of them is a leaf of the log) and"
                        + " path in the tree over the members; 'batchRoot', the root of that tree; 'batchRecord', the"
                        + " batch record (a Basic) as served, whose version is leaf 8 of a log of 9 (the 8 leaves of"
                        + " proof.json, then the record: 'recordLeaf'). 'proofJson' is the exact canonical"
                        + " fhir-anchor-batched-proof/1 a server returns for member 2 ('proof' is the same object,"
                        + " indented); it verifies when the chain holds 'anchoredRoot' for tree size 9.",
                "members",
                new JsonArray(members),
                "batchRoot",
                HexFormat.of().formatHex(BatchedProof.batchRoot(batch.memberLeafHashes)),
                "batchRecord",
                batch.recordJson,
                "recordLeaf",
                obj(
                        "resource",
                        record.ref().toString(),
                        "operation",
                        "create",
                        "contentHash",
                        HexFormat.of().formatHex(record.contentHash()),
                        "salt",
                        HexFormat.of().formatHex(record.salt()),
                        "leafEntry",
                        HexFormat.of().formatHex(record.encode()),
                        "leafHash",
                        HexFormat.of().formatHex(record.leafHash()),
                        "leafIndex",
                        batch.recordLeafIndex),
                "treeSize",
                batch.treeSize,
                "anchoredRoot",
                HexFormat.of().formatHex(batch.log.root()),
                "member",
                member,
                "proofJson",
                new String(BatchedProofJson.write(proof), StandardCharsets.UTF_8),
                "proof",
                BatchedProofJson.toTree(proof));
    }

    private static JsonArray hexArray(List<byte[]> hashes) {
        List<JsonValue> values = new ArrayList<>();
        hashes.forEach(h -> values.add(new JsonString(HexFormat.of().formatHex(h))));
        return new JsonArray(values);
    }

    private static JsonObject obj(Object... pairs) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            JsonValue value = v instanceof JsonValue json
                    ? json
                    : v instanceof String s
                            ? new JsonString(s)
                            : v instanceof Integer n ? JsonNumber.of(n) : JsonNumber.of((Long) v);
            members.put((String) pairs[i], value);
        }
        return new JsonObject(members);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> strictUtf8(byte[] bytes) {
        if (bytes.length >= 3 && bytes[0] == (byte) 0xef && bytes[1] == (byte) 0xbb && bytes[2] == (byte) 0xbf) {
            return Optional.empty(); // keep the BOM visible as bytes
        }
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
