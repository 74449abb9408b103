/**
 * The proof a client receives for one resource version (what {@code $verify} returns and the offline
 * verifier reads), its JSON form {@code fhir-anchor-proof/1}, and the verifier that recomputes
 * everything it can and checks the tree head against the chain through {@link CheckpointSource}.
 */
package org.fhiranchor.anchor.proof;
