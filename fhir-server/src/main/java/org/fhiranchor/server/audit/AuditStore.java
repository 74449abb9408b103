package org.fhiranchor.server.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail's own tables ({@code anchor_audit_event}, {@code anchor_audit_search}): one row per AuditEvent,
 * its JSON exactly as served, and the values it is searched by. Rows are only ever inserted.
 */
final class AuditStore {

    /**
     * One AuditEvent as stored: its id, {@code recorded} (= meta.lastUpdated), served JSON and search values, and for
     * an event moved in from HAPI's tables HAPI's resource id (else null).
     */
    record StoredEvent(String id, Instant recorded, String json, List<AuditSearchIndex.Row> index, Long hapiResId) {

        StoredEvent(String id, Instant recorded, String json, List<AuditSearchIndex.Row> index) {
            this(id, recorded, json, index, null);
        }
    }

    /** One page of a search, and how many events match in all. */
    record Page(List<String> json, int total) {}

    private final JdbcTemplate jdbc;

    AuditStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts {@code events} in this order (in the caller's transaction, if any). */
    void insert(List<StoredEvent> events) {
        jdbc.batchUpdate(
                "INSERT INTO anchor_audit_event (event_id, recorded_at, event_json, hapi_res_id) VALUES (?, ?, ?, ?)",
                events,
                500,
                (ps, event) -> {
                    ps.setString(1, event.id());
                    ps.setTimestamp(2, Timestamp.from(event.recorded()));
                    ps.setString(3, event.json());
                    ps.setObject(4, event.hapiResId(), java.sql.Types.BIGINT);
                });
        record IndexRow(String id, AuditSearchIndex.Row row) {}
        List<IndexRow> rows = new ArrayList<>();
        events.forEach(e -> e.index().forEach(row -> rows.add(new IndexRow(e.id(), row))));
        jdbc.batchUpdate(
                "INSERT INTO anchor_audit_search (event_id, param, token_system, search_value) VALUES (?, ?, ?, ?)",
                rows,
                1000,
                (ps, r) -> {
                    ps.setString(1, r.id());
                    ps.setString(2, r.row().param());
                    ps.setString(3, r.row().system());
                    ps.setString(4, r.row().value());
                });
    }

    /** The served JSON of the AuditEvent {@code id}. */
    Optional<String> json(String id) {
        return DataAccessUtils.optionalResult(
                jdbc.queryForList("SELECT event_json FROM anchor_audit_event WHERE event_id = ?", String.class, id));
    }

    /**
     * The highest HAPI resource id above {@code after} of an event moved in from HAPI's tables, empty if none. The
     * bound makes it one index seek: an unbounded MAX walks every event whose id is null (all the store's own).
     */
    OptionalLong lastHapiResIdAfter(long after) {
        Long last = jdbc.queryForObject(
                "SELECT MAX(hapi_res_id) FROM anchor_audit_event WHERE hapi_res_id > ?", Long.class, after);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last);
    }

    /** The events matching {@code query}, {@code count} from {@code offset} on, and the number matching in all. */
    Page search(AuditQuery query, int offset, int count) {
        AuditQuery.Sql where = query.where();
        Integer total = jdbc.queryForObject(
                "SELECT COUNT(*) FROM anchor_audit_event e" + where.sql(), Integer.class, where.arguments());
        if (count == 0 || total == null || offset >= total) {
            return new Page(List.of(), total == null ? 0 : total);
        }
        List<Object> arguments = new ArrayList<>(List.of(where.arguments()));
        arguments.add(count);
        arguments.add(offset);
        List<String> json = jdbc.queryForList(
                "SELECT e.event_json FROM anchor_audit_event e" + where.sql() + query.orderBy() + " LIMIT ? OFFSET ?",
                String.class,
                arguments.toArray());
        return new Page(json, total);
    }

    /**
     * The keys of the events recorded in [{@code since}, {@code until}) (null: unbounded), in the order of writing,
     * after {@code afterKey}; at most {@code limit}.
     */
    List<Long> keys(Instant since, Instant until, long afterKey, int limit) {
        StringBuilder sql = new StringBuilder("SELECT event_key FROM anchor_audit_event WHERE event_key > ?");
        List<Object> arguments = new ArrayList<>(List.of(afterKey));
        if (since != null) {
            sql.append(" AND recorded_at >= ?");
            arguments.add(Timestamp.from(since));
        }
        if (until != null) {
            sql.append(" AND recorded_at < ?");
            arguments.add(Timestamp.from(until));
        }
        sql.append(" ORDER BY event_key LIMIT ?");
        arguments.add(limit);
        return jdbc.queryForList(sql.toString(), Long.class, arguments.toArray());
    }

    /** The served JSON of the events with these keys, in key order (read as one range of the primary key). */
    List<String> json(List<Long> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        Set<Long> wanted = new HashSet<>(keys);
        List<String> json = new ArrayList<>(keys.size());
        jdbc.query(
                "SELECT event_key, event_json FROM anchor_audit_event WHERE event_key BETWEEN ? AND ?"
                        + " ORDER BY event_key",
                row -> {
                    if (wanted.contains(row.getLong(1))) {
                        json.add(row.getString(2));
                    }
                },
                Collections.min(keys),
                Collections.max(keys));
        return json;
    }
}
