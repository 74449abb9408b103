package org.fhiranchor.server.anchoring;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fhiranchor.server.jobs.PeriodicJobs;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogDatabase;
import org.fhiranchor.server.log.LogRepository;
import org.fhiranchor.server.log.Sequencer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() != 'off'")
class AnchoringConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${fhir-anchor.chain.mode:embedded}'.toLowerCase() == 'embedded'")
    EmbeddedChain embeddedChain(@Value("${fhir-anchor.data-dir}") Path dataDir, ChainProperties properties) {
        return EmbeddedChain.start(dataDir, properties.embedded());
    }

    @Bean(destroyMethod = "close")
    ChainConnection chainConnection(
            ChainProperties properties,
            ObjectProvider<EmbeddedChain> embedded,
            @Value("${fhir-anchor.data-dir}") Path dataDir,
            LogDatabase db) {
        return new ChainConnection(
                properties, embedded.getIfAvailable(), dataDir, db.jdbc(), db.transactions(), Clock.systemUTC());
    }

    @Bean
    RouterFunction<ServerResponse> deploymentStatementRoute(@Value("${fhir-anchor.data-dir}") Path dataDir) {
        return DeploymentStatementEndpoint.route(dataDir);
    }

    @Bean
    CheckpointRepository checkpointRepository(LogDatabase db) {
        return new CheckpointRepository(db.jdbc());
    }

    @Bean
    AnchoringStatus anchoringStatus(LogRepository log, CheckpointRepository checkpoints, LogDatabase db) {
        return new AnchoringStatus(log, checkpoints, db.jdbc(), Clock.systemUTC());
    }

    @Bean
    AnchoringMetrics anchoringMetrics(MeterRegistry registry, AnchoringStatus status, ChainConnection chain) {
        return new AnchoringMetrics(registry, status, chain);
    }

    /** The log's sequencer, configured and scheduled with the anchoring it feeds (the log knows nothing of anchoring). */
    @Bean
    Sequencer sequencer(LogDatabase db, LogRepository log, JdbcSubtreeHashes subtrees, AnchoringProperties properties) {
        return new Sequencer(
                db.jdbc(), db.transactions(), log, subtrees, Clock.systemUTC(), properties.sequencerBatchSize());
    }

    @Bean
    CheckpointRequests checkpointRequests() {
        return new CheckpointRequests();
    }

    @Bean
    PeriodicJobs anchoringJobs(
            Sequencer sequencer,
            ChainConnection chain,
            CheckpointRepository checkpoints,
            LogRepository log,
            LogDatabase db,
            AnchoringProperties properties,
            ChainProperties chainProperties,
            AnchoringMetrics metrics,
            CheckpointRequests requests) {
        Runnable job = properties.mode() == AnchoringProperties.Mode.PER_VERSION
                ? new PerVersionAnchorJob(chain, log, db.jdbc(), db.transactions(), metrics, Clock.systemUTC())::run
                : new CheckpointJob(
                        chain,
                        checkpoints,
                        log,
                        db.jdbc(),
                        db.transactions(),
                        properties,
                        chainProperties,
                        metrics,
                        Clock.systemUTC(),
                        requests)::run;
        // At the server's own priority: they are light, and the anchoring lag depends on them keeping up.
        return new PeriodicJobs(List.of(
                new PeriodicJobs.Job(
                        "sequencer",
                        () -> metrics.timeSequencerPass(sequencer::sequenceAll),
                        Duration.ZERO,
                        properties.sequencerInterval()),
                new PeriodicJobs.Job("anchoring", job, properties.jobInterval(), properties.jobInterval())));
    }

    @Bean
    AnchoringHealthIndicator anchoringHealthIndicator(ChainConnection chain, AnchoringStatus status) {
        return new AnchoringHealthIndicator(chain, status);
    }
}
