package org.fhiranchor.server.verify;

/** What {@code $verify} says of a version. */
public enum VersionStatus {
    /** Logged, sequenced and covered by an anchored checkpoint; the stored content matches the log. */
    ANCHORED("anchored"),
    /** Logged, not yet covered by an anchored checkpoint. */
    PENDING("pending"),
    /** What the server stores now does not hash to what was logged when the version was written. */
    TAMPERED("tampered"),
    /** A batch member (docs/verification.md 4.2), reported by a many-version {@code $verify} and proven singly. */
    BATCHED("batched");

    private final String code;

    VersionStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
