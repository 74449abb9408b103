package org.fhiranchor.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.time.Clock;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.security.AccessRefused;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "fhir-anchor.audit.enabled", havingValue = "true", matchIfMissing = true)
class AuditConfiguration {

    @Bean
    AuditTrail auditTrail(DaoRegistry daos, AuditProperties properties) {
        return new AuditTrail(daos, new AuditEventFactory(properties.observer()));
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 50)
    RestfulServerCustomizer accessAudit(AuditTrail trail) {
        return server -> server.registerInterceptor(new AccessAuditInterceptor(trail, Clock.systemUTC()));
    }

    @Bean
    RefusalAuditListener refusalAuditListener(AuditTrail trail) {
        return new RefusalAuditListener(trail, Clock.systemUTC());
    }

    /** Refusals by the filter chain (401, actuator 403), recorded before the refusal is sent. */
    static final class RefusalAuditListener {
        private final AuditTrail trail;
        private final Clock clock;

        RefusalAuditListener(AuditTrail trail, Clock clock) {
            this.trail = trail;
            this.clock = clock;
        }

        @EventListener
        public void onRefusal(AccessRefused refused) {
            try {
                trail.record(new AccessRecord(clock.instant(), null, null, refused.path(), null, null,
                        refused.status(), refused.grant(), refused.clientAddress()));
            } catch (AuditTrail.AuditUnavailableException e) {
                // The refusal is sent anyway; the failure is logged by the trail.
            }
        }
    }
}
