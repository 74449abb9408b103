// The signed-in session: the access token (and its launch context) lives in sessionStorage only,
// gone when the tab closes. Nothing else about the user is stored in the browser.

const KEY = 'fhir-anchor.session';

/**
 * @typedef {object} Session
 * @property {string} accessToken
 * @property {string | null} patient the patient id of the launch context (SMART `patient`)
 * @property {string | null} fhirUser
 * @property {string[]} scopes
 * @property {string | null} subject
 * @property {string} via 'smart' or 'pasted'
 * @property {string | null} [idToken] the OpenID Connect ID token of a SMART sign-in, kept only to end
 *     the authorization server's session on sign-out (id_token_hint)
 */

/** @returns {Session | null} */
export function current() {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

/** @param {Session} session */
export function save(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clear() {
  sessionStorage.removeItem(KEY);
}

/**
 * The claims of a JWT, read for display only (the server verifies the token; the app never trusts
 * these claims for anything but choosing which screens to show).
 * @param {string} token
 * @returns {Record<string, any>}
 */
export function claimsOf(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('This is not a JWT (three dot-separated parts expected).');
  const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = new TextDecoder().decode(Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0)));
  return JSON.parse(json);
}

/**
 * @param {string} accessToken @param {Record<string, any>} [tokenResponse] the SMART token response, if any
 * @param {string} [via]
 * @returns {Session}
 */
export function fromToken(accessToken, tokenResponse = {}, via = 'pasted') {
  let claims = {};
  try {
    claims = claimsOf(accessToken);
  } catch (e) {
    if (via === 'pasted') throw e; // an authorization server may issue opaque tokens; its response says the rest
  }
  const scope = tokenResponse.scope ?? claims.scope ?? claims.scp ?? '';
  return {
    accessToken,
    patient: tokenResponse.patient ?? claims.patient ?? null,
    fhirUser: tokenResponse.fhirUser ?? claims.fhirUser ?? claims.fhir_user ?? null,
    scopes: Array.isArray(scope) ? scope : String(scope).split(/\s+/).filter(Boolean),
    subject: claims.sub ?? null,
    via,
    idToken: typeof tokenResponse.id_token === 'string' ? tokenResponse.id_token : null,
  };
}

/** What the token lets the app offer. @param {Session} s */
export function abilities(s) {
  const has = (/** @type {RegExp} */ re) => s.scopes.some((x) => re.test(x));
  const clinical = s.scopes.some((x) => /^(user|system)\//.test(x) && !/^system\/AuditEvent\./.test(x) && /\.[cruds]*r/.test(x));
  return {
    patientPortal: Boolean(s.patient) && has(/^patient\//),
    clinical,
    audit: has(/^operation\/(\$checkpoints|\*)$/) || has(/^system\/AuditEvent\.[cruds]*r/),
  };
}
