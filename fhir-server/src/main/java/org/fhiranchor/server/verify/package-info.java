/**
 * What FHIR consumers call to check the server: {@code $verify} (a version's inclusion proof and
 * its anchoring), {@code $consistency} (the log only grew between two anchored checkpoints),
 * {@code $checkpoints} (the anchored checkpoints) and {@code $audit-sweep} (re-hash every stored
 * version against the log).
 */
package org.fhiranchor.server.verify;
