package org.fhiranchor.server.smart;

import java.util.function.Consumer;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;

/**
 * Once the user is known, refuses an authorization request with {@code invalid_scope} if any scope
 * is beyond the user's role (a patient asking for {@code user/*.rs}), or if the scopes need a patient
 * in context and the user has none (neither their own record nor a picked one).
 */
final class RoleScopeValidator implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    private final UserAccounts users;

    RoleScopeValidator(UserAccounts users) {
        this.users = users;
    }

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        if (!(request.getPrincipal() instanceof UsernamePasswordAuthenticationToken login)
                || !login.isAuthenticated()) {
            return; // not signed in yet: checked again after the login
        }
        UserAccounts.UserAccount account = users.find(login.getName()).orElse(null);
        boolean allowed = account != null
                && request.getScopes().stream().allMatch(scope -> ScopePolicy.permits(account.role(), scope));
        if (allowed && ScopePolicy.needsPatient(request.getScopes())) {
            allowed = LaunchContext.of(account, (Authentication) login, request.getScopes())
                            .patientId()
                    != null;
        }
        if (!allowed) {
            throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                    new OAuth2Error(
                            OAuth2ErrorCodes.INVALID_SCOPE, "A scope asked for is not allowed for this user", null),
                    request);
        }
    }
}
