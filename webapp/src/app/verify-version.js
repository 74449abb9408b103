// Verifies one resource version in the browser: the version's bytes as served, its proof from
// $verify, the anchored root read from the chain through the trust root; the server is trusted for
// nothing that can be recomputed. The proof is either a log leaf's (fhir-anchor-proof/1) or, for the
// AuditEvents the server writes in batches, a batch member's (fhir-anchor-batched-proof/1).
import * as fhir from './fhir.js';
import * as trust from './trust.js';
import { h, replace } from './dom.js';
import { proofBytesOf, verifyVersionProof, param } from '../verifier/index.js';

/**
 * @typedef {object} Outcome
 * @property {'verified'|'pending'|'failed'|'unavailable'} kind
 * @property {string} text one line a person reads
 * @property {string} [detail]
 * @property {number} [blockNumber]
 * @property {{name: string, resource: Uint8Array | null, proof: Uint8Array}} [files] what to save for an offline check
 */

/**
 * @param {string} type @param {string} id @param {string} versionId
 * @returns {Promise<Outcome>}
 */
export async function verifyVersion(type, id, versionId) {
  const ref = `${type}/${id}/_history/${versionId}`;
  let answer;
  try {
    answer = await fhir.get(`${ref}/$verify`);
  } catch (e) {
    if (e instanceof fhir.FhirError && e.refused) {
      return { kind: 'unavailable', text: 'Cannot check: the server gives no proof to this sign-in', detail: e.message };
    }
    return { kind: 'unavailable', text: 'Cannot check right now', detail: String(/** @type {Error} */ (e).message) };
  }
  const proofBytes = proofBytesOf(answer);
  if (!proofBytes) {
    return { kind: 'pending', text: 'Not anchored yet: wait for the next checkpoint', detail: `server status: ${param(answer, 'status')}` };
  }
  const operation = param(answer, 'operation');
  let resourceBytes = null;
  if (operation !== 'delete') {
    try {
      resourceBytes = await fhir.getBytes(`${ref}?_format=json`);
    } catch (e) {
      return { kind: 'unavailable', text: 'Cannot check: the version could not be read', detail: String(/** @type {Error} */ (e).message) };
    }
  }
  const outcome = outcomeOf(await verifyVersionProof(resourceBytes, proofBytes, await chainSource()));
  return { ...outcome, files: { name: `${type}-${id}-v${versionId}`, resource: resourceBytes, proof: proofBytes } };
}

/**
 * Offers a file to save (the user's own action; nothing is stored by the page).
 * @param {string} name @param {Uint8Array} bytes
 */
function download(name, bytes) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Buttons that save the version and its proof, to check later on "Verify a file". @param {Outcome} o */
export function saveButtons(o) {
  const files = o.files;
  if (!files) return null;
  return h('span', { class: 'save' },
    files.resource ? h('button', { type: 'button', class: 'small secondary', onclick: () => download(`${files.name}.json`, /** @type {Uint8Array} */ (files.resource)) }, 'Save version') : null,
    h('button', { type: 'button', class: 'small secondary', onclick: () => download(`${files.name}.proof.json`, files.proof) }, 'Save proof'));
}

/** The checkpoint source; failures to reach the chain surface as CHECKPOINT_UNAVAILABLE. */
async function chainSource() {
  try {
    return (await trust.chain()).reader;
  } catch (e) {
    const message = /** @type {Error} */ (e).message;
    return { anchoredCheckpoint: async () => { throw new Error(message); } };
  }
}

/** @param {{status: string, detail: string, anchored?: {blockNumber: number}}} result @returns {Outcome} */
export function outcomeOf(result) {
  switch (result.status) {
    case 'VERIFIED':
      return { kind: 'verified', text: `Anchored on chain at block ${result.anchored?.blockNumber}`, detail: result.detail, blockNumber: result.anchored?.blockNumber };
    case 'NOT_ANCHORED':
      return { kind: 'pending', text: 'Not anchored yet: wait for the next checkpoint', detail: result.detail };
    case 'CHECKPOINT_UNAVAILABLE':
      return { kind: 'unavailable', text: 'Cannot reach the chain to check', detail: result.detail };
    default:
      return { kind: 'failed', text: `Does not match what was anchored (${result.status.toLowerCase().replace(/_/g, ' ')})`, detail: result.detail };
  }
}

/** A badge: icon and words, so it reads without colour. @param {Outcome} o */
export function badge(o) {
  const icon = { verified: '✔', pending: '◔', failed: '✖', unavailable: '⚠' }[o.kind];
  return h('span', { class: `badge ${o.kind}`, title: o.detail ?? '' },
    h('span', { 'aria-hidden': 'true' }, icon + ' '), o.text);
}

/**
 * A "Verify" button that turns into the badge of its result.
 * @param {string} type @param {string} id @param {string} versionId
 */
export function verifyButton(type, id, versionId) {
  const holder = h('span', { class: 'verify-slot' });
  const button = h('button', {
    type: 'button',
    class: 'small',
    'aria-label': `Verify version ${versionId} of this ${type} on chain`,
    onclick: async () => {
      button.setAttribute('disabled', '');
      button.textContent = 'Checking…';
      const o = await verifyVersion(type, id, versionId);
      replace(holder, badge(o), ' ', saveButtons(o), o.detail ? h('span', { class: 'detail' }, o.detail) : null);
    },
  }, 'Verify on chain');
  holder.append(button);
  return holder;
}
