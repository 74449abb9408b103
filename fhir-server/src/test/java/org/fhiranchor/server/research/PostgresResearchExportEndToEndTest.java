package org.fhiranchor.server.research;

import org.fhiranchor.server.support.PostgresTestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The research export end to end on PostgreSQL, the production database (its table, claims and paging). */
@ExtendWith(PostgresTestDatabase.class)
@ActiveProfiles("postgres")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresResearchExportEndToEndTest extends ResearchExportEndToEndTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> PostgresTestDatabase.url("research"));
        // Its own data directory and dev chain: a chain's checkpoints belong to one database's log.
        registry.add("fhir-anchor.test.context-name", () -> "postgres-research");
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
        registry.add("spring.datasource.password", () -> PostgresTestDatabase.PASSWORD);
    }
}
