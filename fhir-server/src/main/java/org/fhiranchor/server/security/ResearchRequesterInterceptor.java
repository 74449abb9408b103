package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;
import org.fhiranchor.server.consent.ClinicalReader;
import org.fhiranchor.server.consent.ResearchRequester;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Tells the consent engine who asks for research data, from the verified token only (never from
 * headers): a token of the researcher role, or any token carrying {@code purpose_of_use}, makes the
 * request a research request of {@code fhirUser} for that purpose (HRESCH when a researcher token
 * names none). A research token without a usable {@code fhirUser} gets no requester, so the consent
 * engine releases nothing to it.
 */
@Interceptor
public final class ResearchRequesterInterceptor {

    public static final String FHIR_USER_CLAIM = "fhirUser";
    public static final String PURPOSE_CLAIM = "purpose_of_use";
    static final String DEFAULT_RESEARCH_PURPOSE = "HRESCH";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean resolve(RequestDetails request) {
        currentJwt()
                .flatMap(ResearchRequesterInterceptor::requesterOf)
                .ifPresent(requester -> request.getUserData().put(ResearchRequester.USER_DATA_KEY, requester));
        return true;
    }

    static Optional<ResearchRequester> requesterOf(Jwt jwt) {
        String purpose = jwt.getClaimAsString(PURPOSE_CLAIM);
        if (ClinicalReader.BREAK_GLASS.equals(purpose)) {
            purpose = null; // break-glass is a clinical read (ClinicalReaderInterceptor), never research
        }
        boolean researcher = Role.RESEARCHER.code().equals(jwt.getClaimAsString(AccessGrant.ROLE_CLAIM));
        if (purpose == null && !researcher) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ResearchRequester(
                    jwt.getClaimAsString(FHIR_USER_CLAIM), purpose != null ? purpose : DEFAULT_RESEARCH_PURPOSE));
        } catch (IllegalArgumentException unusable) {
            return Optional.empty();
        }
    }

    private static Optional<Jwt> currentJwt() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof JwtAuthenticationToken token
                ? Optional.of(token.getToken())
                : Optional.empty();
    }
}
