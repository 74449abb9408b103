package org.fhiranchor.anchor.verifier;

import java.util.Objects;
import java.util.Optional;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.BatchedProof;

/**
 * The verdict on one resource version.
 *
 * @param ref the version checked ({@code Type/id/_history/vid}), or what identified it
 * @param outcome the category that decides the exit code
 * @param code {@link org.fhiranchor.anchor.proof.VerificationResult.Status} name, or one of the
 *     {@code VersionCheck} codes when the check did not get as far as the proof
 * @param detail why, for a person
 * @param proof the proof of the log leaf checked, if the server gave one: the version's own, or for a batch
 *     member (docs/verification.md section 4.2) its batch record's
 * @param batched the batched proof checked, if the version is a batch member
 */
public record VersionCheck(
        String ref,
        Outcome outcome,
        String code,
        String detail,
        Optional<AnchorProof> proof,
        Optional<BatchedProof> batched) {

    /** The server's {@code $verify} says the version is not anchored yet. */
    public static final String PENDING = "PENDING";
    /** The server itself reports that the stored content no longer matches the logged hash. */
    public static final String SERVER_REPORTS_TAMPERED = "SERVER_REPORTS_TAMPERED";
    /** The {@code $verify} answer has no usable proof. */
    public static final String NO_PROOF = "NO_PROOF";
    /** The proof is about another version or resource than the one asked for. */
    public static final String WRONG_VERSION = "WRONG_VERSION";
    /** A history entry that does not say which version it is. */
    public static final String UNIDENTIFIED_ENTRY = "UNIDENTIFIED_ENTRY";
    /** The FHIR server refused (4xx) or could not be reached / failed (network, 5xx). */
    public static final String FHIR_ERROR = "FHIR_ERROR";

    /** What a verdict means for the auditor. */
    public enum Outcome {
        /** All five checks of docs/verification.md section 5 passed. */
        VERIFIED,
        /** A check failed: the content, the proof or the server's answers are wrong. */
        FAILED,
        /** Not anchored yet according to the server: nothing is proven either way; ask later. */
        PENDING,
        /** The chain or the FHIR server could not be read: nothing is proven either way; retry. */
        UNAVAILABLE
    }

    public VersionCheck {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(batched, "batched");
    }

    /** A verdict on a log leaf's version, or one that got no proof. */
    public VersionCheck(String ref, Outcome outcome, String code, String detail, Optional<AnchorProof> proof) {
        this(ref, outcome, code, detail, proof, Optional.empty());
    }

    public boolean verified() {
        return outcome == Outcome.VERIFIED;
    }
}
