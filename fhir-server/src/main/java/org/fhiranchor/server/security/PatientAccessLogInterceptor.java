package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.fhiranchor.server.access.AuditedResource;
import org.fhiranchor.server.fhir.StatedRefusal;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The patient's access log: a patient token may search {@code AuditEvent?patient=Patient/<own id>}
 * (with {@code date}, {@code agent-name}, {@code _sort=date|-date}, {@code _count}). Server-written
 * AuditEvents name patients by identifier, not reference (they are in no compartment), so the
 * search is rewritten into {@code entity-name:exact=Patient/<own id>} before it is authorized, and
 * only such a rewritten search is let through to the audit trail ({@link ScopeRules}). In the
 * answer, every mention of another patient and the callers' network addresses are removed.
 */
@Interceptor
public final class PatientAccessLogInterceptor {

    static final String MARK = PatientAccessLogInterceptor.class.getName();
    private static final Set<String> ALLOWED =
            Set.of("patient", "date", "agent-name", "_sort", "_count", "_format", "_pretty");
    private static final Set<String> SORTS = Set.of("date", "-date");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean rewrite(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE
                || !ScopeRules.AUDIT_EVENT.equals(request.getResourceName())
                || !request.getParameters().containsKey("patient")) {
            return true;
        }
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        String own = grant.patientId();
        if (grant.admin() || grant.readsAuditEvents() || own == null || own.isBlank()) {
            return true; // auditors search the trail as it is; others are refused by the scope rules
        }
        String[] patient = request.getParameters().get("patient");
        if (patient.length != 1 || !(patient[0].equals("Patient/" + own) || patient[0].equals(own))) {
            throw new StatedRefusal(
                    "A patient's access log covers only its own record: AuditEvent?patient=Patient/" + own);
        }
        Map<String, String[]> rewritten = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            String name = parameter.getKey();
            if (!ALLOWED.contains(name)) {
                throw new InvalidRequestException("The access log can be searched by patient, date, agent-name, _sort"
                        + " (date or -date) and _count only; not by " + name);
            }
            if (name.equals("_sort")
                    && !(parameter.getValue().length == 1
                            && SORTS.contains(parameter.getValue()[0]))) {
                throw new InvalidRequestException("The access log can be sorted by date or -date only");
            }
            if (!name.equals("patient")) {
                rewritten.put(name, parameter.getValue());
            }
        }
        rewritten.put("entity-name:exact", new String[] {"Patient/" + own});
        request.setParameters(rewritten);
        request.getUserData().put(MARK, "Patient/" + own);
        return true;
    }

    /** Before the authorization check of the response and the audit: nothing about anyone else leaves. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = -10)
    public boolean redact(RequestDetails request, ResponseDetails response) {
        Object own = request.getUserData().get(MARK);
        if (own == null || !(response.getResponseResource() instanceof Bundle bundle)) {
            return true;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof AuditEvent event) {
                event.getEntity().removeIf(entity -> namesOtherPatient(entity, (String) own));
                event.getAgent().forEach(agent -> agent.setNetwork(null));
            }
        }
        return true;
    }

    static boolean isAccessLogRequest(RequestDetails request) {
        return request != null && request.getUserData().get(MARK) != null;
    }

    private static boolean namesOtherPatient(AuditEvent.AuditEventEntityComponent entity, String own) {
        String name = entity.getName();
        String what = entity.getWhat().hasIdentifier()
                        && AuditedResource.SYSTEM.equals(
                                entity.getWhat().getIdentifier().getSystem())
                ? entity.getWhat().getIdentifier().getValue()
                : entity.getWhat().getReference();
        return otherPatient(name, own) || otherPatient(what, own);
    }

    private static boolean otherPatient(String reference, String own) {
        return reference != null
                && reference.startsWith("Patient/")
                && !(reference.equals(own) || reference.startsWith(own + "/"));
    }
}
