// "Verify a file": a saved resource version and its proof, checked against the chain with no sign-in
// and no call to the FHIR server. Nothing entered here leaves the browser except the eth_call that
// reads the anchored root (which carries only a tree size).
import { h, replace, notice } from '../dom.js';
import * as trust from '../trust.js';
import { outcomeOf, badge } from '../verify-version.js';
import { verifyVersionProof, proofBytesOf } from '../../verifier/index.js';

const enc = new TextEncoder();

/**
 * Accepts the proof document itself or a whole $verify answer (Parameters with the `proof` attachment).
 * @param {string} text
 */
export function proofFromText(text) {
  try {
    const json = JSON.parse(text);
    if (json?.resourceType === 'Parameters') {
      const bytes = proofBytesOf(json);
      if (!bytes) throw new Error('this $verify answer has no proof yet (the version is not anchored)');
      return bytes;
    }
  } catch (e) {
    if (/** @type {Error} */ (e).message.startsWith('this $verify')) throw e;
    // not JSON at all: the verifier reports it as a malformed proof
  }
  return enc.encode(text);
}

/**
 * What a verified proof establishes, in words: a log leaf, or a batch member through its batch record's leaf.
 * @param {any} proof @param {number | undefined} blockNumber
 */
export function verifiedText(proof, blockNumber) {
  if (proof?.batchProof) {
    return `${proof.resource} is exactly the content that was anchored: member ${proof.batchIndex} of the batch of `
      + `${proof.batchSize} sealed by ${proof.batchProof.resource}, which is leaf ${proof.batchProof.leafIndex} of the tree of `
      + `${proof.batchProof.treeSize} entries, whose root the contract holds since block ${blockNumber}.`;
  }
  return `${proof?.resource} is exactly the content that was anchored: leaf ${proof?.leafIndex} of the tree of ${proof?.treeSize} entries, whose root the contract holds since block ${blockNumber}.`;
}

/** @param {HTMLElement} root */
export function renderVerifyFile(root) {
  const resource = h('textarea', { id: 'vf-resource', rows: 10, spellcheck: 'false', 'aria-describedby': 'vf-resource-help' });
  const proof = h('textarea', { id: 'vf-proof', rows: 10, spellcheck: 'false', 'aria-describedby': 'vf-proof-help' });
  const result = h('div', { id: 'vf-result', 'aria-live': 'polite' });
  const fileInto = (/** @type {HTMLTextAreaElement} */ area, /** @type {string} */ id) => h('input', {
    id, type: 'file', accept: '.json,application/json,application/fhir+json',
    onchange: async (/** @type {Event} */ ev) => {
      const file = /** @type {HTMLInputElement} */ (ev.target).files?.[0];
      if (file) area.value = await file.text();
    },
  });
  const form = h('form', {
    onsubmit: async (/** @type {Event} */ ev) => {
      ev.preventDefault();
      replace(result, h('p', { class: 'loading' }, 'Verifying…'));
      const resourceText = /** @type {HTMLTextAreaElement} */ (resource).value;
      let proofBytes;
      try {
        proofBytes = proofFromText(/** @type {HTMLTextAreaElement} */ (proof).value);
      } catch (e) {
        replace(result, notice('warn', /** @type {Error} */ (e).message));
        return;
      }
      let chain;
      try {
        chain = (await trust.chain()).reader;
      } catch (e) {
        const message = /** @type {Error} */ (e).message;
        chain = { anchoredCheckpoint: async () => { throw new Error(message); } };
      }
      // A delete has no body: an empty resource field means "no resource".
      const bytes = resourceText.trim() === '' ? null : enc.encode(resourceText);
      const r = /** @type {any} */ (await verifyVersionProof(bytes, proofBytes, chain));
      const o = outcomeOf(r);
      replace(result, h('div', { class: `result ${o.kind}` },
        h('p', { class: 'big' }, badge(o)),
        o.kind === 'verified'
          ? h('p', {}, verifiedText(r.proof, o.blockNumber))
          : o.kind === 'failed'
            ? h('p', {}, 'This copy is not what was anchored: it was changed after it was written, or the proof belongs to another version. Do not rely on it; ask the source for the record again.')
            : null,
        o.detail ? h('p', { class: 'detail' }, o.detail) : null));
      /** @type {HTMLElement} */ (result).focus();
    },
  },
  h('div', { class: 'field' },
    h('label', { for: 'vf-resource' }, 'Resource version (JSON, exactly as the server served it)'),
    h('p', { id: 'vf-resource-help', class: 'help' }, 'Paste it or load a file. Leave empty for a deleted version.'),
    fileInto(/** @type {HTMLTextAreaElement} */ (resource), 'vf-resource-file'), resource),
  h('div', { class: 'field' },
    h('label', { for: 'vf-proof' }, 'Proof (fhir-anchor-proof/1, fhir-anchor-batched-proof/1, or the whole $verify answer)'),
    h('p', { id: 'vf-proof-help', class: 'help' }, 'Paste it or load a file.'),
    fileInto(/** @type {HTMLTextAreaElement} */ (proof), 'vf-proof-file'), proof),
  h('button', { type: 'submit', id: 'vf-submit' }, 'Verify'));
  result.setAttribute('tabindex', '-1');
  replace(root, h('h2', {}, 'Verify a file'),
    h('p', { class: 'intro' }, 'Checks a saved resource and its proof in this browser: canonical JSON, SHA-256, the Merkle path, and the root on chain through your trust root. No sign-in; nothing is sent to the FHIR server.'),
    form, result);
}
