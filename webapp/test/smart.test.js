// The SMART sign-in's pure parts: each role's sign-in asks only for what that role may be given, and
// a refusal sent back by the authorization server is stated in words, with its code.
import { test } from 'node:test';
import assert from 'node:assert/strict';

globalThis.location = /** @type {any} */ ({ origin: 'http://127.0.0.1' });
const { SIGN_INS, refusalText } = await import('../src/app/smart.js');
const { abilities, fromToken } = await import('../src/app/session.js');

test('each sign-in opens the screens of its role, and only the patient one asks for a patient context', () => {
  const jwt = (/** @type {string} */ scope) => `e30.${Buffer.from(JSON.stringify({ sub: 'u', scope, patient: scope.includes('patient/') ? 'p1' : undefined })).toString('base64url')}.sig`;
  const opened = Object.fromEntries(SIGN_INS.map((s) => [s.kind, abilities(fromToken(jwt(s.scope.split(' ').filter((x) => !['openid', 'fhirUser', 'launch/patient'].includes(x)).join(' '))))]));
  assert.deepEqual(opened.patient, { patientPortal: true, clinical: false, audit: false });
  assert.deepEqual(opened.staff, { patientPortal: false, clinical: true, audit: false });
  assert.deepEqual(opened.auditor, { patientPortal: false, clinical: false, audit: true });
  for (const s of SIGN_INS) {
    assert.ok(s.scope.split(' ').includes('openid'), `${s.kind}: an ID token, to end the server session at sign-out`);
    assert.equal(s.scope.includes('launch/patient'), s.kind === 'patient', s.kind);
  }
  assert.ok(SIGN_INS.find((s) => s.kind === 'patient')?.scope.includes('patient/Consent.cu'), 'the patient manages her consents');
});

test('a refused sign-in reads as words, naming the sign-in chosen and the OAuth2 code', () => {
  assert.equal(refusalText('invalid_scope', null, 'patient'),
    'Your account may not use “Sign in as a patient”. Choose the sign-in that matches your account (patient, clinical staff or auditor). (invalid_scope)');
  assert.match(refusalText('access_denied', 'The resource owner or authorization server denied the request.', 'auditor'),
    /^You chose not to allow the app access, so you are not signed in\. Nothing was shared\. \(access_denied: The resource owner/);
  assert.match(refusalText('something_new', null, undefined), /^The server refused this sign-in\. \(something_new\)$/);
});

test('the ID token of a SMART token response is kept for sign-out, never for a pasted token', () => {
  const token = `e30.${Buffer.from(JSON.stringify({ sub: 'u', scope: 'patient/*.rs', patient: 'p1' })).toString('base64url')}.sig`;
  assert.equal(fromToken(token, { id_token: 'id.jwt.sig', patient: 'p1' }, 'smart').idToken, 'id.jwt.sig');
  assert.equal(fromToken(token).idToken, null);
});
