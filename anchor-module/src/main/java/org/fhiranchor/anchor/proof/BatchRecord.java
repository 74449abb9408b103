package org.fhiranchor.anchor.proof;

import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonNumber;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;

/**
 * What a batch record states (docs/verification.md section 4.2): a FHIR {@code Basic} resource coded
 * {@code log-record#audit-batch} whose two extensions give the Merkle root and the size of the tree over its
 * members' leaf entries. The record is an ordinary version of the log; its members are not leaves of the log.
 */
public record BatchRecord(byte[] root, long size) {

    public static final String CODE_SYSTEM = "https://fhir-anchor.org/fhir/CodeSystem/log-record";
    public static final String AUDIT_BATCH = "audit-batch";
    public static final String ROOT_EXTENSION = "https://fhir-anchor.org/fhir/StructureDefinition/batch-root";
    public static final String SIZE_EXTENSION = "https://fhir-anchor.org/fhir/StructureDefinition/batch-size";

    /**
     * Reads the statement of a batch record.
     *
     * @throws ProofFormatException if the resource is not a batch record: not a Basic, not coded
     *     {@code audit-batch}, or not exactly one root (64 lowercase hex, {@code valueString}) and one size
     *     (positive {@code valueInteger})
     */
    public static BatchRecord read(JsonObject resource) {
        if (!(resource.member("resourceType").orElse(null) instanceof JsonString type)
                || !"Basic".equals(type.value())) {
            throw new ProofFormatException("the batch record must be a Basic resource");
        }
        if (!coded(resource)) {
            throw new ProofFormatException("the batch record must be coded " + CODE_SYSTEM + "#" + AUDIT_BATCH);
        }
        JsonValue root = onlyExtensionValue(resource, ROOT_EXTENSION, "valueString");
        JsonValue size = onlyExtensionValue(resource, SIZE_EXTENSION, "valueInteger");
        if (!(root instanceof JsonString rootHex)) {
            throw new ProofFormatException("the batch root must be a valueString");
        }
        byte[] rootHash;
        try {
            rootHash = HashHex.parse(rootHex.value());
        } catch (IllegalArgumentException e) {
            throw new ProofFormatException("the batch root must be 64 lowercase hex digits", e);
        }
        if (!(size instanceof JsonNumber sizeNumber)) {
            throw new ProofFormatException("the batch size must be a valueInteger");
        }
        long count;
        try {
            count = sizeNumber.asNonNegativeLong();
        } catch (RuntimeException e) {
            throw new ProofFormatException("the batch size must be a positive integer", e);
        }
        if (count < 1) {
            throw new ProofFormatException("the batch size must be a positive integer");
        }
        return new BatchRecord(rootHash, count);
    }

    private static boolean coded(JsonObject resource) {
        Optional<JsonValue> codings = resource.path("code", "coding");
        if (codings.isEmpty() || !(codings.get() instanceof JsonArray array)) {
            return false;
        }
        for (JsonValue coding : array.elements()) {
            if (coding instanceof JsonObject c
                    && c.member("system").orElse(null) instanceof JsonString system
                    && CODE_SYSTEM.equals(system.value())
                    && c.member("code").orElse(null) instanceof JsonString code
                    && AUDIT_BATCH.equals(code.value())) {
                return true;
            }
        }
        return false;
    }

    private static JsonValue onlyExtensionValue(JsonObject resource, String url, String valueMember) {
        JsonValue found = null;
        if (resource.member("extension").orElse(null) instanceof JsonArray extensions) {
            for (JsonValue extension : extensions.elements()) {
                if (extension instanceof JsonObject e
                        && e.member("url").orElse(null) instanceof JsonString u
                        && url.equals(u.value())) {
                    if (found != null) {
                        throw new ProofFormatException("the batch record has more than one extension " + url);
                    }
                    found = e.member(valueMember)
                            .orElseThrow(() ->
                                    new ProofFormatException("the extension " + url + " must have a " + valueMember));
                }
            }
        }
        if (found == null) {
            throw new ProofFormatException("the batch record has no extension " + url);
        }
        return found;
    }
}
