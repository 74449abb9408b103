// FHIR Anchor verifier for browsers and Node: canonical JSON v1, RFC 9162 proofs, checkpoints read
// from the anchoring contract over JSON-RPC. No dependencies beyond WebCrypto and fetch.
export { JsonNumber, JsonFormatError, parseJson, canonicalText, canonicalize } from './canonical.js';
export { sha256, toHex, fromHex, fromBase64, equalBytes } from './hash.js';
export { leafHash, nodeHash, rootOf, verifyInclusion, verifyConsistency } from './merkle.js';
export { Status, readProof, proofFromTree, leafEntry, contentHashOf, verifyProof, ProofFormatError } from './proof.js';
export { contractReader, fixedCheckpoints, latestConsentDecision, ChainError } from './chain.js';
export { proofBytesOf, consistencyOf, checkpointsOf, param, params, valueOf } from './fhir.js';
export { openBox } from './box.js';
export { readMultiProof, verifyMultiProof, verifyMultiInclusion } from './multiproof.js';
export {
  BATCHED_FORMAT, readBatchedProof, batchStatementOf, verifyBatchedProof, proofFormatOf, verifyVersionProof,
} from './batched.js';
