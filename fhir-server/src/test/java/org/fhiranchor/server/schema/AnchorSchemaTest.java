package org.fhiranchor.server.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The project's tables under Flyway on H2: a new database, and one a server from before the migrations left. */
class AnchorSchemaTest {

    private final DriverManagerDataSource dataSource =
            new DriverManagerDataSource("jdbc:h2:mem:schema-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    @Test
    void aNewDatabase_getsEveryTableAndLockRow_once() {
        MigrateResult first = AnchorSchema.migrate(dataSource);

        assertThat(first.migrationsExecuted).isEqualTo(4);
        assertThat(versions()).containsExactly("1", "2", "3", "4");
        assertTablesOfThisVersion();
        assertThat(AnchorSchema.migrate(dataSource).migrationsExecuted).isZero();
    }

    @Test
    void theDatabaseOfAnEarlierServer_isBaselinedAndBroughtUpToDate_keepingItsRows() {
        EarlierServerDatabase.create(dataSource);

        MigrateResult result = AnchorSchema.migrate(dataSource);

        assertThat(result.migrationsExecuted).isEqualTo(4);
        assertThat(versions()).containsExactly("0", "1", "2", "3", "4");
        assertTablesOfThisVersion();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM anchor_log_entry", Integer.class))
                .isOne();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hfj_resource", Integer.class))
                .isZero();
    }

    private List<String> versions() {
        return AnchorSchema.versions(dataSource);
    }

    private void assertTablesOfThisVersion() {
        assertThat(jdbc.queryForList("SELECT lock_name FROM anchor_job_lock", String.class))
                .containsExactlyInAnyOrder("sequencer", "checkpoint", "deploy", "consent", "audit", "archive");
        jdbc.queryForList("SELECT claimed_until FROM anchor_checkpoint");
        for (String table : new String[] {
            "anchor_subtree",
            "anchor_tree_head",
            "anchor_leaf_anchor",
            "anchor_chain_config",
            "anchor_consent_decision",
            "anchor_batch_member",
            "anchor_archive",
            "anchor_research_export",
            "anchor_bulk_export",
            "anchor_tlog_cosignature",
            "anchor_audit_outbox",
            "anchor_audit_event",
            "anchor_audit_search",
            "anchor_smart_user",
            "anchor_smart_jti",
            "oauth2_registered_client",
            "oauth2_authorization",
            "oauth2_authorization_consent"
        }) {
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class))
                    .as(table)
                    .isZero();
        }
    }
}
