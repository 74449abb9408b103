package org.fhiranchor.anchor.proof;

import static org.fhiranchor.anchor.proof.ProofJson.field;
import static org.fhiranchor.anchor.proof.ProofJson.hashArray;
import static org.fhiranchor.anchor.proof.ProofJson.hashesFromTree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * The JSON form {@code fhir-anchor-batched-proof/1}: written as canonical JSON, read strictly (every member
 * required, no unknown members, hashes as 64 lowercase hex digits), like {@link ProofJson}.
 */
public final class BatchedProofJson {

    private static final Set<String> MEMBERS = Set.of(
            "format",
            "resource",
            "operation",
            "contentHash",
            "salt",
            "leafHash",
            "batchIndex",
            "batchSize",
            "batchPath",
            "batchRecord",
            "batchProof");

    private BatchedProofJson() {}

    public static JsonObject toTree(BatchedProof proof) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("format", new JsonString(BatchedProof.FORMAT));
        ProofJson.putLeafClaims(members, proof.leaf());
        members.put("batchIndex", JsonNumber.of(proof.batchIndex()));
        members.put("batchSize", JsonNumber.of(proof.batchSize()));
        members.put("batchPath", hashArray(proof.batchPath()));
        members.put("batchRecord", proof.batchRecord());
        members.put("batchProof", ProofJson.toTree(proof.batchProof()));
        return new JsonObject(members);
    }

    /** Canonical JSON bytes (UTF-8) of the proof. */
    public static byte[] write(BatchedProof proof) {
        return CanonicalJson.serialize(toTree(proof));
    }

    public static BatchedProof read(byte[] json) {
        return fromTree(ProofJson.parse(json));
    }

    public static BatchedProof fromTree(JsonObject object) {
        ProofJson.checkFormat(object, MEMBERS, BatchedProof.FORMAT);
        List<byte[]> path = hashesFromTree(object, "batchPath");
        JsonObject record = field("batchRecord", () -> object.getObject("batchRecord"));
        AnchorProof batchProof = field("batchProof", () -> {
            try {
                return ProofJson.fromTree(object.getObject("batchProof"));
            } catch (ProofFormatException e) {
                throw new ProofFormatException("batchProof: " + e.getMessage(), e);
            }
        });
        return field(
                "proof",
                () -> new BatchedProof(
                        ProofJson.leafClaimsFromTree(object, ""),
                        field("batchIndex", () -> object.getNumber("batchIndex").asNonNegativeLong()),
                        field("batchSize", () -> object.getNumber("batchSize").asNonNegativeLong()),
                        path,
                        record,
                        batchProof));
    }

    /** The {@code format} member of a proof document, or null if it has none (any proof format). */
    public static String formatOf(byte[] json) {
        try {
            JsonObject object = JsonParser.parseObject(json);
            return object.member("format").orElse(null) instanceof JsonString s ? s.value() : null;
        } catch (JsonFormatException e) {
            return null;
        }
    }
}
