package org.fhiranchor.server.smart;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code GET /oauth2/consent}: lists, in plain words, each scope the app asks for, checked; the user
 * may uncheck some, allow, or refuse. The form posts back to the authorization endpoint.
 */
@Controller
@ConditionalOnExpression(AuthorizationServerConfiguration.ENABLED)
final class ConsentPage {

    static final String PATH = "/oauth2/consent";

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationConsentService consents;

    ConsentPage(RegisteredClientRepository clients, OAuth2AuthorizationConsentService consents) {
        this.clients = clients;
        this.consents = consents;
    }

    @GetMapping(PATH)
    ResponseEntity<String> consent(
            Principal user,
            HttpServletRequest request,
            @RequestParam("client_id") String clientId,
            @RequestParam("scope") String scope,
            @RequestParam("state") String state) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            return ResponseEntity.badRequest().body("Unknown client");
        }
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), user.getName());
        Set<String> already = previous == null ? Set.of() : previous.getScopes();
        Set<String> requested = new LinkedHashSet<>(Arrays.asList(scope.split(" ")));
        StringBuilder items = new StringBuilder();
        for (String s : requested) {
            if (s.equals("openid")) {
                continue; // part of fhirUser/profile; approved with the request
            }
            items.append("<li><label><input type=\"checkbox\" name=\"scope\" value=\"")
                    .append(Html.escape(s))
                    .append("\" checked> <span>")
                    .append(Html.escape(describe(s)))
                    .append(already.contains(s) ? " <em>(allowed before)</em>" : "")
                    .append("<br><code>")
                    .append(Html.escape(s))
                    .append("</code></span></label></li>");
        }
        String patient = LaunchContext.pickedPatient((org.springframework.security.core.Authentication) user);
        String context = patient == null
                ? ""
                : "<p class=\"muted\">Patient in context: <strong>Patient/" + Html.escape(patient) + "</strong></p>";
        return Html.page(
                "Allow access?",
                "<h1>Allow " + Html.escape(client.getClientName()) + "?</h1>"
                        + "<p class=\"muted\">Signed in as <strong>" + Html.escape(user.getName()) + "</strong>. "
                        + Html.escape(client.getClientName()) + " asks for:</p>" + context
                        + "<form method=\"post\" action=\"/oauth2/authorize\">"
                        + "<input type=\"hidden\" name=\"client_id\" value=\"" + Html.escape(clientId) + "\">"
                        + "<input type=\"hidden\" name=\"state\" value=\"" + Html.escape(state) + "\">"
                        + "<ul class=\"scopes\">" + items + "</ul>"
                        + "<button type=\"submit\" id=\"allow\">Allow</button></form>"
                        + "<form method=\"post\" action=\"/oauth2/authorize\">"
                        + "<input type=\"hidden\" name=\"client_id\" value=\"" + Html.escape(clientId) + "\">"
                        + "<input type=\"hidden\" name=\"state\" value=\"" + Html.escape(state) + "\">"
                        + "<button type=\"submit\" class=\"secondary\" id=\"deny\">Don't allow</button></form>"
                        + "<p class=\"muted\">You can change your mind later: ask the hospital to revoke the app's access.</p>");
    }

    /** The scope in words a patient understands. */
    static String describe(String scope) {
        switch (scope) {
            case "fhirUser", "profile":
                return "Know who you are";
            case "launch/patient":
                return "Know which patient's record is open";
            case "offline_access":
                return "Stay connected after you close the app";
            case "online_access":
                return "Stay connected while you are signed in";
            default:
                break;
        }
        int slash = scope.indexOf('/');
        int dot = scope.lastIndexOf('.');
        if (slash < 0 || dot < slash) {
            return scope;
        }
        String context = scope.substring(0, slash);
        String type = scope.substring(slash + 1, dot);
        String letters = scope.substring(dot + 1);
        String what = type.equals("*") ? "all health data" : type + " records";
        String whose = switch (context) {
            case "patient" -> " in this patient's record";
            case "user" -> " you can see";
            default -> " (whole system)";
        };
        boolean writes = letters.matches(".*[cud].*") || letters.equals("write") || letters.equals("*");
        boolean reads = letters.matches(".*[rs].*") || letters.equals("read") || letters.equals("*");
        String verb = reads && writes ? "Read and change " : writes ? "Change " : "Read ";
        return verb + what + whose;
    }
}
