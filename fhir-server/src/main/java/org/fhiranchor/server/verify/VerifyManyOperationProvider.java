package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.fhiranchor.anchor.proof.MultiProofJson;
import org.fhiranchor.server.anchoring.Checkpoint;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.log.BatchMember;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code POST [base]/$verify} (or GET) for many versions at once (docs/verification.md section 4.1): the
 * versions named by {@code resource} parameters ({@code Type/id/_history/vid}, or {@code Type/id} for the
 * current one) and/or the resources of a {@code bundle} (e.g. a search or {@code $everything} answer sent
 * back as received). Each version is decided as a single {@code $verify} would be ({@link ProofAccess}: the
 * whole call is refused if one is), reported with its status, and the anchored ones share one
 * {@code fhir-anchor-multiproof/1} against the latest anchored checkpoint.
 */
public final class VerifyManyOperationProvider {

    /** At most this many versions per call (a 1,000-version proof is a few hundred kB: docs/verification.md 4.1). */
    public static final int MAX_VERSIONS = 1000;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,18}");

    private final LogRepository log;
    private final VersionVerifier verifier;
    private final StoredResources resources;
    private final ProofAccess access;
    private final StoredVersions stored;
    private final java.util.Optional<BatchedVersionVerifier> batched;

    public VerifyManyOperationProvider(
            LogRepository log,
            VersionVerifier verifier,
            StoredResources resources,
            ProofAccess access,
            java.util.Optional<BatchedVersionVerifier> batched) {
        this.log = log;
        this.verifier = verifier;
        this.resources = resources;
        this.access = access;
        this.stored = new StoredVersions(resources);
        this.batched = batched;
    }

    @Operation(name = "$verify", idempotent = true)
    public Parameters verifyMany(
            @OperationParam(name = "resource", max = OperationParam.MAX_UNLIMITED) List<StringType> resources,
            @OperationParam(name = "bundle", max = 1) Bundle bundle,
            RequestDetails request) {
        Set<VersionRef> asked = new LinkedHashSet<>();
        if (resources != null) {
            for (StringType resource : resources) {
                asked.add(parse(resource == null ? null : resource.getValue()));
            }
        }
        if (bundle != null) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasSearch() && entry.getSearch().getMode() == Bundle.SearchEntryMode.OUTCOME) {
                    continue;
                }
                asked.add(fromBundleEntry(entry));
            }
        }
        if (asked.isEmpty()) {
            throw new InvalidRequestException("Name the versions to prove: one or more 'resource' parameters"
                    + " (Type/id/_history/vid, or Type/id for the current version) or a 'bundle'");
        }
        if (asked.size() > MAX_VERSIONS) {
            throw new InvalidRequestException(
                    "At most " + MAX_VERSIONS + " versions per $verify call; " + asked.size() + " were asked");
        }
        List<LogEntry> entries = new ArrayList<>();
        List<byte[]> currentHashes = new ArrayList<>();
        List<VersionVerification> batchedMembers = new ArrayList<>();
        Set<String> seenVersions = new java.util.HashSet<>();
        for (VersionRef ref : asked) {
            long version = ref.version() != null ? ref.version() : stored.currentVersion(ref.type(), ref.id());
            if (!seenVersions.add(ref.type() + "/" + ref.id() + "/_history/" + version)) {
                continue;
            }
            java.util.Optional<LogEntry> logged = log.findByVersion(ref.type(), ref.id(), version);
            java.util.Optional<BatchMember> member = logged.isPresent() || batched.isEmpty()
                    ? java.util.Optional.empty()
                    : batched.get().find(ref.type(), ref.id(), version);
            if (member.isPresent()) {
                // A batch member is not a leaf: reported, and proven by its own $verify (docs/verification.md 4.2).
                LogEntry asEntry = BatchedVersionVerifier.asEntry(member.get());
                IBaseResource readable = stored.readable(asEntry);
                byte[] current = verifier.currentContentHash(asEntry, readable);
                access.check(request, new IdType(ref.type(), ref.id(), Long.toString(version)), readable);
                batchedMembers.add(new VersionVerification(
                        VersionStatus.BATCHED,
                        asEntry,
                        current,
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty()));
                continue;
            }
            LogEntry entry = logged.orElseThrow(() -> new ResourceNotFoundException(
                    "No log entry for " + ref.type() + "/" + ref.id() + "/_history/" + version));
            IBaseResource readable = stored.readable(entry);
            // The version a reader is shown is the one to hash, unless it is a delete (then the stored row must be a
            // tombstone); hashed before the access check sees it.
            byte[] current = verifier.currentContentHash(entry, readable);
            access.check(request, new IdType(ref.type(), ref.id(), Long.toString(version)), readable);
            entries.add(entry);
            currentHashes.add(current);
        }
        VersionsVerification result = verifier.verifyAll(entries, currentHashes);
        if (!batchedMembers.isEmpty()) {
            List<VersionVerification> all = new ArrayList<>(result.versions());
            all.addAll(batchedMembers);
            result = new VersionsVerification(all, result.proof(), result.checkpoint(), result.confirmations());
        }
        return toParameters(result);
    }

    private record VersionRef(String type, String id, Long version) {}

    private VersionRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("A 'resource' parameter is empty; give Type/id/_history/vid or Type/id");
        }
        IdType id = new IdType(text.trim());
        return checked(id.getResourceType(), id.getIdPart(), id.getVersionIdPart(), text);
    }

    private VersionRef fromBundleEntry(Bundle.BundleEntryComponent entry) {
        Resource resource = entry.getResource();
        if (resource == null) {
            throw new InvalidRequestException("A bundle entry has no resource (a deleted version in a history?);"
                    + " name such versions with resource=Type/id/_history/vid");
        }
        String version = resource.getMeta().hasVersionId()
                ? resource.getMeta().getVersionId()
                : resource.getIdElement().getVersionIdPart();
        return checked(
                resource.fhirType(),
                resource.getIdElement().getIdPart(),
                version,
                resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }

    private VersionRef checked(String type, String id, String version, String asGiven) {
        if (type == null
                || id == null
                || !resources.isResourceTypeSupported(type)
                || !ID.matcher(id).matches()
                || (version != null && !VERSION.matcher(version).matches())) {
            throw new InvalidRequestException("Not a version this server stores: '" + shorten(asGiven)
                    + "'; give Type/id/_history/vid or Type/id");
        }
        return new VersionRef(type, id, version == null ? null : Long.valueOf(version));
    }

    private static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    static Parameters toParameters(VersionsVerification result) {
        Parameters parameters = new Parameters();
        for (VersionVerification version : result.versions()) {
            LogEntry entry = version.entry();
            Parameters.ParametersParameterComponent part =
                    parameters.addParameter().setName("version");
            part.addPart()
                    .setName("resource")
                    .setValue(new StringType(entry.leaf().ref().toString()));
            part.addPart()
                    .setName("status")
                    .setValue(new CodeType(version.status().code()));
            VerificationParts.addLeaf(part::addPart, entry, version.currentContentHash());
        }
        if (result.proof().isPresent() && result.checkpoint().isPresent()) {
            Checkpoint checkpoint = result.checkpoint().get();
            parameters.addParameter().setName("treeSize").setValue(FhirNumbers.of(checkpoint.treeSize()));
            VerificationParts.addHex(
                    parameters::addParameter, "rootHash", result.proof().get().rootHash());
            VerificationParts.addAnchor(parameters::addParameter, checkpoint, result.confirmations());
            parameters
                    .addParameter()
                    .setName("proof")
                    .setValue(new Attachment()
                            .setContentType("application/json")
                            .setData(MultiProofJson.write(result.proof().get())));
        }
        return parameters;
    }
}
