package org.fhiranchor.server.audit;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.LeafSalt;
import org.fhiranchor.server.log.VersionHasher;
import org.fhiranchor.server.log.WriteActivity;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * With {@code fhir-anchor.audit.store=table}: each AuditEvent becomes its one and final version on the request
 * thread (a new id, {@code meta.versionId} 1, {@code meta.lastUpdated} the time it was recorded), is hashed as it
 * will be served, and is committed with group commit into the audit store together with its batch member
 * (docs/verification.md 4.2): one transaction, so a committed event is always a member of the log's next batch,
 * and a member always has its event.
 */
final class AuditTable implements AuditWriter {

    /**
     * New events' ids: UUIDv7 (RFC 9562), time-ordered and increasing within this JVM, so each index on the id (the
     * store's, its search rows', the batch members') grows at its end; random ids scattered every group commit over
     * the whole index, which on H2 made the store about ten times slower to write and its file more than twice the
     * size at 200,000 events (docs/benchmark.md).
     */
    private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

    private record Written(AuditStore.StoredEvent event, Optional<BatchMembers.NewMember> member) {}

    private final AuditStore store;
    private final Optional<BatchMembers> members;
    private final VersionHasher hasher;
    private final TransactionTemplate transactions;
    private final GroupCommit<Written> commits;
    private WriteActivity activity;

    AuditTable(
            AuditStore store,
            Optional<BatchMembers> members,
            VersionHasher hasher,
            TransactionTemplate transactions,
            Duration maxWait) {
        this.store = store;
        this.members = members;
        this.hasher = hasher;
        this.transactions = transactions;
        this.commits = new GroupCommit<>(
                "fhir-anchor-audit-writer",
                maxWait,
                group -> transactions.executeWithoutResult(status -> insert(group)));
    }

    /** Registers the writer's meters: {@code fhir_anchor.audit.commit.wait} and {@code .group}. */
    AuditTable withMetrics(MeterRegistry registry) {
        commits.withMetrics(registry, "fhir_anchor.audit.commit", "audit record");
        return this;
    }

    /** Counts each committed record as a write, so that background jobs step back under a heavy read load too. */
    AuditTable withActivity(WriteActivity activity) {
        this.activity = activity;
        return this;
    }

    @Override
    public void write(AuditEvent event, Instant recorded) {
        commits.append(prepare(event, recorded, newId()));
        if (activity != null) {
            activity.auditRecorded();
        }
    }

    private static String newId() {
        return IDS.generate().toString();
    }

    /**
     * Writes {@code event} under an id it already has (a restore replaying an archived event), in a transaction of
     * its own rather than with the requests' group: true if stored, false if that id is taken.
     */
    boolean writeWithId(AuditEvent event, String id, Instant recorded) {
        Written written = prepare(event, recorded, id);
        try {
            transactions.executeWithoutResult(status -> insert(List.of(written)));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    private Written prepare(AuditEvent event, Instant recorded, String id) {
        Instant lastUpdated = recorded.truncatedTo(ChronoUnit.MILLIS);
        event.setId(new IdType("AuditEvent", id, "1"));
        event.getMeta().setVersionId("1");
        event.getMeta().setLastUpdatedElement(new InstantType(Date.from(lastUpdated)));
        // One HAPI encoding gives the stored text and its hash, which equals the hash of that text canonicalized.
        VersionHasher.Served served = hasher.served(event);
        Optional<BatchMembers.NewMember> member = members.map(m -> new BatchMembers.NewMember(
                new LeafEntry(
                        Operation.CREATE,
                        new ResourceRef("AuditEvent", id, "1"),
                        served.contentHash(),
                        LeafSalt.next()),
                lastUpdated));
        return new Written(
                new AuditStore.StoredEvent(id, lastUpdated, served.json(), AuditSearchIndex.rows(event)), member);
    }

    /**
     * Stores {@code events}, each under a new id, recorded when it says, in the caller's transaction (the outbox
     * records a server left behind when it was switched to the store).
     */
    void insertNow(List<AuditEvent> events) {
        insert(events.stream()
                .map(event -> prepare(event, event.getRecorded().toInstant(), newId()))
                .toList());
    }

    private void insert(List<Written> group) {
        store.insert(group.stream().map(Written::event).toList());
        members.ifPresent(
                m -> m.append(group.stream().flatMap(w -> w.member().stream()).toList()));
    }

    @Override
    public void close() {
        commits.close();
    }
}
