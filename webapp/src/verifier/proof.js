// The fhir-anchor-proof/1 document (docs/verification.md section 4) and the five verification steps
// (section 5). Mirrors anchor-module's ProofVerifier: same statuses, same order, never throws for bad input.
import { JsonNumber, JsonFormatError, canonicalText, parseJson, utf8 } from './canonical.js';
import { concat, equalBytes, fromHex, sha256, toHex } from './hash.js';
import { leafHash, verifyInclusion } from './merkle.js';

export const Status = Object.freeze({
  VERIFIED: 'VERIFIED',
  MALFORMED_PROOF: 'MALFORMED_PROOF',
  RESOURCE_UNREADABLE: 'RESOURCE_UNREADABLE',
  CONTENT_HASH_MISMATCH: 'CONTENT_HASH_MISMATCH',
  RESOURCE_MISMATCH: 'RESOURCE_MISMATCH',
  LEAF_HASH_MISMATCH: 'LEAF_HASH_MISMATCH',
  INCLUSION_FAILED: 'INCLUSION_FAILED',
  NOT_ANCHORED: 'NOT_ANCHORED',
  CHECKPOINT_UNAVAILABLE: 'CHECKPOINT_UNAVAILABLE',
  ANCHORED_ROOT_MISMATCH: 'ANCHORED_ROOT_MISMATCH',
});

const OPERATIONS = /** @type {const} */ ({ create: 1, update: 2, delete: 3 });
const MEMBERS = ['format', 'resource', 'operation', 'contentHash', 'salt', 'leafHash', 'leafIndex', 'treeSize',
  'rootHash', 'auditPath', 'anchor'];
const ANCHOR_MEMBERS = ['chainId', 'contract', 'txHash', 'blockNumber'];
const REF = /^([A-Z][A-Za-z0-9]{0,63})\/([A-Za-z0-9\-.]{1,64})\/_history\/([1-9][0-9]{0,18})$/;
const HASH = /^[0-9a-f]{64}$/;
export const DELETED_CONTENT_HASH = new Uint8Array(32);

/**
 * @typedef {object} AnchorProof
 * @property {string} resource `Type/id/_history/vid`
 * @property {string} type @property {string} id @property {string} versionId
 * @property {'create'|'update'|'delete'} operation
 * @property {Uint8Array} contentHash @property {Uint8Array} salt @property {Uint8Array} leafHash
 * @property {number} leafIndex @property {number} treeSize @property {Uint8Array} rootHash
 * @property {Uint8Array[]} auditPath
 * @property {{chainId: number, contract: string, txHash: string, blockNumber: number}} anchor
 */

export class ProofFormatError extends Error {}

/**
 * Reads a proof document strictly (exactly the members of section 4, lowercase hex, plain integers).
 * @param {Uint8Array} bytes
 * @returns {AnchorProof}
 */
export function readProof(bytes) {
  return proofFromTree(parseProofDocument(bytes));
}

/**
 * Parses a proof document strictly (any format); not JSON is a ProofFormatError.
 * @param {Uint8Array} bytes
 * @returns {unknown}
 */
export function parseProofDocument(bytes) {
  try {
    return parseJson(bytes);
  } catch (e) {
    throw new ProofFormatError(`proof is not valid JSON: ${/** @type {Error} */ (e).message}`);
  }
}

/**
 * The proof object with exactly the expected members and this `format`.
 * @param {unknown} root @param {string[]} expected @param {string} format
 * @returns {Record<string, any>}
 */
export function checkedProof(root, expected, format) {
  const proof = object(root, 'proof');
  members(proof, expected, 'proof');
  if (proof.format !== format) {
    throw new ProofFormatError(`unsupported proof format ${JSON.stringify(proof.format)}, expected "${format}"`);
  }
  return proof;
}

/**
 * The claims of one leaf entry, as every proof format writes them (section 4): resource, operation and three hashes.
 * @param {Record<string, any>} o @param {string} [where] a prefix for error messages, e.g. `versions[2].`
 * @returns {{resource: string, operation: 'create'|'update'|'delete', contentHash: Uint8Array, salt: Uint8Array, leafHash: Uint8Array}}
 */
export function leafClaims(o, where = '') {
  const resource = string(o.resource, `${where}resource`);
  if (!REF.test(resource)) throw new ProofFormatError(`${where}resource: not Type/id/_history/vid: ${resource}`);
  const operation = string(o.operation, `${where}operation`);
  if (!(operation in OPERATIONS)) throw new ProofFormatError(`${where}operation: unknown "${operation}"`);
  return {
    resource,
    operation: /** @type {'create'|'update'|'delete'} */ (operation),
    contentHash: hash(o.contentHash, `${where}contentHash`),
    salt: hash(o.salt, `${where}salt`),
    leafHash: hash(o.leafHash, `${where}leafHash`),
  };
}

/**
 * The same, from an already parsed document (as a batched proof carries its batch record's proof).
 * @param {unknown} root
 * @returns {AnchorProof}
 */
