package org.fhiranchor.server.smart;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code GET /login}: the sign-in form; Spring Security's form login handles the POST. */
@Controller
@ConditionalOnExpression(AuthorizationServerConfiguration.ENABLED)
final class LoginPage {

    static final String PATH = "/login";

    @GetMapping(PATH)
    ResponseEntity<String> login(HttpServletRequest request) {
        String error = request.getParameter("error") == null
                ? ""
                : "<div class=\"error\" role=\"alert\">Wrong username or password. After several failed attempts the"
                        + " account is locked for a while.</div>";
        return Html.page(
                "Sign in",
                "<h1>Sign in</h1><p class=\"muted\">An app is asking to connect to your health"
                        + " record. Sign in to continue.</p>" + error
                        + "<form method=\"post\" action=\"" + PATH + "\">"
                        + "<label for=\"username\">Username</label>"
                        + "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>"
                        + "<label for=\"password\">Password</label>"
                        + "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
                        + csrf(request)
                        + "<button type=\"submit\">Sign in</button></form>");
    }

    static String csrf(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return token == null
                ? ""
                : "<input type=\"hidden\" name=\"" + Html.escape(token.getParameterName()) + "\" value=\""
                        + Html.escape(token.getToken()) + "\">";
    }
}
