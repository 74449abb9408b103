// The FHIR REST client of the app: bearer token from the session, JSON in and out, errors with the
// server's OperationOutcome text. Requests that carry identifiers go in the path or body of fetch
// calls, never in the page's own URL.
import * as session from './session.js';
import { JsonNumber, parseJson } from '../verifier/index.js';

/** Decimal numbers as the server wrote them (`5.40` stays `5.40` on screen), by object and member. */
const LEXEMES = new WeakMap();

/** @param {any} v */
function plain(v) {
  if (v instanceof JsonNumber) return Number(v.lexeme);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    /** @type {Record<string, any>} */
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = plain(x);
      if (x instanceof JsonNumber) LEXEMES.set(out, { ...(LEXEMES.get(out) ?? {}), [k]: x.lexeme });
    }
    return out;
  }
  return v;
}

/** A number member as written by the server, e.g. numberText(quantity, 'value') = "5.40". @param {any} o @param {string} key */
export function numberText(o, key) {
  return LEXEMES.get(o)?.[key] ?? String(o?.[key]);
}

/** @param {Response} response */
async function json(response) {
  return plain(parseJson(new Uint8Array(await response.arrayBuffer())));
}

export const BASE = new URL('/fhir', location.origin).href;

export class FhirError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }

  /** The server refused (not found, not allowed, not implemented): the feature is unavailable. */
  get refused() {
    return [400, 401, 403, 404, 405, 501].includes(this.status);
  }
}

/** @param {Response} response */
async function errorOf(response) {
  let text = `HTTP ${response.status}`;
  try {
    const body = await response.json();
    const issues = (body.issue ?? []).map((/** @type {any} */ i) => i.diagnostics ?? i.details?.text).filter(Boolean);
    if (issues.length) text += `: ${issues.join('; ')}`;
  } catch {
    // not JSON
  }
  return new FhirError(response.status, text);
}

/** @param {string} path relative to the FHIR base, e.g. "Patient/1" */
function url(path) {
  return `${BASE}/${path.replace(/^\//, '')}`;
}

/** @param {Record<string, string>} [extra] */
function headers(extra = {}) {
  const s = session.current();
  return { Accept: 'application/fhir+json', ...(s ? { Authorization: `Bearer ${s.accessToken}` } : {}), ...extra };
}

/** @param {string} path @returns {Promise<any>} */
export async function get(path) {
  const response = await fetch(url(path), { headers: headers(), cache: 'no-store' });
  if (!response.ok) throw await errorOf(response);
  return json(response);
}

/** The exact bytes the server serves (for hashing). @param {string} path @returns {Promise<Uint8Array>} */
export async function getBytes(path) {
  const response = await fetch(url(path), { headers: headers(), cache: 'no-store' });
  if (!response.ok) throw await errorOf(response);
  return new Uint8Array(await response.arrayBuffer());
}

/** @param {'POST'|'PUT'} method @param {string} path @param {any} body @returns {Promise<any>} */
export async function send(method, path, body) {
  const response = await fetch(url(path), {
    method,
    headers: headers({ 'Content-Type': 'application/fhir+json', Prefer: 'return=representation' }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  return response.status === 204 ? null : json(response);
}

/**
 * All entries of a search, following `next` links up to a limit.
 * @param {string} query e.g. "Observation?patient=Patient/1"
 * @param {number} [limit]
 * @returns {Promise<any[]>}
 */
export async function search(query, limit = 500) {
  /** @type {any[]} */
  const resources = [];
  let bundle = await get(query);
  for (;;) {
    for (const e of bundle.entry ?? []) if (e.resource && e.search?.mode !== 'outcome') resources.push(e.resource);
    const next = (bundle.link ?? []).find((/** @type {any} */ l) => l.relation === 'next');
    if (!next || resources.length >= limit) return resources;
    const response = await fetch(next.url, { headers: headers(), cache: 'no-store' });
    if (!response.ok) throw await errorOf(response);
    bundle = await json(response);
  }
}

/** A human-readable text of a CodeableConcept. @param {any} cc */
export function codeText(cc) {
  if (!cc) return '—';
  return cc.text ?? cc.coding?.find((/** @type {any} */ c) => c.display)?.display ?? cc.coding?.[0]?.code ?? '—';
}

/** @param {any} name a HumanName list */
export function nameOf(name) {
  const n = (name ?? [])[0];
  if (!n) return '(no name)';
  return n.text ?? [...(n.given ?? []), n.family].filter(Boolean).join(' ');
}
