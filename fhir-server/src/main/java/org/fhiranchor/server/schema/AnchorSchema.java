package org.fhiranchor.server.schema;

import java.sql.DatabaseMetaData;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The project's own tables (all {@code anchor_*}, and the authorization server's {@code oauth2_*}) under
 * versioned Flyway migrations in {@code db/anchor/common} and {@code db/anchor/<vendor>} (h2, postgresql), with
 * their own history table, so that Flyway never touches HAPI's tables (Hibernate manages those). A database
 * created by a server from before the migrations (tables present, no history table) is baselined at version 0;
 * V1 is idempotent and brings it to today's schema. On PostgreSQL Flyway holds an advisory lock while it
 * migrates, so replicas starting together migrate one after the other.
 */
public final class AnchorSchema {

    /** Flyway's history of the migrations applied to this database. */
    public static final String HISTORY_TABLE = "anchor_schema_history";

    private static final String LOCATION = "classpath:db/anchor/";
    private static final Logger log = LoggerFactory.getLogger(AnchorSchema.class);

    private AnchorSchema() {}

    /** Flyway configured for the project's migrations on this database (H2 or PostgreSQL). */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(AnchorSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION + "common", LOCATION + vendor(dataSource))
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("tables of a server from before versioned migrations")
                .validateMigrationNaming(true)
                .load();
    }

    /** Brings the project's tables to the newest version; for the commands that open the database alone. */
    public static MigrateResult migrate(DataSource dataSource) {
        return migrate(flyway(dataSource));
    }

    /**
     * Flyway's migrate, run once more when it lost the first-start race: Flyway decides whether to create or to
     * baseline its history table before it takes its lock, so a replica that saw no history table, then found the
     * schema made non-empty by a replica that had just created the table, tries to baseline it and refuses ("as it
     * already exists, and is empty"), having changed nothing. The table exists now, so the second attempt waits
     * on Flyway's lock like any other and finds the migrations applied.
     */
    public static MigrateResult migrate(Flyway flyway) {
        try {
            return flyway.migrate();
        } catch (FlywayException e) {
            if (!lostFirstStartRace(e)) {
                throw e;
            }
            log.info("Another replica created the schema history table first; migrating again under Flyway's lock");
            return flyway.migrate();
        }
    }

    static boolean lostFirstStartRace(FlywayException e) {
        String message = e.getMessage();
        return message != null && message.contains("as it already exists, and is empty");
    }

    /** The versions applied to this database, oldest first (0: the baseline of a database from before them). */
    public static List<String> versions(DataSource dataSource) {
        // Without the marker row Flyway writes when it finds the schema empty (no version).
        return Arrays.stream(flyway(dataSource).info().applied())
                .filter(m -> m.getVersion() != null
                        && m.getState().isApplied()
                        && !m.getState().isFailed())
                .map(m -> m.getVersion().getVersion())
                .toList();
    }

    /** The migrations' vendor folder: {@code h2} or {@code postgresql}. */
    static String vendor(DataSource dataSource) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Cannot reach the database", e);
        }
        DatabaseDriver driver = DatabaseDriver.fromProductName(product);
        if (driver != DatabaseDriver.H2 && driver != DatabaseDriver.POSTGRESQL) {
            throw new IllegalStateException(
                    "Unsupported database " + product + ": FHIR Anchor runs on H2 or PostgreSQL");
        }
        return driver.getId();
    }
}
