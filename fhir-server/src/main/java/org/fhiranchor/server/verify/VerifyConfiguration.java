package org.fhiranchor.server.verify;

import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.anchoring.CheckpointRepository;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.fhir.StoredResources;
import org.fhiranchor.server.log.BatchMembers;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogDatabase;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.VersionHasher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() != 'off'")
class VerifyConfiguration {

    @Bean
    VersionVerifier versionVerifier(
            StoredResources resources,
            VersionHasher hasher,
            CheckpointRepository checkpoints,
            JdbcSubtreeHashes subtrees,
            ChainConnection chain) {
        return new VersionVerifier(resources, hasher, checkpoints, subtrees, chain);
    }

    @Bean
    RestfulServerCustomizer verifyOperations(
            LogRepository log,
            VersionVerifier verifier,
            StoredResources resources,
            CheckpointRepository checkpoints,
            JdbcSubtreeHashes subtrees,
            LogDatabase db,
            VersionHasher hasher,
            org.springframework.beans.factory.ObjectProvider<VerifyPartContributor> contributors,
            org.springframework.beans.factory.ObjectProvider<ProofAccess> access,
            BatchMembers batchMembers) {
        java.util.Optional<BatchedVersionVerifier> batched =
                java.util.Optional.of(new BatchedVersionVerifier(batchMembers, log, verifier, resources, hasher));
        return server -> {
            ProofAccess proofAccess = access.getIfAvailable(() -> (request, version, readable) -> {});
            server.registerProvider(new VerifyOperationProvider(
                    log, verifier, resources, contributors.orderedStream().toList(), proofAccess, batched));
            server.registerProvider(new VerifyManyOperationProvider(log, verifier, resources, proofAccess, batched));
            server.registerProvider(new LogOperationsProvider(checkpoints, subtrees));
            server.registerProvider(new AuditSweepProvider(log, verifier, db.jdbc(), batchMembers));
        };
    }
}
