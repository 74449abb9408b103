/**
 * The Ethereum side of anchoring: the {@link org.fhiranchor.anchor.chain.Ledger} port that the
 * checkpoint job and the verifier depend on, its web3j implementation against the
 * {@code FhirAnchor} contract (wrapper generated at build time into {@code .generated}), and
 * {@link org.fhiranchor.anchor.chain.AnvilNode} to run a local dev chain. The contract ABI is
 * described in docs/contract.md.
 */
package org.fhiranchor.anchor.chain;
