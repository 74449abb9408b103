package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.fhiranchor.anchor.proof.AnchorProof;
import org.fhiranchor.anchor.proof.ProofJson;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.log.BatchMember;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code GET [type]/[id]/_history/[vid]/$verify} and {@code GET [type]/[id]/$verify} (current
 * version), for every resource type: the version's status, content hash, leaf, audit path,
 * checkpoint and where it sits on chain, plus the proof document the offline verifier checks.
 */
public final class VerifyOperationProvider {

    private final LogRepository log;
    private final VersionVerifier verifier;
    private final java.util.List<VerifyPartContributor> contributors;
    private final ProofAccess access;
    private final StoredVersions stored;
    private final java.util.Optional<BatchedVersionVerifier> batched;

    public VerifyOperationProvider(LogRepository log, VersionVerifier verifier, StoredResources resources) {
        this(
                log,
                verifier,
                resources,
                java.util.List.of(),
                (request, version, readable) -> {},
                java.util.Optional.empty());
    }

    public VerifyOperationProvider(
            LogRepository log,
            VersionVerifier verifier,
            StoredResources resources,
            java.util.List<VerifyPartContributor> contributors,
            ProofAccess access,
            java.util.Optional<BatchedVersionVerifier> batched) {
        this.log = log;
        this.verifier = verifier;
        this.contributors = java.util.List.copyOf(contributors);
        this.access = access;
        this.stored = new StoredVersions(resources);
        this.batched = batched;
    }

    @Operation(name = "$verify", idempotent = true, global = true)
    public Parameters verify(@IdParam IIdType id, RequestDetails request) {
        String type = id.getResourceType() != null ? id.getResourceType() : request.getResourceName();
        long version = id.hasVersionIdPart()
                ? Long.parseLong(id.getVersionIdPart())
                : stored.currentVersion(type, id.getIdPart());
        java.util.Optional<LogEntry> logged = log.findByVersion(type, id.getIdPart(), version);
        if (logged.isEmpty() && batched.isPresent()) {
            java.util.Optional<BatchMember> member = batched.get().find(type, id.getIdPart(), version);
            if (member.isPresent()) {
                LogEntry asEntry = BatchedVersionVerifier.asEntry(member.get());
                IBaseResource readable = stored.readable(asEntry);
                // Hashed before the access check sees it, and from this one read (the version is not read twice).
                byte[] current = verifier.currentContentHash(asEntry, readable);
                access.check(request, new IdType(type, id.getIdPart(), Long.toString(version)), readable);
                return batched.get().verify(member.get(), current);
            }
        }
        LogEntry entry = logged.orElseThrow(() -> new ResourceNotFoundException(
                "No log entry for " + type + "/" + id.getIdPart() + "/_history/" + version));
        IBaseResource readable = stored.readable(entry);
        byte[] current = verifier.currentContentHash(entry, readable);
        access.check(request, new IdType(type, id.getIdPart(), Long.toString(version)), readable);
        Parameters parameters = toParameters(verifier.verify(entry, current));
        contributors.forEach(contributor -> contributor.contribute(entry, parameters));
        return parameters;
    }

    static Parameters toParameters(VersionVerification result) {
        LogEntry entry = result.entry();
        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("status")
                .setValue(new CodeType(result.status().code()));
        parameters
                .addParameter()
                .setName("resource")
                .setValue(new StringType(entry.leaf().ref().toString()));
        VerificationParts.addLeaf(parameters::addParameter, entry, result.currentContentHash());
        if (result.proof().isPresent() && result.checkpoint().isPresent()) {
            AnchorProof proof = result.proof().get();
            Checkpoint checkpoint = result.checkpoint().get();
            parameters.addParameter().setName("treeSize").setValue(FhirNumbers.of(proof.treeSize()));
            VerificationParts.addHex(parameters::addParameter, "rootHash", proof.rootHash());
            Parameters.ParametersParameterComponent path =
                    parameters.addParameter().setName("auditPath");
            proof.auditPath().forEach(hash -> VerificationParts.addHex(path::addPart, "hash", hash));
            VerificationParts.addAnchor(parameters::addParameter, checkpoint, result.confirmations());
            parameters
                    .addParameter()
                    .setName("proof")
                    .setValue(
                            new Attachment().setContentType("application/json").setData(ProofJson.write(proof)));
        }
        return parameters;
    }
}
