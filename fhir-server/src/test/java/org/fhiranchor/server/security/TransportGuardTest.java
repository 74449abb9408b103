package org.fhiranchor.server.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

/** Plain HTTP only on loopback, unless TLS is configured or insecure HTTP is explicitly allowed. */
class TransportGuardTest {

    @Test
    void loopbackWithoutTls_starts() {
        assertThatCode(() -> check(new MockEnvironment().withProperty("server.address", "127.0.0.1")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(new MockEnvironment().withProperty("server.address", "::1")))
                .doesNotThrowAnyException();
    }

    @Test
    void allInterfacesOrPublicAddressWithoutTls_refusesToStart() {
        assertThatThrownBy(() -> check(new MockEnvironment())).hasMessageContaining("Refusing to serve plain HTTP");
        assertThatThrownBy(() -> check(new MockEnvironment().withProperty("server.address", "0.0.0.0")))
                .hasMessageContaining("server.ssl");
    }

    @Test
    void tlsOrExplicitOptIn_starts() {
        assertThatCode(() -> check(new MockEnvironment()
                        .withProperty("server.address", "0.0.0.0")
                        .withProperty("server.ssl.key-store", "file:/etc/fhir-anchor/keystore.p12")))
                .doesNotThrowAnyException();
        assertThatCode(() -> check(new MockEnvironment()
                        .withProperty("server.address", "0.0.0.0")
                        .withProperty("fhir-anchor.security.allow-insecure-http", "true")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check(new MockEnvironment()
                        .withProperty("server.address", "0.0.0.0")
                        .withProperty("server.ssl.key-store", "x.p12")
                        .withProperty("server.ssl.enabled", "false")))
                .hasMessageContaining("Refusing");
    }

    private static void check(MockEnvironment environment) {
        TransportGuard.check(
                environment, Binder.get(environment).bindOrCreate("fhir-anchor.security", SecurityProperties.class));
    }
}
