package org.fhiranchor.server.archive;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The content-addressed store ({@code fhir-anchor.ipfs.*}): the embedded one under the data directory, or Kubo.
 * Archives and research exports both write to it, so it exists in checkpoint mode even with archiving off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() == 'checkpoint'")
class IpfsStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IpfsStoreConfiguration.class);

    @Bean
    ArchiveStore archiveStore(IpfsProperties properties, @Value("${fhir-anchor.data-dir}") Path dataDir)
            throws IOException {
        ArchiveStore store = switch (properties.mode()) {
            case EMBEDDED ->
                new EmbeddedArchiveStore(
                        properties.embeddedDir() != null ? properties.embeddedDir() : dataDir.resolve("ipfs"));
            case KUBO -> {
                if (properties.kuboApiUrl() == null) {
                    throw new IllegalStateException("fhir-anchor.ipfs.kubo-api-url is required in kubo mode");
                }
                yield new KuboArchiveStore(properties.kuboApiUrl(), properties.timeout());
            }
        };
        log.info("IPFS store: {}", store.describe());
        return store;
    }
}
