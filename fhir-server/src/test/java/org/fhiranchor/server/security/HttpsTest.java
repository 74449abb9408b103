package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.fhiranchor.server.FhirAnchorApplication;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** HTTPS with a PKCS12 keystore through Spring Boot's server.ssl.*, as docs/security.md describes. */
class HttpsTest {

    private static final String PASSWORD = "changeit-test";

    @TempDir
    Path tls;

    @Test
    void servesHttpsWithAConfiguredKeystore() throws Exception {
        Path keystore = tls.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "fhir-anchor",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        PASSWORD)
                .inheritIO()
                .start();
        assertThat(keytool.waitFor()).isZero();

        Path dataDir = TestDataDirectory.newSubdirectory("https-");
        FhirAnchorApplication.useUtc();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FhirAnchorApplication.class)

                // Command-line arguments: they outrank application.properties (default properties would not).
                .run(
                        "--fhir-anchor.data-dir=" + dataDir,
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--server.ssl.key-store=" + keystore,
                        "--server.ssl.key-store-type=PKCS12",
                        "--server.ssl.key-store-password=" + PASSWORD,
                        "--server.ssl.key-alias=fhir-anchor")) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpClient client =
                    HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            String token = context.getBean(EmbeddedIssuer.class)
                    .mint(TokenIssuer.TokenRequest.of(Role.CLINICIAN, "tls", Duration.ofMinutes(5)));
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/fhir/Patient?_count=1"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Strict-Transport-Security"))
                    .isPresent();
        } finally {
            TestDataDirectory.deleteRecursively(dataDir);
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }
}
