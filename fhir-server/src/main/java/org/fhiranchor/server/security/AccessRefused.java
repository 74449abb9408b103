package org.fhiranchor.server.security;

/**
 * Published (synchronously) when Spring Security refuses a request before it reaches HAPI, so that
 * the audit trail can record it before the refusal is sent.
 *
 * @param status 401 or 403
 * @param method the HTTP method
 * @param path the request path, without the query string
 * @param grant whose request it was, as far as known (anonymous for a missing or invalid token)
 * @param clientAddress the peer's address
 */
public record AccessRefused(int status, String method, String path, AccessGrant grant, String clientAddress) {}
