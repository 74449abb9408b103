package org.fhiranchor.anchor.proof;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;

/**
 * The JSON form {@code fhir-anchor-proof/1}. Written as canonical JSON (so a proof has one byte form);
 * read strictly: every member required, no unknown members, hashes as 64 lowercase hex digits.
 */
public final class ProofJson {

    private static final Set<String> MEMBERS = Set.of(
            "format",
            "resource",
            "operation",
            "contentHash",
            "salt",
            "leafHash",
            "leafIndex",
            "treeSize",
            "rootHash",
            "auditPath",
            "anchor");
    private static final Set<String> ANCHOR_MEMBERS = Set.of("chainId", "contract", "txHash", "blockNumber");

    private ProofJson() {}

    static JsonObject anchorTree(ChainAnchor chainAnchor) {
        Map<String, JsonValue> anchor = new LinkedHashMap<>();
        anchor.put("chainId", JsonNumber.of(chainAnchor.chainId()));
        anchor.put("contract", new JsonString(chainAnchor.contract()));
        anchor.put("txHash", new JsonString(chainAnchor.txHash()));
        anchor.put("blockNumber", JsonNumber.of(chainAnchor.blockNumber()));
        return new JsonObject(anchor);
    }

    static ChainAnchor anchorFromTree(JsonObject object) {
        JsonObject anchorObject = field("anchor", () -> object.getObject("anchor"));
        checkMembers(anchorObject, ANCHOR_MEMBERS, "anchor");
        return field(
                "anchor",
                () -> new ChainAnchor(
                        anchorObject.getNumber("chainId").asNonNegativeLong(),
                        anchorObject.getString("contract"),
                        anchorObject.getString("txHash"),
                        anchorObject.getNumber("blockNumber").asNonNegativeLong()));
    }

    static JsonArray hashArray(List<byte[]> hashes) {
        List<JsonValue> array = new ArrayList<>();
        hashes.forEach(h -> array.add(new JsonString(HexFormat.of().formatHex(h))));
        return new JsonArray(array);
    }

    static List<byte[]> hashesFromTree(JsonObject object, String name) {
        JsonArray array = field(name, () -> object.getArray(name));
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonValue element = array.get(i);
            if (!(element instanceof JsonString hex)) {
                throw new ProofFormatException(name + "[" + i + "] must be a string");
            }
            hashes.add(field(name + "[" + i + "]", () -> HashHex.parse(hex.value())));
        }
        return hashes;
    }

    /** Parses a proof document strictly; not JSON is a {@link ProofFormatException}. */
    static JsonObject parse(byte[] json) {
        try {
            return JsonParser.parseObject(json);
        } catch (JsonFormatException e) {
            throw new ProofFormatException("proof is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Exactly the expected members, and {@code format} is the expected one. */
    static void checkFormat(JsonObject object, Set<String> members, String expectedFormat) {
        checkMembers(object, members, "proof");
        String format = field("format", () -> object.getString("format"));
        if (!expectedFormat.equals(format)) {
            throw new ProofFormatException(
                    "unsupported proof format \"" + format + "\", expected \"" + expectedFormat + "\"");
        }
    }

    /** The claims of one leaf entry, as every proof format writes them (docs/verification.md section 4). */
    static void putLeafClaims(Map<String, JsonValue> members, LeafClaims leaf) {
        members.put("resource", new JsonString(leaf.resource().toString()));
        members.put("operation", new JsonString(leaf.operation().jsonName()));
        members.put("contentHash", new JsonString(HexFormat.of().formatHex(leaf.contentHash())));
        members.put("salt", new JsonString(HexFormat.of().formatHex(leaf.salt())));
        members.put("leafHash", new JsonString(HexFormat.of().formatHex(leaf.leafHash())));
    }

    /**
     * Reads the claims {@link #putLeafClaims} writes; {@code where} prefixes the names of the resource and
     * operation members in an error ({@code ""} at the top level).
     */
    static LeafClaims leafClaimsFromTree(JsonObject object, String where) {
        return new LeafClaims(
                field(where + "resource", () -> ResourceRef.parse(object.getString("resource"))),
                field(where + "operation", () -> Operation.fromJsonName(object.getString("operation"))),
                hash(object, "contentHash"),
                hash(object, "salt"),
                hash(object, "leafHash"));
    }

    public static JsonObject toTree(AnchorProof proof) {

        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("format", new JsonString(AnchorProof.FORMAT));
        putLeafClaims(members, proof.leaf());
        members.put("leafIndex", JsonNumber.of(proof.leafIndex()));
        members.put("treeSize", JsonNumber.of(proof.treeSize()));
        members.put("rootHash", new JsonString(HexFormat.of().formatHex(proof.rootHash())));
        members.put("auditPath", hashArray(proof.auditPath()));
        members.put("anchor", anchorTree(proof.anchor()));
        return new JsonObject(members);
    }

    /** Canonical JSON bytes (UTF-8) of the proof. */
    public static byte[] write(AnchorProof proof) {
        return CanonicalJson.serialize(toTree(proof));
    }

    public static AnchorProof read(byte[] json) {
        return fromTree(ProofJson.parse(json));
    }

    public static AnchorProof fromTree(JsonObject object) {
        ProofJson.checkFormat(object, MEMBERS, AnchorProof.FORMAT);
        ChainAnchor anchor = anchorFromTree(object);
        List<byte[]> path = hashesFromTree(object, "auditPath");
        return field(
                "proof",
                () -> new AnchorProof(
                        leafClaimsFromTree(object, ""),
                        field("leafIndex", () -> object.getNumber("leafIndex").asNonNegativeLong()),
                        field("treeSize", () -> object.getNumber("treeSize").asNonNegativeLong()),
                        hash(object, "rootHash"),
                        path,
                        anchor));
    }

    static byte[] hash(JsonObject object, String name) {
        return field(name, () -> HashHex.parse(object.getString(name)));
    }

    static void checkMembers(JsonObject object, Set<String> expected, String where) {
        for (String name : expected) {
            if (!object.has(name)) {
                throw new ProofFormatException(where + ": missing member \"" + name + "\"");
            }
        }
        for (String name : object.members().keySet()) {
            if (!expected.contains(name)) {
                throw new ProofFormatException(where + ": unknown member \"" + name + "\"");
            }
        }
    }

    interface Reader<T> {
        T read();
    }

    /** Runs a read and turns any shape error into a ProofFormatException naming the field. */
    static <T> T field(String name, Reader<T> reader) {
        try {
            return reader.read();
        } catch (ProofFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProofFormatException(name + ": " + e.getMessage(), e);
        }
    }
}
