/**
 * Consumers whose relation to the data narrows their scopes: the pharmacist (what prescriptions
 * reference) and the insurer (its own Claims, what they reference, the responses to them), as response
 * filters for every read path and a pre-storage guard for the insurer's ClaimResponses.
 */
package org.fhiranchor.server.consumer;
