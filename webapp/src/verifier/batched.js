// The fhir-anchor-batched-proof/1 document (docs/verification.md section 4.2): a version written as a member of
// a batch (the AuditEvents the server writes), proven through the batch record (a Basic whose version is a leaf
// of the log). Mirrors anchor-module's BatchedProofVerifier: same steps, same statuses; never throws for bad input.
import { JsonNumber, canonicalText, parseJson, utf8 } from './canonical.js';
import { toHex } from './hash.js';
import { verifyInclusion } from './merkle.js';
import { ProofFormatError, checkLeaf, checkedProof, hash, integer, leafClaims, members, object, parseProofDocument, proofFromTree, string, verifyProof } from './proof.js';

export const BATCHED_FORMAT = 'fhir-anchor-batched-proof/1';
export const BATCH_ROOT = 'https://fhir-anchor.org/fhir/StructureDefinition/batch-root';
export const BATCH_SIZE = 'https://fhir-anchor.org/fhir/StructureDefinition/batch-size';
export const LOG_RECORD = 'https://fhir-anchor.org/fhir/CodeSystem/log-record';

const MEMBERS = ['format', 'resource', 'operation', 'contentHash', 'salt', 'leafHash', 'batchIndex', 'batchSize',
  'batchPath', 'batchRecord', 'batchProof'];

/**
 * @typedef {object} BatchedProof
 * @property {string} format `fhir-anchor-batched-proof/1`
 * @property {string} resource @property {'create'|'update'|'delete'} operation
 * @property {Uint8Array} contentHash @property {Uint8Array} salt @property {Uint8Array} leafHash
 * @property {number} batchIndex @property {number} batchSize @property {Uint8Array[]} batchPath
 * @property {Record<string, any>} batchRecord the record's version as served (parsed)
 * @property {import('./proof.js').AnchorProof} batchProof the record's fhir-anchor-proof/1
 */

/**
 * Reads a batched proof strictly (exactly the members of section 4.2, lowercase hex, plain integers).
 * @param {Uint8Array} bytes
 * @returns {BatchedProof}
 */
export function readBatchedProof(bytes) {
  const proof = checkedProof(parseProofDocument(bytes), MEMBERS, BATCHED_FORMAT);
  const claims = leafClaims(proof);
  if (!Array.isArray(proof.batchPath)) throw new ProofFormatError('batchPath must be an array');
  const batchIndex = integer(proof.batchIndex, 'batchIndex');
  const batchSize = integer(proof.batchSize, 'batchSize');
  if (batchSize < 1 || batchIndex >= batchSize) {
    throw new ProofFormatError('batchIndex must be in [0, batchSize) and batchSize positive');
  }
  return {
    format: BATCHED_FORMAT,
    ...claims,
    batchIndex,
    batchSize,
    batchPath: proof.batchPath.map((/** @type {unknown} */ h, /** @type {number} */ i) => hash(h, `batchPath[${i}]`)),
    batchRecord: object(proof.batchRecord, 'batchRecord'),
    batchProof: nested(() => proofFromTree(proof.batchProof)),
  };
}

/** Names the batch record's proof in its errors. @template T @param {() => T} read @returns {T} */
function nested(read) {
  try {
    return read();
  } catch (e) {
    throw new ProofFormatError(`batchProof: ${/** @type {Error} */ (e).message}`);
  }
}

/**
 * What a batch record states (section 4.2, step 2): a Basic coded log-record#audit-batch with exactly one
 * batch-root (valueString, 64 lowercase hex) and one batch-size (valueInteger >= 1).
 * @param {Record<string, any>} record
 * @returns {{root: Uint8Array, size: number}}
 */
export function batchStatementOf(record) {
  if (record.resourceType !== 'Basic') throw new ProofFormatError('the batch record must be a Basic resource');
  const codings = record.code && typeof record.code === 'object' && Array.isArray(record.code.coding) ? record.code.coding : [];
  if (!codings.some((/** @type {any} */ c) => c && typeof c === 'object' && c.system === LOG_RECORD && c.code === 'audit-batch')) {
    throw new ProofFormatError(`the batch record must be coded ${LOG_RECORD}#audit-batch`);
  }
  const only = (/** @type {string} */ url, /** @type {string} */ valueMember) => {
    const found = (Array.isArray(record.extension) ? record.extension : [])
      .filter((/** @type {any} */ e) => e && typeof e === 'object' && !Array.isArray(e) && e.url === url);
    if (found.length === 0) throw new ProofFormatError(`the batch record has no extension ${url}`);
    if (found.length > 1) throw new ProofFormatError(`the batch record has more than one extension ${url}`);
    if (!(valueMember in found[0])) throw new ProofFormatError(`the extension ${url} must have a ${valueMember}`);
    return found[0][valueMember];
  };
  const root = only(BATCH_ROOT, 'valueString');
  const size = only(BATCH_SIZE, 'valueInteger');
  if (typeof root !== 'string' || !/^[0-9a-f]{64}$/.test(root)) {
    throw new ProofFormatError('the batch root must be 64 lowercase hex digits');
  }
  if (!(size instanceof JsonNumber) || !/^[1-9][0-9]*$/.test(size.lexeme) || !Number.isSafeInteger(Number(size.lexeme))) {
    throw new ProofFormatError('the batch size must be a positive integer');
  }
  return { root: hash(root, 'batch root'), size: Number(size.lexeme) };
}

