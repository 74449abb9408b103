package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Optional;
import org.fhiranchor.server.access.AccessDetails;
import org.fhiranchor.server.consent.ClinicalReader;
import org.fhiranchor.server.fhir.StatedRefusal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Tells the consent engine who reads for care, from the verified token: a token with {@code user/}
 * resource scopes that read (a clinician's) is a {@link ClinicalReader} named by its SMART
 * {@code fhirUser} claim, whose reads the patients' privacy consents decide. Break-glass is
 * declared with purpose of use {@code BTG} (never by an insurer, which reads for payment), in the token (claim {@code purpose_of_use}, as IHE IUA
 * carries it) or per request (header {@value #PURPOSE_HEADER}); any other role declaring it is
 * refused (403). The {@code fhirUser} and a declared purpose go to the audit trail for every token.
 */
@Interceptor
public final class ClinicalReaderInterceptor {

    public static final String PURPOSE_HEADER = "X-Purpose-Of-Use";
    static final String REFUSAL = "Break-glass (purpose of use BTG) may only be declared by a clinician reading"
            + " for care (a token with user/ read scopes); this token may not declare it";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean identify(RequestDetails request) {
        Optional<Jwt> jwt = currentJwt();
        String header = request.getHeader(PURPOSE_HEADER);
        if (header != null && !ClinicalReader.BREAK_GLASS.equals(header.trim())) {
            throw new InvalidRequestException(PURPOSE_HEADER + " understands only BTG (break-glass)");
        }
        if (jwt.isEmpty()) {
            return true;
        }
        String fhirUser = jwt.get().getClaimAsString(ResearchRequesterInterceptor.FHIR_USER_CLAIM);
        boolean breakGlass = header != null
                || ClinicalReader.BREAK_GLASS.equals(
                        jwt.get().getClaimAsString(ResearchRequesterInterceptor.PURPOSE_CLAIM));
        AccessGrant grant = ScopeAuthorizationInterceptor.grantOf(request);
        boolean clinical = !grant.admin()
                && grant.resourceScopes().stream()
                        .anyMatch(scope -> scope.context() == SmartScope.Context.USER && scope.readsOrSearches());
        // An insurer reads for payment, never for care: its reads follow the privacy consents, without override.
        if (breakGlass && (!clinical || grant.narrowedTo(Consumer.INSURER))) {
            throw new StatedRefusal(REFUSAL);
        }
        AccessDetails details = AccessDetails.of(request);
        if (fhirUser != null && fhirUser.length() <= 512) {
            details.fhirUser(fhirUser);
        }
        if (clinical) {
            request.getUserData().put(ClinicalReader.USER_DATA_KEY, ClinicalReader.of(fhirUser, breakGlass));
            if (breakGlass) {
                details.purposeOfUse(ClinicalReader.BREAK_GLASS);
            }
        }
        return true;
    }

    private static Optional<Jwt> currentJwt() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof JwtAuthenticationToken token
                ? Optional.of(token.getToken())
                : Optional.empty();
    }
}
