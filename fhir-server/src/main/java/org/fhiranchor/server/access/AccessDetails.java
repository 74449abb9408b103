package org.fhiranchor.server.access;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What other features know about one request that its AuditEvent must carry, collected in the
 * request's user data while it is handled: the caller's SMART {@code fhirUser}, a declared purpose
 * of use (break-glass), and the patients whose data the request touched (released or withheld).
 */
public final class AccessDetails {

    private static final String KEY = AccessDetails.class.getName();

    private String fhirUser;
    private String purposeOfUse;
    private final Set<String> patients = new LinkedHashSet<>();

    public static AccessDetails of(RequestDetails request) {
        return (AccessDetails) request.getUserData().computeIfAbsent(KEY, k -> new AccessDetails());
    }

    public AccessDetails fhirUser(String reference) {
        this.fhirUser = reference;
        return this;
    }

    public AccessDetails purposeOfUse(String code) {
        this.purposeOfUse = code;
        return this;
    }

    /** @param patient {@code Patient/<id>} */
    public synchronized AccessDetails patient(String patient) {
        patients.add(patient);
        return this;
    }

    public String fhirUser() {
        return fhirUser;
    }

    public String purposeOfUse() {
        return purposeOfUse;
    }

    public synchronized Set<String> patients() {
        return Set.copyOf(patients);
    }
}