/**
 * @typedef {object} BatchedVerificationResult
 * @property {string} status one of Status
 * @property {string} detail
 * @property {BatchedProof} [proof]
 * @property {{blockNumber: number, timestamp: number}} [anchored] the checkpoint of the record's leaf, as read from the chain
 */

/**
 * Verifies a batch member (section 4.2): steps 1 to 3 of section 5 on the member; the record's statement;
 * the member's inclusion in the batch; steps 1 to 5 on the batch record with its proof.
 * @param {Uint8Array | null} resourceBytes the member exactly as served, or null for a delete
 * @param {Uint8Array | BatchedProof} proofInput
 * @param {import('./proof.js').CheckpointSource} chain
 * @returns {Promise<BatchedVerificationResult>}
 */
export async function verifyBatchedProof(resourceBytes, proofInput, chain) {
  /** @type {BatchedProof} */
  let proof;
  try {
    proof = proofInput instanceof Uint8Array ? readBatchedProof(proofInput) : proofInput;
  } catch (e) {
    return { status: 'MALFORMED_PROOF', detail: /** @type {Error} */ (e).message };
  }
  const fail = (/** @type {string} */ status, /** @type {string} */ detail) => ({ status, detail, proof });

  // 1. Steps 1 to 3 of section 5 on the member.
  const checked = await checkLeaf(resourceBytes, proof);
  if ('status' in checked) return fail(checked.status, checked.detail);

  // 2. The batch record's statement.
  let statement;
  try {
    statement = batchStatementOf(proof.batchRecord);
  } catch (e) {
    return fail('MALFORMED_PROOF', /** @type {Error} */ (e).message);
  }
  if (statement.size !== proof.batchSize) {
    return fail('INCLUSION_FAILED', `batch: the batch record states ${statement.size} members, the proof says ${proof.batchSize}`);
  }

  // 3. The member's leaf in the batch's tree.
  const inclusion = await verifyInclusion(proof.batchIndex, proof.batchSize, checked.leaf, proof.batchPath, statement.root);
  if (!inclusion.ok) return fail('INCLUSION_FAILED', `batch: ${inclusion.reason}`);

  // 4. The batch record as an ordinary version: its canonical JSON, its proof, the chain.
  const record = await verifyProof(utf8(canonicalText(proof.batchRecord)), proof.batchProof, chain);
  if (record.status !== 'VERIFIED') return fail(record.status, `batch record ${proof.batchProof.resource}: ${record.detail}`);
  return {
    status: 'VERIFIED',
    detail: `${proof.operation} of ${proof.resource} is member ${proof.batchIndex} of ${proof.batchSize} of the batch `
      + `${proof.batchProof.resource} (root ${toHex(statement.root)}), itself ${record.detail}`,
    proof,
    ...(record.anchored ? { anchored: record.anchored } : {}),
  };
}

/**
 * The `format` member of a proof document, or null if it is not a JSON object with a string format.
 * @param {Uint8Array} bytes
 */
export function proofFormatOf(bytes) {
  try {
    const root = parseJson(bytes);
    return root !== null && typeof root === 'object' && !Array.isArray(root) && typeof (/** @type {any} */ (root)).format === 'string'
      ? /** @type {any} */ (root).format : null;
  } catch {
    return null;
  }
}

/**
 * Verifies the proof of one version, whichever single-version format it is in: a batched proof
 * (section 4.2) by {@link verifyBatchedProof}, anything else as fhir-anchor-proof/1 by verifyProof.
 * @param {Uint8Array | null} resourceBytes @param {Uint8Array} proofBytes
 * @param {import('./proof.js').CheckpointSource} chain
 * @returns {Promise<import('./proof.js').VerificationResult | BatchedVerificationResult>}
 */
export async function verifyVersionProof(resourceBytes, proofBytes, chain) {
  return proofFormatOf(proofBytes) === BATCHED_FORMAT
    ? verifyBatchedProof(resourceBytes, proofBytes, chain)
    : verifyProof(resourceBytes, proofBytes, chain);
}
