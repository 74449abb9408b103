// The fhir-anchor-multiproof/1 document (docs/verification.md section 4.1): many versions proven with one
// multi-leaf inclusion proof against one anchored tree head. Mirrors anchor-module's MultiProofVerifier:
// steps 1 to 3 per version, then one inclusion check and one chain read; never throws for bad input.
import { equalBytes, toHex } from './hash.js';
import { nodeHash } from './merkle.js';
import { ProofFormatError, chainAnchor, checkLeaf, checkedProof, hash, integer, leafClaims, members, object, parseProofDocument } from './proof.js';

const MEMBERS = ['format', 'versions', 'treeSize', 'rootHash', 'hashes', 'anchor'];
const VERSION_MEMBERS = ['resource', 'operation', 'contentHash', 'salt', 'leafHash', 'leafIndex'];

/**
 * @typedef {object} ProvenVersion
 * @property {string} resource @property {'create'|'update'|'delete'} operation
 * @property {Uint8Array} contentHash @property {Uint8Array} salt @property {Uint8Array} leafHash
 * @property {number} leafIndex
 */

/**
 * @typedef {object} MultiProof
 * @property {ProvenVersion[]} versions sorted by leaf index, each leaf once
 * @property {number} treeSize @property {Uint8Array} rootHash @property {Uint8Array[]} hashes
 * @property {{chainId: number, contract: string, txHash: string, blockNumber: number}} anchor
 */

/**
 * Reads a multi-version proof strictly (exactly the members of section 4.1, versions sorted by leaf index).
 * @param {Uint8Array} bytes
 * @returns {MultiProof}
 */
export function readMultiProof(bytes) {
  const proof = checkedProof(parseProofDocument(bytes), MEMBERS, 'fhir-anchor-multiproof/1');
  if (!Array.isArray(proof.versions) || proof.versions.length === 0) throw new ProofFormatError('versions must be a non-empty array');
  if (!Array.isArray(proof.hashes)) throw new ProofFormatError('hashes must be an array');
  const treeSize = integer(proof.treeSize, 'treeSize');
  /** @type {ProvenVersion[]} */
  const versions = proof.versions.map((/** @type {unknown} */ v, /** @type {number} */ i) => {
    const where = `versions[${i}]`;
    const version = object(v, where);
    members(version, VERSION_MEMBERS, where);
    return {
      ...leafClaims(version, `${where}.`),
      leafIndex: integer(version.leafIndex, `${where}.leafIndex`),
    };
  });
  versions.forEach((v, i) => {
    if (i > 0 && v.leafIndex <= versions[i - 1].leafIndex) {
      throw new ProofFormatError(`versions must be sorted by leafIndex, each leaf once (versions[${i}])`);
    }
  });
  if (versions[versions.length - 1].leafIndex >= treeSize) throw new ProofFormatError('a leafIndex is not below treeSize');
  const anchor = chainAnchor(proof);
  return {
    versions,
    treeSize,
    rootHash: hash(proof.rootHash, 'rootHash'),
    hashes: proof.hashes.map((/** @type {unknown} */ h, /** @type {number} */ i) => hash(h, `hashes[${i}]`)),
    anchor,
  };
}

/**
 * The multi-leaf inclusion recursion (docs/research-export.md, "Multi-leaf inclusion proof").
 * @param {number} treeSize @param {Map<number, Uint8Array>} leaves leaf index to leaf hash
 * @param {Uint8Array[]} proof @param {Uint8Array} root
 * @returns {Promise<{ok: true} | {ok: false, reason: string}>}
 */
