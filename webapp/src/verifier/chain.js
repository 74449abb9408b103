// Reads checkpoints from the FhirAnchor contract over Ethereum JSON-RPC (docs/contract.md), with no
// web3 library: eth_call with the ABI-encoded view functions, the answers decoded word by word.
import { fromHex, sha256, toHex } from './hash.js';

const SELECTORS = {
  checkpointCount: '1f618cd2',
  checkpointAt: 'ff9536db',
  checkpointBySize: '1710bea2',
  latestCheckpoint: '907c0f92',
};

/**
 * The trust root: which chain and contract the verifier reads. It comes from the verifier's own
 * configuration (a pinned deployment), never from the proof or the server that served the data.
 * @typedef {object} TrustRoot
 * @property {string} rpcUrl JSON-RPC URL of any node of the chain
 * @property {number} chainId EIP-155 chain id the node must report
 * @property {string} contract contract address, 0x + 40 hex digits
 * @property {string} [codeSha256] optional: SHA-256 (hex) of the contract's runtime bytecode; the
 *           contract is refused when its code differs
 */

/** @typedef {{treeSize: number, rootHash: Uint8Array, blockNumber: number, timestamp: number}} Checkpoint */

export class ChainError extends Error {}

/** @param {bigint | number} n */
function word(n) {
  return BigInt(n).toString(16).padStart(64, '0');
}

/** @param {string} data hex without 0x @param {number} i */
function wordAt(data, i) {
  const w = data.slice(64 * i, 64 * (i + 1));
  if (w.length !== 64) throw new ChainError('short answer from the contract');
  return w;
}

/** @param {string} w */
function num(w) {
  const n = BigInt('0x' + w);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChainError('number too large');
  return Number(n);
}

/**
 * A checkpoint source bound to a trust root. The chain id and the contract's code are checked once,
 * before the first read; a mismatch fails every read.
 * @param {TrustRoot} root
 * @param {{fetch?: typeof fetch}} [options]
 */
export function contractReader(root, options = {}) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  if (!/^0x[0-9a-fA-F]{40}$/.test(root.contract)) throw new ChainError('the contract address must be 0x + 40 hex digits');
  let id = 0;
  /** @type {Promise<void> | null} */
  let checked = null;

  /** @param {string} method @param {unknown[]} params */
  async function rpc(method, params) {
    let response;
    try {
      response = await doFetch(root.rpcUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
      });
    } catch (e) {
      throw new ChainError(`chain node unreachable at ${root.rpcUrl}: ${/** @type {Error} */ (e).message}`);
    }
    if (!response.ok) throw new ChainError(`chain node answered HTTP ${response.status}`);
    const body = await response.json();
    if (body.error) throw new ChainError(`chain node error: ${body.error.message ?? JSON.stringify(body.error)}`);
    return body.result;
  }

  async function check() {
    const chainId = Number(BigInt(await rpc('eth_chainId', [])));
    if (chainId !== root.chainId) throw new ChainError(`the node is on chain ${chainId}, the trust root says ${root.chainId}`);
    const code = String(await rpc('eth_getCode', [root.contract, 'latest']));
    if (code === '0x' || code === '') throw new ChainError(`no contract at ${root.contract}`);
    if (root.codeSha256) {
      const digest = toHex(await sha256(fromHex(code.slice(2))));
      if (digest !== root.codeSha256.toLowerCase()) {
        throw new ChainError(`the code at ${root.contract} is not the pinned FhirAnchor contract (SHA-256 ${digest})`);
      }
    }
  }

  /** @param {string} data hex without 0x */
  async function call(data) {
    if (!checked) checked = check();
    try {
      await checked;
    } catch (e) {
      checked = null; // a node that was down may come back
      throw e;
    }
    const result = String(await rpc('eth_call', [{ to: root.contract, data: '0x' + data }, 'latest']));
    return result.startsWith('0x') ? result.slice(2) : result;
  }

  return {
    root,
    /** An eth_call of raw calldata (hex without 0x), after the trust root checks. @param {string} data */
    rawCall: call,
    /** @param {number} treeSize @returns {Promise<Omit<Checkpoint, 'treeSize'> | null>} */
    async anchoredCheckpoint(treeSize) {
      const data = await call(SELECTORS.checkpointBySize + word(treeSize));
      if (num(wordAt(data, 0)) === 0) return null;
      return { rootHash: fromHex(wordAt(data, 1)), blockNumber: num(wordAt(data, 2)), timestamp: num(wordAt(data, 3)) };
    },
    /** @returns {Promise<number>} */
    async checkpointCount() {
      return num(wordAt(await call(SELECTORS.checkpointCount), 0));
    },
    /** @param {number} index @returns {Promise<Checkpoint>} */
    async checkpointAt(index) {
      const data = await call(SELECTORS.checkpointAt + word(index));
      return { treeSize: num(wordAt(data, 0)), rootHash: fromHex(wordAt(data, 1)), blockNumber: num(wordAt(data, 2)), timestamp: num(wordAt(data, 3)) };
    },
    /** @returns {Promise<(Checkpoint & {index: number}) | null>} */
    async latestCheckpoint() {
      const data = await call(SELECTORS.latestCheckpoint);
      if (num(wordAt(data, 0)) === 0) return null;
      return { index: num(wordAt(data, 1)), treeSize: num(wordAt(data, 2)), rootHash: fromHex(wordAt(data, 3)), blockNumber: num(wordAt(data, 4)), timestamp: num(wordAt(data, 5)) };
    },
    /** @returns {Promise<number>} */
    async blockNumber() {
      return Number(BigInt(await rpc('eth_blockNumber', [])));
    },
  };
}

/**
 * A checkpoint source from a fixed list, for tests and for offline checks where the reader already
 * holds the anchored roots.
 * @param {Map<number, Uint8Array>} roots
 */
export function fixedCheckpoints(roots) {
  return {
    /** @param {number} treeSize */
    async anchoredCheckpoint(treeSize) {
      const rootHash = roots.get(treeSize);
      return rootHash ? { rootHash, blockNumber: 0, timestamp: 0 } : null;
    },
  };
}

/**
 * The latest consent decision the contract holds for a consent key (docs/contract.md).
 * @param {ReturnType<typeof contractReader>} reader
 * @param {Uint8Array} consentKey 32 bytes
 */
export async function latestConsentDecision(reader, consentKey) {
  const data = await reader.rawCall('a76c0b6a' + toHex(consentKey));
  if (num(wordAt(data, 0)) === 0) return null;
  return {
    consentVersion: num(wordAt(data, 1)),
    decisionHash: fromHex(wordAt(data, 2)),
    permit: num(wordAt(data, 3)) === 1,
    status: num(wordAt(data, 4)),
    periodStart: num(wordAt(data, 5)),
    periodEnd: num(wordAt(data, 6)),
    blockNumber: num(wordAt(data, 7)),
  };
}
