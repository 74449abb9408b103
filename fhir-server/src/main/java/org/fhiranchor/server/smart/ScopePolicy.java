package org.fhiranchor.server.smart;

import java.util.Optional;
import java.util.Set;
import org.fhiranchor.server.security.Role;
import org.fhiranchor.server.security.Scopes;
import org.fhiranchor.server.security.SmartScope;

/**
 * Which scopes a role may be granted through the authorization server: the launch and identity
 * scopes always; a SMART resource scope when one of the role's own scopes covers it (same or wider
 * context, same type or {@code *}, a superset of the permission letters); anything else only when
 * the role has exactly that scope (or {@code operation/*} for an operation).
 */
public final class ScopePolicy {

    /** Scopes about the launch and the user's identity, which grant no data by themselves. */
    public static final Set<String> LAUNCH_SCOPES =
            Set.of("openid", "fhirUser", "profile", "launch/patient", "offline_access", "online_access");

    private ScopePolicy() {}

    public static boolean permits(Role role, String scope) {
        if (LAUNCH_SCOPES.contains(scope)) {
            return true;
        }
        Optional<SmartScope> wanted = SmartScope.parse(scope);
        if (wanted.isPresent()) {
            return role.scopes().stream()
                    .map(SmartScope::parse)
                    .flatMap(Optional::stream)
                    .anyMatch(have -> covers(have, wanted.get()));
        }
        if (role.scopes().contains(scope)) {
            return true;
        }
        return Scopes.operationName(scope).isPresent()
                && role.scopes().contains(Scopes.OPERATION_PREFIX + Scopes.ANY_OPERATION);
    }

    static boolean covers(SmartScope have, SmartScope want) {
        boolean context = have.context() == want.context()
                || have.context() == SmartScope.Context.SYSTEM
                || (have.context() == SmartScope.Context.USER && want.context() == SmartScope.Context.PATIENT);
        boolean type = have.resourceType().equals(want.resourceType())
                || (have.allTypes() && !want.resourceType().equals("AuditEvent"));
        boolean letters = (!want.create() || have.create())
                && (!want.read() || have.read())
                && (!want.update() || have.update())
                && (!want.delete() || have.delete())
                && (!want.search() || have.search());
        return context && type && letters;
    }

    /** Whether the scopes ask for data in one patient's compartment (and so need a patient in context). */
    static boolean needsPatient(Set<String> scopes) {
        return scopes.contains("launch/patient") || scopes.stream().anyMatch(s -> s.startsWith("patient/"));
    }
}
