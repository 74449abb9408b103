package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.stream.Stream;
import org.fhiranchor.server.support.FhirRestTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Tokens the server must refuse with 401, however plausible they look; and the public endpoints. */
class TokenValidationTest extends FhirRestTest {

    @Autowired
    SecurityProperties properties;

    private static final TokenIssuer.TokenRequest ADMIN =
            TokenIssuer.TokenRequest.of(Role.ADMIN, "forger", Duration.ofMinutes(10));

    static Stream<Arguments> badTokens() {
        return Stream.of(
                Arguments.of("expired"),
                Arguments.of("not yet valid"),
                Arguments.of("signed by another key"),
                Arguments.of("wrong audience"),
                Arguments.of("wrong issuer"),
                Arguments.of("alg none"),
                Arguments.of("HS256 keyed with the public key"),
                Arguments.of("garbage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refusedWith401(String kind) throws Exception {
        String bad = badToken(kind);
        HttpResponse<String> response = http("GET", "/Patient?_count=1", null, null, bad);
        assertThat(response.statusCode()).as(kind).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"fhir-anchor\", error=\"invalid_token\"");
        assertThat(response.body())
                .contains("\"resourceType\":\"OperationOutcome\"")
                .contains("not valid for this server");
    }

    @Test
    void noToken_is401WithChallenge() {
        HttpResponse<String> response = http("GET", "/Patient/does-not-matter", null, null, null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"fhir-anchor\"");
        assertThat(response.body()).contains("OperationOutcome");
    }

    @Test
    void validTokenOfThisServer_isAccepted() {
        assertThat(http("GET", "/Patient?_count=1", null, null, issuer.mint(ADMIN))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void metadataAndSmartConfigurationAndHealth_arePublic() throws Exception {
        HttpResponse<String> metadata = http("GET", "/metadata", null, null, null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("SMART-on-FHIR");
        HttpResponse<String> smart = http("GET", "/.well-known/smart-configuration", null, null, null);
        assertThat(smart.statusCode()).isEqualTo(200);
        // The built-in authorization server is the OpenID issuer: its URL, not the tokens' iss.
        assertThat(smart.body())
                .contains("\"issuer\" : \"http://127.0.0.1:" + port + "\"")
                .contains("system/*.cruds")
                .contains("permission-v2");
        HttpResponse<String> health = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    /** Served again from the first answer's bytes (CapabilityStatementCache): the same answer, per format. */
    @Test
    void metadataServedAgain_isTheSameAnswer_perFormat() {
        HttpResponse<String> first = http("GET", "/metadata", null, null, null);
        HttpResponse<String> second = http("GET", "/metadata", null, null, null);
        HttpResponse<String> xml = http("GET", "/metadata?_format=xml", null, null, null);
        HttpResponse<String> xmlAgain = http("GET", "/metadata?_format=xml", null, null, null);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body()).startsWith("{").contains("SMART-on-FHIR");
        assertThat(second.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("json"));
        assertThat(xmlAgain.statusCode()).isEqualTo(200);
        assertThat(xmlAgain.body()).isEqualTo(xml.body()).contains("<CapabilityStatement");
        assertThat(xmlAgain.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("xml"));
    }

    private String badToken(String kind) throws Exception {
        ECKey ourKey = issuer.key();
        Clock now = Clock.systemUTC();
        return switch (kind) {
            case "expired" ->
                new TokenIssuer(
                                ourKey,
                                properties.issuer(),
                                properties.audience(),
                                Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC))
                        .mint(ADMIN);
            case "not yet valid" ->
                new TokenIssuer(
                                ourKey,
                                properties.issuer(),
                                properties.audience(),
                                Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC))
                        .mint(ADMIN);
            case "signed by another key" ->
                new TokenIssuer(
                                new ECKeyGenerator(Curve.P_256)
                                        .keyID(ourKey.getKeyID())
                                        .generate(),
                                properties.issuer(),
                                properties.audience(),
                                now)
                        .mint(ADMIN);
            case "wrong audience" -> new TokenIssuer(ourKey, properties.issuer(), "some-other-api", now).mint(ADMIN);
            case "wrong issuer" ->
                new TokenIssuer(ourKey, "https://evil.example", properties.audience(), now).mint(ADMIN);
            case "alg none" -> new PlainJWT(claims()).serialize();
            case "HS256 keyed with the public key" -> {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims());
                byte[] secret = ourKey.toPublicJWK().toECPublicKey().getEncoded();
                jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(secret.length, 32))));
                yield jwt.serialize();
            }
            case "garbage" -> "not.a.jwt";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private JWTClaimsSet claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(properties.issuer())
                .audience(properties.audience())
                .subject("forger")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("scope", Role.ADMIN.scopeClaim())
                .build();
    }
}
