package org.fhiranchor.anchor.proof;

import static org.fhiranchor.anchor.proof.ProofJson.checkMembers;
import static org.fhiranchor.anchor.proof.ProofJson.field;
import static org.fhiranchor.anchor.proof.ProofJson.hash;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * The JSON form {@code fhir-anchor-multiproof/1} (docs/verification.md section 4.1). Written as canonical
 * JSON; read strictly like {@link ProofJson}: every member required, no unknown members, hashes as 64
 * lowercase hex digits, versions sorted by leaf index.
 */
public final class MultiProofJson {

    private static final Set<String> MEMBERS = Set.of("format", "versions", "treeSize", "rootHash", "hashes", "anchor");
    private static final Set<String> VERSION_MEMBERS =
            Set.of("resource", "operation", "contentHash", "salt", "leafHash", "leafIndex");

    private MultiProofJson() {}

    public static JsonObject toTree(MultiProof proof) {
        List<JsonValue> versions = new ArrayList<>();
        for (MultiProof.Version version : proof.versions()) {
            Map<String, JsonValue> members = new LinkedHashMap<>();
            ProofJson.putLeafClaims(members, version.leaf());
            members.put("leafIndex", JsonNumber.of(version.leafIndex()));
            versions.add(new JsonObject(members));
        }
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("format", new JsonString(MultiProof.FORMAT));
        members.put("versions", new JsonArray(versions));
        members.put("treeSize", JsonNumber.of(proof.treeSize()));
        members.put("rootHash", new JsonString(HexFormat.of().formatHex(proof.rootHash())));
        members.put("hashes", ProofJson.hashArray(proof.hashes()));
        members.put("anchor", ProofJson.anchorTree(proof.anchor()));
        return new JsonObject(members);
    }

    /** Canonical JSON bytes (UTF-8). */
    public static byte[] write(MultiProof proof) {
        return CanonicalJson.serialize(toTree(proof));
    }

    public static MultiProof read(byte[] json) {
        return fromTree(ProofJson.parse(json));
    }

    public static MultiProof fromTree(JsonObject object) {
        ProofJson.checkFormat(object, MEMBERS, MultiProof.FORMAT);
        JsonArray array = field("versions", () -> object.getArray("versions"));
        List<MultiProof.Version> versions = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "versions[" + i + "]";
            if (!(array.get(i) instanceof JsonObject version)) {
                throw new ProofFormatException(where + " must be an object");
            }
            checkMembers(version, VERSION_MEMBERS, where);
            versions.add(field(
                    where,
                    () -> new MultiProof.Version(
                            ProofJson.leafClaimsFromTree(version, where + "."),
                            field(
                                    where + ".leafIndex",
                                    () -> version.getNumber("leafIndex").asNonNegativeLong()))));
        }
        ChainAnchor anchor = ProofJson.anchorFromTree(object);
        List<byte[]> hashes = ProofJson.hashesFromTree(object, "hashes");
        return field(
                "proof",
                () -> new MultiProof(
                        versions,
                        field("treeSize", () -> object.getNumber("treeSize").asNonNegativeLong()),
                        hash(object, "rootHash"),
                        hashes,
                        anchor));
    }
}
