package org.fhiranchor.server.research;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.fhiranchor.anchor.export.ExportFile;
import org.fhiranchor.anchor.export.RecipientBox;
import org.fhiranchor.anchor.export.ResearchExportManifest;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.server.archive.ArchiveStore;
import org.fhiranchor.server.consent.ConsentEvaluator;
import org.fhiranchor.server.consent.RequesterResolver;
import org.fhiranchor.server.consent.ResearchRequester;
import org.fhiranchor.server.research.deid.DeidentificationProfile;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;

/**
 * The research export's FHIR operations, in the style of the Bulk Data Access IG (docs/research-export.md):
 * {@code POST $research-export} (kick-off, 202 + Content-Location), {@code GET|DELETE $research-export-status}
 * (progress, completion document, cancel) and {@code GET $research-export-file} (the files, from IPFS). Only the
 * research requester of the token may start an export, and only the one that started it may see it.
 */
final class ResearchExportOperations {

    static final String STATUS = "$research-export-status";
    static final String FILE = "$research-export-file";
    static final String MANIFEST_FILE = "manifest.json";
    static final String PROOF_FILE = "export-proof.json";
    /** Never exported: the audit trail, consents themselves, and provenance of this server's own work. */
    static final Set<String> NEVER_EXPORTED = Set.of("AuditEvent", "Consent", "Provenance");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportRepository exports;
    private final ArchiveStore store;
    private final RequesterResolver requesters;
    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;
    private final Clock clock;

