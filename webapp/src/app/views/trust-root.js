// The trust root page: which contract the page reads, where that choice came from, and how to pin
// the operator's published deployment instead of trusting the server's statement.
import { h, replace, notice } from '../dom.js';
import * as trust from '../trust.js';
import { toHex } from '../../verifier/index.js';

/** @param {HTMLElement} root */
export async function renderTrustRoot(root) {
  const active = await trust.active();
  const status = h('div', { 'aria-live': 'polite' });
  const area = h('textarea', { id: 'tr-json', rows: 7, spellcheck: 'false' });
  if (active) /** @type {HTMLTextAreaElement} */ (area).value = JSON.stringify({ rpcUrl: active.rpcUrl, chainId: active.chainId, contract: active.contract, ...(active.codeSha256 ? { codeSha256: active.codeSha256 } : {}) }, null, 2);
  const check = async () => {
    replace(status, h('p', { class: 'loading' }, 'Reading the contract…'));
    try {
      const { reader } = await trust.chain();
      const latest = await reader.latestCheckpoint();
      replace(status, notice('ok', latest
        ? `Contract reachable. Latest checkpoint: tree size ${latest.treeSize}, root ${toHex(latest.rootHash).slice(0, 16)}…, block ${latest.blockNumber}.`
        : 'Contract reachable; no checkpoint yet.'));
    } catch (e) {
      replace(status, notice('bad', `Cannot use this trust root: ${/** @type {Error} */ (e).message}`));
    }
  };
  replace(root, h('h2', {}, 'Trust root'),
    active
      ? (active.source === 'pinned'
        ? notice('ok', `Pinned by you: chain ${active.chainId}, contract ${active.contract}, read through ${active.rpcUrl}.`)
        : notice('warn', `Not pinned. Using the server's own statement: chain ${active.chainId}, contract ${active.contract} via ${active.rpcUrl}. A dishonest server could name a contract it controls; pin the deployment your operator publishes.`))
      : notice('warn', 'No trust root: pin a deployment below.'),
    h('p', {}, 'Verification reads checkpoint roots from this contract over JSON-RPC. Pin the deployment the operator publishes (the pinned deployment file of the verification issue: chain id and contract address, optionally the SHA-256 of the runtime code as codeSha256); add the rpcUrl of a node you trust. The pin is kept in this browser (it is not personal data).'),
    h('form', {
      onsubmit: (/** @type {Event} */ ev) => {
        ev.preventDefault();
        try {
          trust.pin(/** @type {HTMLTextAreaElement} */ (area).value);
          renderTrustRoot(root).then(check);
        } catch (e) {
          replace(status, notice('bad', `Not pinned: ${/** @type {Error} */ (e).message}`));
        }
      },
    }, h('label', { for: 'tr-json' }, 'Deployment (JSON: rpcUrl, chainId, contract, optional codeSha256)'), area,
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit' }, 'Pin this deployment'),
      h('button', { type: 'button', onclick: check }, 'Check the contract'),
      active?.source === 'pinned' ? h('button', { type: 'button', onclick: () => { trust.unpin(); renderTrustRoot(root); } }, 'Remove my pin') : null)),
    status);
}
