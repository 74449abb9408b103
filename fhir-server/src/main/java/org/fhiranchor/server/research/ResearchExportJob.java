package org.fhiranchor.server.research;

import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.fhiranchor.anchor.export.ConsentDecisionLine;
import org.fhiranchor.anchor.export.ExportFile;
import org.fhiranchor.anchor.export.ExportProof;
import org.fhiranchor.anchor.export.RecipientBox;
import org.fhiranchor.anchor.export.ResearchExportManifest;
import org.fhiranchor.anchor.export.SourceLine;
import org.fhiranchor.anchor.log.MultiInclusionProof;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.server.consent.ConsentEvaluator;
import org.fhiranchor.server.consent.ConsentOutbox;
import org.fhiranchor.server.consent.PatientCompartment;
import org.fhiranchor.server.consent.ResearchRequester;
import org.fhiranchor.server.log.BatchRecords;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.research.ExportCohort.ConsentVersion;
import org.fhiranchor.server.research.deid.DeidentificationProfile;
import org.fhiranchor.server.research.deid.Deidentifier;
import org.fhiranchor.server.verify.VersionStatus;
import org.fhiranchor.server.verify.VersionVerification;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs one export from start to end (docs/research-export.md section 2): cohort, reading, de-identification,
 * encrypted NDJSON in IPFS, sources and consent decisions, manifest, Provenance, and the proofs once anchored.
 * Everything it tells the researcher (progress, failures) names types and counts, never patient data.
 */
final class ResearchExportJob {

    private static final java.time.Duration WAIT_STEP = java.time.Duration.ofMillis(250);

    private final ExportServices services;
    private final ExportRecord export;
    private final String owner;
    private final ExportRequest request;
    private final ResearchRequester requester;
    private final Instant transactionTime;

    /** A source version, before its leaf is looked up. */
    private record Source(String type, String id, long version, String pseudonym) {}

    ResearchExportJob(ExportServices services, ExportRecord export, String owner) {
        this.services = services;
        this.export = export;
        this.owner = owner;
        this.request = export.request();
        this.requester = new ResearchRequester(request.requester(), request.purposeOfUse());
        this.transactionTime = export.transactionTime();
    }

    /** What the data stage wrote: the encrypted files so far, and the source versions behind them. */
    private record Written(List<ExportFile> files, List<Source> sources) {}

    /** The Provenance version that states the export, as stored. */
    private record ProvenanceVersion(String id, long version) {
        String reference() {
            return "Provenance/" + id + "/_history/" + version;
        }
    }

    /**
     * The stages, in order: cohort (whose consent releases what), data (de-identified, encrypted NDJSON), sources and
     * consent decisions, manifest, Provenance, proofs once anchored; then the audit and the completed row.
     */
    void run() {
        ExportCohort cohort = new ExportCohort(requester, request.types(), transactionTime);
        boolean audited = false;
        try {
            DeidentificationProfile profile = DeidentificationProfile.load(request.profile());
            Deidentifier deidentifier = new Deidentifier(
                    services.fhirContext(),
                    profile,
                    services.consentKeys().researchExportKey(export.exportId()),
                    transactionTime);
            byte[] recipientKey = RecipientBox.decodePublicKey(request.recipientPublicKey());
            RecipientBox box = new RecipientBox();
            UnaryOperator<byte[]> seal = plaintext -> box.seal(plaintext, recipientKey);

            considerPatients(cohort);
            Written written = writeData(cohort, deidentifier, seal);
            List<SourceLine> sourceLines = writeSourcesAndDecisions(written, cohort, deidentifier, seal);
            ResearchExportManifest manifest = manifest(profile, cohort, written.files());
            String manifestCid = put(manifest.canonicalBytes());
            ProvenanceVersion provenance = writeProvenance(profile, manifest);
            String proofCid = put(proveAnchored(provenance, sourceLines).toJson());

            services.audit().write(requester, null, cohort.tallies(), true);
            audited = true;
            services.exports()
                    .complete(
                            export.exportId(),
                            owner,
                            manifestCid,
                            proofCid,
                            provenance.reference(),
                            services.clock().instant());
        } catch (ExportCancelled cancelled) {
            if (Thread.currentThread().isInterrupted()) {
                // The server is stopping: queue it again for the next start (or another replica).
                services.exports().requeue(export.exportId(), owner);
            }
            // Otherwise the row says cancelled, or another runner owns it now: nothing more to write.
        } catch (ExportFailure failure) {
            fail(failure.getMessage(), cohort, audited);
        } catch (RuntimeException unexpected) {
            // The exception's message may quote data: the researcher gets its kind only.
            fail("internal error (" + unexpected.getClass().getSimpleName() + ")", cohort, audited);
            throw unexpected;
        }
    }

