/**
 * Envelope encryption of archive bundles: AES-256-GCM under a fresh data key per bundle, the data key wrapped
 * (AES-256-GCM) by an archive key named by a key id. The byte layout is specified in docs/archive.md.
 */
package org.fhiranchor.ipfs.crypto;
