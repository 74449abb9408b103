package org.fhiranchor.server.log;

import org.fhiranchor.anchor.proof.BatchRecord;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;

/**
 * Recognises the log's batch records (docs/verification.md 4.2): {@code Basic} resources coded
 * {@code log-record#audit-batch}. Like AuditEvents and Provenance, they are the log's own machinery, not data, so
 * exports leave them out.
 */
public final class BatchRecords {

    private BatchRecords() {}

    public static boolean isBatchRecord(IBaseResource resource) {
        return resource instanceof Basic basic
                && basic.getCode().hasCoding(BatchRecord.CODE_SYSTEM, BatchRecord.AUDIT_BATCH);
    }
}
