// SMART App Launch, standalone launch with PKCE (S256), against the server's discovery document
// /fhir/.well-known/smart-configuration. The code verifier and state live in sessionStorage for the
// round trip only; the code is removed from the address bar as soon as it has been exchanged.
// Signing out also ends the session at the authorization server (OpenID Connect RP-Initiated
// Logout) when its OpenID configuration offers an end_session_endpoint.
import * as fhir from './fhir.js';
import * as session from './session.js';
import * as trust from './trust.js';

const PENDING = 'fhir-anchor.smart-pending';

/**
 * The sign-ins offered: one per kind of account, each asking only for what that role may be given
 * (the server refuses, rather than narrows, a scope beyond the user's role).
 * @type {{kind: string, label: string, scope: string}[]}
 */
export const SIGN_INS = [
  { kind: 'patient', label: 'Sign in as a patient', scope: 'openid fhirUser launch/patient patient/*.rs patient/Consent.cu' },
  { kind: 'staff', label: 'Sign in as clinical staff', scope: 'openid fhirUser user/*.rs' },
  { kind: 'auditor', label: 'Sign in as an auditor', scope: 'openid fhirUser system/AuditEvent.rs operation/$verify operation/$consistency operation/$checkpoints operation/$audit-sweep' },
];

/** The discovery document, or null when the server offers no authorization endpoint. */
export async function discover() {
  try {
    const response = await fetch(`${fhir.BASE}/.well-known/smart-configuration`, { headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const doc = await response.json();
    const codeFlow = (doc.grant_types_supported ?? []).includes('authorization_code');
    return doc.authorization_endpoint && doc.token_endpoint && codeFlow ? doc : null;
  } catch {
    return null;
  }
}

/** @param {Uint8Array} bytes */
function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A PKCE pair (RFC 7636, S256). */
export async function pkce() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  return { verifier, challenge };
}

function redirectUri() {
  return new URL('/app/', location.origin).href;
}

/**
 * Starts the launch: to the authorization endpoint with PKCE.
 * @param {any} doc the discovery document
 * @param {{kind: string, label: string, scope: string}} signIn one of SIGN_INS
 */
export async function launch(doc, signIn) {
  const cfg = await trust.config();
  const { verifier, challenge } = await pkce();
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, tokenEndpoint: doc.token_endpoint, kind: signIn.kind }));
  const url = new URL(doc.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.smartClientId ?? 'fhir-anchor-webapp',
    redirect_uri: redirectUri(),
    scope: signIn.scope,
    state,
    aud: fhir.BASE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

/** A sign-in the authorization server (or the token exchange) refused; `message` is for people. */
export class SignInRefused extends Error {
  /** @param {string} message @param {string} [code] the OAuth2 error code */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/**
 * Plain words for an OAuth2 error sent back to the app (RFC 6749 section 4.1.2.1).
 * @param {string} code @param {string | null} description @param {string | undefined} kind which sign-in was chosen
 */
export function refusalText(code, description, kind) {
  const label = SIGN_INS.find((s) => s.kind === kind)?.label;
  const base = {
    access_denied: 'You chose not to allow the app access, so you are not signed in. Nothing was shared.',
    invalid_scope: `Your account may not use ${label ? `“${label}”` : 'this kind of sign-in'}. Choose the sign-in that matches your account (patient, clinical staff or auditor).`,
    unauthorized_client: 'The server does not know this app as a sign-in client. Ask the operator to register it (docs/webapp.md).',
    invalid_request: 'The server refused the sign-in request as malformed.',
    server_error: 'The sign-in server had a problem. Try again later.',
    temporarily_unavailable: 'The sign-in server is busy. Try again later.',
  }[code] ?? 'The server refused this sign-in.';
  return `${base} (${code}${description ? `: ${description}` : ''})`;
}

/**
 * Completes a launch when the page is loaded with ?code=…&state=…; returns true when it signed in.
 * A refusal throws SignInRefused with a message in plain words.
 * @returns {Promise<boolean>}
 */
export async function completeIfReturning() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri() + location.hash); // the code leaves the address bar
  if (params.has('error')) {
    const code = String(params.get('error'));
    throw new SignInRefused(refusalText(code, params.get('error_description'), pending?.kind), code);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new SignInRefused('This sign-in answer does not belong to this tab (state mismatch); nothing was done. Sign in again.', 'state');
  }
  const cfg = await trust.config();
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: String(params.get('code')),
      redirect_uri: redirectUri(),
      client_id: cfg.smartClientId ?? 'fhir-anchor-webapp',
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new SignInRefused(`The server did not issue a token (${body.error ?? `HTTP ${response.status}`}${body.error_description ? `: ${body.error_description}` : ''}). Sign in again.`, body.error);
  }
  session.save(session.fromToken(body.access_token, body, 'smart'));
  return true;
}

/**
 * The authorization server's end_session_endpoint (OpenID Connect discovery of the SMART issuer), or
 * null when it offers none.
 * @returns {Promise<string | null>}
 */
export async function endSessionEndpoint() {
  const doc = await discover();
  const issuer = doc?.issuer ?? location.origin;
  try {
    const response = await fetch(`${String(issuer).replace(/\/$/, '')}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    return (await response.json()).end_session_endpoint ?? null;
  } catch {
    return null;
  }
}

/**
 * Ends the session at the authorization server: a POST of id_token_hint and client_id to its
 * end_session_endpoint, made with fetch so that the ID token stays out of the address bar and the
 * history. The request names its origin (referrer policy same-origin for this one request: the page's
 * own policy, no-referrer, would send "Origin: null", which the server refuses as a CORS request).
 * The endpoint answers with a redirect to the site's root, which fetch follows.
 * @param {session.Session} s the session being closed (already cleared from storage)
 * @returns {Promise<'ended' | 'nothing' | string>} 'ended', 'nothing' (no SMART session or no
 *     endpoint), or why the server did not end it
 */
export async function endSession(s) {
  if (s.via !== 'smart' || !s.idToken) return 'nothing';
  const endpoint = await endSessionEndpoint();
  if (!endpoint) return 'nothing';
  const cfg = await trust.config();
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token_hint: s.idToken, client_id: cfg.smartClientId ?? 'fhir-anchor-webapp' }),
      credentials: 'same-origin',
      referrerPolicy: 'same-origin',
      cache: 'no-store',
    });
    return response.ok ? 'ended' : `HTTP ${response.status}`;
  } catch (e) {
    return String(/** @type {Error} */ (e).message);
  }
}
