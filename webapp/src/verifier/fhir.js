// Reading the FHIR answers of $verify, $consistency and $checkpoints (docs/anchoring.md).
import { fromBase64, fromHex } from './hash.js';

/**
 * The value of a Parameters parameter or part, whatever its value[x] type.
 * @param {any} p
 */
export function valueOf(p) {
  if (!p) return undefined;
  for (const key of Object.keys(p)) if (key.startsWith('value')) return p[key];
  return undefined;
}

/**
 * The parameters (or parts) with a name.
 * @param {any} parametersOrPart @param {string} name
 * @returns {any[]}
 */
export function params(parametersOrPart, name) {
  const list = parametersOrPart?.parameter ?? parametersOrPart?.part ?? [];
  return list.filter((/** @type {any} */ p) => p.name === name);
}

/** @param {any} parametersOrPart @param {string} name */
export function param(parametersOrPart, name) {
  return valueOf(params(parametersOrPart, name)[0]);
}

/**
 * The fhir-anchor-proof/1 bytes carried by a $verify answer (the base64 `proof` attachment), or null
 * when the version is not yet covered by an anchored checkpoint.
 * @param {any} parameters
 * @returns {Uint8Array | null}
 */
export function proofBytesOf(parameters) {
  if (parameters?.resourceType !== 'Parameters') throw new Error('not a Parameters resource');
  const attachment = param(parameters, 'proof');
  if (!attachment) return null;
  if (attachment.contentType && !attachment.contentType.startsWith('application/json')) {
    throw new Error(`proof attachment has content type ${attachment.contentType}`);
  }
  return fromBase64(String(attachment.data ?? ''));
}

/**
 * A $consistency answer: sizes, roots and the path as bytes.
 * @param {any} parameters
 */
export function consistencyOf(parameters) {
  const path = params(parameters, 'consistencyPath')[0];
  return {
    from: Number(param(parameters, 'from')),
    to: Number(param(parameters, 'to')),
    fromRootHash: fromHex(String(param(parameters, 'fromRootHash'))),
    toRootHash: fromHex(String(param(parameters, 'toRootHash'))),
    path: (path?.part ?? []).map((/** @type {any} */ h) => fromHex(String(valueOf(h)))),
  };
}

/**
 * The checkpoints of a $checkpoints answer.
 * @param {any} parameters
 */
export function checkpointsOf(parameters) {
  return params(parameters, 'checkpoint').map((c) => ({
    treeSize: Number(param(c, 'treeSize')),
    rootHash: String(param(c, 'rootHash')),
    status: String(param(c, 'status')),
    chainId: param(c, 'chainId') == null ? null : Number(param(c, 'chainId')),
    contract: param(c, 'contract') ?? null,
    transactionHash: param(c, 'transactionHash') ?? null,
    blockNumber: param(c, 'blockNumber') == null ? null : Number(param(c, 'blockNumber')),
  }));
}
