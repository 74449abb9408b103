// Research export files (docs/research-export.md section 4): the browser's HPKE (RFC 9180) against the RFC's
// known answers, and box/2 files written by the Java code (docs/test-vectors/research-box-v2.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex, toHex } from '../src/verifier/hash.js';
import { openBox, hpkeSetupBaseR, hpkeOpen, boxInfo, boxKeyId, BOX_V2_SUITE } from '../src/verifier/box.js';

const dir = fileURLToPath(new URL('../../docs/test-vectors/', import.meta.url));
const load = (/** @type {string} */ name) => JSON.parse(readFileSync(dir + name, 'utf8'));

// RFC 9180 appendix A.1.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
const A1 = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  enc: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  sharedSecret: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
  key: '4531685d41d65f03dc48f6b8302c05b0',
  baseNonce: '56d890e5accaaf011cff4b7d',
  exporterSecret: '45ff1c2e220db587171952c0592d5f5ebe103f1561a2614e38f2ffd47e99e3f8',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
  aad0: '436f756e742d30',
  ct0: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
  aad1: '436f756e742d31',
  ct1: 'af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84',
};
const A1_SUITE = { kem: 0x0020, kdf: 0x0001, aead: 0x0001, keyLength: 16 };

test('RFC 9180 A.1: the key schedule gives the RFC shared secret, key, base_nonce and exporter secret', async () => {
  const c = await hpkeSetupBaseR(A1_SUITE, fromHex(A1.enc), fromHex(A1.skRm), fromHex(A1.pkRm), fromHex(A1.info));
  assert.equal(toHex(c.sharedSecret), A1.sharedSecret);
  assert.equal(toHex(c.key), A1.key);
  assert.equal(toHex(c.baseNonce), A1.baseNonce);
  assert.equal(toHex(c.exporterSecret), A1.exporterSecret);
  assert.equal(toHex(await hpkeOpen(c, fromHex(A1.aad0), fromHex(A1.ct0), 0)), A1.pt);
  assert.equal(toHex(await hpkeOpen(c, fromHex(A1.aad1), fromHex(A1.ct1), 1)), A1.pt);
  await assert.rejects(hpkeOpen(c, fromHex(A1.aad0), fromHex(A1.ct1), 0));
  // The suite id enters the key schedule: the same inputs under AES-256-GCM give another key.
  const other = await hpkeSetupBaseR(BOX_V2_SUITE, fromHex(A1.enc), fromHex(A1.skRm), fromHex(A1.pkRm), fromHex(A1.info));
  assert.equal(toHex(other.sharedSecret), A1.sharedSecret);
  assert.notEqual(toHex(other.key.subarray(0, 16)), A1.key);
});

test('box/2: the Java vector\'s key id, info, key schedule and plaintext', async () => {
  const v = load('research-box-v2.json');
  const pk = fromHex(v.recipientPublicKeyHex);
  assert.equal(toHex(await boxKeyId(pk)), v.kidHex);
  assert.equal(toHex(boxInfo(pk)), v.infoHex);
  const c = await hpkeSetupBaseR(BOX_V2_SUITE, fromHex(v.encHex), fromHex(v.recipientPrivateKeyHex), pk, boxInfo(pk));
  assert.equal(toHex(c.sharedSecret), v.sharedSecretHex);
  assert.equal(toHex(c.key), v.keyHex);
  assert.equal(toHex(c.baseNonce), v.baseNonceHex);
  assert.equal(toHex(c.exporterSecret), v.exporterSecretHex);
  const plain = await openBox(fromHex(v.boxHex), fromHex(v.recipientPrivateKeyHex), pk);
  assert.equal(new TextDecoder().decode(plain), v.plaintext);
});

test('box/2: any changed bit, a cut or an added byte fails', async () => {
  const v = load('research-box-v2.json');
  const box = fromHex(v.boxHex);
  const sk = fromHex(v.recipientPrivateKeyHex);
  const pk = fromHex(v.recipientPublicKeyHex);
  for (let i = 0; i < box.length; i++) {
    for (const bit of [0x01, 0x80]) {
      const changed = box.slice();
      changed[i] ^= bit;
      await assert.rejects(openBox(changed, sk, pk), undefined, `byte ${i} bit ${bit}`);
    }
  }
  await assert.rejects(openBox(box.slice(0, box.length - 1), sk, pk));
  await assert.rejects(openBox(Uint8Array.of(...box, 0), sk, pk));
  await assert.rejects(openBox(box.slice(0, 59), sk, pk));
});

test('box/2: another key cannot open, even with the key id relabelled', async () => {
  const v = load('research-box-v2.json');
  const box = fromHex(v.boxHex);
  // RFC 7748 Alice as the wrong recipient.
  const sk = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const pk = fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  await assert.rejects(openBox(box, sk, pk), /sealed to another key/);
  const relabelled = box.slice();
  relabelled.set(await boxKeyId(pk), 4);
  await assert.rejects(openBox(relabelled, sk, pk), (/** @type {Error} */ e) => e.name === 'OperationError');
});

test('box/1 files still open', async () => {
  const v = load('research-box.json');
  const plain = await openBox(fromHex(v.boxHex), fromHex(v.recipientPrivateKeyHex), fromHex(v.recipientPublicKeyHex));
  assert.equal(new TextDecoder().decode(plain), v.plaintext);
  await assert.rejects(openBox(new TextEncoder().encode('FAB3' + 'x'.repeat(80)), fromHex(v.recipientPrivateKeyHex),
    fromHex(v.recipientPublicKeyHex)), /neither "FAB2" nor "FAB1"/);
});
