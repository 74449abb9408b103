package org.fhiranchor.anchor.proof;

import java.util.Objects;

/** The verdict on one proof: {@link Status#VERIFIED}, or the first check that failed and why. */
public record VerificationResult(Status status, String detail) {

    /** In the order the checks run. */
    public enum Status {
        VERIFIED,
        MALFORMED_PROOF,
        /** A tlog-proof whose checkpoint is not signed by the log key the verifier was given. */
        CHECKPOINT_SIGNATURE_INVALID,
        RESOURCE_UNREADABLE,
        CONTENT_HASH_MISMATCH,
        RESOURCE_MISMATCH,
        LEAF_HASH_MISMATCH,
        INCLUSION_FAILED,
        NOT_ANCHORED,
        CHECKPOINT_UNAVAILABLE,
        ANCHORED_ROOT_MISMATCH
    }

    public VerificationResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean verified() {
        return status == Status.VERIFIED;
    }

    static VerificationResult fail(Status status, String detail) {
        return new VerificationResult(status, detail);
    }
}
