package org.fhiranchor.server.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A search of the audit store as SQL: every clause must match (AND), a clause matches when any of its values does
 * (OR); {@code recorded} bounds are inclusive. Sorted by recorded time (ascending or descending), else in the order
 * the events were written.
 */
final class AuditQuery {

    enum Match {
        /** The indexed value equals the searched one (tokens, references, {@code :exact} strings). */
        EXACT,
        /** The indexed value starts with the searched one (strings, both normalized). */
        PREFIX
    }

    /** One searched value; {@code system} is matched only when not null (a token's {@code system|code}). */
    record Value(String system, String value, Match match) {}

    record Sql(String sql, Object[] arguments) {}

    private record Clause(String param, List<Value> anyOf) {}

    private final List<Clause> clauses = new ArrayList<>();
    private final List<List<String>> idLists = new ArrayList<>();
    private Instant from;
    private Instant to;
    private Boolean descending;

    /** Only events with a value of {@code param} matching one of {@code anyOf}. */
    AuditQuery where(String param, List<Value> anyOf) {
        clauses.add(new Clause(param, List.copyOf(anyOf)));
        return this;
    }

    /** Only events whose id is one of {@code ids}. */
    AuditQuery withIds(List<String> ids) {
        idLists.add(List.copyOf(ids));
        return this;
    }

    /** Only events recorded at or after {@code inclusive} (null: no bound); bounds given twice intersect. */
    AuditQuery recordedFrom(Instant inclusive) {
        if (inclusive != null && (from == null || inclusive.isAfter(from))) {
            from = inclusive;
        }
        return this;
    }

    /** Only events recorded at or before {@code inclusive} (null: no bound). */
    AuditQuery recordedUntil(Instant inclusive) {
        if (inclusive != null && (to == null || inclusive.isBefore(to))) {
            to = inclusive;
        }
        return this;
    }

    AuditQuery sortedByRecorded(boolean newestFirst) {
        descending = newestFirst;
        return this;
    }

    Sql where() {
        StringBuilder sql = new StringBuilder();
        List<Object> arguments = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        for (Clause clause : clauses) {
            List<String> any = new ArrayList<>();
            arguments.add(clause.param());
            for (Value value : clause.anyOf()) {
                if (value.match() == Match.PREFIX) {
                    any.add("(s.search_value >= ? AND s.search_value < ?)");
                    arguments.add(value.value());
                    arguments.add(value.value() + Character.MAX_VALUE);
                } else if (value.system() != null) {
                    any.add("(s.search_value = ? AND s.token_system = ?)");
                    arguments.add(value.value());
                    arguments.add(value.system());
                } else {
                    any.add("s.search_value = ?");
                    arguments.add(value.value());
                }
            }
            conditions.add("e.event_id IN (SELECT s.event_id FROM anchor_audit_search s WHERE s.param = ? AND ("
                    + String.join(" OR ", any) + "))");
        }
        for (List<String> ids : idLists) {
            conditions.add("e.event_id IN ("
                    + String.join(", ", ids.stream().map(id -> "?").toList()) + ")");
            arguments.addAll(ids);
        }
        if (from != null) {
            conditions.add("e.recorded_at >= ?");
            arguments.add(Timestamp.from(from));
        }
        if (to != null) {
            conditions.add("e.recorded_at <= ?");
            arguments.add(Timestamp.from(to));
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        return new Sql(sql.toString(), arguments.toArray());
    }

    String orderBy() {
        if (descending == null) {
            return " ORDER BY e.event_key";
        }
        return descending ? " ORDER BY e.recorded_at DESC, e.event_key DESC" : " ORDER BY e.recorded_at, e.event_key";
    }
}
