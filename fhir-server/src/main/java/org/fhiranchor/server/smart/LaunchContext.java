package org.fhiranchor.server.smart;

import java.util.Set;
import org.fhiranchor.server.security.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who a token is for and in which patient's context: the user's role and FHIR identity from the
 * account, the patient from the account (a patient's own record) or from the patient picker (a
 * clinician's choice, kept as an authority of the login for the rest of the session).
 *
 * @param role the role code, recorded in the token's {@code role} claim
 * @param patientId the launch context's Patient id, when the scopes need one
 * @param fhirUser the user as a FHIR resource ({@code Patient/123}), if linked
 */
record LaunchContext(String role, String patientId, String fhirUser) {

    /** Authority prefix of the patient a clinician picked in this session. */
    static final String PICKED_PATIENT = "SMART_PICKED_PATIENT_";

    static LaunchContext of(UserAccounts.UserAccount account, Authentication login, Set<String> scopes) {
        String patient = null;
        if (ScopePolicy.needsPatient(scopes)) {
            patient = account.patientId() != null ? account.patientId() : pickedPatient(login);
        }
        return new LaunchContext(account.role().code(), patient, account.fhirUser());
    }

    static LaunchContext ofService(Role role) {
        return new LaunchContext(role == null ? null : role.code(), null, null);
    }

    static String pickedPatient(Authentication login) {
        if (login == null) {
            return null;
        }
        return login.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith(PICKED_PATIENT))
                .map(a -> a.substring(PICKED_PATIENT.length()))
                .findFirst()
                .orElse(null);
    }
}
