/**
 * Standard Bulk Data export (HL7 Bulk Data Access IG v2) on HAPI's batch2 bulk export: who may start
 * one and for which types, whose files and status a caller may read, the response filters applied to
 * every exported resource, and the release audit (docs/bulk-export.md).
 */
package org.fhiranchor.server.bulk;
