// RFC 9162 Merkle tree hashing, inclusion and consistency verification (docs/verification.md section 3).
import { concat, equalBytes, sha256 } from './hash.js';

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/** @param {Uint8Array} entry */
export function leafHash(entry) {
  return sha256(concat(LEAF, entry));
}

/** @param {Uint8Array} left @param {Uint8Array} right */
export function nodeHash(left, right) {
  return sha256(concat(NODE, left, right));
}

/**
 * MTH over leaf hashes (for tests and small trees).
 * @param {Uint8Array[]} leaves leaf hashes
 * @returns {Promise<Uint8Array>}
 */
export async function rootOf(leaves) {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(await rootOf(leaves.slice(0, k)), await rootOf(leaves.slice(k)));
}

/**
 * @typedef {{ok: true} | {ok: false, reason: string}} Check
 */

/**
 * RFC 9162 section 2.1.3.2. Sizes are JavaScript numbers (exact up to 2^53).
 * @param {number} leafIndex @param {number} treeSize @param {Uint8Array} leaf
 * @param {Uint8Array[]} path @param {Uint8Array} root
 * @returns {Promise<Check>}
 */
export async function verifyInclusion(leafIndex, treeSize, leaf, path, root) {
  if (leafIndex >= treeSize) return { ok: false, reason: 'leaf index >= tree size' };
  for (let i = 0; i < path.length; i++) {
    if (path[i].length !== 32) return { ok: false, reason: `path element ${i} must be 32 bytes` };
  }
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return { ok: false, reason: 'path too long' };
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return { ok: false, reason: 'path too short' };
  return equalBytes(r, root) ? { ok: true } : { ok: false, reason: 'root mismatch' };
}

/**
 * RFC 9162 section 2.1.4.2.
 * @param {number} oldSize @param {number} newSize @param {Uint8Array} oldRoot @param {Uint8Array} newRoot
 * @param {Uint8Array[]} proof
 * @returns {Promise<Check>}
 */
export async function verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof) {
  if (oldSize <= 0) return { ok: false, reason: 'the old tree size must be at least 1' };
  if (oldSize > newSize) return { ok: false, reason: 'the old tree is larger than the new one' };
  for (let i = 0; i < proof.length; i++) {
    if (proof[i].length !== 32) return { ok: false, reason: `path element ${i} must be 32 bytes` };
  }
  if (oldSize === newSize) {
    if (proof.length !== 0) return { ok: false, reason: 'equal sizes need an empty path' };
    return equalBytes(oldRoot, newRoot) ? { ok: true } : { ok: false, reason: 'roots differ for equal sizes' };
  }
  if (proof.length === 0) return { ok: false, reason: 'empty path' };
  let path = proof;
  const m = BigInt(oldSize);
  if ((m & (m - 1n)) === 0n) path = [oldRoot, ...proof];
  let fn = m - 1n;
  let sn = BigInt(newSize) - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return { ok: false, reason: 'path too long' };
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return { ok: false, reason: 'path too short' };
  if (!equalBytes(fr, oldRoot)) return { ok: false, reason: 'old root mismatch' };
  if (!equalBytes(sr, newRoot)) return { ok: false, reason: 'new root mismatch' };
  return { ok: true };
}
