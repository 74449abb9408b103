package org.fhiranchor.server.smart;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a signed-in user who asks for a patient context but is not a patient (a clinician) to the
 * patient picker first, once per authorization request.
 */
final class PatientPickerRedirect extends OncePerRequestFilter {

    private final UserAccounts users;

    PatientPickerRedirect(UserAccounts users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (needsPick(request)) {
            response.sendRedirect(PatientPicker.pickerUrl(request.getQueryString()));
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean needsPick(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())
                || !"/oauth2/authorize".equals(request.getServletPath())
                || request.getQueryString() == null
                || request.getParameter("scope") == null) {
            return false;
        }
        Authentication login = SecurityContextHolder.getContext().getAuthentication();
        if (!(login instanceof UsernamePasswordAuthenticationToken) || !login.isAuthenticated()) {
            return false;
        }
        Set<String> scopes =
                Arrays.stream(request.getParameter("scope").split(" ")).collect(Collectors.toSet());
        if (!ScopePolicy.needsPatient(scopes)) {
            return false;
        }
        boolean mayPick = users.find(login.getName())
                .filter(account -> account.patientId() == null)
                .filter(account -> scopes.stream().allMatch(scope -> ScopePolicy.permits(account.role(), scope)))
                .isPresent();
        HttpSession session = request.getSession(false);
        boolean picked = session != null
                && request.getQueryString().equals(session.getAttribute(PatientPicker.PICKED_FOR))
                && LaunchContext.pickedPatient(login) != null;
        return mayPick && !picked;
    }
}
