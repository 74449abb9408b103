/**
 * CAR v1 (Content Addressable aRchive): a dag-cbor header {@code {roots:[cid], version:1}}, then sections of
 * {@code varint(len) || cid || block}. What {@code ipfs dag import} accepts, so any IPFS node can take our data.
 */
package org.fhiranchor.ipfs.car;
