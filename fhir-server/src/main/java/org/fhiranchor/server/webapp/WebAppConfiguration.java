package org.fhiranchor.server.webapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fhiranchor.anchor.chain.Ledger;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The web app's routes, headers and configuration document. */
@Configuration(proxyBeanMethods = false)
class WebAppConfiguration implements WebMvcConfigurer {

    static final String PATH = "/app/";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/").setViewName("redirect:" + PATH);
        registry.addViewController("/app").setViewName("redirect:" + PATH);
        registry.addViewController(PATH).setViewName("forward:" + PATH + "index.html");
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> webAppHeaders(
            WebAppProperties properties, ObjectProvider<ChainConnection> chain) {
        FilterRegistrationBean<OncePerRequestFilter> registration =
                new FilterRegistrationBean<>(new OncePerRequestFilter() {
                    @Override
                    protected void doFilterInternal(
                            HttpServletRequest request, HttpServletResponse response, FilterChain filters)
                            throws ServletException, IOException {
                        response.setHeader(
                                "Content-Security-Policy", contentSecurityPolicy(properties, chain.getIfAvailable()));
                        response.setHeader("X-Content-Type-Options", "nosniff");
                        response.setHeader("Referrer-Policy", "no-referrer");
                        response.setHeader("Cache-Control", "no-store");
                        filters.doFilter(request, response);
                    }
                });
        registration.addUrlPatterns("/app", "/app/*");
        registration.setName("webAppHeaders");
        return registration;
    }

    /**
     * No inline script or style, nothing from other origins except the chain node(s) the page reads
     * checkpoints from; no framing, no plugins, forms only to this origin.
     */
    static String contentSecurityPolicy(WebAppProperties properties, ChainConnection chain) {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        browserRpcUrl(properties, chain).flatMap(WebAppConfiguration::origin).ifPresent(connect::add);
        properties.connectSrc().stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(connect::add);
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src " + String.join(" ", connect) + "; form-action 'self'; base-uri 'none'; "
                + "frame-ancestors 'none'; object-src 'none'";
    }

    static Optional<String> browserRpcUrl(WebAppProperties properties, ChainConnection chain) {
        if (properties.chainRpcUrl() != null && !properties.chainRpcUrl().isBlank()) {
            return Optional.of(properties.chainRpcUrl());
        }
        return chain == null ? Optional.empty() : Optional.ofNullable(chain.rpcUrl());
    }

    private static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(
                    uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code GET /app/config.json}: public, nothing secret, no personal data. */
    @RestController
    static class ConfigDocument {

        private final WebAppProperties properties;
        private final ObjectProvider<ChainConnection> chain;
        private final ObjectMapper json = new ObjectMapper();

        ConfigDocument(WebAppProperties properties, ObjectProvider<ChainConnection> chain) {
            this.properties = properties;
            this.chain = chain;
        }

        @GetMapping(path = PATH + "config.json", produces = MediaType.APPLICATION_JSON_VALUE)
        String config() throws IOException {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("fhirBase", "/fhir");
            document.put("smartClientId", properties.smartClientId());
            ChainConnection connection = chain.getIfAvailable();
            Optional<String> rpcUrl = browserRpcUrl(properties, connection);
            Optional<Ledger> ledger = connection == null
                    ? Optional.empty()
                    : connection.connected().or(() -> {
                        try {
                            return Optional.of(connection.ledger());
                        } catch (RuntimeException e) {
                            return Optional.empty(); // chain down: the page says it cannot check
                        }
                    });
            if (rpcUrl.isPresent() && ledger.isPresent()) {
                Map<String, Object> chainPart = new LinkedHashMap<>();
                chainPart.put("rpcUrl", rpcUrl.get());
                chainPart.put("chainId", ledger.get().chainId());
                chainPart.put("contract", ledger.get().contractAddress());
                chainPart.put("source", "the server's own statement: pin the operator's published deployment instead");
                document.put("chain", chainPart);
            }
            return json.writeValueAsString(document);
        }
    }
}