    ResearchExportOperations(
            ExportRepository exports,
            ArchiveStore store,
            RequesterResolver requesters,
            DaoRegistry daoRegistry,
            FhirContext fhirContext,
            Clock clock) {
        this.exports = exports;
        this.store = store;
        this.requesters = requesters;
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    @Operation(name = "$research-export", manualResponse = true)
    public void kickOff(
            @OperationParam(name = "recipientPublicKey", min = 0, max = 1) StringType recipientPublicKey,
            @OperationParam(name = "_type", min = 0, max = 1) StringType types,
            @OperationParam(name = "_since", min = 0, max = 1) InstantType since,
            @OperationParam(name = "deidentificationProfile", min = 0, max = 1) StringType profile,
            @OperationParam(name = "organization", min = 0, max = 1) StringType organization,
            @OperationParam(name = "purpose", min = 0, max = 1) StringType purpose,
            ServletRequestDetails details)
            throws IOException {
        ResearchRequester requester = requesters
                .resolve(details)
                .orElseThrow(() -> new ForbiddenOperationException(
                        "$research-export needs a research requester (token claims fhirUser and purpose_of_use)"));
        String prefer = details.getHeader("Prefer");
        if (prefer == null || !prefer.toLowerCase().contains("respond-async")) {
            throw new InvalidRequestException("$research-export is asynchronous: send Prefer: respond-async");
        }
        if (organization != null && !requester.requesterReference().equals(organization.getValue())) {
            throw new ForbiddenOperationException("organization must be the token's own fhirUser");
        }
        if (purpose != null && !purposeMatches(purpose.getValue(), requester.purposeOfUse())) {
            throw new ForbiddenOperationException("purpose must be the token's own purpose_of_use");
        }
        if (recipientPublicKey == null || recipientPublicKey.isEmpty()) {
            throw new InvalidRequestException(
                    "recipientPublicKey is required: the researcher's X25519 public key, base64url");
        }
        try {
            RecipientBox.decodePublicKey(recipientPublicKey.getValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("recipientPublicKey is not an X25519 public key (32 bytes, base64url)");
        }
        String profileName = profile == null || profile.isEmpty() ? "safe-harbor" : profile.getValue();
        if (!DeidentificationProfile.names().contains(profileName)) {
            throw new InvalidRequestException(
                    "unknown deidentificationProfile; one of " + new TreeSet<>(DeidentificationProfile.names()));
        }
        ExportRequest request = new ExportRequest(
                requester.requesterReference(),
                requester.purposeOfUse(),
                types(types),
                since == null ? null : since.getValue().toInstant(),
                profileName,
                recipientPublicKey.getValue());
        String exportId = UUID.randomUUID().toString();
        exports.insert(exportId, request, clock.instant());

        HttpServletResponse response = details.getServletResponse();
        response.setStatus(202);
        response.setHeader("Content-Location", statusUrl(details, exportId));
        writeOutcome(
                response,
                OperationOutcome.IssueSeverity.INFORMATION,
                "Export " + exportId + " queued; poll its Content-Location");
    }

    @Operation(name = STATUS, manualResponse = true, idempotent = true, deleteEnabled = true)
    public void status(
            @OperationParam(name = "_jobId", min = 1, max = 1) StringType jobId, ServletRequestDetails details)
            throws IOException {
        ExportRecord export = ownExport(jobId, details);
        HttpServletResponse response = details.getServletResponse();
        if (details.getRequestType() == RequestTypeEnum.DELETE) {
            if (!exports.cancel(export.exportId(), clock.instant())) {
                exports.delete(export.exportId());
            }
            response.setStatus(202);
            writeOutcome(
                    response, OperationOutcome.IssueSeverity.INFORMATION, "Export " + export.exportId() + " cancelled");
            return;
        }
        switch (export.status()) {
            case QUEUED, RUNNING -> {
                response.setStatus(202);
                response.setHeader("X-Progress", export.progress() == null ? "queued" : export.progress());
                response.setHeader("Retry-After", "1");
            }
            case FAILED -> throw new InternalErrorException("Export failed: " + export.error());
            case CANCELLED -> throw new ResourceNotFoundException("Export " + export.exportId() + " was cancelled");
            case COMPLETE -> {
                response.setStatus(200);
                response.setContentType("application/json");
                response.setCharacterEncoding("UTF-8");
                response.getOutputStream().write(completion(export, details));
            }
        }
    }

    @Operation(name = FILE, manualResponse = true, idempotent = true)
    public void file(
            @OperationParam(name = "_jobId", min = 1, max = 1) StringType jobId,
            @OperationParam(name = "name", min = 1, max = 1) StringType name,
            ServletRequestDetails details)
            throws IOException {
        ExportRecord export = ownExport(jobId, details);
        if (export.status() != ExportStatus.COMPLETE) {
            throw new ResourceNotFoundException("Export " + export.exportId() + " is not complete");
        }
        HttpServletResponse response = details.getServletResponse();
        byte[] bytes;
        if (MANIFEST_FILE.equals(name.getValue())) {
            bytes = read(export.manifestCid());
            response.setContentType("application/json");
        } else if (PROOF_FILE.equals(name.getValue())) {
            bytes = read(export.proofCid());
            response.setContentType("application/json");
        } else {
            ExportFile file = manifest(export).files().stream()
                    .filter(f -> f.name().equals(name.getValue()))
                    .findFirst()
                    .orElseThrow(() ->
                            new ResourceNotFoundException("Export " + export.exportId() + " has no file of that name"));
            bytes = read(file.cid());
            response.setContentType("application/octet-stream");
        }
        response.setStatus(200);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private byte[] completion(ExportRecord export, ServletRequestDetails details) throws IOException {
        ResearchExportManifest manifest = manifest(export);
        ObjectNode document = JSON.createObjectNode();
        document.put("transactionTime", export.transactionTime().toString());
        document.put("request", details.getFhirServerBase() + "/$research-export");
        document.put("requiresAccessToken", true);
        ArrayNode output = document.putArray("output");
        for (ExportFile file : manifest.files()) {
            if (file.role() == ExportFile.Role.DATA) {
                output.addObject()
                        .put("type", file.type())
                        .put("url", fileUrl(details, export, file.name()))
                        .put("count", file.count());
            }
        }
        document.putArray("error");
        ObjectNode extension = document.putObject("extension");
        extension.put("manifest", fileUrl(details, export, MANIFEST_FILE));
        extension.put("proof", fileUrl(details, export, PROOF_FILE));
        extension.put("provenance", export.provenance());
        ArrayNode files = extension.putArray("files");
        for (ExportFile file : manifest.files()) {
            ObjectNode entry = files.addObject()
                    .put("name", file.name())
                    .put("role", file.role().jsonName())
                    .put("count", file.count())
                    .put("cid", file.cid())
                    .put("url", fileUrl(details, export, file.name()));
            if (file.type() != null) {
                entry.put("type", file.type());
            }
        }
        return JSON.writeValueAsBytes(document);
    }

    private ResearchExportManifest manifest(ExportRecord export) {
        return ResearchExportManifest.parse(read(export.manifestCid()));
    }

    private byte[] read(String cid) {
        try {
            return store.get(Cid.parse(cid));
        } catch (IOException e) {
            throw new UncheckedIOException("the IPFS store could not return an export file", e);
        }
    }

    private ExportRecord ownExport(StringType jobId, ServletRequestDetails details) {
        ResearchRequester requester = requesters
                .resolve(details)
                .orElseThrow(() -> new ForbiddenOperationException(
                        "research exports need a research requester (token claims fhirUser and purpose_of_use)"));
        // Someone else's export answers exactly like one that does not exist.
        return exports.find(jobId.getValue())
                .filter(e -> e.request().requester().equals(requester.requesterReference()))
                .orElseThrow(() -> new ResourceNotFoundException("No research export " + jobId.getValue()));
    }

    List<String> types(StringType requested) {
        if (requested == null || requested.isEmpty()) {
            return defaultTypes();
        }
        Set<String> types = new TreeSet<>();
        for (String type : requested.getValue().split(",")) {
            String trimmed = type.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!daoRegistry.isResourceTypeSupported(trimmed) || NEVER_EXPORTED.contains(trimmed)) {
                throw new InvalidRequestException("$research-export cannot export " + trimmed);
            }
            types.add(trimmed);
        }
        if (types.isEmpty()) {
            throw new InvalidRequestException("_type names no resource type");
        }
        return new ArrayList<>(types);
    }

    /** Every type of the Patient compartment this server stores, but never the audit trail, consents or provenance. */
    private List<String> defaultTypes() {
        Set<String> types = new TreeSet<>();
        for (String type : fhirContext.getResourceTypes()) {
            RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
            boolean inCompartment = "Patient".equals(type)
                    || !definition.getSearchParamsForCompartmentName("Patient").isEmpty();
            if (inCompartment && daoRegistry.isResourceTypeSupported(type) && !NEVER_EXPORTED.contains(type)) {
                types.add(type);
            }
        }
        return new ArrayList<>(types);
    }

    private static boolean purposeMatches(String given, String tokenPurpose) {
        return given.equals(tokenPurpose) || given.equals(ConsentEvaluator.ACT_REASON + "|" + tokenPurpose);
    }

    private static String statusUrl(ServletRequestDetails details, String exportId) {
        return details.getFhirServerBase() + "/" + STATUS + "?_jobId=" + exportId;
    }

    private static String fileUrl(ServletRequestDetails details, ExportRecord export, String name) {
        return details.getFhirServerBase() + "/" + FILE + "?_jobId=" + export.exportId() + "&name=" + name;
    }

    private void writeOutcome(HttpServletResponse response, OperationOutcome.IssueSeverity severity, String text)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(severity)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(text);
        response.setContentType("application/fhir+json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream()
                .write(fhirContext
                        .newJsonParser()
                        .encodeResourceToString(outcome)
                        .getBytes(StandardCharsets.UTF_8));
    }
}