    /** Cohort: every patient's consents, evaluated for this requester and purpose. */
    private void considerPatients(ExportCohort cohort) {
        forEach(
                "Patient",
                null,
                patient -> {
                    String reference = "Patient/" + patient.getIdElement().getIdPart();
                    cohort.consider(reference, services.consents().of(reference));
                },
                "consent of patients");
    }

    /** Data: each released resource of each type, de-identified, into the type's encrypted NDJSON files. */
    private Written writeData(ExportCohort cohort, Deidentifier deidentifier, UnaryOperator<byte[]> seal) {
        List<ExportFile> files = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        IParser json = services.fhirContext().newJsonParser();
        for (String type : request.types()) {
            EncryptedFileSeries series = series(type, ExportFile.Role.DATA, type, seal, files);
            forEach(
                    type,
                    request.since(),
                    resource -> {
                        if (BatchRecords.isBatchRecord(resource)) {
                            return; // the log's own machinery (audit batch records), never exported
                        }
                        Set<String> owners = PatientCompartment.owners(services.fhirContext(), resource);
                        if (!owners.isEmpty() && !cohort.release(owners, type)) {
                            return;
                        }
                        String owning =
                                owners.isEmpty() ? null : owners.iterator().next();
                        Resource deidentified = deidentifier.deidentify((Resource) resource, owning);
                        series.add(json.encodeResourceToString(deidentified));
                        IdType id = (IdType) resource.getIdElement();
                        sources.add(new Source(
                                type,
                                id.getIdPart(),
                                versionOf(resource),
                                deidentifier.pseudonymize(type + "/" + id.getIdPart())));
                    },
                    type);
            series.close();
        }
        return new Written(files, sources);
    }

    /** Sources (each exported version's leaf) and the consent decisions that released them, encrypted. */
    private List<SourceLine> writeSourcesAndDecisions(
            Written written, ExportCohort cohort, Deidentifier deidentifier, UnaryOperator<byte[]> seal) {
        List<SourceLine> sourceLines = leavesOf(written.sources());
        EncryptedFileSeries sourceSeries = series("sources", ExportFile.Role.SOURCES, null, seal, written.files());
        sourceLines.forEach(line -> sourceSeries.add(line.format()));
        sourceSeries.close();

        EncryptedFileSeries decisionSeries = new EncryptedFileSeries(
                "consent-decisions",
                false,
                ExportFile.Role.CONSENT_DECISIONS,
                null,
                Integer.MAX_VALUE,
                seal,
                services.store(),
                written.files());
        consentDecisions(cohort, deidentifier).forEach(line -> decisionSeries.add(line.format()));
        decisionSeries.close();
        return sourceLines;
    }

    private ResearchExportManifest manifest(
            DeidentificationProfile profile, ExportCohort cohort, List<ExportFile> files) {
        files.sort(Comparator.comparing(ExportFile::name));
        return new ResearchExportManifest(
                export.exportId(),
                transactionTime,
                request.requester(),
                ConsentEvaluator.ACT_REASON + "|" + request.purposeOfUse(),
                request.types(),
                request.since(),
                profile.name(),
                HexFormat.of().formatHex(profile.sha256()),
                request.recipientPublicKey(),
                cohort.considered(),
                cohort.included(),
                cohort.considered() - cohort.included(),
                files);
    }

