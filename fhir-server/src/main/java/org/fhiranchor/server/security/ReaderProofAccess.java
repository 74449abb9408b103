package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import java.util.List;
import org.fhiranchor.server.access.AccessDetails;
import org.fhiranchor.server.consent.PatientCompartment;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.fhir.StatedRefusal;
import org.fhiranchor.server.verify.ProofAccess;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * {@code $verify} for every reader: a caller gets a version's proof exactly when a {@code vread} of
 * that version would show it to them. The same rules decide: the token's scopes and patient
 * compartment (the {@link ScopeRules}, applied by HAPI's AuthorizationInterceptor as for a
 * {@code vread}), then every {@link ResponseFilter} that applies to the request (the patients'
 * privacy consents, with break-glass). Proof-only callers, whose token names the {@code $verify}
 * operation (auditors) or every operation (admins), get proofs without reading. The patients whose
 * data was proven go to the access audit, as for a read.
 */
public final class ReaderProofAccess implements ProofAccess {

    static final String NOT_READABLE = "This token may not read %s, so it may not have its proof";

    private final AuthorizationInterceptor readRules = new ScopeAuthorizationInterceptor();
    private final List<ResponseFilter> filters;

    public ReaderProofAccess(List<ResponseFilter> filters) {
        this.filters = List.copyOf(filters);
    }

    @Override
    public void check(RequestDetails request, IIdType version, IBaseResource readable) {
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        if (proofOnly(grant)) {
            return;
        }
        String ref = version.toUnqualified().getValue();
        if (readable == null) {
            throw new ForbiddenOperationException(NOT_READABLE.formatted(ref));
        }
        AuthorizationInterceptor.Verdict verdict = readRules.applyRulesAndReturnDecision(
                RestOperationTypeEnum.VREAD, request, null, version, readable, Pointcut.STORAGE_PRESHOW_RESOURCES);
        if (verdict.getDecision() != PolicyEnum.ALLOW) {
            throw new ForbiddenOperationException(NOT_READABLE.formatted(ref));
        }
        for (ResponseFilter filter : filters) {
            if (!filter.appliesTo(request)) {
                continue;
            }
            ConsentOperationStatusEnum outcome =
                    filter.decide(request, readable).getStatus();
            if (outcome == ConsentOperationStatusEnum.REJECT) {
                throw new StatedRefusal(filter.refusal());
            }
            if (outcome == ConsentOperationStatusEnum.AUTHORIZED) {
                break;
            }
        }
        AccessDetails details = AccessDetails.of(request);
        PatientCompartment.owners(request.getFhirContext(), readable).forEach(details::patient);
    }

    /** Auditors and admins: proofs of every version, never the versions themselves (their scopes decide reads). */
    static boolean proofOnly(AccessGrant grant) {
        return grant.admin()
                || grant.operations().contains("$verify")
                || grant.operations().contains(Scopes.ANY_OPERATION);
    }
}
