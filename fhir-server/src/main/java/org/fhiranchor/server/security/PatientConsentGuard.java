package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.fhiranchor.server.fhir.StatedRefusal;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;

/**
 * A patient token writes Consents about its own Patient only. The scope rules refuse anything else
 * too (compartment), with the uniform 403; this check runs first so the refusal says what is wrong.
 */
@Interceptor
public final class PatientConsentGuard {

    /** Before the AuthorizationInterceptor's own PRE_HANDLED hook (order 0). */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -1)
    public void check(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if ((operation != RestOperationTypeEnum.CREATE && operation != RestOperationTypeEnum.UPDATE)
                || !(request.getResource() instanceof Consent consent)) {
            return;
        }
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        String own = grant.patientId();
        boolean patientOnly = !grant.admin()
                && own != null
                && !grant.resourceScopes().isEmpty()
                && grant.resourceScopes().stream().allMatch(s -> s.context() == SmartScope.Context.PATIENT);
        if (!patientOnly) {
            return;
        }
        String named = consent.getPatient().getReference();
        IdType id = named == null ? null : new IdType(named);
        if (id == null || !"Patient".equals(id.getResourceType()) || !own.equals(id.getIdPart())) {
            throw new StatedRefusal("Consent.patient must be your own Patient (Patient/" + own + ")");
        }
    }
}
