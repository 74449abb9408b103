package org.fhiranchor.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.anchor.proof.BatchRecord;
import org.fhiranchor.anchor.proof.BatchedProof;
import org.fhiranchor.server.jobs.JobLock;
import org.fhiranchor.server.log.BatchMember;
import org.fhiranchor.server.log.BatchMembers;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's second and third steps (docs/verification.md 4.2). <b>Materialize</b>: the committed
 * outbox records become AuditEvent resources, in one database transaction with the removal of their outbox
 * rows; with the log on, they are written as batch members, not log leaves. (With the audit store,
 * {@code fhir-anchor.audit.store=table}, requests write no outbox rows; the rows a server left there before it
 * was switched to the store are moved into it, each a new event, and so are the AuditEvents it had made HAPI
 * resources, {@link HapiAuditEventImport}.) <b>Seal</b>: once enough members
 * wait, or the oldest has waited long enough, one batch record (a Basic stating the root and size of the tree
 * over the members' leaf entries) is written as an ordinary logged version and the members are marked with it,
 * in one transaction. Either step is all or nothing, so a crash at any moment loses no record; both run under
 * the {@code audit} job lock, so replicas on one database take turns.
 */
final class AuditBatches {

    private static final int MATERIALIZE_CHUNK = 200;
    private static final HexFormat HEX = HexFormat.of();

    private final JdbcTemplate jdbc;
    private final JobLock lock;
    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final Optional<BatchMembers> members;
    private final Optional<AuditTable> table;
    private final Optional<HapiAuditEventImport> hapiImport;
    private final AuditProperties properties;
    private final Clock clock;

    AuditBatches(
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            DaoRegistry daos,
            FhirContext fhirContext,
            Optional<BatchMembers> members,
            Optional<AuditTable> table,
            Optional<HapiAuditEventImport> hapiImport,
            AuditProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.lock = new JobLock(JobLock.AUDIT, jdbc, transactions);
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.members = members;
        this.table = table;
        this.hapiImport = hapiImport;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * One run of the periodic job: every waiting record materialized, with the audit store the AuditEvents still in
     * HAPI's tables moved into it, then every due batch sealed.
     */
    void run() {
        materialize();
        hapiImport.ifPresent(i -> lock.drain(i::importChunk, HapiAuditEventImport.CHUNK));
        sealDue();
    }

    private record OutboxRow(long id, String json) {}

    /** Materializes every committed outbox record; returns how many. Readers of the trail call it first. */
    synchronized int materialize() {
        return Math.toIntExact(lock.drain(this::materializeChunk, MATERIALIZE_CHUNK));
    }

    private int materializeChunk() {
        List<OutboxRow> rows = jdbc.query(
                "SELECT record_id, event_json FROM " + AuditOutbox.TABLE + " ORDER BY record_id LIMIT ?",
                (rs, i) -> new OutboxRow(rs.getLong(1), rs.getString(2)),
                MATERIALIZE_CHUNK);
        if (rows.isEmpty()) {
            return 0;
        }
        IParser parser = fhirContext.newJsonParser();
        List<AuditEvent> events = rows.stream()
                .map(row -> parser.parseResource(AuditEvent.class, row.json()))
                .toList();
        if (table.isPresent()) {
            table.get().insertNow(events);
        } else {
            IFhirResourceDao<AuditEvent> dao = daos.getResourceDao(AuditEvent.class);
            Runnable writes = () -> events.forEach(event -> dao.create(event, new SystemRequestDetails()));
            members.ifPresentOrElse(m -> m.writeAsMembers(writes), writes);
        }
        jdbc.batchUpdate(
                "DELETE FROM " + AuditOutbox.TABLE + " WHERE record_id = ?",
                rows,
                500,
                (ps, row) -> ps.setLong(1, row.id()));
        return rows.size();
    }

    /** Seals full batches, and the last partial one once its oldest member has waited the seal interval. */
    synchronized void sealDue() {
        if (members.isEmpty()) {
            return;
        }
        while (Boolean.TRUE.equals(lock.call(() -> sealOne(members.get())))) {
            // a full batch was sealed: there may be another
        }
    }

    /** Seals one batch if one is due; true if it sealed a full batch. */
    private boolean sealOne(BatchMembers batchMembers) {
        // Most runs find no batch due: tell that from the oldest member and the index, without reading the members.
        Optional<Instant> oldest = batchMembers.oldestUnsealed();
        if (oldest.isEmpty()
                || (Duration.between(oldest.get(), clock.instant()).compareTo(properties.sealInterval()) < 0
                        && !batchMembers.unsealedAtLeast(properties.batchSize()))) {
            return false;
        }
        List<BatchMember> waiting = batchMembers.unsealed(properties.batchSize());
        if (waiting.isEmpty()) {
            return false;
        }
        boolean full = waiting.size() >= properties.batchSize();
        Duration waited = Duration.between(waiting.get(0).recordedAt(), clock.instant());
        if (!full && waited.compareTo(properties.sealInterval()) < 0) {
            return false;
        }
        byte[] root = BatchedProof.batchRoot(
                waiting.stream().map(m -> m.leaf().leafHash()).toList());
        Basic record = new Basic();
        record.setCode(new CodeableConcept(
                new Coding(BatchRecord.CODE_SYSTEM, BatchRecord.AUDIT_BATCH, "Batch of audit events")));
        record.addExtension(BatchRecord.ROOT_EXTENSION, new StringType(HEX.formatHex(root)));
        record.addExtension(BatchRecord.SIZE_EXTENSION, new IntegerType(waiting.size()));
        record.setCreated(Date.from(clock.instant()));
        IIdType id = daos.getResourceDao(Basic.class)
                .create(record, new SystemRequestDetails())
                .getId();
        batchMembers.seal(waiting, new ResourceRef("Basic", id.getIdPart(), id.getVersionIdPart()));
        return full;
    }
}
