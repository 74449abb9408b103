// SMART App Launch, standalone launch with PKCE (S256), against the server's discovery document
// /fhir/.well-known/smart-configuration. The code verifier and state live in sessionStorage for the
// round trip only; the code is removed from the address bar as soon as it has been exchanged.
import * as fhir from './fhir.js';
import * as session from './session.js';
import * as trust from './trust.js';

const PENDING = 'fhir-anchor.smart-pending';

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
 * @param {string} scope e.g. "openid fhirUser launch/patient patient/*.rs"
 */
export async function launch(doc, scope) {
  const cfg = await trust.config();
  const { verifier, challenge } = await pkce();
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, tokenEndpoint: doc.token_endpoint }));
  const url = new URL(doc.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.smartClientId ?? 'fhir-anchor-webapp',
    redirect_uri: redirectUri(),
    scope,
    state,
    aud: fhir.BASE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

/**
 * Completes a launch when the page is loaded with ?code=…&state=…; returns true when it signed in.
 * @returns {Promise<boolean>}
 */
export async function completeIfReturning() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri() + location.hash); // the code leaves the address bar
  if (params.has('error')) throw new Error(`Sign-in refused: ${params.get('error')} ${params.get('error_description') ?? ''}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('Sign-in answer does not belong to this tab (state mismatch).');
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
  if (!response.ok || !body.access_token) throw new Error(`Token request failed: ${body.error ?? response.status} ${body.error_description ?? ''}`);
  session.save(session.fromToken(body.access_token, body, 'smart'));
  return true;
}
