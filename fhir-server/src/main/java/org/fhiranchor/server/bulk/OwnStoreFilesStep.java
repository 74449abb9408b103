package org.fhiranchor.server.bulk;

import ca.uhn.fhir.batch2.api.IJobDataSink;
import ca.uhn.fhir.batch2.api.IJobStepWorker;
import ca.uhn.fhir.batch2.api.JobExecutionFailedException;
import ca.uhn.fhir.batch2.api.RunOutcome;
import ca.uhn.fhir.batch2.api.StepExecutionDetails;
import ca.uhn.fhir.batch2.jobs.chunk.TypedPidJson;
import ca.uhn.fhir.batch2.jobs.export.models.BulkExportBinaryFileId;
import ca.uhn.fhir.batch2.jobs.export.models.ResourceIdList;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.IInterceptorBroadcaster;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import jakarta.annotation.Nonnull;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.fhiranchor.server.fhir.StoredResources;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.StringType;

/**
 * The export job's file-writing step for a type kept outside HAPI: each resource is read from its store, asked about
 * by the same inclusion hook as HAPI's step asks ({@link BulkExportInclusion}: the requester's scopes, consent), and
 * written as stored, so that every line is the version {@code GET} serves and its hash verifies; the file is a Binary
 * like HAPI's (the export's key as its security context, HAPI's metadata extensions). Other types go to HAPI's step.
 */
final class OwnStoreFilesStep
        implements IJobStepWorker<BulkExportJobParameters, ResourceIdList, BulkExportBinaryFileId> {

    private static final String JOB_ID_EXTENSION = "https://hapifhir.org/NamingSystem/bulk-export-job-id";
    private static final String TYPE_EXTENSION = "https://hapifhir.org/NamingSystem/bulk-export-binary-resource-type";
    private static final String IDENTIFIER_EXTENSION = "https://hapifhir.org/NamingSystem/bulk-export-identifier";

    private final IJobStepWorker<BulkExportJobParameters, ResourceIdList, BulkExportBinaryFileId> hapi;
    private final StoredResources stored;
    private final IInterceptorBroadcaster storageHooks;
    private final DaoRegistry daoRegistry;
    private final FhirContext fhirContext;

    OwnStoreFilesStep(
            IJobStepWorker<BulkExportJobParameters, ResourceIdList, BulkExportBinaryFileId> hapi,
            StoredResources stored,
            IInterceptorBroadcaster storageHooks,
            DaoRegistry daoRegistry,
            FhirContext fhirContext) {
        this.hapi = hapi;
        this.stored = stored;
        this.storageHooks = storageHooks;
        this.daoRegistry = daoRegistry;
        this.fhirContext = fhirContext;
    }

    @Nonnull
    @Override
    public RunOutcome run(
            @Nonnull StepExecutionDetails<BulkExportJobParameters, ResourceIdList> details,
            @Nonnull IJobDataSink<BulkExportBinaryFileId> sink)
            throws JobExecutionFailedException {
        ResourceIdList file = details.getData();
        Optional<StoredResources.OwnStore> own = stored.ownStore(file.getResourceType());
        if (own.isEmpty()) {
            return hapi.run(details, sink);
        }
        BulkExportJobParameters parameters = details.getParameters();
        List<Long> keys = file.getIds().stream()
                .map(TypedPidJson::getPid)
                .map(Long::valueOf)
                .toList();
        IParser parser = fhirContext.newJsonParser();
        StringBuilder ndjson = new StringBuilder();
        int released = 0;
        for (String json : own.get().exportJson(keys)) {
            IBaseResource resource = parser.parseResource(json);
            HookParams hook = new HookParams()
                    .add(BulkExportJobParameters.class, parameters)
                    .add(IBaseResource.class, resource);
            if (storageHooks.callHooks(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION, hook)) {
                ndjson.append(json).append('\n');
                released++;
            }
        }
        if (released > 0) {
            sink.accept(write(details, file.getResourceType(), ndjson.toString()));
        }
        return new RunOutcome(released);
    }

    private BulkExportBinaryFileId write(
            StepExecutionDetails<BulkExportJobParameters, ResourceIdList> details, String type, String ndjson) {
        BulkExportJobParameters parameters = details.getParameters();
        Binary binary = new Binary();
        binary.setId(UUID.randomUUID().toString());
        binary.setContentType(parameters.getOutputFormat());
        binary.setContent(ndjson.getBytes(StandardCharsets.UTF_8));
        binary.getSecurityContext()
                .getIdentifier()
                .setSystem(parameters.getBinarySecurityContextIdentifierSystem())
                .setValue(parameters.getBinarySecurityContextIdentifierValue());
        binary.getMeta()
                .addExtension(
                        JOB_ID_EXTENSION, new StringType(details.getInstance().getInstanceId()));
        binary.getMeta().addExtension(TYPE_EXTENSION, new StringType(type));
        if (parameters.getExportIdentifier() != null) {
            binary.getMeta().addExtension(IDENTIFIER_EXTENSION, new StringType(parameters.getExportIdentifier()));
        }
        String id = daoRegistry
                .getResourceDao(Binary.class)
                .update(binary, details.newSystemRequestDetails())
                .getId()
                .getValueAsString();
        BulkExportBinaryFileId written = new BulkExportBinaryFileId();
        written.setBinaryId(id);
        written.setResourceType(type);
        return written;
    }
}
