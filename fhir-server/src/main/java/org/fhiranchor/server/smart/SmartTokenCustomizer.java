package org.fhiranchor.server.smart;

import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.server.security.AccessGrant;
import org.fhiranchor.server.security.SecurityProperties;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the authorization server's JWTs like the embedded issuer's: signed ES256 by the same key,
 * {@code iss} and {@code aud} that the resource server expects, and the claims {@code client_id},
 * {@code role}, {@code patient} and {@code fhirUser}. ID tokens get {@code fhirUser} as an absolute
 * URL (SMART App Launch) when the {@code fhirUser} scope was granted.
 */
final class SmartTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    static final String FHIR_USER = "fhirUser";

    private final SecurityProperties security;
    private final UserAccounts users;

    SmartTokenCustomizer(SecurityProperties security, UserAccounts users) {
        this.security = security;
        this.users = users;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
        RegisteredClient client = context.getRegisteredClient();
        LaunchContext launch = launchContext(context);
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            // A mutable list: the claims are stored with the authorization, and Spring Security's JSON
            // allowlist refuses List.of(...) when they are read back.
            context.getClaims()
                    .issuer(security.issuer())
                    .audience(new ArrayList<>(List.of(security.audience())))
                    .claim(AccessGrant.CLIENT_ID_CLAIM, client.getClientId());
            if (launch.role() != null) {
                context.getClaims().claim(AccessGrant.ROLE_CLAIM, launch.role());
            }
            if (launch.patientId() != null) {
                context.getClaims().claim(AccessGrant.PATIENT_CLAIM, launch.patientId());
            }
            if (launch.fhirUser() != null) {
                context.getClaims().claim(FHIR_USER, launch.fhirUser());
            }
        } else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
                && context.getAuthorizedScopes().contains(FHIR_USER)
                && launch.fhirUser() != null) {
            context.getClaims()
                    .claim(
                            FHIR_USER,
                            fhirBase(context.getAuthorizationServerContext().getIssuer()) + launch.fhirUser());
        }
    }

    private LaunchContext launchContext(JwtEncodingContext context) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            return LaunchContext.ofService(SmartClients.roleOf(context.getRegisteredClient()));
        }
        String username = context.getPrincipal().getName();
        UserAccounts.UserAccount account = users.find(username)
                .filter(UserAccounts.UserAccount::enabled)
                // A disabled or removed user's refresh token stops working at once.
                .orElseThrow(() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT));
        return LaunchContext.of(account, context.getPrincipal(), context.getAuthorizedScopes());
    }

    static String fhirBase(String issuer) {
        return (issuer.endsWith("/") ? issuer : issuer + "/") + "fhir/";
    }
}
