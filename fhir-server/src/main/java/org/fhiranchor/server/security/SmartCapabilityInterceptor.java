package org.fhiranchor.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Declares in the capability statement that the endpoint is protected SMART-style (SMART App Launch
 * 2.x, "Capability Statement" section), pointing clients to the token endpoint when there is one.
 */
@Interceptor
final class SmartCapabilityInterceptor {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private final SecurityProperties properties;
    private final SmartDiscovery authorizationServer;

    SmartCapabilityInterceptor(SecurityProperties properties) {
        this(properties, null);
    }

    SmartCapabilityInterceptor(SecurityProperties properties, SmartDiscovery authorizationServer) {
        this.properties = properties;
        this.authorizationServer = authorizationServer;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void declareSmart(IBaseConformance capabilityStatement, RequestDetails request) {
        if (!(capabilityStatement instanceof CapabilityStatement statement)) {
            return;
        }
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            CapabilityStatement.CapabilityStatementRestSecurityComponent security = rest.getSecurity();
            security.setCors(false);
            security.addService(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "SMART-on-FHIR",
                    "SMART-on-FHIR")));
            security.setDescription(
                    "OAuth2 bearer tokens (JWT) with SMART v2 scopes; see " + "/fhir/.well-known/smart-configuration");
            if (authorizationServer != null && request instanceof ServletRequestDetails servlet) {
                HttpServletRequest http = servlet.getServletRequest();
                String base = authorizationServer.baseUrl(http.getScheme(), http.getServerName(), http.getServerPort());
                Extension uris = security.addExtension().setUrl(OAUTH_URIS);
                authorizationServer.oauthUris(base).forEach((name, url) -> uris.addExtension(name, new UriType(url)));
            } else if (properties.tokenEndpoint() != null) {
                Extension uris = security.addExtension().setUrl(OAUTH_URIS);
                uris.addExtension(
                        "token", new UriType(properties.tokenEndpoint().toString()));
            }
        }
    }
}
