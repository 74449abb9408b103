package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fhiranchor.anchor.log.Operation;
import org.fhiranchor.anchor.log.ResourceRef;
import org.junit.jupiter.api.Test;

/**
 * Seeded random tampering: untouched proofs must all verify, and no single tampering may. Tree sizes
 * are all anchored in the fixture, so a changed tree size still finds a (different) checkpoint and the
 * proof must fail on its own merits.
 */
class ProofFuzzTest {

    private static final int LOG_SIZE = 41;
    private static final int ITERATIONS = 6000;

    private enum Mutation {
        FLIP_PATH_BIT,
        DROP_PATH_ELEMENT,
        ADD_PATH_ELEMENT,
        DUPLICATE_PATH_ELEMENT,
        SWAP_PATH_ELEMENTS,
        LEAF_INDEX,
        TREE_SIZE,
        FLIP_ROOT_BIT,
        OTHER_ANCHORED_ROOT,
        TREE_SIZE_AND_ITS_ROOT,
        FLIP_SALT_BIT,
        CHANGE_CONTENT,
        FLIP_CONTENT_HASH_BIT,
        FLIP_LEAF_HASH_BIT,
        OPERATION,
        RESOURCE_REF,
        OTHER_BODY,
        CHAIN_HOLDS_ANOTHER_ROOT,
        CHAIN_HAS_NO_CHECKPOINT
    }

    private final LogFixture log = new LogFixture(LOG_SIZE);

