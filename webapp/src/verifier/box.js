// Opens a fhir-anchor-box/1 research export file (docs/research-export.md section 4) with WebCrypto:
// X25519, HKDF-SHA256, AES-256-GCM.
import { concat, equalBytes } from './hash.js';

const MAGIC = new TextEncoder().encode('FAB1');
const INFO = new TextEncoder().encode('fhir-anchor-box/1');

/** @param {Uint8Array} bytes */
function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * @param {Uint8Array} box the sealed file
 * @param {Uint8Array} privateKey the recipient's 32-byte X25519 scalar
 * @param {Uint8Array} publicKey the recipient's 32-byte public key
 * @returns {Promise<Uint8Array>} the plaintext; rejects when the file was changed or is not for this key
 */
export async function openBox(box, privateKey, publicKey) {
  const subtle = globalThis.crypto.subtle;
  if (box.length < 64 || !equalBytes(box.subarray(0, 4), MAGIC)) throw new Error('not a fhir-anchor-box/1 file');
  const epk = box.slice(4, 36);
  epk[31] &= 0x7f;
  const nonce = box.subarray(36, 48);
  const key = await subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: b64url(privateKey), x: b64url(publicKey) },
    { name: 'X25519' }, false, ['deriveBits']);
  const peer = await subtle.importKey('raw', epk, { name: 'X25519' }, false, []);
  const shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, key, 256));
  if (shared.every((b) => b === 0)) throw new Error('all-zero shared secret');
  const ikm = await subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const aes = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: concat(box.subarray(4, 36), publicKey), info: INFO },
    ikm, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  const plain = await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: box.subarray(0, 36), tagLength: 128 },
    aes, box.subarray(48));
  return new Uint8Array(plain);
}
