// Opens research export files (docs/research-export.md section 4) with WebCrypto. The version is the file's
// first four bytes:
//   "FAB2" fhir-anchor-box/2: HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM;
//   "FAB1" fhir-anchor-box/1 (former, still read): X25519, HKDF-SHA256, AES-256-GCM.
// WebCrypto's HKDF always extracts and expands in one step; HPKE needs the two apart (RFC 9180 section 4),
// so Extract and Expand are RFC 5869 written over WebCrypto's HMAC-SHA256.
import { concat, equalBytes, sha256 } from './hash.js';

const ascii = (/** @type {string} */ s) => new TextEncoder().encode(s);
const MAGIC_V1 = ascii('FAB1');
const MAGIC_V2 = ascii('FAB2');
const INFO_V1 = ascii('fhir-anchor-box/1');
const FORMAT_V2 = 'fhir-anchor-box/2';
const KID_LENGTH = 8;
const V2_HEADER = 4 + KID_LENGTH + 32;
const TAG_LENGTH = 16;
const EMPTY = new Uint8Array(0);

/** The box/2 suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM (RFC 9180 section 7 ids). */
export const BOX_V2_SUITE = Object.freeze({ kem: 0x0020, kdf: 0x0001, aead: 0x0002, keyLength: 32 });

/** @param {Uint8Array} bytes */
function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** @param {number} n @param {number} length */
function i2osp(n, length) {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, n = Math.floor(n / 256)) out[i] = n & 0xff;
  return out;
}

/** HMAC-SHA256. An empty key is HMAC's zero-padded key, the same as 32 zero bytes (WebCrypto refuses empty keys). */
async function hmac(/** @type {Uint8Array} */ key, /** @type {Uint8Array} */ data) {
  const subtle = globalThis.crypto.subtle;
  const k = await subtle.importKey('raw', key.length ? key : new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' },
    false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

/** RFC 5869 Extract with HMAC-SHA256 (an empty salt is 32 zero bytes). */
export async function hkdfExtract(/** @type {Uint8Array} */ salt, /** @type {Uint8Array} */ ikm) {
  return hmac(salt, ikm);
}

/** RFC 5869 Expand with HMAC-SHA256 to `length` bytes (at most 255 * 32). */
export async function hkdfExpand(/** @type {Uint8Array} */ prk, /** @type {Uint8Array} */ info, /** @type {number} */ length) {
  if (length > 255 * 32) throw new Error('HKDF-SHA256 output too long');
  const out = new Uint8Array(length);
  let t = EMPTY;
  for (let i = 1, done = 0; done < length; i++) {
    t = await hmac(prk, concat(t, info, Uint8Array.of(i)));
    out.set(t.subarray(0, Math.min(t.length, length - done)), done);
    done += t.length;
  }
  return out;
}

/** RFC 9180 section 4: LabeledExtract(salt, label, ikm) under `suiteId`. */
async function labeledExtract(/** @type {Uint8Array} */ suiteId, /** @type {Uint8Array} */ salt, /** @type {string} */ label,
  /** @type {Uint8Array} */ ikm) {
  return hkdfExtract(salt, concat(ascii('HPKE-v1'), suiteId, ascii(label), ikm));
}

/** RFC 9180 section 4: LabeledExpand(prk, label, info, L) under `suiteId`. */
async function labeledExpand(/** @type {Uint8Array} */ suiteId, /** @type {Uint8Array} */ prk, /** @type {string} */ label,
  /** @type {Uint8Array} */ info, /** @type {number} */ length) {
  return hkdfExpand(prk, concat(i2osp(length, 2), ascii('HPKE-v1'), suiteId, ascii(label), info), length);
}

/** X25519(private, peer); refuses an all-zero result (small-order peer key). */
async function x25519(/** @type {Uint8Array} */ privateKey, /** @type {Uint8Array} */ publicKey, /** @type {Uint8Array} */ peerKey) {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: b64url(privateKey), x: b64url(publicKey) },
    { name: 'X25519' }, false, ['deriveBits']);
  const peer = await subtle.importKey('raw', peerKey, { name: 'X25519' }, false, []);
  const shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, key, 256));
  if (shared.every((b) => b === 0)) throw new Error('all-zero shared secret');
  return shared;
}

/**
 * RFC 9180 SetupBaseR for DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256: Decap (section 4.1) and KeySchedule
 * (section 5.1, mode_base, no PSK). `suite.aead` and `suite.keyLength` pick the AEAD (1 / 16: AES-128-GCM,
 * 2 / 32: AES-256-GCM).
 * @param {{kem: number, kdf: number, aead: number, keyLength: number}} suite
 * @param {Uint8Array} enc @param {Uint8Array} skR @param {Uint8Array} pkR @param {Uint8Array} info
 */
