package org.fhiranchor.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.fhiranchor.server.log.VersionHasher;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * With the audit store on a database where a server ran with {@code fhir-anchor.audit.store=hapi}: moves the
 * AuditEvents HAPI holds into the store, oldest first, a chunk per step, each under its id with its JSON exactly as
 * HAPI serves it, so the batch member or log leaf it already has still verifies against what the store serves.
 * HAPI's rows stay where they are (removing them would be logged deletes) but are no longer served. An event HAPI
 * holds in a version other than 1 (a restore replayed over an existing id) is left there, and counted in the log.
 */
final class HapiAuditEventImport {

    private static final Logger LOG = LoggerFactory.getLogger(HapiAuditEventImport.class);
    static final int CHUNK = 500;

    private record HapiRow(long resId, String type, String fhirId, long version, boolean deleted) {}

    private final JdbcTemplate jdbc;
    private final AuditStore store;
    private final DaoRegistry daos;
    private final VersionHasher hasher;
    /** The last HAPI row looked at, committed (after a start, the store's highest: skipped rows are seen again). */
    private long after;
    /** Whether the store holds an event moved in from HAPI (once true, it stays true). */
    private boolean anyImported;

    HapiAuditEventImport(JdbcTemplate jdbc, AuditStore store, DaoRegistry daos, VersionHasher hasher) {
        this.jdbc = jdbc;
        this.store = store;
        this.daos = daos;
        this.hasher = hasher;
    }

    /**
     * Moves the AuditEvents among the next {@link #CHUNK} of HAPI's resources, in the order of HAPI's primary key (in
     * the caller's transaction); returns how many resources it looked at. This server puts no AuditEvent into HAPI's
     * tables ({@link HapiAuditEventGuard}), but a replica not yet upgraded may, so every run goes on from where the
     * last one stopped: the resources written since, looked up by primary key.
     */
    synchronized int importChunk() {
        // Another replica may have moved rows since (each chunk runs under the audit lock).
        OptionalLong imported = store.lastHapiResIdAfter(after);
        if (imported.isPresent()) {
            anyImported = true;
            after = Math.max(after, imported.getAsLong());
        }
        if (!anyImported && noAuditEventUpTo(after)) {
            return 0;
        }
        List<HapiRow> rows = jdbc.query(
                "SELECT RES_ID, RES_TYPE, FHIR_ID, RES_VER, RES_DELETED_AT FROM HFJ_RESOURCE WHERE RES_ID > ? "
                        + "ORDER BY RES_ID LIMIT ?",
                (rs, i) -> new HapiRow(
                        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getTimestamp(5) != null),
                after,
                CHUNK);
        List<AuditStore.StoredEvent> events = new ArrayList<>();
        int left = 0;
        for (HapiRow row : rows) {
            if (!"AuditEvent".equals(row.type()) || row.deleted()) {
                continue;
            }
            if (row.version() != 1) {
                left++;
                continue;
            }
            try {
                AuditEvent event = (AuditEvent) daos.getResourceDao("AuditEvent")
                        .read(new IdType("AuditEvent", row.fhirId(), "1"), new SystemRequestDetails());
                Instant recorded = event.hasRecorded()
                        ? event.getRecorded().toInstant()
                        : event.getMeta().getLastUpdated().toInstant();
                events.add(new AuditStore.StoredEvent(
                        row.fhirId(), recorded, hasher.servedJson(event), AuditSearchIndex.rows(event), row.resId()));
            } catch (ResourceNotFoundException | ResourceGoneException gone) {
                left++;
            }
        }
        store.insert(events);
        anyImported |= !events.isEmpty();
        if (!rows.isEmpty()) {
            long last = rows.get(rows.size() - 1).resId();
            // Past these rows once they are committed; a rolled-back chunk is read again.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    advanceTo(last);
                }
            });
        }
        if (left > 0) {
            LOG.warn("{} AuditEvent(s) in HAPI's tables are not version 1 and were not moved to the audit store", left);
        }
        return rows.size();
    }

    /**
     * On a database where HAPI has never held an AuditEvent (the store's default since a server's first start), the
     * walk is skipped: if no AuditEvent is among HAPI's resources up to the highest id now, the cursor moves there
     * at once, found through HAPI's index on the resource type, instead of reading every resource after a start.
     */
    private boolean noAuditEventUpTo(long from) {
        Long highest = jdbc.queryForObject("SELECT MAX(RES_ID) FROM HFJ_RESOURCE", Long.class);
        if (highest == null || highest <= from) {
            return true;
        }
        boolean none = jdbc.queryForList(
                        "SELECT RES_ID FROM HFJ_RESOURCE WHERE RES_TYPE = 'AuditEvent' AND RES_ID > ? AND RES_ID <= ?"
                                + " FETCH FIRST 1 ROWS ONLY",
                        Long.class,
                        from,
                        highest)
                .isEmpty();
        if (none) {
            advanceTo(highest);
        }
        return none;
    }

    private synchronized void advanceTo(long resId) {
        after = Math.max(after, resId);
    }
}
