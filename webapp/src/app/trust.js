// The trust root of in-browser verification: which chain and contract the page reads checkpoints
// from. A root the user pinned (e.g. from the operator's published deployment file) wins; otherwise
// the server's own statement is used and the page says so, because a server could lie about its
// contract. The pinned root is not personal data and is kept in localStorage so it survives sessions.
import { contractReader } from '../verifier/index.js';

const KEY = 'fhir-anchor.trust-root';

/**
 * @typedef {import('../verifier/chain.js').TrustRoot & {source: 'pinned' | 'server', label?: string}} ActiveRoot
 */

/** @type {Promise<any> | null} */
let serverConfig = null;

/** The server's /app/config.json (FHIR base, SMART client id, the chain it anchors on). */
export function config() {
  if (!serverConfig) {
    serverConfig = fetch('/app/config.json', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}));
  }
  return serverConfig;
}

/**
 * Reads a deployment description: this app's own form ({rpcUrl, chainId, contract}) or a
 * fhir-anchor-deployment file (issue 14: chain id and contract address published by the operator),
 * whose contract may be spelled `contract` or `contractAddress`.
 * @param {string} text @param {string} [rpcUrlFallback]
 * @returns {import('../verifier/chain.js').TrustRoot & {label?: string}}
 */
export function parseRoot(text, rpcUrlFallback) {
  const json = JSON.parse(text);
  const d = json.deployment ?? json;
  const contract = d.contract ?? d.contractAddress ?? d.address;
  const chainId = Number(d.chainId);
  const rpcUrl = d.rpcUrl ?? rpcUrlFallback;
  if (!/^0x[0-9a-fA-F]{40}$/.test(String(contract))) throw new Error('the contract address must be 0x followed by 40 hex digits');
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new Error('chainId must be a positive integer');
  if (!rpcUrl || !/^https?:\/\//.test(rpcUrl)) throw new Error('rpcUrl must be an http(s) URL of a node of that chain');
  const codeSha256 = d.codeSha256 ?? d.runtimeCodeSha256;
  if (codeSha256 != null && !/^[0-9a-fA-F]{64}$/.test(codeSha256)) throw new Error('codeSha256 must be 64 hex digits');
  return { rpcUrl, chainId, contract: String(contract).toLowerCase(), ...(codeSha256 ? { codeSha256 } : {}), label: d.label ?? json.label };
}

/** @returns {ActiveRoot | null} */
export function pinned() {
  const raw = localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return { ...parseRoot(raw), source: 'pinned' };
  } catch {
    return null;
  }
}

/** @param {string} text */
export function pin(text) {
  const root = parseRoot(text);
  localStorage.setItem(KEY, JSON.stringify(root));
  reader = null;
  return root;
}

export function unpin() {
  localStorage.removeItem(KEY);
  reader = null;
}

/** @returns {Promise<ActiveRoot | null>} */
export async function active() {
  const p = pinned();
  if (p) return p;
  const c = await config();
  if (c.chain?.contract && c.chain?.rpcUrl && c.chain?.chainId) {
    return { rpcUrl: c.chain.rpcUrl, chainId: Number(c.chain.chainId), contract: c.chain.contract, source: 'server' };
  }
  return null;
}

/** @type {{key: string, reader: ReturnType<typeof contractReader>} | null} */
let reader = null;

/** A contract reader on the active trust root (cached while the root stays the same). */
export async function chain() {
  const root = await active();
  if (!root) throw new Error('No trust root: pin a deployment on the "Trust root" page.');
  const key = JSON.stringify(root);
  if (!reader || reader.key !== key) reader = { key, reader: contractReader(root) };
  return { root, reader: reader.reader };
}
