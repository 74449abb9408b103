package org.fhiranchor.server.smart;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.fhiranchor.server.security.AccessGrant;
import org.fhiranchor.server.security.AccessRefused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Every refused login and every refused OAuth2 request (bad client, assertion, code, verifier,
 * redirect URI, scope) becomes an {@link AccessRefused}, which the audit trail records; failed logins
 * count towards the account's lock-out, and a successful one resets the count.
 */
final class SignInEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SignInEvents.class);

    private final UserAccounts users;
    private final SmartProperties properties;
    private final ApplicationEventPublisher events;

    SignInEvents(UserAccounts users, SmartProperties properties, ApplicationEventPublisher events) {
        this.users = users;
        this.properties = properties;
        this.events = events;
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent failure) {
        HttpServletRequest request = currentRequest();
        if (request == null || auditedElsewhere(request.getRequestURI())) {
            return;
        }
        String who = failure.getAuthentication() == null
                ? null
                : failure.getAuthentication().getName();
        String clientId = null;
        int status = 401;
        if (failure.getAuthentication() instanceof UsernamePasswordAuthenticationToken && who != null) {
            if (users.recordFailure(who, properties.maxFailedLogins(), properties.lockout())) {
                LOG.warn(
                        "An account was locked for {} after {} failed logins",
                        properties.lockout(),
                        properties.maxFailedLogins());
            }
        } else if (failure.getException() instanceof OAuth2AuthenticationException oauth) {
            status = "invalid_client".equals(oauth.getError().getErrorCode()) ? 401 : 400;
            if (failure.getAuthentication() instanceof OAuth2ClientAuthenticationToken client) {
                clientId = String.valueOf(client.getPrincipal());
                who = clientId;
            }
        }
        AccessGrant grant = new AccessGrant(
                who == null || who.isBlank() ? "anonymous" : who,
                null,
                clientId,
                null,
                List.of(),
                Set.of(),
                false,
                false,
                Set.of());
        events.publishEvent(new AccessRefused(
                status, request.getMethod(), request.getRequestURI(), grant, request.getRemoteAddr()));
    }

    @EventListener
    public void onSuccess(AuthenticationSuccessEvent success) {
        if (success.getAuthentication() instanceof UsernamePasswordAuthenticationToken login) {
            users.recordSuccess(login.getName());
        }
    }

    /** The API's own refusals (a bad bearer token on /fhir, /admin, /actuator) are audited by its entry point. */
    static boolean auditedElsewhere(String path) {
        return path.startsWith("/fhir") || path.startsWith("/admin") || path.startsWith("/actuator");
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest()
                : null;
    }
}
