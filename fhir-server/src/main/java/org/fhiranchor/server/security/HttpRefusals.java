package org.fhiranchor.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 from the filter chain, as FHIR OperationOutcomes. The text is fixed: it never says
 * why a token failed (expired, wrong key, wrong audience) beyond the RFC 6750 error code, and never
 * whether the resource exists.
 */
final class HttpRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "fhir-anchor";

    private final ApplicationEventPublisher events;

    HttpRefusals(ApplicationEventPublisher events) {
        this.events = events;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        boolean tokenSent =
                exception instanceof InvalidBearerTokenException || (request.getHeader("Authorization") != null);
        String challenge = tokenSent
                ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
                : "Bearer realm=\"" + REALM + "\"";
        publish(request, 401, AccessGrant.ANONYMOUS);
        response.setHeader("WWW-Authenticate", challenge);
        write(
                response,
                401,
                "login",
                tokenSent
                        ? "The bearer token is not valid for this server"
                        : "Authentication required: send a bearer token");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        publish(request, 403, ScopeAuthorizationInterceptor.currentGrant());
        response.setHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\"");
        write(response, 403, "forbidden", RefusalInterceptor.FORBIDDEN_MESSAGE);
    }

    private void publish(HttpServletRequest request, int status, AccessGrant grant) {
        events.publishEvent(new AccessRefused(
                status, request.getMethod(), request.getRequestURI(), grant, request.getRemoteAddr()));
    }

    private static void write(HttpServletResponse response, int status, String code, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("application/fhir+json;charset=UTF-8");
        String outcome = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + code
                + "\",\"diagnostics\":\"" + text + "\"}]}";
        response.getOutputStream().write(outcome.getBytes(StandardCharsets.UTF_8));
    }
}
