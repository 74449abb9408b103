package org.fhiranchor.server.security;

import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import org.fhiranchor.server.anchoring.DeploymentStatementEndpoint;
import org.fhiranchor.server.fhir.ResponseFilter;
import org.fhiranchor.server.fhir.RestfulServerCustomizer;
import org.fhiranchor.server.tlog.TlogProperties;
import org.fhiranchor.server.verify.ProofAccess;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Bearer tokens on everything except the capability statement, the SMART configuration, the
 * health endpoint and the log's checkpoint and hash tiles (unless {@code fhir-anchor.tlog.require-token}); scopes enforced inside HAPI; the actuator for admins only.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    @ConditionalOnExpression(
            "'${fhir-anchor.security.jwk-set-uri:}' == '' and '${fhir-anchor.security.issuer-uri:}' == ''")
    EmbeddedIssuer embeddedIssuer(SecurityProperties properties, @Value("${fhir-anchor.data-dir}") Path dataDir) {
        return EmbeddedIssuer.open(dataDir, properties);
    }

    /**
     * No Micrometer observation around each security filter, authentication and authorization: they cost about 5%
     * of a read's request-thread CPU (docs/benchmark.md) and nothing reads them. {@code http.server.requests} (one
     * observation per request, outside the chain) still times every request.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    JwtDecoder jwtDecoder(
            SecurityProperties properties, ObjectProvider<EmbeddedIssuer> embedded, Environment environment) {
        TransportGuard.check(environment, properties);
        EmbeddedIssuer issuer = embedded.getIfAvailable();
        JwtDecoder decoder =
                issuer != null ? JwtDecoders.embedded(issuer.key(), properties) : JwtDecoders.external(properties);
        return new VerifiedTokenCache(
                decoder,
                JwtDecoders.validator(properties),
                4096,
                java.time.Duration.ofMinutes(5),
                java.time.Clock.systemUTC());
    }

    @Bean
    SecurityFilterChain apiSecurity(
            HttpSecurity http, JwtDecoder decoder, ApplicationEventPublisher events, TlogProperties tlog)
            throws Exception {
        HttpRefusals refusals = new HttpRefusals(events);
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        AuthorizationManager<RequestAuthorizationContext> anyone =
                (authentication, request) -> new AuthorizationDecision(true);
        AuthorizationManager<RequestAuthorizationContext> verifiers = AuthorityAuthorizationManager.hasAnyAuthority(
                "SCOPE_" + Scopes.OPERATION_PREFIX + "$verify",
                "SCOPE_" + Scopes.OPERATION_PREFIX + Scopes.ANY_OPERATION);
        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .anonymous(a -> {})
                // Browser apps (SMART launch) from the origins in fhir-anchor.smart.allowed-origins.
                .cors(Customizer.withDefaults())
                .authorizeHttpRequests(authorize -> authorize
                        // Error pages (an OAuth2 endpoint's 400) are rendered without their details.
                        .dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(
                                path.matcher("/fhir/metadata"),
                                path.matcher(SmartConfigurationServlet.PATH),
                                path.matcher(DeploymentStatementEndpoint.PATH))
                        .permitAll()
                        .requestMatchers(path.matcher("/actuator/health"), path.matcher("/actuator/health/**"))
                        .permitAll()
                        // The web app's static files and its public config; the app calls /fhir with a token.
                        .requestMatchers(path.matcher("/"), path.matcher("/app"), path.matcher("/app/**"))
                        .permitAll()
                        // The log's entries hold salts and references (docs/verification.md section 7.3): verifiers
                        // only.
                        .requestMatchers(path.matcher("/log/tile/entries/**"))
                        .access(tlog.publicEntries() ? anyone : verifiers)
                        // Checkpoint and hash tiles: hashes only, public like /metadata unless configured otherwise.
                        .requestMatchers(path.matcher("/log/checkpoint"), path.matcher("/log/tile/**"))
                        .access(tlog.requireToken() ? AuthenticatedAuthorizationManager.authenticated() : anyone)
                        .requestMatchers(path.matcher("/actuator/**"), path.matcher("/admin/**"))
                        .hasAuthority("SCOPE_" + Scopes.ADMIN)
                        .anyRequest()
                        .authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(refusals)
                        .accessDeniedHandler(refusals))
                .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals));
        return http.build();
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(
            SecurityProperties properties, ObjectProvider<SmartDiscovery> authorizationServer) {
        return new ServletRegistrationBean<>(
                new SmartConfigurationServlet(properties, authorizationServer.getIfAvailable()),
                SmartConfigurationServlet.PATH);
    }

    /** Mixed answers leave out what the scopes do not cover, before the authorization check sees them. */
    @Bean
    @Order(100)
    ResponseFilter scopeVisibility() {
        return new ScopeVisibilityFilter();
    }

    /** $verify for every reader: the proof goes to whoever may read the version (docs/security.md, "Proofs"). */
    @Bean
    ProofAccess readerProofAccess(ObjectProvider<ResponseFilter> filters) {
        return new ReaderProofAccess(filters.orderedStream().toList());
    }

    /** Runs right after the input guards: nothing is authorized before it is known to be well-formed. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 100)
    RestfulServerCustomizer scopeAuthorization(
            SecurityProperties properties, ObjectProvider<SmartDiscovery> authorizationServer) {
        return server -> {
            server.registerInterceptor(
                    new SmartCapabilityInterceptor(properties, authorizationServer.getIfAvailable()));
            server.registerInterceptor(new RefusalInterceptor());
            server.registerInterceptor(new ScopeAuthorizationInterceptor());
            // Research requests: who asks and why comes from the verified token, for the consent engine.
            server.registerInterceptor(new ResearchRequesterInterceptor());
            // Clinical reads: who reads for care (fhirUser) and break-glass, for the privacy consents.
            server.registerInterceptor(new ClinicalReaderInterceptor());
            server.registerInterceptor(new PatientConsentGuard());
            server.registerInterceptor(new PatientAccessLogInterceptor());
        };
    }
}
