package org.fhiranchor.server.fhir;

import org.fhiranchor.server.support.PostgresTestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The main flows on PostgreSQL, the production database, through the {@code postgres} profile. */
@ExtendWith(PostgresTestDatabase.class)
@ActiveProfiles("postgres")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresMainFlowsTest extends MainFlowsTests {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresTestDatabase::url);
        // Its own data directory: its own dev chain, beside the H2 context's.
        registry.add("fhir-anchor.test.context-name", () -> "postgres");
        registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
        registry.add("spring.datasource.password", () -> PostgresTestDatabase.PASSWORD);
    }
}
