package org.fhiranchor.server.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * A consumer whose relation to the data narrows what its resource scopes would let it read: a scope
 * of our own ({@code consumer/pharmacist}, {@code consumer/insurer}) beside SMART's, so that the
 * decision stays on the token's scopes (an external issuer grants the same by issuing the same
 * scopes). A token whose {@code role} claim names a consumer is narrowed as well, whatever its scopes. The narrowing is applied as a response filter (reads, searches, includes, {@code $verify}
 * alike) and, for the insurer's writes, before storage: docs/security.md, "Pharmacist" and "Insurer".
 */
public enum Consumer {
    /** Patients and Practitioners only as far as a MedicationRequest references them. */
    PHARMACIST("consumer/pharmacist"),
    /** The Claims whose insurer is the token's fhirUser Organization, what they reference, and their responses. */
    INSURER("consumer/insurer");

    private final String scope;

    Consumer(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }

    /** The consumer a {@code role} claim names ({@code pharmacist}, {@code insurer}), if any. */
    public static Optional<Consumer> ofRole(String role) {
        return Arrays.stream(values())
                .filter(consumer -> consumer.name().equalsIgnoreCase(role))
                .findFirst();
    }

    public static Optional<Consumer> ofScope(String scope) {
        return Arrays.stream(values())
                .filter(consumer -> consumer.scope.equals(scope))
                .findFirst();
    }
}
