package org.fhiranchor.server.log;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import java.time.Clock;
import javax.sql.DataSource;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The log's beans; absent when anchoring is off (plain HAPI). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${fhir-anchor.anchoring.mode:checkpoint}'.toLowerCase() != 'off'")
class LogConfiguration {

    /** The log's tables come from the migrations (schema package), which run before this bean is made. */
    @Bean
    @DependsOnDatabaseInitialization
    LogDatabase logDatabase(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // The log's own jobs use plain JDBC transactions; HAPI's writes use the JPA transaction
        // manager, whose connection the storage hook shares.
        return new LogDatabase(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Bean
    LogRepository logRepository(LogDatabase db) {
        return new LogRepository(db.jdbc());
    }

    @Bean
    JdbcSubtreeHashes subtreeHashes(LogDatabase db) {
        return new JdbcSubtreeHashes(db.jdbc());
    }

    @Bean
    VersionHasher versionHasher(FhirContext fhirContext) {
        return new VersionHasher(fhirContext);
    }

    @Bean
    WriteActivity writeActivity(IInterceptorService interceptorService) {
        WriteActivity activity = new WriteActivity();
        interceptorService.registerInterceptor(activity);
        return activity;
    }

    @Bean
    RestfulServerCustomizer writeActivityRequests(WriteActivity activity) {
        return server -> server.registerInterceptor(activity.requestHooks());
    }

    @Bean
    LogEntryRecorder logEntryRecorder(LogDatabase db) {
        return new LogEntryRecorder(db.jdbc());
    }

    @Bean
    BatchMembers batchMembers(LogDatabase db, LogEntryRecorder recorder) {
        return new BatchMembers(db.jdbc(), recorder);
    }

    @Bean
    LogAppendInterceptor logAppendInterceptor(
            VersionHasher hasher, LogEntryRecorder recorder, IInterceptorService interceptorService) {
        LogAppendInterceptor interceptor = new LogAppendInterceptor(hasher, recorder, Clock.systemUTC());
        // Registered with the storage layer, not the REST server: internal writes are logged too.
        interceptorService.registerInterceptor(interceptor);
        return interceptor;
    }
}
