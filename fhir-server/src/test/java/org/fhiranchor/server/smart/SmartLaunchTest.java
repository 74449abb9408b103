package org.fhiranchor.server.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.Test;

/**
 * A standalone patient launch at the HTTP level, as a browser and a public SMART app do it:
 * authorization request with PKCE, login form with CSRF, consent, code, token, FHIR reads; and the
 * refusals on the way (wrong redirect URI, wrong verifier, reused code, scope beyond the role,
 * repeated failed logins).
 */
class SmartLaunchTest extends FhirRestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REDIRECT = "http://127.0.0.1:9/callback";
    static final String PASSWORD = "correct horse battery";

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void patientLaunchesAnApp_readsOwnRecord_andNothingElse() throws Exception {
        IIdType alice = createPatient("Alice");
        IIdType bob = createPatient("Bob");
        String username = "alice-" + run;
        createUser(username, "patient", "Patient/" + alice.getIdPart());
        String clientId = registerApp("patient/*.rs launch/patient openid fhirUser offline_access");

        Launch launch = new Launch(clientId, "launch/patient openid fhirUser patient/*.rs offline_access");
        HttpResponse<String> consent = launch.signIn(username, PASSWORD);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Read all health data in this patient&#39;s record", "Know who you are");
        String code = launch.approve(consent);

        // A wrong verifier: refused, and the code is spent with it? No: the code stays for its rightful owner.
        HttpResponse<String> wrongVerifier = launch.token(code, "x".repeat(43));
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongVerifier.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(wrongVerifier.body()).doesNotContain("access_token");

        HttpResponse<String> tokenResponse = launch.token(code, launch.verifier);
        // (Spring Authorization Server invalidates a code after a failed attempt? If so the test says so.)
        if (tokenResponse.statusCode() != 200) {
            launch = new Launch(clientId, "launch/patient openid fhirUser patient/*.rs offline_access");
            code = launch.approve(launch.signIn(username, PASSWORD));
            tokenResponse = launch.token(code, launch.verifier);
        }
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(tokenResponse.body());
        assertThat(token.path("patient").asText()).isEqualTo(alice.getIdPart());
        assertThat(token.path("fhirUser").asText()).endsWith("/fhir/Patient/" + alice.getIdPart());
        assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.path("scope").asText()).contains("patient/*.rs", "launch/patient");
        assertThat(token.has("id_token")).isTrue();
        String accessToken = token.path("access_token").asText();
        Map<String, Object> claims =
                SignedJWT.parse(accessToken).getJWTClaimsSet().getClaims();
        assertThat(claims)
                .containsEntry("patient", alice.getIdPart())
                .containsEntry("role", "patient")
                .containsEntry("client_id", clientId)
                .containsEntry("fhirUser", "Patient/" + alice.getIdPart());

        assertThat(http("GET", "/" + alice.toUnqualifiedVersionless().getValue(), null, null, accessToken)
                        .statusCode())
                .isEqualTo(200);
        assertThat(http("GET", "/" + bob.toUnqualifiedVersionless().getValue(), null, null, accessToken)
                        .statusCode())
                .isEqualTo(403);

        // The code is good once.
        assertThat(launch.token(code, launch.verifier).statusCode()).isEqualTo(400);
    }

    @Test
    void wrongRedirectUri_isRefusedWithoutRedirecting() throws Exception {
        String clientId = registerApp("patient/*.rs launch/patient openid fhirUser");
        Browser browser = new Browser(origin());
        Launch launch = new Launch(clientId, "patient/*.rs");
        HttpResponse<String> refused = browser.get(launch.authorizeUrl("http://127.0.0.1:9/elsewhere"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void withoutPkce_theRequestIsRefused() throws Exception {
        String clientId = registerApp("patient/*.rs");
        Browser browser = new Browser(origin());
        HttpResponse<String> refused =
                browser.get("/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                        + Browser.encode(REDIRECT) + "&scope=" + Browser.encode("patient/*.rs") + "&state=s1");
        assertThat(Browser.location(refused)).startsWith(REDIRECT).contains("error=invalid_request");
    }

    @Test
    void aPatientCannotAskForEveryonesData() throws Exception {
        IIdType carol = createPatient("Carol");
        String username = "carol-" + run;
        createUser(username, "patient", "Patient/" + carol.getIdPart());
        String clientId = registerApp("user/*.rs patient/*.rs openid fhirUser");
        Launch launch = new Launch(clientId, "user/*.rs openid");
        HttpResponse<String> refused = launch.signIn(username, PASSWORD);
        String location = Browser.location(refused);
        assertThat(location)
                .startsWith(REDIRECT)
                .contains("error=invalid_scope")
                .doesNotContain("code=");
    }

    @Test
    void aClinicianPicksThePatient() throws Exception {
        IIdType dave = createPatient("Dave");
        String username = "dr-" + run;
        createUser(username, "clinician", "Practitioner/dr-" + run);
        String clientId = registerApp("launch/patient patient/*.rs openid fhirUser");
        Launch launch = new Launch(clientId, "launch/patient patient/*.rs openid fhirUser");
        HttpResponse<String> picker = launch.signIn(username, PASSWORD);
        assertThat(picker.statusCode()).isEqualTo(200);
        assertThat(picker.body()).contains("Choose a patient");
        HttpResponse<String> search = launch.browser.get(PatientPickerUrl.search(picker, "Dave-" + run));
        assertThat(search.body()).contains("data-patient=\"" + dave.getIdPart() + "\"");
        HttpResponse<String> picked = launch.browser.post(
                "/launch/patient",
                Browser.form(Map.of(
                        "_csrf", Browser.hidden(search.body(), "_csrf"),
                        "continue", Browser.hidden(search.body(), "continue"),
                        "patient", dave.getIdPart())));
        HttpResponse<String> consent = launch.browser.follow(launch.browser.follow(picked));
        assertThat(consent.body()).contains("Patient/" + dave.getIdPart());
        JsonNode token = JSON.readTree(
                launch.token(launch.approve(consent), launch.verifier).body());
        assertThat(token.path("patient").asText()).isEqualTo(dave.getIdPart());
        assertThat(http(
                                "GET",
                                "/Patient/" + dave.getIdPart(),
                                null,
                                null,
                                token.path("access_token").asText())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void repeatedFailedLogins_lockTheAccount_andAreAudited() throws Exception {
        IIdType erin = createPatient("Erin");
        String username = "erin-" + run;
        createUser(username, "patient", "Patient/" + erin.getIdPart());
        Browser browser = new Browser(origin());
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> failed = login(browser, username, "wrong password " + i);
            assertThat(Browser.location(failed)).endsWith("/login?error");
        }
        // Locked now: even the right password is refused, with the same message.
        assertThat(Browser.location(login(browser, username, PASSWORD))).endsWith("/login?error");
        HttpResponse<String> audit = get("/AuditEvent?agent-name=" + username + "&outcome=4&_summary=count");
        assertThat(JSON.readTree(audit.body()).path("total").asInt()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void discoveryListsTheRealEndpoints() throws Exception {
        HttpResponse<String> smart = http("GET", "/.well-known/smart-configuration", null, null, null);
        JsonNode config = JSON.readTree(smart.body());
        assertThat(config.path("authorization_endpoint").asText()).isEqualTo(origin() + "/oauth2/authorize");
        assertThat(config.path("token_endpoint").asText()).isEqualTo(origin() + "/oauth2/token");
        assertThat(config.path("jwks_uri").asText()).isEqualTo(origin() + "/oauth2/jwks");
        assertThat(config.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(config.path("grant_types_supported").toString())
                .contains("authorization_code", "refresh_token", "client_credentials");
        assertThat(config.path("token_endpoint_auth_methods_supported").toString())
                .contains("private_key_jwt");
        assertThat(config.path("capabilities").toString())
                .contains(
                        "launch-standalone",
                        "client-public",
                        "client-confidential-asymmetric",
                        "context-standalone-patient",
                        "permission-v2");
        assertThat(config.path("scopes_supported").toString()).contains("patient/*.rs", "launch/patient", "fhirUser");
        // The endpoints are really there: the JWKS holds the key the resource server trusts.
        HttpResponse<String> jwks = rawHttp("GET", origin() + "/oauth2/jwks", null, null, null);
        assertThat(jwks.body()).contains(issuer.keyId()).doesNotContain("\"d\"");
        HttpResponse<String> metadata = http("GET", "/metadata?_format=json", null, null, null);
        assertThat(metadata.body())
                .contains("oauth-uris")
                .contains(origin() + "/oauth2/authorize")
                .contains(origin() + "/oauth2/token");
    }

    @Test
    void theUserMayRefuse() throws Exception {
        IIdType fay = createPatient("Fay");
        String username = "fay-" + run;
        createUser(username, "patient", "Patient/" + fay.getIdPart());
        String clientId = registerApp("patient/*.rs openid fhirUser");
        Launch launch = new Launch(clientId, "patient/*.rs openid fhirUser");
        HttpResponse<String> consent = launch.signIn(username, PASSWORD);
        HttpResponse<String> denied = launch.browser.post(
                "/oauth2/authorize",
                Browser.form(Map.of(
                        "client_id", Browser.hidden(consent.body(), "client_id"),
                        "state", Browser.hidden(consent.body(), "state"))));
        assertThat(Browser.location(denied))
                .startsWith(REDIRECT)
                .contains("error=access_denied")
                .doesNotContain("code=");
    }

    // --- helpers

    private HttpResponse<String> login(Browser browser, String username, String password) throws Exception {
        HttpResponse<String> page = browser.get("/login");
        return browser.post(
                "/login",
                Browser.form(Map.of(
                        "username", username, "password", password, "_csrf", Browser.hidden(page.body(), "_csrf"))));
    }

    String origin() {
        return "http://127.0.0.1:" + port;
    }

    IIdType createPatient(String family) {
        return client.create()
                .resource(ClinicalFixtures.patient(
                        "urn:test:smart:" + run, family + "-" + run, family + "-" + run, "1980-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    }

    void createUser(String username, String role, String fhirUser) throws Exception {
        HttpResponse<String> created = admin(
                "POST",
                "/admin/users",
                JSON.writeValueAsString(
                        Map.of("username", username, "password", PASSWORD, "role", role, "fhirUser", fhirUser)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    String registerApp(String scopes) throws Exception {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("name", "Test app " + run);
        client.put("redirectUris", java.util.List.of(REDIRECT));
        client.put("scope", scopes);
        HttpResponse<String> created = admin("POST", "/admin/clients", JSON.writeValueAsString(client));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("clientId").asText();
    }

    HttpResponse<String> admin(String method, String path, String json) {
        return rawHttp(method, origin() + path, "application/json", json, token);
    }

    static HttpResponse<String> rawHttp(String method, String url, String contentType, String body, String bearer) {
        try {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .method(
                            method,
                            body == null
                                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One authorization request of a public app, with its PKCE pair. */
    final class Launch {
        final Browser browser = new Browser(origin());
        final String clientId;
        final String scope;
        final String verifier;
        final String state = UUID.randomUUID().toString();

        Launch(String clientId, String scope) throws Exception {
            this.clientId = clientId;
            this.scope = scope;
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }

        String authorizeUrl(String redirectUri) throws Exception {
            String challenge = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            return "/oauth2/authorize?response_type=code&client_id=" + Browser.encode(clientId)
                    + "&redirect_uri=" + Browser.encode(redirectUri) + "&scope=" + Browser.encode(scope)
                    + "&state=" + state + "&aud=" + Browser.encode(baseUrl())
                    + "&code_challenge=" + challenge + "&code_challenge_method=S256";
        }

        /** Authorization request, login page, login POST, back to the authorization request: the next page. */
        HttpResponse<String> signIn(String username, String password) throws Exception {
            HttpResponse<String> toLogin = browser.get(authorizeUrl(REDIRECT));
            assertThat(Browser.location(toLogin)).endsWith("/login");
            HttpResponse<String> loginPage = browser.follow(toLogin);
            assertThat(loginPage.body()).contains("Sign in");
            HttpResponse<String> loggedIn = browser.post(
                    "/login",
                    Browser.form(Map.of(
                            "username",
                            username,
                            "password",
                            password,
                            "_csrf",
                            Browser.hidden(loginPage.body(), "_csrf"))));
            HttpResponse<String> next = browser.follow(loggedIn); // the saved authorization request
            return next.statusCode() == 302 && !Browser.location(next).startsWith(REDIRECT)
                    ? browser.follow(next)
                    : next;
        }

        /** Approves every scope on the consent page; returns the code sent to the app. */
        String approve(HttpResponse<String> consentPage) throws Exception {
            StringBuilder form = new StringBuilder(Browser.form(Map.of(
                    "client_id", Browser.hidden(consentPage.body(), "client_id"),
                    "state", Browser.hidden(consentPage.body(), "state"))));
            java.util.regex.Matcher scopes = java.util.regex.Pattern.compile("name=\"scope\" value=\"([^\"]*)\"")
                    .matcher(consentPage.body());
            while (scopes.find()) {
                form.append("&scope=").append(Browser.encode(scopes.group(1)));
            }
            HttpResponse<String> toApp = browser.post("/oauth2/authorize", form.toString());
            String location = Browser.location(toApp);
            assertThat(location).startsWith(REDIRECT);
            assertThat(Browser.queryParameter(location, "state")).isEqualTo(state);
            return Browser.queryParameter(location, "code");
        }

        HttpResponse<String> token(String code, String codeVerifier) {
            return rawHttp(
                    "POST",
                    origin() + "/oauth2/token",
                    "application/x-www-form-urlencoded",
                    Browser.form(Map.of(
                            "grant_type",
                            "authorization_code",
                            "code",
                            code,
                            "redirect_uri",
                            REDIRECT,
                            "client_id",
                            clientId,
                            "code_verifier",
                            codeVerifier)),
                    null);
        }
    }

    /** The picker's search form, filled in. */
    static final class PatientPickerUrl {
        static String search(HttpResponse<String> picker, String name) {
            return "/launch/patient?continue=" + Browser.encode(Browser.hidden(picker.body(), "continue")) + "&name="
                    + Browser.encode(name);
        }
    }
}
