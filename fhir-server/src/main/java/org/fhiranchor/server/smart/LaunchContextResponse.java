package org.fhiranchor.server.smart;

import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.fhiranchor.server.security.AccessGrant;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * SMART launch context in the token response: {@code patient} (the Patient id) and {@code fhirUser}
 * (an absolute URL) as top-level parameters beside {@code access_token}, taken from the access token
 * this very response carries.
 */
final class LaunchContextResponse implements Consumer<OAuth2AccessTokenAuthenticationContext> {

    @Override
    public void accept(OAuth2AccessTokenAuthenticationContext context) {
        OAuth2AccessTokenAuthenticationToken token = context.getAuthentication();
        Map<String, Object> claims;
        try {
            claims = SignedJWT.parse(token.getAccessToken().getTokenValue())
                    .getJWTClaimsSet()
                    .getClaims();
        } catch (ParseException e) {
            return; // not one of ours: nothing to add
        }
        Map<String, Object> extra = new LinkedHashMap<>(token.getAdditionalParameters());
        if (claims.get(AccessGrant.PATIENT_CLAIM) != null) {
            extra.put(AccessGrant.PATIENT_CLAIM, claims.get(AccessGrant.PATIENT_CLAIM));
        }
        if (claims.get(SmartTokenCustomizer.FHIR_USER) != null
                && token.getAccessToken().getScopes().contains("fhirUser")) {
            extra.put(
                    SmartTokenCustomizer.FHIR_USER,
                    SmartTokenCustomizer.fhirBase(AuthorizationServerContextHolder.getContext()
                                    .getIssuer())
                            + claims.get(SmartTokenCustomizer.FHIR_USER));
        }
        context.getAccessTokenResponse().additionalParameters(extra);
    }
}
