package org.fhiranchor.server.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What one request's token permits, and whose it is: taken from the JWT once, then used for the
 * authorization rules and the audit trail.
 *
 * @param subject the token's {@code sub}; {@code null} for an anonymous request
 * @param role the built-in role named in the token's {@code role} claim, if any (informational)
 * @param clientId {@code client_id} (RFC 9068) or {@code azp}
 * @param patientId the {@code patient} claim: the compartment that {@code patient/} scopes are limited to
 * @param resourceScopes the SMART resource scopes understood
 * @param operations operation names granted ({@code $verify}, or {@code *})
 * @param admin whether the token carries the admin scope
 * @param restore whether the token carries the restore scope (may replay archived AuditEvents)
 * @param consumers the consumer scopes ({@code consumer/pharmacist}, {@code consumer/insurer}), or the
 *     {@code role} claim naming one of them, that narrow the resource scopes to what the caller's relation to
 *     the data allows ({@link Consumer})
 */
public record AccessGrant(
        String subject,
        String role,
        String clientId,
        String patientId,
        List<SmartScope> resourceScopes,
        Set<String> operations,
        boolean admin,
        boolean restore,
        Set<Consumer> consumers) {

    public static final String ROLE_CLAIM = "role";
    public static final String PATIENT_CLAIM = "patient";
    public static final String CLIENT_ID_CLAIM = "client_id";

    /** Key under which the grant is kept in HAPI's request user data, for the audit trail. */
    public static final String REQUEST_KEY = AccessGrant.class.getName();

    public static final AccessGrant ANONYMOUS =
            new AccessGrant(null, null, null, null, List.of(), Set.of(), false, false, Set.of());

    public static AccessGrant of(Jwt jwt) {
        String clientId =
                Optional.ofNullable(jwt.getClaimAsString(CLIENT_ID_CLAIM)).orElse(jwt.getClaimAsString("azp"));
        return of(
                jwt.getSubject(),
                jwt.getClaimAsString(ROLE_CLAIM),
                clientId,
                jwt.getClaimAsString(PATIENT_CLAIM),
                scopes(jwt));
    }

    /** A grant from a token's claims, e.g. as remembered by a background job that acts for the token's holder. */
    public static AccessGrant of(String subject, String role, String clientId, String patientId, List<String> scopes) {
        Set<String> operations = new LinkedHashSet<>();
        scopes.forEach(scope -> Scopes.operationName(scope).ifPresent(operations::add));
        Set<Consumer> consumers = java.util.EnumSet.noneOf(Consumer.class);
        scopes.forEach(scope -> Consumer.ofScope(scope).ifPresent(consumers::add));
        // A token that names a consumer role is narrowed even if its scopes left the consumer scope out
        // (an app asking the authorization server for less than the role's scopes): narrowing never widens.
        Consumer.ofRole(role).ifPresent(consumers::add);
        return new AccessGrant(
                subject,
                role,
                clientId,
                patientId,
                scopes.stream().map(SmartScope::parse).flatMap(Optional::stream).toList(),
                Set.copyOf(operations),
                scopes.contains(Scopes.ADMIN),
                scopes.contains(Scopes.RESTORE),
                Set.copyOf(consumers));
    }

    /** The scopes as a token would carry them, space-separated (for a job that must act for this grant later). */
    public String scopeClaim() {
        List<String> all = new java.util.ArrayList<>(
                resourceScopes.stream().map(SmartScope::text).toList());
        operations.forEach(operation -> all.add(Scopes.OPERATION_PREFIX + operation));
        if (admin) {
            all.add(Scopes.ADMIN);
        }
        if (restore) {
            all.add(Scopes.RESTORE);
        }
        consumers.forEach(consumer -> all.add(consumer.scope()));
        return String.join(" ", all);
    }

    /** Whether a consumer scope narrows this grant (never an admin's: {@code admin} reads everything). */
    public boolean narrowedTo(Consumer consumer) {
        return !admin && consumers.contains(consumer);
    }

    public boolean anonymous() {
        return subject == null;
    }

    /** Whether AuditEvent was named explicitly: the {@code *} wildcard never covers the audit trail. */
    public boolean readsAuditEvents() {
        return admin
                || resourceScopes.stream().anyMatch(s -> s.resourceType().equals("AuditEvent") && s.readsOrSearches());
    }

    private static List<String> scopes(Jwt jwt) {
        Object claim = jwt.getClaims().get("scope");
        if (claim == null) {
            claim = jwt.getClaims().get("scp");
        }
        if (claim instanceof String text) {
            return List.of(text.trim().split("\\s+"));
        }
        if (claim instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
