package org.fhiranchor.server.security;

import java.util.Optional;

/** The scopes of our own beside SMART's: named FHIR operations, and administration. */
public final class Scopes {

    /** Actuator endpoints and every FHIR interaction. */
    public static final String ADMIN = "admin";

    /**
     * Restoring a fresh server from its archives ({@code restore} command): lifts the append-only
     * rule of the audit trail for creates and updates, so archived AuditEvents can be replayed under
     * their original ids. Never deletes.
     */
    public static final String RESTORE = "restore";

    /** {@code operation/$verify} permits the operation $verify at any level; {@code operation/*} permits all. */
    public static final String OPERATION_PREFIX = "operation/";

    public static final String ANY_OPERATION = "*";

    private Scopes() {}

    /** The operation name ({@code $verify}, or {@code *}) a scope grants, if it is an operation scope. */
    public static Optional<String> operationName(String scope) {
        if (!scope.startsWith(OPERATION_PREFIX)) {
            return Optional.empty();
        }
        String name = scope.substring(OPERATION_PREFIX.length());
        if (name.equals(ANY_OPERATION) || name.matches("\\$[a-z][a-z0-9-]*")) {
            return Optional.of(name);
        }
        return Optional.empty();
    }
}
