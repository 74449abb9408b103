package org.fhiranchor.server.bulk;

import ca.uhn.fhir.batch2.api.IJobDataSink;
import ca.uhn.fhir.batch2.api.IJobStepWorker;
import ca.uhn.fhir.batch2.api.JobExecutionFailedException;
import ca.uhn.fhir.batch2.api.RunOutcome;
import ca.uhn.fhir.batch2.api.StepExecutionDetails;
import ca.uhn.fhir.batch2.jobs.chunk.TypedPidJson;
import ca.uhn.fhir.batch2.jobs.export.models.BulkExportWorkPackageJson;
import ca.uhn.fhir.batch2.jobs.export.models.ResourceIdList;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import jakarta.annotation.Nonnull;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.server.fhir.StoredResources;

/**
 * The export job's id-fetching step: the types the server keeps outside HAPI (the AuditEvents of the audit store)
 * are listed from their own store, in files of {@code fileCapacity} keys; every other type is left to HAPI's step.
 */
final class OwnStoreIdsStep
        implements IJobStepWorker<BulkExportJobParameters, BulkExportWorkPackageJson, ResourceIdList> {

    private final IJobStepWorker<BulkExportJobParameters, BulkExportWorkPackageJson, ResourceIdList> hapi;
    private final StoredResources stored;
    private final int fileCapacity;

    OwnStoreIdsStep(
            IJobStepWorker<BulkExportJobParameters, BulkExportWorkPackageJson, ResourceIdList> hapi,
            StoredResources stored,
            int fileCapacity) {
        this.hapi = hapi;
        this.stored = stored;
        this.fileCapacity = fileCapacity;
    }

    @Nonnull
    @Override
    public RunOutcome run(
            @Nonnull StepExecutionDetails<BulkExportJobParameters, BulkExportWorkPackageJson> details,
            @Nonnull IJobDataSink<ResourceIdList> sink)
            throws JobExecutionFailedException {
        BulkExportWorkPackageJson work = details.getData();
        List<String> hapiTypes = new ArrayList<>();
        int listed = 0;
        for (String type : work.getResourceTypes()) {
            Optional<StoredResources.OwnStore> own = stored.ownStore(type);
            if (own.isEmpty()) {
                hapiTypes.add(type);
                continue;
            }
            if (details.getParameters().getExportStyle() != BulkExportJobParameters.ExportStyle.SYSTEM) {
                // The kick-off refuses this (BulkExportKickOff); a job started otherwise fails rather than export
                // a whole type for one patient or group.
                throw new JobExecutionFailedException(type + " is exported at system level only");
            }
            listed += list(own.get(), details.getParameters(), work, sink);
        }
        if (hapiTypes.isEmpty()) {
            return new RunOutcome(listed);
        }
        work.setResourceTypes(hapiTypes);
        return hapi.run(details, sink);
    }

    private int list(
            StoredResources.OwnStore own,
            BulkExportJobParameters parameters,
            BulkExportWorkPackageJson work,
            IJobDataSink<ResourceIdList> sink) {
        Instant since = instant(parameters.getSince());
        Instant until = instant(parameters.getUntil());
        long after = 0;
        int listed = 0;
        while (true) {
            List<Long> keys = own.exportKeys(since, until, after, fileCapacity);
            if (keys.isEmpty()) {
                return listed;
            }
            ResourceIdList file = new ResourceIdList();
            file.setPartitionId(work.getPartitionId());
            file.setResourceType(own.resourceType());
            file.setIds(keys.stream()
                    .map(key -> new TypedPidJson(own.resourceType(), null, Long.toString(key)))
                    .toList());
            sink.accept(file);
            listed += keys.size();
            after = keys.get(keys.size() - 1);
        }
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