    /** The Provenance that states the export (its manifest's hash), an ordinary logged version. */
    private ProvenanceVersion writeProvenance(DeidentificationProfile profile, ResearchExportManifest manifest) {
        beat("writing the Provenance");
        Provenance provenance = ExportProvenance.of(
                export.exportId(),
                manifest.sha256(),
                transactionTime,
                request.requester(),
                request.purposeOfUse(),
                profile.name(),
                HexFormat.of().formatHex(profile.sha256()));
        DaoMethodOutcome created =
                services.daoRegistry().getResourceDao(Provenance.class).create(provenance, new SystemRequestDetails());
        return new ProvenanceVersion(
                created.getId().getIdPart(), created.getId().getVersionIdPartAsLong());
    }

    /**
     * Proofs: waits until a checkpoint on chain covers the Provenance and every source, then proves the Provenance
     * (its ordinary proof) and all sources at once (one multi-leaf proof against the same tree head).
     */
    private ExportProof proveAnchored(ProvenanceVersion provenance, List<SourceLine> sourceLines) {
        long highestSource =
                sourceLines.stream().mapToLong(SourceLine::leafIndex).max().orElse(-1);
        LogEntry provenanceEntry = await(
                "the Provenance's log leaf",
                () -> services.log()
                        .findByVersion("Provenance", provenance.id(), provenance.version())
                        .filter(LogEntry::isSequenced));
        // A researcher is waiting: ask for the checkpoint now rather than at the end of the interval.
        services.checkpointRequests().requestCovering(Math.max(provenanceEntry.leafIndex(), highestSource) + 1);
        VersionVerification anchored = await("a checkpoint on chain", () -> {
            VersionVerification verification = services.verifier().verify(provenanceEntry);
            return verification.status() == VersionStatus.ANCHORED
                            && verification
                                    .proof()
                                    .map(p -> p.treeSize() > highestSource)
                                    .orElse(false)
                    ? Optional.of(verification)
                    : Optional.empty();
        });
        AnchorProof provenanceProof = anchored.proof().orElseThrow();
        List<Long> leafIndexes =
                sourceLines.stream().map(SourceLine::leafIndex).sorted().toList();
        List<byte[]> sourcesProof = leafIndexes.isEmpty()
                ? List.of()
                : MultiInclusionProof.generate(leafIndexes, provenanceProof.treeSize(), services.subtrees());
        IBaseResource stored = services.daoRegistry()
                .getResourceDao(Provenance.class)
                .read(
                        new IdType("Provenance", provenance.id(), Long.toString(provenance.version())),
                        new SystemRequestDetails());
        return new ExportProof(
                services.hasher().servedJson(stored), provenanceProof, provenanceProof.treeSize(), sourcesProof);
    }

    private void fail(String reason, ExportCohort cohort, boolean audited) {
        if (!audited && cohort.considered() > 0) {
            services.audit().write(requester, null, cohort.tallies(), false);
        }
        services.exports()
                .fail(export.exportId(), owner, reason, services.clock().instant());
    }

    private EncryptedFileSeries series(
            String prefix, ExportFile.Role role, String type, UnaryOperator<byte[]> seal, List<ExportFile> files) {
        return new EncryptedFileSeries(
                prefix, true, role, type, services.properties().maxResourcesPerFile(), seal, services.store(), files);
    }

    /** Every current (not deleted) resource of a type, page by page, renewing the claim after each page. */
    private void forEach(String type, Instant since, Consumer<IBaseResource> action, String what) {
        IFhirResourceDao<?> dao = services.daoRegistry().getResourceDao(type);
        SearchParameterMap query = new SearchParameterMap();
        if (since != null) {
            query.setLastUpdated(
                    new DateRangeParam(new DateParam(ParamPrefixEnum.GREATERTHAN_OR_EQUALS, Date.from(since)), null));
        }
        IBundleProvider results = dao.search(query, new SystemRequestDetails());
        int pageSize = services.properties().pageSize();
        int done = 0;
        while (true) {
            List<IBaseResource> page = results.getResources(done, done + pageSize);
            if (page.isEmpty()) {
                break;
            }
            for (IBaseResource resource : page) {
                if (resource != null) {
                    action.accept(resource);
                }
            }
            done += page.size();
            beat("reading " + what + ": " + done);
        }
    }

