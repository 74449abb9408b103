package org.fhiranchor.server.smart;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /launch/patient}: the standalone launch's patient picker, for a user who may see several
 * patients (a clinician asking for {@code launch/patient}). The choice becomes an authority of the
 * session's login, which the authorization then carries into the token's {@code patient} claim; the
 * browser goes back to the authorization request it came from.
 */
@Controller
@ConditionalOnExpression(AuthorizationServerConfiguration.ENABLED)
final class PatientPicker {

    static final String PATH = "/launch/patient";
    /** Session attribute: the authorization request (query string) the current pick was made for. */
    static final String PICKED_FOR = PatientPicker.class.getName() + ".pickedFor";

    private static final int MAX_SHOWN = 20;

    private final DaoRegistry daos;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    PatientPicker(DaoRegistry daos) {
        this.daos = daos;
    }

    @GetMapping(PATH)
    ResponseEntity<String> list(
            HttpServletRequest request,
            @RequestParam("continue") String authorizeQuery,
            @RequestParam(name = "name", required = false) String name) {
        SearchParameterMap search = SearchParameterMap.newSynchronous();
        search.setLoadSynchronousUpTo(MAX_SHOWN);
        if (name != null && !name.isBlank()) {
            search.add(Patient.SP_NAME, new StringParam(name));
        }
        IBundleProvider found = patients().search(search, new SystemRequestDetails());
        List<IBaseResource> shown = found.getResources(0, MAX_SHOWN);
        StringBuilder rows = new StringBuilder();
        for (IBaseResource resource : shown) {
            Patient patient = (Patient) resource;
            String id = patient.getIdElement().getIdPart();
            rows.append("<form method=\"post\" action=\"")
                    .append(PATH)
                    .append("\">")
                    .append(LoginPage.csrf(request))
                    .append("<input type=\"hidden\" name=\"continue\" value=\"")
                    .append(Html.escape(authorizeQuery))
                    .append("\">")
                    .append("<input type=\"hidden\" name=\"patient\" value=\"")
                    .append(Html.escape(id))
                    .append("\">")
                    .append("<button type=\"submit\" class=\"secondary\" data-patient=\"")
                    .append(Html.escape(id))
                    .append("\">")
                    .append(Html.escape(display(patient)))
                    .append("</button></form>");
        }
        String empty = shown.isEmpty() ? "<p class=\"muted\">No patient found.</p>" : "";
        return Html.page(
                "Choose a patient",
                "<h1>Choose a patient</h1><p class=\"muted\">The app will open this"
                        + " patient's record.</p><form method=\"get\" action=\"" + PATH + "\">"
                        + "<input type=\"hidden\" name=\"continue\" value=\"" + Html.escape(authorizeQuery) + "\">"
                        + "<label for=\"name\">Name</label><input type=\"search\" id=\"name\" name=\"name\" value=\""
                        + Html.escape(name) + "\"><button type=\"submit\">Search</button></form>" + rows + empty);
    }

    @PostMapping(PATH)
    ResponseEntity<String> pick(
            HttpServletRequest request,
            HttpServletResponse response,
            @RequestParam("continue") String authorizeQuery,
            @RequestParam("patient") String patientId) {
        try {
            patients().read(new IdType("Patient", patientId), new SystemRequestDetails());
        } catch (BaseServerResponseException | IllegalArgumentException e) {
            return ResponseEntity.badRequest().body("No such patient");
        }
        Authentication login = SecurityContextHolder.getContext().getAuthentication();
        List<GrantedAuthority> authorities = new ArrayList<>();
        login.getAuthorities().stream()
                .filter(a -> !a.getAuthority().startsWith(LaunchContext.PICKED_PATIENT))
                .forEach(authorities::add);
        authorities.add(new SimpleGrantedAuthority(LaunchContext.PICKED_PATIENT + patientId));
        UsernamePasswordAuthenticationToken picked =
                UsernamePasswordAuthenticationToken.authenticated(login.getPrincipal(), null, authorities);
        picked.setDetails(login.getDetails());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(picked);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        request.getSession().setAttribute(PICKED_FOR, authorizeQuery);
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create("/oauth2/authorize?" + authorizeQuery))
                .build();
    }

    static String pickerUrl(String authorizeQuery) {
        return PATH + "?continue=" + URLEncoder.encode(authorizeQuery, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private IFhirResourceDao<Patient> patients() {
        return daos.getResourceDao(Patient.class);
    }

    private static String display(Patient patient) {
        String name = patient.getNameFirstRep().getNameAsSingleString();
        String born = patient.hasBirthDate()
                ? " (born " + patient.getBirthDateElement().getValueAsString() + ")"
                : "";
        return (name == null || name.isBlank()
                        ? "Patient/" + patient.getIdElement().getIdPart()
                        : name)
                + born;
    }
}
