package org.fhiranchor.server.smart;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Clock;
import javax.sql.DataSource;
import org.fhiranchor.server.security.EmbeddedIssuer;
import org.fhiranchor.server.security.SecurityProperties;
import org.fhiranchor.server.security.SmartDiscovery;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * The SMART authorization server (Spring Authorization Server) beside the resource server: two filter
 * chains ahead of the bearer-token chain, one for the OAuth2/OIDC endpoints, one for the pages a
 * person sees (login, consent, patient picker). Clients, authorizations and consents are kept in the
 * server's database; tokens are signed by the embedded issuer's key.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(AuthorizationServerConfiguration.ENABLED)
class AuthorizationServerConfiguration {

    /** With the embedded issuer only: an external issuer hands out its own tokens. */
    static final String ENABLED = "${fhir-anchor.smart.enabled:true} and '${fhir-anchor.security.jwk-set-uri:}' == ''"
            + " and '${fhir-anchor.security.issuer-uri:}' == ''";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    // The tables come from the migrations (schema package): the beans that use them wait for those.
    @Bean
    @DependsOnDatabaseInitialization
    UserAccounts userAccounts(DataSource dataSource, PasswordEncoder passwords) {
        return new UserAccounts(dataSource, passwords, Clock.systemUTC());
    }

    @Bean
    @DependsOnDatabaseInitialization
    RegisteredClientRepository registeredClientRepository(DataSource dataSource) {
        return new JdbcRegisteredClientRepository(new JdbcTemplate(dataSource));
    }

    @Bean
    OAuth2AuthorizationService authorizationService(DataSource dataSource, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationService(new JdbcTemplate(dataSource), clients);
    }

    @Bean
    OAuth2AuthorizationConsentService authorizationConsentService(
            DataSource dataSource, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationConsentService(new JdbcTemplate(dataSource), clients);
    }

    @Bean
    @DependsOnDatabaseInitialization
    SmartClients smartClients(RegisteredClientRepository clients, DataSource dataSource, SmartProperties properties) {
        return new SmartClients(clients, dataSource, properties);
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(EmbeddedIssuer issuer) {
        return new ImmutableJWKSet<>(new JWKSet(issuer.key()));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(SmartProperties properties) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (properties.issuerUrl() != null) {
            settings.issuer(properties.issuerUrl().toString());
        }
        return settings.build();
    }

    @Bean
    OAuth2TokenGenerator<OAuth2Token> tokenGenerator(
            JWKSource<SecurityContext> keys, SecurityProperties security, UserAccounts users) {
        JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(keys));
        jwts.setJwtCustomizer(new SmartTokenCustomizer(security, users));
        OAuth2RefreshTokenGenerator refreshTokens = new OAuth2RefreshTokenGenerator();
        // A refresh token only for offline_access (or online_access), as SMART asks.
        OAuth2TokenGenerator<OAuth2Token> refreshWhenAsked =
                context -> OAuth2TokenType.REFRESH_TOKEN.equals(context.getTokenType())
                                && (context.getAuthorizedScopes().contains("offline_access")
                                        || context.getAuthorizedScopes().contains("online_access"))
                        ? refreshTokens.generate(context)
                        : null;
        return new DelegatingOAuth2TokenGenerator(jwts, refreshWhenAsked);
    }

    @Bean
    SmartDiscovery smartDiscovery(SmartProperties properties) {
        return new SmartEndpoints(properties);
    }

    /** Failures of any kind become events, so that each refusal is audited ({@link SignInEvents}). */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(ApplicationEventPublisher events) {
        DefaultAuthenticationEventPublisher publisher = new DefaultAuthenticationEventPublisher(events);
        publisher.setDefaultAuthenticationFailureEvent(AuthenticationFailureBadCredentialsEvent.class);
        return publisher;
    }

    @Bean
    SignInEvents signInEvents(UserAccounts users, SmartProperties properties, ApplicationEventPublisher events) {
        return new SignInEvents(users, properties, events);
    }

    /**
     * The same CORS rules on every path (token endpoint, FHIR API): a path-based source would look paths
     * up inside each servlet's mapping, where HAPI's requests are not under {@code /fhir}. Bearer tokens
     * only, no cookies: a listed origin gains nothing but the right to read the answers.
     */
    @Bean
    CorsConfigurationSource corsConfigurationSource(SmartProperties properties) {
        if (properties.allowedOrigins().isEmpty()) {
            return request -> null;
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.addAllowedMethod("*");
        cors.addAllowedHeader("*");
        cors.addExposedHeader("Location");
        cors.addExposedHeader("ETag");
        cors.setAllowCredentials(false);
        return request -> cors;
    }

    @Bean
    @Order(1)
    @DependsOnDatabaseInitialization
    SecurityFilterChain authorizationServerChain(
            HttpSecurity http,
            RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations,
            OAuth2AuthorizationConsentService consents,
            OAuth2TokenGenerator<OAuth2Token> tokens,
            UserAccounts users,
            SmartProperties properties,
            JwtDecoder bearerTokens,
            DataSource dataSource)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        ClientAssertionDecoders assertions = new ClientAssertionDecoders(
                new UsedAssertions(dataSource, Clock.systemUTC()),
                properties.maxAssertionLifetime(),
                Clock.systemUTC());
        OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
                new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
        tokenResponse.setAccessTokenResponseCustomizer(new LaunchContextResponse());
        http.securityMatcher(server.getEndpointsMatcher())
                .with(
                        server,
                        as -> as.registeredClientRepository(clients)
                                .authorizationService(authorizations)
                                .authorizationConsentService(consents)
                                .tokenGenerator(tokens)
                                .oidc(Customizer.withDefaults())
                                .authorizationEndpoint(endpoint -> endpoint.consentPage(ConsentPage.PATH)
                                        .authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider
                                                    instanceof
                                                    OAuth2AuthorizationCodeRequestAuthenticationProvider codes) {
                                                codes.setAuthenticationValidator(
                                                        new OAuth2AuthorizationCodeRequestAuthenticationValidator()
                                                                .andThen(new RoleScopeValidator(users)));
                                            }
                                        })))
                                .tokenEndpoint(endpoint -> endpoint.accessTokenResponseHandler(tokenResponse))
                                .clientAuthentication(clientAuth ->
                                        clientAuth.authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                                jwt.setJwtDecoderFactory(assertions);
                                            }
                                        }))))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .cors(Customizer.withDefaults())
                .addFilterBefore(new ClientIdFromAssertion(), LogoutFilter.class)
                .addFilterAfter(new PatientPickerRedirect(users), SecurityContextHolderFilter.class)
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(LoginPage.PATH),
                        PathPatternRequestMatcher.withDefaults().matcher("/oauth2/authorize")))
                // The OIDC UserInfo endpoint takes the server's own access tokens.
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> jwt.decoder(bearerTokens)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain signInChain(HttpSecurity http, UserAccounts users, PasswordEncoder passwords) throws Exception {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        http.securityMatcher(new OrRequestMatcher(
                        path.matcher(LoginPage.PATH),
                        path.matcher("/logout"),
                        path.matcher(ConsentPage.PATH),
                        path.matcher(PatientPicker.PATH)))
                .userDetailsService(users)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(path.matcher(LoginPage.PATH))
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.loginPage(LoginPage.PATH).failureUrl(LoginPage.PATH + "?error"))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint(LoginPage.PATH)));
        return http.build();
    }
}
