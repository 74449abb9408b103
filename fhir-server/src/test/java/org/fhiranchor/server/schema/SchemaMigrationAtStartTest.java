package org.fhiranchor.server.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import javax.sql.DataSource;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The running server's schema: migrated to the newest version, and made before HAPI's entity manager factory and
 * every bean that uses the project's tables (Spring's depends-on, so no start order can get ahead of it).
 */
class SchemaMigrationAtStartTest extends FhirRestTest {

    @Autowired
    ConfigurableListableBeanFactory beans;

    @Autowired
    DataSource dataSource;

    @Test
    void theServerStarts_onTheNewestSchema_migratedBeforeTheBeansThatUseIt() {
        assertThat(AnchorSchema.versions(dataSource)).endsWith("4");
        assertThat(AnchorSchema.flyway(dataSource).info().pending()).isEmpty();
        for (String user : new String[] {
            "entityManagerFactory",
            "logDatabase",
            "auditStore",
            "auditBatches",
            "bulkExportRepository",
            "userAccounts",
            "registeredClientRepository",
            "authorizationServerChain"
        }) {
            assertThat(beans.getBeanDefinition(user).getDependsOn()).as(user).isNotNull();
            assertThat(Arrays.asList(beans.getBeanDefinition(user).getDependsOn()))
                    .as(user)
                    .contains("anchorSchemaMigration");
        }
    }
}
