package org.fhiranchor.server.smart;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.text.ParseException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART Backend Services clients send no {@code client_id} beside their assertion (RFC 7523 makes it
 * optional), while Spring Authorization Server requires one: this fills it in from the assertion's
 * {@code sub}, which the assertion's verification then checks against the client's keys.
 */
final class ClientIdFromAssertion extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String assertion = request.getParameter("client_assertion");
        if ("POST".equals(request.getMethod()) && assertion != null && request.getParameter("client_id") == null) {
            String subject = subject(assertion);
            if (subject != null) {
                chain.doFilter(withClientId(request, subject), response);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static String subject(String assertion) {
        try {
            return SignedJWT.parse(assertion).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            return null; // left to the assertion's verification to refuse
        }
    }

    private static HttpServletRequest withClientId(HttpServletRequest request, String clientId) {
        Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
        parameters.put("client_id", new String[] {clientId});
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getParameter(String name) {
                String[] values = parameters.get(name);
                return values == null ? null : values[0];
            }

            @Override
            public Map<String, String[]> getParameterMap() {
                return Collections.unmodifiableMap(parameters);
            }

            @Override
            public Enumeration<String> getParameterNames() {
                return Collections.enumeration(parameters.keySet());
            }

            @Override
            public String[] getParameterValues(String name) {
                return parameters.get(name);
            }
        };
    }
}
