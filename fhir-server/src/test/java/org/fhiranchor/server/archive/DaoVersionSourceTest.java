package org.fhiranchor.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The archiver's bulk read gives every version exactly as the one-by-one vread does (same served JSON, same
 * content hash), in the order asked, for current versions, older versions of updated resources and versions of
 * deleted resources alike, over more ids than one search takes.
 */
class DaoVersionSourceTest extends FhirRestTest {

    @Autowired
    DaoRegistry daoRegistry;

    @Autowired
    FhirContext fhirContext;

    @Test
    void readAllServesEachVersionAsReadDoes() {
        List<ResourceRef> refs = new ArrayList<>();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        int many = DaoVersionSource.IDS_PER_SEARCH + 5;
        for (int i = 0; i < many; i++) {
            Basic basic = new Basic();
            basic.setCode(new CodeableConcept(new Coding("urn:test:bulk-read", "item-" + i, null)));
            transaction
                    .addEntry()
                    .setResource(basic)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Basic");
        }
        Bundle created = client.transaction().withBundle(transaction).execute();
        created.getEntry()
                .forEach(e -> refs.add(ResourceRef.parse(e.getResponse().getLocation())));

        Patient patient = new Patient();
        patient.addName(new HumanName().setFamily("Bulkread"));
        IIdType first = client.create().resource(patient).execute().getId();
        patient.setId(first.toVersionless());
        patient.getNameFirstRep().setFamily("Bulkread-two");
        IIdType second = client.update().resource(patient).execute().getId();
        Patient gone = new Patient();
        gone.addName(new HumanName().setFamily("Bulkread-gone"));
        IIdType goneId = client.create().resource(gone).execute().getId();
        client.delete().resourceById(goneId.toVersionless()).execute();
        refs.add(1, new ResourceRef("Patient", first.getIdPart(), first.getVersionIdPart()));
        refs.add(new ResourceRef("Patient", second.getIdPart(), second.getVersionIdPart()));
        refs.add(3, new ResourceRef("Patient", goneId.getIdPart(), goneId.getVersionIdPart()));

        DaoVersionSource source = new DaoVersionSource(daoRegistry);
        VersionHasher hasher = new VersionHasher(fhirContext);
        List<Resource> bulk = source.readAll(refs);

        assertThat(bulk).hasSize(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            Resource one = source.read(refs.get(i));
            assertThat(bulk.get(i).getIdElement().getValue())
                    .as("version %d", i)
                    .isEqualTo(one.getIdElement().getValue());
            assertThat(fhirContext.newJsonParser().encodeResourceToString(bulk.get(i)))
                    .isEqualTo(fhirContext.newJsonParser().encodeResourceToString(one));
            assertThat(hasher.contentHash(bulk.get(i))).isEqualTo(hasher.contentHash(one));
        }
        // the search path, not the one-by-one fallback, answered the current versions (one search per chunk)
        List<ResourceRef> basics =
                refs.stream().filter(r -> r.type().equals("Basic")).toList();
        assertThat(source.currentVersions("Basic", basics.subList(0, DaoVersionSource.IDS_PER_SEARCH))
                        .keySet())
                .containsExactlyInAnyOrderElementsOf(basics.subList(0, DaoVersionSource.IDS_PER_SEARCH));
        assertThat(source.currentVersions(
                                "Patient",
                                List.of(
                                        new ResourceRef("Patient", first.getIdPart(), first.getVersionIdPart()),
                                        new ResourceRef("Patient", goneId.getIdPart(), goneId.getVersionIdPart())))
                        .keySet())
                .as("an updated resource's current version is another one; a deleted one has none")
                .containsExactly(new ResourceRef("Patient", second.getIdPart(), second.getVersionIdPart()));
        assertThat(((Patient) bulk.get(1)).getNameFirstRep().getFamily()).isEqualTo("Bulkread");
        assertThat(((Patient) bulk.get(refs.size() - 1)).getNameFirstRep().getFamily())
                .isEqualTo("Bulkread-two");
    }
}
