package org.fhiranchor.server.research;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.fhiranchor.anchor.log.SubtreeHashes;
import org.fhiranchor.server.anchoring.CheckpointRequests;
import org.fhiranchor.server.archive.ArchiveStore;
import org.fhiranchor.server.consent.ConsentKeys;
import org.fhiranchor.server.consent.ConsentOutbox;
import org.fhiranchor.server.consent.PatientConsents;
import org.fhiranchor.server.consent.ResearchAuditWriter;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.verify.VersionVerifier;

/** What an export job reads and writes: FHIR data, consent, the log and its proofs, IPFS, its own table. */
record ExportServices(
        DaoRegistry daoRegistry,
        FhirContext fhirContext,
        PatientConsents consents,
        ConsentOutbox consentOutbox,
        ConsentKeys consentKeys,
        ResearchAuditWriter audit,
        LogRepository log,
        VersionVerifier verifier,
        VersionHasher hasher,
        SubtreeHashes subtrees,
        ArchiveStore store,
        CheckpointRequests checkpointRequests,
        ExportRepository exports,
        ResearchProperties properties,
        Clock clock) {}
