package org.fhiranchor.server.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The built-in roles and the scopes a token minted for each carries. Authorization decisions are
 * made on the scopes alone, so that tokens from an external issuer (which knows nothing of these
 * roles) work the same once they carry the same scopes; the role name is kept for the audit trail.
 */
public enum Role {
    /** An EHR system: reads and writes everything clinical, plus the standard record operations. */
    EHR(
            "system/*.cruds",
            "operation/$meta",
            "operation/$meta-add",
            "operation/$meta-delete",
            "operation/$validate",
            "operation/$everything"),
    /** A clinical app acting for a user: reads and searches clinical data. */
    CLINICIAN("user/*.rs", "operation/$meta", "operation/$everything"),
    /**
     * A patient's app: reads and searches the patient's own compartment (token claim {@code patient}),
     * and creates and updates the patient's own Consents (grant, revoke).
     */
    PATIENT("patient/*.rs", "patient/Consent.cu"),
    /**
     * A pharmacy system: reads prescriptions (MedicationRequest), Medications and its own dispense
     * records, and the Patients and Practitioners as far as a MedicationRequest references them
     * ({@link Consumer#PHARMACIST}); records MedicationDispense and writes nothing else.
     */
    PHARMACIST(
            "user/MedicationRequest.rs",
            "user/Medication.rs",
            "user/MedicationDispense.crus",
            "user/Patient.rs",
            "user/Practitioner.rs",
            "consumer/pharmacist"),
    /**
     * A payer, whose token's {@code fhirUser} is its Organization: reads the Claims naming it as insurer, what
     * they reference and the ClaimResponses to them ({@link Consumer#INSURER}); writes ClaimResponses to them.
     */
    INSURER("user/*.rs", "user/ClaimResponse.cu", "consumer/insurer"),
    /** Proofs, checkpoints and the audit trail; no clinical resources. */
    AUDITOR(
            "system/AuditEvent.rs",
            "operation/$verify",
            "operation/$consistency",
            "operation/$checkpoints",
            "operation/$audit-sweep"),
    /** The consented research export (kick-off, status, files) and nothing else. */
    RESEARCHER("operation/$research-export", "operation/$research-export-status", "operation/$research-export-file"),
    /** Everything, including the actuator endpoints. */
    ADMIN("system/*.cruds", "system/AuditEvent.rs", "operation/*", Scopes.ADMIN),
    /** The restore command's writer: every resource type, archived AuditEvents included. */
    RESTORE("system/*.cruds", "system/AuditEvent.cu", Scopes.RESTORE);

    private final List<String> scopes;

    Role(String... scopes) {
        this.scopes = List.of(scopes);
    }

    public List<String> scopes() {
        return scopes;
    }

    public String scopeClaim() {
        return String.join(" ", scopes);
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromCode(String code) {
        return Arrays.stream(values())
                .filter(role -> role.code().equalsIgnoreCase(code))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown role '" + code + "'; one of "
                        + Arrays.stream(values()).map(Role::code).toList()));
    }
}
