package org.fhiranchor.server.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fhiranchor.server.support.ClinicalFixtures;
import org.fhiranchor.server.support.FhirRestTest;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.Test;

/**
 * SMART Backend Services at the HTTP level: {@code client_credentials} with a {@code private_key_jwt}
 * assertion, ES384 with an inline JWKS and RS384 with a JWKS URL; replayed, expired, too long-lived
 * and foreign assertions are refused with {@code invalid_client} and nothing is issued.
 */
class BackendServicesTest extends FhirRestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void es384WithInlineJwks_getsAToken_onceperAssertion() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_384).keyID("es-" + run).generate();
        String clientId = register(
                "bulk-es-" + run, Map.of("jwks", JSON.readValue(new JWKSet(key.toPublicJWK()).toString(), Map.class)));
        IIdType patient = client.create()
                .resource(ClinicalFixtures.patient("urn:test:backend:" + run, "p1", "Backend", "1970-01-01"))
                .execute()
                .getId()
                .toUnqualifiedVersionless();

        String assertion = assertion(
                key,
                JWSAlgorithm.ES384,
                clientId,
                tokenUrl(),
                Duration.ofMinutes(4),
                UUID.randomUUID().toString());
        HttpResponse<String> issued = tokenRequest(assertion, "system/*.rs");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(issued.body());
        assertThat(token.path("scope").asText()).isEqualTo("system/*.rs");
        assertThat(token.has("refresh_token")).isFalse();
        String accessToken = token.path("access_token").asText();
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getClaims())
                .containsEntry("role", "ehr")
                .containsEntry("client_id", clientId);
        assertThat(http("GET", "/" + patient.getValue(), null, null, accessToken)
                        .statusCode())
                .isEqualTo(200);
        // system/*.rs reads; it never writes.
        assertThat(http("DELETE", "/" + patient.getValue(), null, null, accessToken)
                        .statusCode())
                .isEqualTo(403);

        assertRefused(tokenRequest(assertion, "system/*.rs")); // the same jti again
        assertRefused(tokenRequest(
                assertion(
                        key,
                        JWSAlgorithm.ES384,
                        clientId,
                        tokenUrl(),
                        Duration.ofMinutes(-2),
                        UUID.randomUUID().toString()),
                "system/*.rs")); // expired
        assertRefused(tokenRequest(
                assertion(
                        key,
                        JWSAlgorithm.ES384,
                        clientId,
                        tokenUrl(),
                        Duration.ofMinutes(10),
                        UUID.randomUUID().toString()),
                "system/*.rs")); // exp too far ahead
        assertRefused(tokenRequest(
                assertion(
                        key,
                        JWSAlgorithm.ES384,
                        clientId,
                        "https://elsewhere.example/token",
                        Duration.ofMinutes(4),
                        UUID.randomUUID().toString()),
                "system/*.rs")); // wrong aud
        ECKey stranger = new ECKeyGenerator(Curve.P_384).keyID("es-" + run).generate();
        assertRefused(tokenRequest(
                assertion(
                        stranger,
                        JWSAlgorithm.ES384,
                        clientId,
                        tokenUrl(),
                        Duration.ofMinutes(4),
                        UUID.randomUUID().toString()),
                "system/*.rs")); // not the client's key
        assertRefused(tokenRequest(
                assertion(
                        key,
                        JWSAlgorithm.ES384,
                        "nobody-" + run,
                        tokenUrl(),
                        Duration.ofMinutes(4),
                        UUID.randomUUID().toString()),
                "system/*.rs")); // unknown client
        HttpResponse<String> beyond = tokenRequest(
                assertion(
                        key,
                        JWSAlgorithm.ES384,
                        clientId,
                        tokenUrl(),
                        Duration.ofMinutes(4),
                        UUID.randomUUID().toString()),
                "system/*.cruds");
        assertThat(beyond.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(beyond.body()).path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void rs384WithJwksUrl_getsAToken() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("rs-" + run).generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try {
            String clientId = register(
                    "bulk-rs-" + run,
                    Map.of("jwksUrl", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
            HttpResponse<String> issued = tokenRequest(
                    assertion(
                            key,
                            JWSAlgorithm.RS384,
                            clientId,
                            tokenUrl(),
                            Duration.ofMinutes(5),
                            UUID.randomUUID().toString()),
                    "system/*.rs");
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
            // RS256 is not among the algorithms SMART allows.
            assertRefused(tokenRequest(
                    assertion(
                            key,
                            JWSAlgorithm.RS256,
                            clientId,
                            tokenUrl(),
                            Duration.ofMinutes(5),
                            UUID.randomUUID().toString()),
                    "system/*.rs"));
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void revokedClient_getsNothing() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_384).keyID("es-" + run).generate();
        String clientId = register(
                "revoked-" + run, Map.of("jwks", JSON.readValue(new JWKSet(key.toPublicJWK()).toString(), Map.class)));
        assertThat(admin("DELETE", "/admin/clients/" + clientId, null).statusCode())
                .isEqualTo(204);
        assertRefused(tokenRequest(
                assertion(
                        key,
                        JWSAlgorithm.ES384,
                        clientId,
                        tokenUrl(),
                        Duration.ofMinutes(4),
                        UUID.randomUUID().toString()),
                "system/*.rs"));
    }

    @Test
    void registrationRefusesScopesBeyondTheRole_andPrivateKeys() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_384).generate();
        Map<String, Object> tooMuch = new LinkedHashMap<>();
        tooMuch.put("clientId", "greedy-" + run);
        tooMuch.put("scope", "system/*.cruds admin");
        tooMuch.put("role", "auditor");
        tooMuch.put("jwks", JSON.readValue(new JWKSet(key.toPublicJWK()).toString(), Map.class));
        assertThat(admin("POST", "/admin/clients", JSON.writeValueAsString(tooMuch))
                        .statusCode())
                .isEqualTo(400);
        tooMuch.put("scope", "system/AuditEvent.rs");
        tooMuch.put("jwks", JSON.readValue(new JWKSet((JWK) key).toString(false), Map.class));
        HttpResponse<String> privateKey = admin("POST", "/admin/clients", JSON.writeValueAsString(tooMuch));
        assertThat(privateKey.statusCode()).isEqualTo(400);
        assertThat(privateKey.body()).doesNotContain(key.getD().toString());
        // Without an admin token: no admin API.
        assertThat(SmartLaunchTest.rawHttp(
                                "GET",
                                "http://127.0.0.1:" + port + "/admin/clients",
                                null,
                                null,
                                token(org.fhiranchor.server.security.Role.EHR))
                        .statusCode())
                .isEqualTo(403);
    }

    private void assertRefused(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("invalid_client");
        assertThat(response.body()).doesNotContain("access_token");
    }

    private String register(String clientId, Map<String, Object> keys) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>(keys);
        request.put("clientId", clientId);
        request.put("name", "Bulk client " + run);
        request.put("scope", "system/*.rs");
        request.put("role", "ehr");
        HttpResponse<String> created = admin("POST", "/admin/clients", JSON.writeValueAsString(request));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("grantTypes").toString()).contains("client_credentials");
        return clientId;
    }

    private HttpResponse<String> admin(String method, String path, String json) {
        return SmartLaunchTest.rawHttp(
                method, "http://127.0.0.1:" + port + path, json == null ? null : "application/json", json, token);
    }

    private String tokenUrl() {
        return "http://127.0.0.1:" + port + "/oauth2/token";
    }

    private HttpResponse<String> tokenRequest(String assertion, String scope) {
        // As SMART clients send it: no client_id, the assertion says who.
        return SmartLaunchTest.rawHttp(
                "POST",
                tokenUrl(),
                "application/x-www-form-urlencoded",
                Browser.form(Map.of(
                        "grant_type",
                        "client_credentials",
                        "scope",
                        scope,
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion",
                        assertion)),
                null);
    }

    static String assertion(
            JWK key, JWSAlgorithm algorithm, String clientId, String audience, Duration lifetime, String jti)
            throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(clientId)
                        .subject(clientId)
                        .audience(List.of(audience))
                        .expirationTime(Date.from(now.plus(lifetime)))
                        .jwtID(jti)
                        .build());
        JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