    /** The log leaves of the source versions, waiting for the sequencer where it has not reached them yet. */
    private List<SourceLine> leavesOf(List<Source> sources) {
        Map<String, List<Source>> byType = new LinkedHashMap<>();
        sources.forEach(
                s -> byType.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s));
        List<SourceLine> lines = new ArrayList<>(sources.size());
        for (Map.Entry<String, List<Source>> type : byType.entrySet()) {
            List<Source> ofType = type.getValue();
            for (int from = 0; from < ofType.size(); from += 500) {
                List<Source> batch = ofType.subList(from, Math.min(ofType.size(), from + 500));
                Map<String, LogEntry> entries = await("the sequencer to reach the source versions", () -> {
                    Map<String, LogEntry> found = new HashMap<>();
                    for (LogEntry entry : services.log()
                            .entriesOf(
                                    type.getKey(),
                                    batch.stream().map(Source::id).toList())) {
                        found.put(
                                entry.leaf().ref().id() + "/"
                                        + entry.leaf().ref().versionId(),
                                entry);
                    }
                    boolean all = batch.stream().allMatch(s -> {
                        LogEntry e = found.get(s.id() + "/" + s.version());
                        return e != null && e.isSequenced();
                    });
                    return all ? Optional.of(found) : Optional.empty();
                });
                for (Source source : batch) {
                    LogEntry entry = entries.get(source.id() + "/" + source.version());
                    lines.add(new SourceLine(
                            entry.leafIndex(), HexFormat.of().formatHex(entry.leafHash()), source.pseudonym()));
                }
            }
            beat("looking up the log leaves of " + type.getKey());
        }
        lines.sort(Comparator.comparingLong(SourceLine::leafIndex));
        return lines;
    }

    /** One line per permitting consent version of each included patient, once it is recorded on chain. */
    private List<ConsentDecisionLine> consentDecisions(ExportCohort cohort, Deidentifier deidentifier) {
        List<ConsentDecisionLine> lines = new ArrayList<>();
        for (Map.Entry<String, List<ConsentVersion>> patient :
                cohort.permittingConsents().entrySet()) {
            String pseudonym = deidentifier.pseudonymize(patient.getKey());
            for (ConsentVersion consent : patient.getValue()) {
                ConsentOutbox.Row row = await("the consent decisions on chain", () -> {
                    Optional<ConsentOutbox.Row> found =
                            services.consentOutbox().find(consent.consentId(), consent.version());
                    if (found.isPresent()
                            && ConsentOutbox.FAILED.equals(found.get().status())) {
                        throw new ExportFailure(
                                "a consent decision this export relies on could not be recorded on chain");
                    }
                    return found.filter(r -> ConsentOutbox.RECORDED.equals(r.status()));
                });
                lines.add(new ConsentDecisionLine(
                        HexFormat.of().formatHex(row.decision().consentKey()),
                        row.decision().consentVersion(),
                        HexFormat.of().formatHex(row.decision().decisionHash()),
                        pseudonym));
            }
        }
        return lines;
    }

    private String put(byte[] bytes) {
        try {
            return services.store().put(bytes).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("the IPFS store refused an export file", e);
        }
    }

    private <T> T await(String what, Supplier<Optional<T>> probe) {
        Instant deadline = services.clock().instant().plus(services.properties().proofTimeout());
        while (true) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (services.clock().instant().isAfter(deadline)) {
                throw new ExportFailure("timed out waiting for " + what);
            }
            beat("waiting for " + what);
            try {
                Thread.sleep(WAIT_STEP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExportCancelled();
            }
        }
    }

    private void beat(String progress) {
        if (Thread.currentThread().isInterrupted()
                || !services.exports()
                        .heartbeat(
                                export.exportId(),
                                owner,
                                progress,
                                services.clock().instant())) {
            throw new ExportCancelled();
        }
    }

    private static long versionOf(IBaseResource resource) {
        String version = resource.getIdElement().getVersionIdPart();
        if (version == null) {
            version = resource.getMeta().getVersionId();
        }
        return Long.parseLong(version);
    }
}