export function proofFromTree(root) {
  const proof = checkedProof(root, MEMBERS, 'fhir-anchor-proof/1');
  const anchor = chainAnchor(proof);
  const claims = leafClaims(proof);
  const ref = /** @type {RegExpExecArray} */ (REF.exec(claims.resource));
  if (!Array.isArray(proof.auditPath)) throw new ProofFormatError('auditPath must be an array');
  return {
    ...claims,
    type: ref[1],
    id: ref[2],
    versionId: ref[3],
    leafIndex: integer(proof.leafIndex, 'leafIndex'),
    treeSize: integer(proof.treeSize, 'treeSize'),
    rootHash: hash(proof.rootHash, 'rootHash'),
    auditPath: proof.auditPath.map((h, i) => hash(h, `auditPath[${i}]`)),
    anchor,
  };
}

/**
 * A proof's {@code anchor} member, checked: the chain, contract and transaction that anchored its checkpoint.
 * @param {Record<string, any>} proof
 * @returns {{chainId: number, contract: string, txHash: string, blockNumber: number}}
 */
export function chainAnchor(proof) {
  const anchor = object(proof.anchor, 'anchor');
  members(anchor, ANCHOR_MEMBERS, 'anchor');
  const chainId = integer(anchor.chainId, 'anchor.chainId');
  if (chainId <= 0) throw new ProofFormatError('anchor.chainId must be > 0');
  const contract = string(anchor.contract, 'anchor.contract');
  if (!/^0x[0-9a-fA-F]{40}$/.test(contract)) throw new ProofFormatError('anchor.contract must be 0x + 40 hex digits');
  const txHash = string(anchor.txHash, 'anchor.txHash');
  if (!/^0x[0-9a-fA-F]{64}$/.test(txHash)) throw new ProofFormatError('anchor.txHash must be 0x + 64 hex digits');
  return { chainId, contract, txHash, blockNumber: integer(anchor.blockNumber, 'anchor.blockNumber') };
}

/** @param {unknown} v @param {string} where @returns {Record<string, any>} */
export function object(v, where) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) {
    throw new ProofFormatError(`${where} must be an object`);
  }
  return /** @type {Record<string, any>} */ (v);
}

/** @param {Record<string, any>} o @param {string[]} expected @param {string} where */
export function members(o, expected, where) {
  for (const name of expected) if (!(name in o)) throw new ProofFormatError(`${where}: missing member "${name}"`);
  for (const name of Object.keys(o)) if (!expected.includes(name)) throw new ProofFormatError(`${where}: unknown member "${name}"`);
}

/** @param {unknown} v @param {string} name */
export function string(v, name) {
  if (typeof v !== 'string') throw new ProofFormatError(`${name} must be a string`);
  return v;
}

/** @param {unknown} v @param {string} name */
export function hash(v, name) {
  const s = string(v, name);
  if (!HASH.test(s)) throw new ProofFormatError(`${name}: must be 64 lowercase hex digits`);
  return fromHex(s);
}

/** @param {unknown} v @param {string} name */
export function integer(v, name) {
  if (!(v instanceof JsonNumber) || !/^(0|[1-9][0-9]*)$/.test(v.lexeme)) {
    throw new ProofFormatError(`${name} must be a non-negative integer`);
  }
  const n = Number(v.lexeme);
  if (!Number.isSafeInteger(n)) throw new ProofFormatError(`${name} is too large`);
  return n;
}

/**
 * The leaf entry of section 2.
 * @param {'create'|'update'|'delete'} operation @param {string} resource @param {Uint8Array} contentHash
 * @param {Uint8Array} salt
 */
export function leafEntry(operation, resource, contentHash, salt) {
  const ref = utf8(resource);
  if (!REF.test(resource) || ref.length > 0xffff) throw new Error(`invalid resource reference ${resource}`);
  if (contentHash.length !== 32 || salt.length !== 32) throw new Error('content hash and salt must be 32 bytes');
  const deleted = equalBytes(contentHash, DELETED_CONTENT_HASH);
  if ((operation === 'delete') !== deleted) {
    throw new Error(operation === 'delete' ? 'a delete must have the zero content hash' : 'only a delete may have the zero content hash');
  }
  return concat(Uint8Array.of(1, OPERATIONS[operation], ref.length >> 8, ref.length & 0xff), ref, contentHash, salt);
}

/** SHA-256 of the canonical form. @param {import('./canonical.js').JsonValue} value */
export function contentHashOf(value) {
  return sha256(utf8(canonicalText(value)));
}

/**
 * Where the verifier reads anchored roots: the chain, through a contract it chose (see chain.js).
 * @typedef {object} CheckpointSource
 * @property {(treeSize: number) => Promise<{rootHash: Uint8Array, blockNumber: number, timestamp: number} | null>} anchoredCheckpoint
 */

/**
 * @typedef {object} VerificationResult
 * @property {keyof typeof Status} status
 * @property {string} detail
 * @property {AnchorProof} [proof]
 * @property {{blockNumber: number, timestamp: number}} [anchored] the checkpoint as read from the chain
 */

