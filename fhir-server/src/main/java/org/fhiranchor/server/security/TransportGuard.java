package org.fhiranchor.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.core.env.Environment;

/**
 * Refuses to start with plain HTTP on anything but a loopback address: tokens and health data would
 * cross the network in clear. {@code fhir-anchor.security.allow-insecure-http=true} overrides it,
 * e.g. behind a TLS-terminating proxy on a private network.
 */
final class TransportGuard {

    private TransportGuard() {}

    static void check(Environment environment, SecurityProperties properties) {
        if (tlsConfigured(environment) || properties.allowInsecureHttp()) {
            return;
        }
        String address = environment.getProperty("server.address");
        if (!isLoopback(address)) {
            throw new IllegalStateException(
                    "Refusing to serve plain HTTP on " + (address == null ? "all interfaces" : address)
                            + ": configure TLS (server.ssl.*, see docs/security.md), bind to 127.0.0.1, or set"
                            + " fhir-anchor.security.allow-insecure-http=true");
        }
    }

    static boolean tlsConfigured(Environment environment) {
        if ("false".equalsIgnoreCase(environment.getProperty("server.ssl.enabled"))) {
            return false;
        }
        return environment.containsProperty("server.ssl.key-store")
                || environment.containsProperty("server.ssl.bundle")
                || environment.containsProperty("server.ssl.certificate");
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
