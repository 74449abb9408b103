package org.fhiranchor.anchor.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.fhiranchor.anchor.canonical.CanonicalJson;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.HashHex;
import org.fhiranchor.anchor.proof.ProofJson;

/**
 * {@code export-proof.json} ({@code fhir-anchor-research-export-proof/1}): the export's Provenance version
 * as served, its {@code fhir-anchor-proof/1}, and the multi-leaf inclusion proof of the source leaves
 * against the same tree head ({@code treeSize} must equal the Provenance proof's).
 *
 * @param provenanceJson the Provenance version exactly as served (JSON text); it is embedded as a JSON
 *                       object, so after {@link #parse} this is its canonical form, which hashes the same
 * @param sourceHashes the multi-leaf proof's hashes, 32 bytes each, in proof order
 */
public record ExportProof(
        String provenanceJson, AnchorProof provenanceProof, long treeSize, List<byte[]> sourceHashes) {

    public static final String FORMAT = "fhir-anchor-research-export-proof/1";
    public static final String FILE_NAME = "export-proof.json";

    public ExportProof {
        Objects.requireNonNull(provenanceJson, "provenanceJson");
        Objects.requireNonNull(provenanceProof, "provenanceProof");
        Objects.requireNonNull(sourceHashes, "sourceHashes");
        if (treeSize != provenanceProof.treeSize()) {
            throw new IllegalArgumentException("sources.treeSize " + treeSize + " differs from the Provenance proof's "
                    + provenanceProof.treeSize() + ": both must be the same anchored tree head");
        }
        List<byte[]> copy = new ArrayList<>(sourceHashes.size());
        for (byte[] h : sourceHashes) {
            if (h == null || h.length != 32) {
                throw new IllegalArgumentException("every sources hash must be 32 bytes");
            }
            copy.add(h.clone());
        }
        sourceHashes = Collections.unmodifiableList(copy);
    }

    @Override
    public List<byte[]> sourceHashes() {
        return sourceHashes.stream().map(byte[]::clone).toList();
    }

    /** The canonical JSON bytes of {@code export-proof.json}. */
    public byte[] toJson() {
        JsonObject provenance = JsonParser.parseObject(provenanceJson.getBytes(StandardCharsets.UTF_8));
        Map<String, JsonValue> sources = new LinkedHashMap<>();
        sources.put(
                "hashes",
                new JsonArray(sourceHashes.stream()
                        .map(h -> (JsonValue) new JsonString(HexFormat.of().formatHex(h)))
                        .toList()));
        sources.put("treeSize", JsonNumber.of(treeSize));
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("format", new JsonString(FORMAT));
        m.put("provenance", provenance);
        m.put("provenanceProof", ProofJson.toTree(provenanceProof));
        m.put("sources", new JsonObject(sources));
        return CanonicalJson.serialize(new JsonObject(m));
    }

    /** Reads {@code export-proof.json} strictly; throws JsonFormatException (or ProofFormatException for the inner proof). */
    public static ExportProof parse(byte[] json) {
        JsonObject o = JsonParser.parseObject(json);
        ExportJson.members(o, Set.of("format", "provenance", "provenanceProof", "sources"), Set.of(), "export proof");
        if (!FORMAT.equals(o.getString("format"))) {
            throw new JsonFormatException("export proof: format must be \"" + FORMAT + "\"");
        }
        JsonObject provenance = o.getObject("provenance");
        AnchorProof proof = ProofJson.fromTree(o.getObject("provenanceProof"));
        JsonObject sources = o.getObject("sources");
        ExportJson.members(sources, Set.of("hashes", "treeSize"), Set.of(), "sources");
        List<byte[]> hashes = new ArrayList<>();
        JsonArray array = sources.getArray("hashes");
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString s)) {
                throw new JsonFormatException("sources.hashes[" + i + "] must be a string");
            }
            try {
                hashes.add(HashHex.parse(s.value()));
            } catch (IllegalArgumentException e) {
                throw new JsonFormatException("sources.hashes[" + i + "]: " + e.getMessage());
            }
        }
        try {
            return new ExportProof(
                    CanonicalJson.serializeToString(provenance),
                    proof,
                    ExportJson.nonNegative(sources, "treeSize"),
                    hashes);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException("export proof: " + e.getMessage());
        }
    }
}
