// Unit tests of the app's pure parts: which screens a token opens, and reading a pinned deployment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abilities, fromToken } from '../src/app/session.js';
import { parseRoot } from '../src/app/trust.js';

const jwt = (/** @type {object} */ claims) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

test('screens follow the token: the built-in roles of the server', () => {
  const patient = abilities(fromToken(jwt({ sub: 'p', scope: 'patient/*.rs', patient: 'sample-ada' })));
  assert.deepEqual(patient, { patientPortal: true, clinical: false, audit: false });
  const clinician = abilities(fromToken(jwt({ sub: 'c', scope: 'user/*.rs operation/$meta operation/$everything' })));
  assert.deepEqual(clinician, { patientPortal: false, clinical: true, audit: false });
  const auditor = abilities(fromToken(jwt({ sub: 'a', scope: 'system/AuditEvent.rs operation/$verify operation/$consistency operation/$checkpoints operation/$audit-sweep' })));
  assert.deepEqual(auditor, { patientPortal: false, clinical: false, audit: true });
  const admin = abilities(fromToken(jwt({ sub: 'x', scope: 'system/*.cruds system/AuditEvent.rs operation/*' })));
  assert.deepEqual(admin, { patientPortal: false, clinical: true, audit: true });
  const pharmacist = abilities(fromToken(jwt({ sub: 'ph', scope: 'user/MedicationRequest.rs user/Patient.rs' })));
  assert.equal(pharmacist.clinical, true);
});

test('a SMART token response supplies the launch context', () => {
  const s = fromToken(jwt({ sub: 'u' }), { scope: 'launch/patient patient/*.rs', patient: '123', fhirUser: 'Patient/123' }, 'smart');
  assert.equal(s.patient, '123');
  assert.deepEqual(abilities(s).patientPortal, true);
  assert.throws(() => fromToken('not-a-jwt'), /not a JWT/);
});

test('a deployment is pinned only when complete and well-formed', () => {
  const root = parseRoot('{"rpcUrl":"http://127.0.0.1:8545","chainId":31337,"contract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"}');
  assert.equal(root.contract, '0x5fbdb2315678afecb367f032d93f642f64180aa3');
  const fromDeploymentFile = parseRoot('{"deployment":{"chainId":"31337","contractAddress":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}}', 'https://rpc.example');
  assert.equal(fromDeploymentFile.chainId, 31337);
  assert.throws(() => parseRoot('{"rpcUrl":"http://x","chainId":1,"contract":"0x12"}'), /contract address/);
  assert.throws(() => parseRoot('{"rpcUrl":"ftp://x","chainId":1,"contract":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}'), /rpcUrl/);
  assert.throws(() => parseRoot('{"rpcUrl":"http://x","chainId":0,"contract":"0x5fbdb2315678afecb367f032d93f642f64180aa3"}'), /chainId/);
});
