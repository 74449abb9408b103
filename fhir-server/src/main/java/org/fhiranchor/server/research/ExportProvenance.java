package org.fhiranchor.server.research;

import java.time.Instant;
import java.util.Date;
import org.fhiranchor.server.consent.ConsentEvaluator;
import org.fhiranchor.server.consent.ResearchAuditWriter;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * The Provenance that binds an export (docs/research-export.md section 3): its id and manifest hash as targets, the
 * requester, the purpose and the de-identification profile. Stored through the DAO, it is a version in the Merkle
 * log like any other, which is how the export's hash is logged and anchored. It holds no patient data.
 */
final class ExportProvenance {

    static final String EXPORT_SYSTEM = "urn:fhir-anchor:research-export";
    static final String MANIFEST_SYSTEM = "urn:fhir-anchor:research-export-manifest";
    static final String PROFILE_SYSTEM = "urn:fhir-anchor:deidentification-profile";
    static final String ACTIVITY_SYSTEM = "urn:fhir-anchor:activity";

    private ExportProvenance() {}

    static Provenance of(
            String exportId,
            String manifestSha256,
            Instant transactionTime,
            String requester,
            String purposeOfUse,
            String profileName,
            String profileSha256) {
        Provenance provenance = new Provenance();
        provenance.addTarget(new Reference()
                .setIdentifier(new Identifier().setSystem(EXPORT_SYSTEM).setValue(exportId)));
        provenance.addTarget(new Reference()
                .setIdentifier(new Identifier().setSystem(MANIFEST_SYSTEM).setValue(manifestSha256)));
        provenance.setRecorded(Date.from(transactionTime));
        provenance.setActivity(new CodeableConcept(new Coding(ACTIVITY_SYSTEM, "research-export", null)));
        provenance.addReason(new CodeableConcept(new Coding(ConsentEvaluator.ACT_REASON, purposeOfUse, null)));
        provenance
                .addAgent()
                .setWho(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(ResearchAuditWriter.REQUESTER_SYSTEM)
                                .setValue(requester)));
        provenance
                .addEntity()
                .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                .setWhat(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(PROFILE_SYSTEM)
                                .setValue(profileName + "|" + profileSha256)));
        return provenance;
    }
}
