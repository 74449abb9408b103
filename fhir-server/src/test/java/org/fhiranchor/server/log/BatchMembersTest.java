package org.fhiranchor.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.fhiranchor.server.schema.AnchorSchema;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** What a sealer asks of the unsealed members before it reads them: the oldest one's time, and whether enough wait. */
class BatchMembersTest {

    private static final Instant FIRST = Instant.parse("2026-12-07T10:00:00Z");

    private BatchMembers members;

    @BeforeEach
    void emptyLog() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:members-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        AnchorSchema.migrate(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        members = new BatchMembers(jdbc, new LogEntryRecorder(jdbc));
    }

    @Test
    void nothingWaits_inAnEmptyLog() {
        assertThat(members.oldestUnsealed()).isEmpty();
        assertThat(members.unsealedAtLeast(1)).isFalse();
    }

    @Test
    void theOldestUnsealedMemberAndTheCountWaiting_leaveSealedMembersOut() {
        members.append(newMembers(0, 5));
        assertThat(members.oldestUnsealed()).contains(FIRST);
        assertThat(members.unsealedAtLeast(5)).isTrue();
        assertThat(members.unsealedAtLeast(6)).isFalse();

        members.seal(members.unsealed(3), new ResourceRef("Basic", "batch-1", "1"));

        assertThat(members.oldestUnsealed()).contains(FIRST.plusSeconds(3));
        assertThat(members.unsealedAtLeast(2)).isTrue();
        assertThat(members.unsealedAtLeast(3)).isFalse();
        assertThat(members.unsealed(10)).hasSize(2);
    }

    private static List<BatchMembers.NewMember> newMembers(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> new BatchMembers.NewMember(
                        new LeafEntry(
                                Operation.CREATE,
                                new ResourceRef("AuditEvent", "e" + i, "1"),
                                new byte[] {
                                    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                                    24, 25, 26, 27, 28, 29, 30, 31, (byte) i
                                },
                                LeafSalt.next()),
                        FIRST.plusSeconds(i)))
                .toList();
    }
}
