package org.fhiranchor.server.consent;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;

/**
 * A person reading patient data for care (a token with {@code user/} clinical scopes), whose reads
 * the patients' privacy consents decide: who they are (the token's SMART {@code fhirUser} claim)
 * and whether they declared break-glass (purpose of use {@code BTG}). Put into
 * {@code RequestDetails.getUserData()} under {@link #USER_DATA_KEY} by the security layer, from
 * the verified token, before {@code SERVER_INCOMING_REQUEST_PRE_HANDLED}.
 *
 * @param fhirUser {@code Practitioner/x}, {@code PractitionerRole/x}, {@code Organization/x} or
 *     {@code RelatedPerson/x}; {@code null} when the token names nobody usable (an unknown caller)
 * @param breakGlass whether the caller declared an emergency override
 */
public record ClinicalReader(String fhirUser, boolean breakGlass) {

    public static final String USER_DATA_KEY = "fhir-anchor.clinical-reader";
    /** The v3-ActReason code of an emergency override. */
    public static final String BREAK_GLASS = "BTG";

    /** Bulk export job parameters carry the reader as these two strings (job user data must be JSON). */
    static final String JOB_FHIR_USER = "fhir-anchor.clinical-reader.fhir-user";

    static final String JOB_BREAK_GLASS = "fhir-anchor.clinical-reader.break-glass";

    private static final Set<String> CALLER_TYPES =
            Set.of("Practitioner", "PractitionerRole", "Organization", "RelatedPerson");

    /** A reader from a {@code fhirUser} claim (relative or absolute); an unusable claim gives an unknown caller. */
    public static ClinicalReader of(String fhirUserClaim, boolean breakGlass) {
        return new ClinicalReader(callerReference(fhirUserClaim), breakGlass);
    }

    public static Optional<ClinicalReader> of(RequestDetails request) {
        if (request == null) {
            return Optional.empty();
        }
        Object reader = request.getUserData().get(USER_DATA_KEY);
        if (reader instanceof ClinicalReader clinical) {
            return Optional.of(clinical);
        }
        // A bulk export's system request, rebuilt from the job's user data.
        return fromJobUserData(request.getUserData());
    }

    /** The reader as bulk export job user data (strings only). */
    public Map<String, Object> asJobUserData() {
        return Map.of(JOB_FHIR_USER, fhirUser == null ? "" : fhirUser, JOB_BREAK_GLASS, Boolean.toString(breakGlass));
    }

    /** The reader of a bulk export kicked off by a clinical reader, from its job user data. */
    public static Optional<ClinicalReader> fromJobUserData(Map<?, ?> userData) {
        if (userData == null || !userData.containsKey(JOB_FHIR_USER)) {
            return Optional.empty();
        }
        String fhirUser = String.valueOf(userData.get(JOB_FHIR_USER));
        return Optional.of(new ClinicalReader(
                fhirUser.isEmpty() ? null : callerReference(fhirUser),
                Boolean.parseBoolean(String.valueOf(userData.get(JOB_BREAK_GLASS)))));
    }

    private static String callerReference(String claim) {
        if (claim == null || claim.isBlank() || claim.length() > 512) {
            return null;
        }
        IdType id = new IdType(claim.trim());
        if (!id.hasResourceType()
                || !id.hasIdPart()
                || !CALLER_TYPES.contains(id.getResourceType())
                || !id.getIdPart().matches("[A-Za-z0-9\\-.]{1,64}")) {
            return null;
        }
        return id.getResourceType() + "/" + id.getIdPart();
    }
}
