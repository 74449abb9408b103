/**
 * A client for the Kubo RPC API ({@code /api/v0}), which js-ipfs also serves. It trusts nothing the node says
 * about addresses: every CID the node returns is compared, as bytes, with the CID computed locally.
 */
package org.fhiranchor.ipfs.kubo;