    @Test
    void noTamperedProofVerifies() {
        Random random = new Random(20261121L);
        Map<Mutation, Integer> applied = new EnumMap<>(Mutation.class);
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            int leafIndex = random.nextInt(LOG_SIZE);
            long treeSize = leafIndex + 1 + random.nextInt(LOG_SIZE - leafIndex);
            AnchorProof proof = log.proof(leafIndex, treeSize);
            byte[] body = log.bodies.get(leafIndex);
            VerificationResult untouched = ProofVerifier.verify(body, proof, log.chain);
            assertTrue(untouched.verified(), "untouched " + leafIndex + "/" + treeSize + ": " + untouched.detail());

            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            Tampered tampered = tamper(mutation, proof, body, random);
            if (tampered == null) {
                continue; // not applicable to this proof, e.g. swapping in a one-element path
            }
            applied.merge(mutation, 1, Integer::sum);
            VerificationResult result = ProofVerifier.verify(tampered.body, tampered.proof, tampered.chain);
            assertFalse(result.verified(), mutation + " of " + leafIndex + "/" + treeSize + " still verified");
        }
        assertEquals(Mutation.values().length, applied.size(), "every mutation was exercised: " + applied);
    }

    @Test
    void noFlippedByteOfTheProofJsonVerifies() {
        Random random = new Random(42L);
        for (int iteration = 0; iteration < 3000; iteration++) {
            int leafIndex = random.nextInt(LOG_SIZE);
            long treeSize = leafIndex + 1 + random.nextInt(LOG_SIZE - leafIndex);
            byte[] json = ProofJson.write(log.proof(leafIndex, treeSize));
            // The anchor object only says where to look; the verifier's own CheckpointSource decides, so
            // tampering is tested on everything after it (canonical order puts "anchor" first).
            int start = new String(json, StandardCharsets.UTF_8).indexOf(",\"auditPath\"");
            int position = start + random.nextInt(json.length - start);
            json[position] ^= (byte) (1 << random.nextInt(8));
            VerificationResult result = ProofVerifier.verify(log.bodies.get(leafIndex), json, log.chain);
            assertFalse(
                    result.verified(), "flipped byte " + position + ": " + new String(json, StandardCharsets.UTF_8));
        }
    }

    private record Tampered(AnchorProof proof, byte[] body, CheckpointSource chain) {}

    private Tampered tamper(Mutation mutation, AnchorProof p, byte[] body, Random random) {
        List<byte[]> path = p.auditPath();
        byte[] salt = p.leaf().salt();
        byte[] contentHash = p.leaf().contentHash();
        byte[] leafHash = p.leaf().leafHash();
        byte[] root = p.rootHash();
        long leafIndex = p.leafIndex();
        long treeSize = p.treeSize();
        Operation operation = p.leaf().operation();
        ResourceRef ref = p.leaf().resource();
        CheckpointSource chain = log.chain;
        switch (mutation) {
            case FLIP_PATH_BIT -> {
                if (path.isEmpty()) {
                    return null;
                }
                flipBit(path.get(random.nextInt(path.size())), random);
            }
            case DROP_PATH_ELEMENT -> {
                if (path.isEmpty()) {
                    return null;
                }
                path.remove(random.nextInt(path.size()));
            }
            case ADD_PATH_ELEMENT -> {
                byte[] extra = new byte[32];
                random.nextBytes(extra);
                path.add(random.nextInt(path.size() + 1), extra);
            }
            case DUPLICATE_PATH_ELEMENT -> {
                if (path.isEmpty()) {
                    return null;
                }
                path.add(
                        random.nextInt(path.size() + 1),
                        path.get(random.nextInt(path.size())).clone());
            }
            case SWAP_PATH_ELEMENTS -> {
                if (path.size() < 2) {
                    return null;
                }
                int a = random.nextInt(path.size());
                int b = (a + 1 + random.nextInt(path.size() - 1)) % path.size();
                if (Arrays.equals(path.get(a), path.get(b))) {
                    return null;
                }
                byte[] tmp = path.get(a);
                path.set(a, path.get(b));
                path.set(b, tmp);
            }
            case LEAF_INDEX -> leafIndex = otherThan(leafIndex, LOG_SIZE + 3, random);
            case TREE_SIZE -> treeSize = 1 + otherThan(treeSize - 1, LOG_SIZE + 3, random);
            case FLIP_ROOT_BIT -> flipBit(root, random);
            case OTHER_ANCHORED_ROOT -> root = log.anchoredRoots.get(1 + otherThan(treeSize - 1, LOG_SIZE, random));
            case TREE_SIZE_AND_ITS_ROOT -> {
                treeSize = 1 + otherThan(treeSize - 1, LOG_SIZE, random);
                root = log.anchoredRoots.get(treeSize);
            }
            case FLIP_SALT_BIT -> flipBit(salt, random);
            case CHANGE_CONTENT -> {
                if (body == null) {
                    body = LogFixture.patientJson(ref, 7); // a body where a delete has none
                } else {
                    String text = new String(body, StandardCharsets.UTF_8);
                    body = (random.nextBoolean()
                                    ? text.replace("7.20", "7.2")
                                    : text.replace("\"Zo\u00eb\"", "\"Zoe\""))
                            .getBytes(StandardCharsets.UTF_8);
                }
            }
            case FLIP_CONTENT_HASH_BIT -> flipBit(contentHash, random);
            case FLIP_LEAF_HASH_BIT -> flipBit(leafHash, random);
            case OPERATION -> operation = Operation.values()[(operation.ordinal() + 1 + random.nextInt(2)) % 3];
            case RESOURCE_REF ->
                ref = random.nextBoolean()
                        ? new ResourceRef(ref.type(), ref.id() + "x", ref.versionId())
                        : new ResourceRef(ref.type(), ref.id(), Long.toString(Long.parseLong(ref.versionId()) + 1));
            case OTHER_BODY -> {
                int other = random.nextInt(LOG_SIZE);
                if (Arrays.equals(log.entries.get(other).contentHash(), p.leaf().contentHash())) {
                    return null;
                }
                body = log.bodies.get(other);
            }
            case CHAIN_HOLDS_ANOTHER_ROOT -> {
                // The proof is self-consistent; only the chain disagrees (a forked or rewritten log).
                byte[] other = p.rootHash();
                flipBit(other, random);
                chain = size -> java.util.Optional.of(other);
            }
            case CHAIN_HAS_NO_CHECKPOINT -> chain = size -> java.util.Optional.empty();
            default -> throw new AssertionError(mutation);
        }
        return new Tampered(
                new AnchorProof(
                        new LeafClaims(ref, operation, contentHash, salt, leafHash),
                        leafIndex,
                        treeSize,
                        root,
                        path,
                        p.anchor()),
                body,
                chain);
    }

    private static void flipBit(byte[] bytes, Random random) {
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    }

    /** A random value in [0, bound) other than {@code value}. */
    private static long otherThan(long value, int bound, Random random) {
        long other;
        do {
            other = random.nextInt(bound);
        } while (other == value);
        return other;
    }
}
