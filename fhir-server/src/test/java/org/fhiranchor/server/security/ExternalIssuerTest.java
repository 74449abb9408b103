package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Production mode: tokens from an external OIDC issuer (here a stand-in for Keycloak on loopback,
 * RS256 keys, discovery document), found through {@code fhir-anchor.security.issuer-uri}. The
 * embedded key is then neither created nor trusted.
 */
class ExternalIssuerTest {

    @Test
    void tokensOfTheDiscoveredIssuerAreAccepted_andNoEmbeddedKeyExists() throws Exception {
        RSAKey idpKey = new RSAKeyGenerator(2048).keyID("idp-key-1").generate();
        HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/fhir";
        serve(
                idp,
                "/realms/fhir/.well-known/openid-configuration",
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\"}");
        serve(idp, "/realms/fhir/certs", new JWKSet(idpKey.toPublicJWK()).toString());
        idp.start();

        Path dataDir = TestDataDirectory.newSubdirectory("external-issuer-");
        FhirAnchorApplication.useUtc();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FhirAnchorApplication.class)

                // Command-line arguments: they outrank application.properties (default properties would not).
                .run(
                        "--fhir-anchor.data-dir=" + dataDir,
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--fhir-anchor.security.issuer-uri=" + issuer,
                        "--fhir-anchor.security.algorithm=RS256")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String base = "http://127.0.0.1:" + port + "/fhir";

            assertThat(get(base + "/Patient?_count=1", sign(idpKey, issuer, "fhir-anchor")))
                    .isEqualTo(200);
            assertThat(get(base + "/Patient?_count=1", sign(idpKey, issuer, "another-api")))
                    .isEqualTo(401);
            assertThat(get(base + "/Patient?_count=1", sign(idpKey, "http://127.0.0.1:1/other", "fhir-anchor")))
                    .isEqualTo(401);
            assertThat(get(
                            base + "/Patient?_count=1",
                            sign(new RSAKeyGenerator(2048).keyID("idp-key-1").generate(), issuer, "fhir-anchor")))
                    .isEqualTo(401);
            assertThat(context.getBeansOfType(EmbeddedIssuer.class)).isEmpty();
            // Other features keep their own keys there (archive, chain signer): only the JWT key must be absent.
            assertThat(dataDir.resolve(EmbeddedIssuer.KEYS_DIRECTORY).resolve(TokenSigningKeyFile.PRIVATE_KEY_FILE))
                    .doesNotExist();
            assertThat(dataDir.resolve(EmbeddedIssuer.KEYS_DIRECTORY).resolve(TokenSigningKeyFile.PUBLIC_KEY_FILE))
                    .doesNotExist();
        } finally {
            idp.stop(0);
            TestDataDirectory.deleteRecursively(dataDir);
        }
    }

    private static String sign(RSAKey key, String issuer, String audience) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .audience(audience)
                        .subject("keycloak-user")
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300)))
                        .claim("scope", "openid user/*.rs")
                        .claim("azp", "my-app")
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static int get(String url, String bearer) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + bearer)
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void serve(HttpServer server, String path, String json) {
        server.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }
}