export async function hpkeSetupBaseR(suite, enc, skR, pkR, info) {
  if (suite.kem !== 0x0020 || suite.kdf !== 0x0001) throw new Error('only DHKEM(X25519, HKDF-SHA256) with HKDF-SHA256');
  const kemSuite = concat(ascii('KEM'), i2osp(suite.kem, 2));
  const dh = await x25519(skR, pkR, enc);
  const eaePrk = await labeledExtract(kemSuite, EMPTY, 'eae_prk', dh);
  const sharedSecret = await labeledExpand(kemSuite, eaePrk, 'shared_secret', concat(enc, pkR), 32);
  const suiteId = concat(ascii('HPKE'), i2osp(suite.kem, 2), i2osp(suite.kdf, 2), i2osp(suite.aead, 2));
  const pskIdHash = await labeledExtract(suiteId, EMPTY, 'psk_id_hash', EMPTY);
  const infoHash = await labeledExtract(suiteId, EMPTY, 'info_hash', info);
  const context = concat(Uint8Array.of(0), pskIdHash, infoHash);
  const secret = await labeledExtract(suiteId, sharedSecret, 'secret', EMPTY);
  return {
    sharedSecret,
    key: await labeledExpand(suiteId, secret, 'key', context, suite.keyLength),
    baseNonce: await labeledExpand(suiteId, secret, 'base_nonce', context, 12),
    exporterSecret: await labeledExpand(suiteId, secret, 'exp', context, 32),
  };
}

/**
 * The AEAD open of an HPKE context at sequence number `seq` (RFC 9180 section 5.2): nonce = base_nonce XOR seq.
 * @param {{key: Uint8Array, baseNonce: Uint8Array}} context
 */
export async function hpkeOpen(context, /** @type {Uint8Array} */ aad, /** @type {Uint8Array} */ ciphertext, seq = 0) {
  const subtle = globalThis.crypto.subtle;
  const nonce = context.baseNonce.slice();
  const seqBytes = i2osp(seq, 12);
  for (let i = 0; i < 12; i++) nonce[i] ^= seqBytes[i];
  const key = await subtle.importKey('raw', context.key, 'AES-GCM', false, ['decrypt']);
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 },
    key, ciphertext));
}

/** box/2 key id: the first 8 bytes of SHA-256 of the 32-byte public key. @param {Uint8Array} publicKey */
export async function boxKeyId(publicKey) {
  return (await sha256(publicKey)).slice(0, KID_LENGTH);
}

/** box/2 HPKE info: "fhir-anchor-box/2" || 0x00 || the recipient's public key. @param {Uint8Array} publicKey */
export function boxInfo(publicKey) {
  return concat(ascii(FORMAT_V2), Uint8Array.of(0), publicKey);
}

async function openV2(/** @type {Uint8Array} */ box, /** @type {Uint8Array} */ privateKey, /** @type {Uint8Array} */ publicKey) {
  if (box.length < V2_HEADER + TAG_LENGTH) throw new Error(`not a ${FORMAT_V2} file: too short`);
  const header = box.slice(0, V2_HEADER);
  if (!equalBytes(header.subarray(4, 4 + KID_LENGTH), await boxKeyId(publicKey))) {
    throw new Error(`${FORMAT_V2}: the file is sealed to another key (its key id differs from this key's)`);
  }
  const enc = header.slice(4 + KID_LENGTH);
  const context = await hpkeSetupBaseR(BOX_V2_SUITE, enc, privateKey, publicKey, boxInfo(publicKey));
  return hpkeOpen(context, header, box.subarray(V2_HEADER));
}

async function openV1(/** @type {Uint8Array} */ box, /** @type {Uint8Array} */ privateKey, /** @type {Uint8Array} */ publicKey) {
  const subtle = globalThis.crypto.subtle;
  if (box.length < 64) throw new Error('not a fhir-anchor-box/1 file: too short');
  const epk = box.slice(4, 36);
  epk[31] &= 0x7f;
  const nonce = box.subarray(36, 48);
  const shared = await x25519(privateKey, publicKey, epk);
  const ikm = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const aes = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: concat(box.subarray(4, 36), publicKey), info: INFO_V1 },
    ikm, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  const plain = await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: box.subarray(0, 36), tagLength: 128 },
    aes, box.subarray(48));
  return new Uint8Array(plain);
}

/**
 * @param {Uint8Array} box the sealed file (fhir-anchor-box/2, or the former fhir-anchor-box/1)
 * @param {Uint8Array} privateKey the recipient's 32-byte X25519 scalar
 * @param {Uint8Array} publicKey the recipient's 32-byte public key
 * @returns {Promise<Uint8Array>} the plaintext; rejects when the file was changed or is not for this key
 */
export async function openBox(box, privateKey, publicKey) {
  const magic = box.subarray(0, 4);
  if (equalBytes(magic, MAGIC_V2)) return openV2(box, privateKey, publicKey);
  if (equalBytes(magic, MAGIC_V1)) return openV1(box, privateKey, publicKey);
  throw new Error('not a fhir-anchor-box/2 (or /1) file: it starts with neither "FAB2" nor "FAB1"');
}
