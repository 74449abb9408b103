/**
 * Talking to a FHIR server as a client, through HAPI's generic client: how the jar's tools connect (bearer token,
 * timeouts for long transactions, no conformance fetch) and how a server's refusal is told to the user.
 */
package org.fhiranchor.server.client;
