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
        for (IIdType owner : fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, (Set<String>) null)) {
            if (owner.hasIdPart()) {
                patients.add("Patient/" + owner.getIdPart());
            }
        }
        return patients;
    }
}
