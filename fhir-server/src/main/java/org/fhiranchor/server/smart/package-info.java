/**
 * The SMART authorization server (Spring Authorization Server): users and their login, registered
 * clients, SMART App Launch (authorization code + PKCE, launch context, consent, patient picker) and
 * SMART Backend Services ({@code client_credentials} with a {@code private_key_jwt} assertion). Its
 * access tokens are signed by the embedded issuer's key and carry the same claims as the {@code token}
 * command's, so the resource server accepts them unchanged.
 */
package org.fhiranchor.server.smart;
