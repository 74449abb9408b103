package org.fhiranchor.server.consent;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PractitionerRole;

/**
 * Everything a caller acts as, for matching consent actors: the {@code fhirUser} itself, and what
 * it is a member of. A Practitioner is a member of each Organization it has an active
 * PractitionerRole at (and acts as those PractitionerRoles); a PractitionerRole acts as its
 * Practitioner and its Organization; anyone is a member of the CareTeams that list them (or one of
 * their roles or organizations) as participant. Read through the DAO as a system request.
 */
public final class CallerIdentities {

    private final DaoRegistry daoRegistry;

    public CallerIdentities(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /** {@code Type/id} references; empty for an unknown caller. */
    public Set<String> of(ClinicalReader reader) {
        Set<String> identities = new LinkedHashSet<>();
        String caller = reader.fhirUser();
        if (caller == null) {
            return identities;
        }
        identities.add(caller);
        IdType id = new IdType(caller);
        switch (id.getResourceType()) {
            case "Practitioner" -> {
                for (IBaseResource found : search(PractitionerRole.class, "practitioner", caller)) {
                    addRole((PractitionerRole) found, identities);
                }
            }
            case "PractitionerRole" -> {
                try {
                    PractitionerRole role =
                            daoRegistry.getResourceDao(PractitionerRole.class).read(id, new SystemRequestDetails());
                    if (role.getActive() || !role.hasActive()) {
                        identities.add(relative(role.getPractitioner().getReference()));
                        identities.add(relative(role.getOrganization().getReference()));
                    }
                } catch (ResourceNotFoundException | ResourceGoneException unknown) {
                    // A role that does not exist (any more) belongs to nothing.
                }
            }
            default -> {}
        }
        identities.remove(null);
        List<String> members = List.copyOf(identities);
        ReferenceOrListParam participants = new ReferenceOrListParam();
        members.forEach(member -> participants.addOr(new ReferenceParam(member)));
        SearchParameterMap teams = SearchParameterMap.newSynchronous().add("participant", participants);
        for (IBaseResource found : daoRegistry
                .getResourceDao(CareTeam.class)
                .search(teams, new SystemRequestDetails())
                .getAllResources()) {
            CareTeam team = (CareTeam) found;
            if (team.getStatus() != CareTeam.CareTeamStatus.INACTIVE
                    && team.getStatus() != CareTeam.CareTeamStatus.ENTEREDINERROR) {
                identities.add("CareTeam/" + team.getIdElement().getIdPart());
            }
        }
        return identities;
    }

    private void addRole(PractitionerRole role, Set<String> identities) {
        if (role.hasActive() && !role.getActive()) {
            return;
        }
        identities.add("PractitionerRole/" + role.getIdElement().getIdPart());
        identities.add(relative(role.getOrganization().getReference()));
    }

    private List<IBaseResource> search(Class<? extends IBaseResource> type, String parameter, String reference) {
        return daoRegistry
                .getResourceDao(type)
                .search(
                        SearchParameterMap.newSynchronous(parameter, new ReferenceParam(reference)),
                        new SystemRequestDetails())
                .getAllResources();
    }

    private static String relative(String reference) {
        if (reference == null || reference.isBlank()) {
            return null;
        }
        IdType id = new IdType(reference);
        return id.hasResourceType() && id.hasIdPart() ? id.getResourceType() + "/" + id.getIdPart() : null;
    }
}
