package org.fhiranchor.server.audit;

import org.fhiranchor.server.support.PostgresTestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every test of the audit store on PostgreSQL, the production database (its byte-order collation of search values,
 * its advisory job locks, its own SQL dialect for the store's queries), through the {@code postgres} profile.
 */
@ExtendWith(PostgresTestDatabase.class)
@ActiveProfiles("postgres")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AuditStorePostgresTest extends AuditStoreTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.url("audit-store"));
        // Its own data directory: its own dev chain, beside the H2 context's.
        registry.add("fhir-anchor.test.context-name", () -> "audit-store-postgres");
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
        registry.add("spring.datasource.password", () -> PostgresTestDatabase.PASSWORD);
    }
}
