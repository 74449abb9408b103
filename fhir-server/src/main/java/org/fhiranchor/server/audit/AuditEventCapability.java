package org.fhiranchor.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;

/**
 * The CapabilityStatement tells clients what the server does: the audit trail is written by the server, so a
 * client's {@code create} of an AuditEvent is refused with 403 and is not offered, whichever store keeps the trail
 * (HAPI lists every interaction of its own resource types; the store's provider has a create only to answer 403).
 */
@Interceptor
final class AuditEventCapability {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void withoutClientCreate(IBaseConformance capabilityStatement) {
        if (!(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        statement
                .getRest()
                .forEach(rest -> rest.getResource().stream()
                        .filter(resource -> "AuditEvent".equals(resource.getType()))
                        .forEach(resource -> resource.getInteraction()
                                .removeIf(interaction -> interaction.getCode() == TypeRestfulInteraction.CREATE)));
    }
}
