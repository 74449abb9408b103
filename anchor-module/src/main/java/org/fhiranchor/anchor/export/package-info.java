/**
 * Research exports (docs/research-export.md): the formats the server writes and the researcher checks
 * ({@code manifest.json}, {@code export-proof.json}, the sources and consent-decision NDJSON lines), the
 * encryption of every file to the researcher's X25519 key ({@code fhir-anchor-box/2}, HPKE by Bouncy Castle;
 * {@code fhir-anchor-box/1} files still open; {@link org.fhiranchor.anchor.export.RecipientBox}), and the
 * researcher's offline verification ({@link org.fhiranchor.anchor.export.ResearchExportVerifier}). JDK and
 * Bouncy Castle only, plus the chain reader.
 */
package org.fhiranchor.anchor.export;
