package org.fhiranchor.server.consent;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/** Whose data a resource is: a Patient itself, or the owners of its Patient compartment. */
public final class PatientCompartment {

    private PatientCompartment() {}

    /** {@code Patient/<id>} references; empty for resources in no Patient compartment (Organization, ...). */
    public static Set<String> owners(FhirContext fhirContext, IBaseResource resource) {
        Set<String> patients = new LinkedHashSet<>();
        if ("Patient".equals(resource.fhirType())) {
            patients.add("Patient/" + resource.getIdElement().getIdPart());
            return patients;
        }
        for (IIdType owner :
                fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)) {
            // The compartment's paths also reach other types (Observation.performer may be a
            // Practitioner): only Patients own the data.
            if (owner.hasIdPart() && (!owner.hasResourceType() || "Patient".equals(owner.getResourceType()))) {
                patients.add("Patient/" + owner.getIdPart());
            }
        }
        return patients;
    }
}
