package org.fhiranchor.anchor.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonParser;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.proof.VerificationResult.Status;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.junit.jupiter.api.Test;

/** The tlog-proof of docs/test-vectors/tlog.json, verified from the file, and every way it must fail. */
class TlogProofVerifierTest {

    private static final Path VECTORS = Path.of("..", "docs", "test-vectors", "tlog.json");

    private final JsonObject vectors = read();
    private final byte[] proof =
            vectors.getObject("tlogProof").getString("text").getBytes(StandardCharsets.UTF_8);
    private final NoteVerifier logKey = parseKey(vectors.getObject("logKey").getString("verifierKey"));
    /** Leaf 3 of tree.json: Consent/id-0/_history/2, whose body the vectors define. */
    private final byte[] resource = "{\"resourceType\":\"Consent\",\"id\":\"id-0\",\"meta\":{\"versionId\":\"2\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private final byte[] root = root();
    private final CheckpointSource chain = size -> size == 7 ? Optional.of(root) : Optional.empty();

    @Test
    void verifiesWithTheLogKeyAndTheAnchoredRoot() {
        assertThat(TlogProofVerifier.isTlogProof(proof)).isTrue();
        VerificationResult result = TlogProofVerifier.verify(resource, proof, logKey, chain);
        assertThat(result.verified()).as(result.detail()).isTrue();
        assertThat(result.detail()).contains("Consent/id-0/_history/2", "leaf 3", "size 7");
    }

    @Test
    void everyAlterationFailsWithItsReason() {
        NoteVerifier otherKey =
                NoteSigner.fromSeed(logKey.name(), NoteSigner.generateSeed()).verifier();
        assertThat(TlogProofVerifier.verify(resource, proof, otherKey, chain).status())
                .isEqualTo(Status.CHECKPOINT_SIGNATURE_INVALID);
        NoteVerifier otherOrigin = NoteSigner.fromSeed("other.example/log", NoteSigner.generateSeed())
                .verifier();
        assertThat(TlogProofVerifier.verify(resource, proof, otherOrigin, chain).status())
                .isEqualTo(Status.CHECKPOINT_SIGNATURE_INVALID);

        String text = new String(proof, StandardCharsets.UTF_8);
        String sizeChanged = text.replace("\nfhir-anchor.example/log\n7\n", "\nfhir-anchor.example/log\n8\n");
        assertThat(sizeChanged).isNotEqualTo(text);
        assertThat(verify(resource, sizeChanged).status()).isEqualTo(Status.CHECKPOINT_SIGNATURE_INVALID);

        byte[] altered = new String(resource, StandardCharsets.UTF_8)
                .replace("\"2\"", "\"3\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(verify(altered, text).status()).isEqualTo(Status.CONTENT_HASH_MISMATCH);
        assertThat(verify(resource, text.replace("index 3", "index 2")).status())
                .isEqualTo(Status.INCLUSION_FAILED);
        assertThat(TlogProofVerifier.verify(resource, proof, logKey, size -> Optional.empty())
                        .status())
                .isEqualTo(Status.NOT_ANCHORED);
        assertThat(TlogProofVerifier.verify(resource, proof, logKey, size -> Optional.of(new byte[32]))
                        .status())
                .isEqualTo(Status.ANCHORED_ROOT_MISMATCH);
        assertThat(TlogProofVerifier.verify(resource, proof, logKey, size -> {
                            throw new IllegalStateException("chain down");
                        })
                        .status())
                .isEqualTo(Status.CHECKPOINT_UNAVAILABLE);

        // The extra line is not trusted: another leaf entry (same reference, other salt) no longer proves inclusion.
        String extra =
                text.lines().filter(l -> l.startsWith("extra ")).findFirst().orElseThrow();
        LeafEntry entry = LeafEntry.decode(java.util.Base64.getDecoder().decode(extra.substring(6)));
        LeafEntry resalted = new LeafEntry(entry.operation(), entry.ref(), entry.contentHash(), new byte[32]);
        String forged =
                text.replace(extra, "extra " + java.util.Base64.getEncoder().encodeToString(resalted.encode()));
        assertThat(verify(resource, forged).status()).isEqualTo(Status.INCLUSION_FAILED);

        for (String bad : new String[] {
            "",
            "c2sp.org/tlog-proof@v1\n",
            text.replace("extra ", "extrA "),
            text.replaceFirst("extra [^\n]+\n", "extra AAAA\n"),
            text.substring(0, text.length() - 10)
        }) {
            assertThat(verify(resource, bad).status()).as(bad).isEqualTo(Status.MALFORMED_PROOF);
        }
    }

    private VerificationResult verify(byte[] resourceBytes, String proofText) {
        return TlogProofVerifier.verify(resourceBytes, proofText.getBytes(StandardCharsets.UTF_8), logKey, chain);
    }

    private static byte[] root() {
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        TestVectors.treeEntries().forEach(e -> tree.append(e.leafHash()));
        return MerkleTree.root(7, tree);
    }

    private static JsonObject read() {
        try {
            return JsonParser.parseObject(Files.readAllBytes(VECTORS));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static NoteVerifier parseKey(String key) {
        try {
            return NoteVerifier.parse(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
