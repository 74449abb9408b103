package org.fhiranchor.anchor.verifier;

import java.util.Base64;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonArray;
import org.fhiranchor.anchor.canonical.JsonFormatException;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.anchor.proof.BatchedProofJson;
import org.fhiranchor.anchor.proof.ProofFormatException;
import org.fhiranchor.anchor.proof.ProofJson;

/**
 * Reads the {@code $verify} answer (a FHIR R4 {@code Parameters} resource in JSON). Only two things are
 * taken from it: the {@code status} code, to explain why there is no proof (pending, tampered), and the
 * {@code proof} attachment, the exact proof bytes: {@code fhir-anchor-proof/1} for a log leaf, or
 * {@code fhir-anchor-batched-proof/1} for a batch member (docs/verification.md section 4.2), told apart by the
 * document's {@code format}. Every other parameter (hashes,
 * contract, block, confirmations) is for human readers and is ignored here: whatever the verifier can
 * check it recomputes, and where the anchor is comes from the auditor, not from the server.
 *
 */
public final class VerifyParameters {

    public static final String ANCHORED = "anchored";

    private final Optional<String> status;
    private final byte[] proofJson;
    private final AnchorProof proof;
    private final BatchedProof batched;

    private VerifyParameters(Optional<String> status, byte[] proofJson, AnchorProof proof, BatchedProof batchedOrNull) {
        this.status = status;
        this.proofJson = proofJson.clone();
        this.proof = proof;
        this.batched = batchedOrNull;
    }

    /** The server's status code ({@code anchored}), or empty if it sent none. Informational. */
    public Optional<String> status() {
        return status;
    }

    /** The decoded proof attachment, exactly as the server wrote it. */
    public byte[] proofJson() {
        return proofJson.clone();
    }

    /**
     * The proof of the log leaf that anchors the version, parsed strictly: the version's own leaf, or for a batch
     * member ({@link #batched()}) the leaf of its batch record's version.
     */
    public AnchorProof proof() {
        return proof;
    }

    /** The batched proof, if the answer is about a batch member ({@code fhir-anchor-batched-proof/1}). */
    public Optional<BatchedProof> batched() {
        return Optional.ofNullable(batched);
    }

    /**
     * Extracts the proof from a {@code $verify} answer.
     *
     * @throws NoProofException if the server reports another status than {@code anchored} (the status is
     *     in the exception), or the attachment is missing, not base64, or not a valid proof
     */
    public static VerifyParameters parse(byte[] parametersJson) {
        JsonObject parameters;
        try {
            parameters = JsonParser.parseObject(parametersJson);
        } catch (JsonFormatException e) {
            throw new NoProofException(null, "the $verify answer is not valid JSON: " + e.getMessage());
        }
        if (!parameters.path("resourceType").equals(Optional.of(new JsonString("Parameters")))) {
            throw new NoProofException(
                    null,
                    "the $verify answer is not a FHIR Parameters resource"
                            + parameters
                                    .path("resourceType")
                                    .map(t -> " (resourceType " + describe(t) + ")")
                                    .orElse(""));
        }
        JsonArray list = parameters
                .member("parameter")
                .filter(JsonArray.class::isInstance)
                .map(JsonArray.class::cast)
                .orElse(new JsonArray(java.util.List.of()));

        Optional<String> status = Optional.empty();
        JsonObject attachment = null;
        for (JsonValue element : list.elements()) {
            if (!(element instanceof JsonObject parameter)) {
                continue;
            }
            Optional<JsonValue> name = parameter.member("name");
            if (name.equals(Optional.of(new JsonString("status")))) {
                status = parameter
                        .member("valueCode")
                        .filter(JsonString.class::isInstance)
                        .map(v -> ((JsonString) v).value());
            } else if (name.equals(Optional.of(new JsonString("proof")))) {
                if (attachment != null) {
                    // Two proofs: which one would a human reader have looked at? Refuse to choose.
                    throw new NoProofException(status.orElse(null), "the $verify answer has more than one proof");
                }
                attachment = parameter
                        .member("valueAttachment")
                        .filter(JsonObject.class::isInstance)
                        .map(JsonObject.class::cast)
                        .orElseThrow(() -> new NoProofException(null, "the proof parameter has no valueAttachment"));
            }
        }
        if (status.isPresent() && !ANCHORED.equals(status.get())) {
            throw new NoProofException(
                    status.get(), "the server reports status " + status.get() + explain(status.get()));
        }
        if (attachment == null) {
            throw new NoProofException(status.orElse(null), "the $verify answer carries no proof attachment");
        }
        Optional<JsonValue> contentType = attachment.member("contentType");
        if (contentType.isPresent()
                && !(contentType.get() instanceof JsonString type
                        && type.value().toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))) {
            throw new NoProofException(
                    status.orElse(null),
                    "the proof attachment is not application/json: " + describe(contentType.get()));
        }
        if (!(attachment.member("data").orElse(null) instanceof JsonString data)) {
            throw new NoProofException(status.orElse(null), "the proof attachment has no data");
        }
        byte[] proofJson;
        try {
            proofJson = Base64.getDecoder().decode(data.value());
        } catch (IllegalArgumentException e) {
            throw new NoProofException(status.orElse(null), "the proof attachment is not base64: " + e.getMessage());
        }
        boolean isBatched = BatchedProof.FORMAT.equals(BatchedProofJson.formatOf(proofJson));
        try {
            if (isBatched) {
                BatchedProof batchedProof = BatchedProofJson.read(proofJson);
                return new VerifyParameters(status, proofJson, batchedProof.batchProof(), batchedProof);
            }
            return new VerifyParameters(status, proofJson, ProofJson.read(proofJson), null);
        } catch (ProofFormatException e) {
            throw new NoProofException(
                    status.orElse(null),
                    "the proof attachment is not a valid " + (isBatched ? BatchedProof.FORMAT : AnchorProof.FORMAT)
                            + " document: " + e.getMessage());
        }
    }

    private static String explain(String status) {
        return switch (status) {
            case "pending" -> " (the version is logged but its tree head is not anchored yet; ask again later)";
            case "tampered" -> " (its stored content no longer matches the hash logged at write time)";
            default -> "";
        };
    }

    private static String describe(JsonValue value) {
        return org.fhiranchor.anchor.canonical.CanonicalJson.serializeToString(value);
    }

    /** The answer holds no usable proof. {@link #serverStatus()} is what the server said, if anything. */
    public static final class NoProofException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String serverStatus;

        public NoProofException(String serverStatusOrNull, String message) {
            super(message);
            this.serverStatus = serverStatusOrNull;
        }

        public Optional<String> serverStatus() {
            return Optional.ofNullable(serverStatus);
        }
    }
}
