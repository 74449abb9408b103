/**
 * The auditor's verifier: checks that resource versions served by a FHIR Anchor server are in the log
 * whose tree heads are anchored on chain. It trusts only the resource bytes it fetched, the
 * {@code fhir-anchor-proof/1} document (which it re-checks completely), and the contract and RPC
 * endpoint the auditor configured; never the server's word on where the anchor is.
 * {@link org.fhiranchor.anchor.verifier.VerifierCli} is the command line on top. See docs/verifier.md.
 */
package org.fhiranchor.anchor.verifier;
