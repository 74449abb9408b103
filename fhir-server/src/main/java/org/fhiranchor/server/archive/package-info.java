/**
 * Checkpoint archives: every anchored range of the log as an encrypted FHIR Bundle on IPFS (embedded store or a
 * Kubo node), its CID recorded in {@code anchor_archive} and on chain, and the restore that rebuilds a fresh server
 * from the chain, the store and the archive key alone. Format and procedure: docs/archive.md section 6.
 */
package org.fhiranchor.server.archive;
