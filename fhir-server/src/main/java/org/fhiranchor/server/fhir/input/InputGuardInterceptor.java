package org.fhiranchor.server.fhir.input;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses, before HAPI parses anything, a body whose Content-Type the endpoint does not accept
 * (415). Binary uploads may carry any media type.
 */
@Interceptor
public final class InputGuardInterceptor {

    static final Set<String> ACCEPTED_MEDIA_TYPES = Set.of(
            "application/fhir+json",
            "application/json",
            "application/json+fhir",
            "application/fhir+xml",
            "application/xml",
            "application/xml+fhir",
            "text/xml",
            "application/json-patch+json",
            "application/x-www-form-urlencoded");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean checkRequest(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType != null && hasBody(request) && !isBinaryUpload(request)) {
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mediaType.isEmpty() && !ACCEPTED_MEDIA_TYPES.contains(mediaType)) {
                throw new UnsupportedMediaTypeException(mediaType);
            }
        }
        return true;
    }

    private static boolean hasBody(HttpServletRequest request) {
        String method = request.getMethod();
        return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
    }

    private static boolean isBinaryUpload(HttpServletRequest request) {
        String path = request.getPathInfo();
        return path != null && (path.startsWith("/Binary") || path.contains("/$binary-access-write"));
    }
}