/**
 * Verifies one resource version (section 5).
 * @param {Uint8Array | null} resourceBytes the version exactly as served, or null for a delete
 * @param {Uint8Array | AnchorProof} proofInput the proof document's bytes, or an already read proof
 * @param {CheckpointSource} chain
 * @returns {Promise<VerificationResult>}
 */
export async function verifyProof(resourceBytes, proofInput, chain) {
  /** @type {AnchorProof} */
  let proof;
  try {
    proof = proofInput instanceof Uint8Array ? readProof(proofInput) : proofInput;
  } catch (e) {
    return { status: 'MALFORMED_PROOF', detail: /** @type {Error} */ (e).message };
  }
  const fail = (/** @type {keyof typeof Status} */ status, /** @type {string} */ detail) => ({ status, detail, proof });

  // 1 to 3. Content hash, identity, leaf hash.
  const checked = await checkLeaf(resourceBytes, proof);
  if ('status' in checked) return fail(checked.status, checked.detail);
  const leaf = checked.leaf;

  // 4. Inclusion.
  const inclusion = await verifyInclusion(proof.leafIndex, proof.treeSize, leaf, proof.auditPath, proof.rootHash);
  if (!inclusion.ok) return fail('INCLUSION_FAILED', inclusion.reason);

  // 5. Anchor, read from the chain the verifier chose.
  let anchored;
  try {
    anchored = await chain.anchoredCheckpoint(proof.treeSize);
  } catch (e) {
    return fail('CHECKPOINT_UNAVAILABLE', `could not read the checkpoint for tree size ${proof.treeSize}: ${/** @type {Error} */ (e).message}`);
  }
  if (!anchored) return fail('NOT_ANCHORED', `no checkpoint on chain for tree size ${proof.treeSize}`);
  if (!equalBytes(anchored.rootHash, proof.rootHash)) {
    return fail('ANCHORED_ROOT_MISMATCH', `the chain holds root ${toHex(anchored.rootHash)} for tree size ${proof.treeSize}, the proof says ${toHex(proof.rootHash)}`);
  }
  return {
    status: 'VERIFIED',
    detail: `${proof.operation} of ${proof.resource} is leaf ${proof.leafIndex} of the anchored tree of size ${proof.treeSize}`,
    proof,
    anchored: { blockNumber: anchored.blockNumber, timestamp: anchored.timestamp },
  };
}

/**
 * Steps 1 to 3 of section 5 on a version's claims: the content hash recomputed from the bytes (the zero
 * hash for a delete), the identity of the resource, the leaf hash recomputed from the entry.
 * @param {Uint8Array | null} resourceBytes the version exactly as served, or null for a delete
 * @param {{resource: string, operation: 'create'|'update'|'delete', contentHash: Uint8Array, salt: Uint8Array, leafHash: Uint8Array}} claims
 * @returns {Promise<{leaf: Uint8Array} | {status: keyof typeof Status, detail: string}>}
 */
export async function checkLeaf(resourceBytes, claims) {
  // 1. Content hash.
  let contentHash;
  /** @type {Record<string, any> | null} */
  let resource = null;
  if (claims.operation === 'delete') {
    if (resourceBytes != null) return { status: 'RESOURCE_MISMATCH', detail: 'the proof is for a delete, which has no body, but a resource was given' };
    contentHash = DELETED_CONTENT_HASH;
  } else {
    if (resourceBytes == null) return { status: 'RESOURCE_UNREADABLE', detail: `no resource given for a ${claims.operation}` };
    let parsed;
    try {
      parsed = parseJson(resourceBytes);
    } catch (e) {
      return { status: 'RESOURCE_UNREADABLE', detail: e instanceof JsonFormatError ? e.message : String(e) };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || parsed instanceof JsonNumber) {
      return { status: 'RESOURCE_UNREADABLE', detail: 'the resource is not a JSON object' };
    }
    resource = parsed;
    contentHash = await contentHashOf(parsed);
  }
  if (!equalBytes(contentHash, claims.contentHash)) {
    return { status: 'CONTENT_HASH_MISMATCH', detail: `the resource hashes to ${toHex(contentHash)}, the proof says ${toHex(claims.contentHash)}` };
  }

  // 2. Identity.
  if (resource) {
    const meta = resource.meta && typeof resource.meta === 'object' ? resource.meta : {};
    const str = (/** @type {unknown} */ v) => (typeof v === 'string' ? v : '(missing)');
    const actual = `${str(resource.resourceType)}/${str(resource.id)}/_history/${str(meta.versionId)}`;
    if (actual !== claims.resource) return { status: 'RESOURCE_MISMATCH', detail: `the resource is ${actual}, the proof is for ${claims.resource}` };
  }

  // 3. Leaf hash.
  let leaf;
  try {
    leaf = await leafHash(leafEntry(claims.operation, claims.resource, contentHash, claims.salt));
  } catch (e) {
    return { status: 'LEAF_HASH_MISMATCH', detail: /** @type {Error} */ (e).message };
  }
  if (!equalBytes(leaf, claims.leafHash)) {
    return { status: 'LEAF_HASH_MISMATCH', detail: `the entry hashes to ${toHex(leaf)}, the proof says ${toHex(claims.leafHash)}` };
  }
  return { leaf };
}
