/**
 * Multiformats: unsigned varints, multihash (sha2-256 only), CIDv0/CIDv1, multibase base32 and base58btc.
 * CIDs compare by their binary form, never by a string: the same CID has several text spellings.
 */
package org.fhiranchor.ipfs.cid;
