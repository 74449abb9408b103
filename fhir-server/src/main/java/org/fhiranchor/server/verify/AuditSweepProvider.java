package org.fhiranchor.server.verify;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code $audit-sweep}: re-hashes stored versions against the log, one page of log entries per
 * call ({@code cursor} = the last entry id seen, {@code _count} entries), and on the first page also
 * lists stored versions that have no log entry at all (written behind the server's back).
 */
public final class AuditSweepProvider {

    static final int MAX_PAGE = 5000;

    private final LogRepository log;
    private final VersionVerifier verifier;
    private final JdbcTemplate jdbc;

    public AuditSweepProvider(LogRepository log, VersionVerifier verifier, JdbcTemplate jdbc) {
        this.log = log;
        this.verifier = verifier;
        this.jdbc = jdbc;
    }

    @Operation(name = "$audit-sweep", idempotent = true)
    public Parameters sweep(
            @OperationParam(name = "cursor") IntegerType cursor, @OperationParam(name = "_count") IntegerType count) {
        long after = cursor == null || cursor.getValue() == null ? 0 : cursor.getValue();
        int limit = count == null || count.getValue() == null ? 1000 : Math.min(Math.max(1, count.getValue()), MAX_PAGE);
        List<LogEntry> page = log.entriesAfter(after, limit);

        Parameters result = new Parameters();
        result.addParameter().setName("total").setValue(new IntegerType(Math.toIntExact(log.entryCount())));
        result.addParameter().setName("checked").setValue(new IntegerType(page.size()));
        int mismatches = 0;
        for (LogEntry entry : page) {
            VersionVerification verification = verifier.verify(entry);
            if (verification.status() == VersionStatus.TAMPERED) {
                mismatches++;
                Parameters.ParametersParameterComponent mismatch = result.addParameter().setName("mismatch");
                mismatch.addPart().setName("resource").setValue(new StringType(entry.leaf().ref().toString()));
                mismatch.addPart().setName("loggedContentHash").setValue(new StringType(HexFormat.of().formatHex(entry.leaf().contentHash())));
                mismatch.addPart().setName("currentContentHash")
                        .setValue(new StringType(HexFormat.of().formatHex(verification.currentContentHash())));
            }
        }
        result.addParameter().setName("mismatches").setValue(new IntegerType(mismatches));
        if (after == 0) {
            for (String unlogged : unloggedVersions()) {
                result.addParameter().setName("unlogged").setValue(new StringType(unlogged));
            }
        }
        if (page.size() == limit) {
            result.addParameter().setName("next")
                    .setValue(new IntegerType(Math.toIntExact(page.get(page.size() - 1).entryId())));
        }
        return result;
    }

    /** Versions HAPI stores for which the log has no entry (at most 1000 listed). */
    private List<String> unloggedVersions() {
        return jdbc.queryForList("SELECT r.RES_TYPE || '/' || r.FHIR_ID || '/_history/' || v.RES_VER FROM HFJ_RES_VER v "
                        + "JOIN HFJ_RESOURCE r ON r.RES_ID = v.RES_ID "
                        + "LEFT JOIN anchor_log_entry e ON e.resource_type = r.RES_TYPE AND e.resource_id = r.FHIR_ID "
                        + "AND e.version_id = v.RES_VER WHERE e.entry_id IS NULL ORDER BY v.RES_ID, v.RES_VER LIMIT 1000",
                String.class);
    }
}
