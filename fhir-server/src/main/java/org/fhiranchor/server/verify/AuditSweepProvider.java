package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.server.log.BatchMember;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code $audit-sweep}: re-hashes stored versions against the log, one page of log entries per
 * call ({@code cursor} = the last entry id seen, {@code _count} entries), and on the first page also
 * lists stored versions that have neither a log entry nor a batch membership (written behind the server's
 * back). With {@code members=true} it pages over the batch members (the AuditEvents, docs/verification.md
 * 4.2) instead, {@code cursor} then being the last member id seen.
 */
public final class AuditSweepProvider {

    static final int MAX_PAGE = 5000;

    private final LogRepository log;
    private final VersionVerifier verifier;
    private final JdbcTemplate jdbc;
    private final BatchMembers members;

    public AuditSweepProvider(LogRepository log, VersionVerifier verifier, JdbcTemplate jdbc, BatchMembers members) {
        this.log = log;
        this.verifier = verifier;
        this.jdbc = jdbc;
        this.members = members;
    }

    @Operation(name = "$audit-sweep", idempotent = true)
    public Parameters sweep(
            @OperationParam(name = "cursor") IntegerType cursor,
            @OperationParam(name = "_count") IntegerType count,
            @OperationParam(name = "members") BooleanType batchMembers) {
        long after = cursor == null || cursor.getValue() == null ? 0 : cursor.getValue();
        int limit =
                count == null || count.getValue() == null ? 1000 : Math.min(Math.max(1, count.getValue()), MAX_PAGE);
        if (batchMembers != null && Boolean.TRUE.equals(batchMembers.getValue())) {
            return sweepMembers(after, limit);
        }
        List<LogEntry> page = log.entriesAfter(after, limit);
        return page(
                log.entryCount(),
                page,
                limit,
                LogEntry::leaf,
                entry -> {
                    VersionVerification verification = verifier.verify(entry);
                    return verification.status() == VersionStatus.TAMPERED ? verification.currentContentHash() : null;
                },
                LogEntry::entryId,
                after == 0 ? this::unloggedVersions : List::of);
    }

    private Parameters sweepMembers(long after, int limit) {
        List<BatchMember> page = members.membersAfter(after, limit);
        return page(
                members.memberCount(),
                page,
                limit,
                BatchMember::leaf,
                member -> {
                    byte[] current = verifier.currentContentHash(BatchedVersionVerifier.asEntry(member));
                    return java.util.Arrays.equals(current, member.leaf().contentHash()) ? null : current;
                },
                BatchMember::memberId,
                List::of);
    }

    /**
     * One page of a sweep: the total and the count checked, a {@code mismatch} for every item whose stored version
     * no longer hashes to its logged content hash, their number, any {@code unlogged} versions, and the cursor of the
     * {@code next} page when this one is full.
     *
     * @param mismatch the item's current content hash when it does not match its logged one, else {@code null}
     */
    private static <T> Parameters page(
            long total,
            List<T> page,
            int limit,
            Function<T, LeafEntry> leaf,
            Function<T, byte[]> mismatch,
            ToLongFunction<T> id,
            Supplier<List<String>> unlogged) {
        Parameters result = new Parameters();
        result.addParameter().setName("total").setValue(new IntegerType(Math.toIntExact(total)));
        result.addParameter().setName("checked").setValue(new IntegerType(page.size()));
        int mismatches = 0;
        for (T item : page) {
            byte[] current = mismatch.apply(item);
            if (current != null) {
                mismatches++;
                LeafEntry logged = leaf.apply(item);
                Parameters.ParametersParameterComponent part =
                        result.addParameter().setName("mismatch");
                part.addPart()
                        .setName("resource")
                        .setValue(new StringType(logged.ref().toString()));
                part.addPart()
                        .setName("loggedContentHash")
                        .setValue(new StringType(HexFormat.of().formatHex(logged.contentHash())));
                part.addPart()
                        .setName("currentContentHash")
                        .setValue(new StringType(HexFormat.of().formatHex(current)));
            }
        }
        result.addParameter().setName("mismatches").setValue(new IntegerType(mismatches));
        for (String version : unlogged.get()) {
            result.addParameter().setName("unlogged").setValue(new StringType(version));
        }
        if (page.size() == limit) {
            result.addParameter()
                    .setName("next")
                    .setValue(new IntegerType(Math.toIntExact(id.applyAsLong(page.get(page.size() - 1)))));
        }
        return result;
    }

    /** Versions HAPI stores for which the log has no entry and that are no batch member (at most 1000 listed). */
    private List<String> unloggedVersions() {
        return jdbc.queryForList(
                "SELECT r.RES_TYPE || '/' || r.FHIR_ID || '/_history/' || v.RES_VER FROM HFJ_RES_VER v "
                        + "JOIN HFJ_RESOURCE r ON r.RES_ID = v.RES_ID "
                        + "LEFT JOIN anchor_log_entry e ON e.resource_type = r.RES_TYPE AND e.resource_id = r.FHIR_ID "
                        + "AND e.version_id = v.RES_VER "
                        + "LEFT JOIN anchor_batch_member m ON m.resource_type = r.RES_TYPE AND m.resource_id = r.FHIR_ID "
                        + "AND m.version_id = v.RES_VER WHERE e.entry_id IS NULL AND m.member_id IS NULL "
                        + "ORDER BY v.RES_ID, v.RES_VER LIMIT 1000",
                String.class);
    }
}
