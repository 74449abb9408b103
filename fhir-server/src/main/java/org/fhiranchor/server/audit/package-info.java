/**
 * The access audit trail: one FHIR AuditEvent for every request to the FHIR endpoint (reads,
 * searches, writes, transactions, operations, and refusals), written synchronously through HAPI's
 * DAO before the response leaves, so that it is stored, versioned and anchored like any version.
 * See docs/security.md for what is recorded and the durability guarantee.
 */
package org.fhiranchor.server.audit;
