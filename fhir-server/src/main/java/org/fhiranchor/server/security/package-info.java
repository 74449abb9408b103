/**
 * Who may do what on the FHIR endpoint: JWT bearer tokens checked by Spring Security's OAuth2
 * resource server (embedded signing key by default, any OIDC issuer in production), SMART v2
 * scopes mapped onto HAPI's AuthorizationInterceptor per request, the built-in roles and the
 * token-minting command line. See docs/security.md.
 */
package org.fhiranchor.server.security;
