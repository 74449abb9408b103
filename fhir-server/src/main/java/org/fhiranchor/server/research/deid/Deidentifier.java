package org.fhiranchor.server.research.deid;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Resource;

/**
 * Applies one {@link DeidentificationProfile} with one export's secret key (docs/deidentification.md).
 * Thread-safe: it holds no mutable state, so one instance can serve a whole export.
 */
public final class Deidentifier {

    private static final Pattern OWNING_PATIENT = Pattern.compile("Patient/[A-Za-z0-9\\-.]{1,64}");

    private final FhirContext fhirContext;
    private final DeidentificationProfile profile;
    private final ExportKeys keys;
    private final LocalDate exportDay;

    /** exportKey: 32 secret bytes, one per export; exportTime: the export's transaction time (for ages). */
    public Deidentifier(
            FhirContext fhirContext, DeidentificationProfile profile, byte[] exportKey, Instant exportTime) {
        this.fhirContext = Objects.requireNonNull(fhirContext, "fhirContext");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.keys = new ExportKeys(exportKey, profile.pseudonymHexLength());
        this.exportDay = ResourceScrubber.utcDay(Objects.requireNonNull(exportTime, "exportTime"));
    }

    /**
     * A de-identified deep copy (the input is never modified). owningPatient = "Patient/<id>" whose date
     * offset applies, or null for resources in no patient compartment (their dates become years).
     */
    public Resource deidentify(Resource resource, String owningPatient) {
        Objects.requireNonNull(resource, "resource");
        Integer dayOffset = null;
        if (owningPatient != null) {
            if (!OWNING_PATIENT.matcher(owningPatient).matches()) {
                throw new IllegalArgumentException("owningPatient must be Patient/<id>");
            }
            if (profile.dateMode() == DeidentificationProfile.DateMode.SHIFT) {
                dayOffset = keys.dayOffset(owningPatient, profile.maxShiftDays());
            }
        }
        Resource copy = resource.copy();
        new ResourceScrubber(fhirContext, profile, keys, exportDay, dayOffset).scrubTopLevel(copy);
        return copy;
    }

    /** "Type/id" -> "Type/<pseudonym>" (the same mapping used for ids and references). */
    public String pseudonymize(String typeAndId) {
        Objects.requireNonNull(typeAndId, "typeAndId");
        String pseudonym =
                new ResourceScrubber(fhirContext, profile, keys, exportDay, null).pseudonymReference(typeAndId);
        if (pseudonym == null) {
            throw new IllegalArgumentException("not a Type/id reference");
        }
        return pseudonym;
    }
}
