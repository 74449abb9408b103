/**
 * What the features that decide and record an access share about one request: the details its AuditEvent must
 * carry ({@link org.fhiranchor.server.access.AccessDetails}) and how server-written events name a resource
 * ({@link org.fhiranchor.server.access.AuditedResource}). Security and consent write them, the audit trail reads
 * them; keeping them here lets those features depend on each other one way only.
 */
package org.fhiranchor.server.access;