export async function verifyMultiInclusion(treeSize, leaves, proof, root) {
  const indexes = [...leaves.keys()].sort((a, b) => a - b);
  if (indexes.length === 0 || treeSize <= 0) return { ok: false, reason: 'no leaves, or an empty tree' };
  if (indexes[indexes.length - 1] >= treeSize) return { ok: false, reason: 'a leaf index is out of range' };
  let next = 0;
  /** @param {number} lo @param {number} hi @returns {Promise<Uint8Array>} */
  const mth = async (lo, hi) => {
    if (!indexes.some((i) => i >= lo && i < hi)) {
      if (next >= proof.length) throw new Error('proof too short');
      return proof[next++];
    }
    if (hi - lo === 1) return /** @type {Uint8Array} */ (leaves.get(lo));
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    const left = await mth(lo, lo + k);
    return nodeHash(left, await mth(lo + k, hi));
  };
  let computed;
  try {
    computed = await mth(0, treeSize);
  } catch (e) {
    return { ok: false, reason: /** @type {Error} */ (e).message };
  }
  if (next !== proof.length) return { ok: false, reason: 'proof too long' };
  if (!equalBytes(computed, root)) return { ok: false, reason: 'root mismatch' };
  return { ok: true };
}

/**
 * @typedef {object} MultiVerificationResult
 * @property {string} status VERIFIED, or the first failing version's status
 * @property {string} detail
 * @property {{resource: string, status: string, detail: string}[]} versions in the proof's order
 * @property {{blockNumber: number, timestamp: number}} [anchored]
 */

/**
 * Verifies many versions at once (section 4.1).
 * @param {(resource: string) => Uint8Array | null | undefined} servedOf each version exactly as served, null for a delete
 * @param {Uint8Array | MultiProof} proofInput
 * @param {import('./proof.js').CheckpointSource} chain
 * @returns {Promise<MultiVerificationResult>}
 */
export async function verifyMultiProof(servedOf, proofInput, chain) {
  /** @type {MultiProof} */
  let proof;
  try {
    proof = proofInput instanceof Uint8Array ? readMultiProof(proofInput) : proofInput;
  } catch (e) {
    return { status: 'MALFORMED_PROOF', detail: /** @type {Error} */ (e).message, versions: [] };
  }
  const leafFailures = [];
  const leaves = new Map();
  for (const version of proof.versions) {
    const checked = await checkLeaf(servedOf(version.resource) ?? null, version);
    leafFailures.push('status' in checked ? checked : null);
    leaves.set(version.leafIndex, version.leafHash);
  }
  /** @type {{status: string, detail: string} | null} */
  let shared = null;
  let anchored = null;
  const inclusion = await verifyMultiInclusion(proof.treeSize, leaves, proof.hashes, proof.rootHash);
  if (!inclusion.ok) {
    shared = { status: 'INCLUSION_FAILED', detail: inclusion.reason };
  } else {
    try {
      anchored = await chain.anchoredCheckpoint(proof.treeSize);
      if (!anchored) shared = { status: 'NOT_ANCHORED', detail: `no checkpoint on chain for tree size ${proof.treeSize}` };
      else if (!equalBytes(anchored.rootHash, proof.rootHash)) {
        shared = { status: 'ANCHORED_ROOT_MISMATCH', detail: `the chain holds root ${toHex(anchored.rootHash)} for tree size ${proof.treeSize}, the proof says ${toHex(proof.rootHash)}` };
      }
    } catch (e) {
      shared = { status: 'CHECKPOINT_UNAVAILABLE', detail: `could not read the checkpoint for tree size ${proof.treeSize}: ${/** @type {Error} */ (e).message}` };
    }
  }
  const versions = proof.versions.map((version, i) => {
    const result = leafFailures[i] ?? shared ?? {
      status: 'VERIFIED',
      detail: `${version.operation} of ${version.resource} is leaf ${version.leafIndex} of the anchored tree of size ${proof.treeSize}`,
    };
    return { resource: version.resource, status: result.status, detail: result.detail };
  });
  const failed = versions.find((v) => v.status !== 'VERIFIED');
  return {
    status: failed ? failed.status : 'VERIFIED',
    detail: failed ? `${failed.resource}: ${failed.detail}` : `${versions.length} versions are leaves of the anchored tree of size ${proof.treeSize}`,
    versions,
    ...(anchored && !shared ? { anchored: { blockNumber: anchored.blockNumber, timestamp: anchored.timestamp } } : {}),
  };
}
