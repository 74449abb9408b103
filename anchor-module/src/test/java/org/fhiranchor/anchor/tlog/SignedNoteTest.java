package org.fhiranchor.anchor.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Notes, checkpoints and cosignatures, checked against output of Go's golang.org/x/mod/sumdb/note. */
class SignedNoteTest {

    /** RFC 8032 section 7.1, test 1. */
    static final byte[] SEED =
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    static final String NAME = "fhir-anchor.example/log";
    /** Produced by Go's note.Sign with the same seed and name (x/mod 0.7.0). */
    static final String GO_SIGNED = NAME + "\n7\nq2LjUwK9nvrIWs7Q7mzYS6bJgz5d7Ok3u5iPvCAJYMk=\n\n"
            + "\u2014 fhir-anchor.example/log CrDk36n1RHY3oXX8GLQeTWl3GrtmVDUI7BBYp2wniM+NEg4xmzDujsDGsqfxkDGuED6hSQPCL0IKmCF6s4J3X1GUGQg=\n";

    static final String GO_VERIFIER_KEY =
            "fhir-anchor.example/log+0ab0e4df+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea";

    private final NoteSigner signer = NoteSigner.fromSeed(NAME, SEED);

    @Test
    void keyAndSignatureMatchGoByteForByte() throws Exception {
        assertThat(HexFormat.of().formatHex(signer.publicKey()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        assertThat(signer.verifierKey()).isEqualTo(GO_VERIFIER_KEY);
        TlogCheckpoint checkpoint = TlogCheckpoint.parse(NAME + "\n7\nq2LjUwK9nvrIWs7Q7mzYS6bJgz5d7Ok3u5iPvCAJYMk=\n");
        assertThat(signer.sign(checkpoint.text())).isEqualTo(GO_SIGNED);
    }

    @Test
    void goSignedNoteVerifiesWithTheParsedVerifierKey() throws Exception {
        NoteVerifier key = NoteVerifier.parse(GO_VERIFIER_KEY);
        SignedNote note = SignedNote.parse(GO_SIGNED.getBytes(StandardCharsets.UTF_8));
        assertThat(note.verifiedBy(List.of(key))).containsExactly(key);
        assertThat(note.encoded()).isEqualTo(GO_SIGNED);
        TlogCheckpoint checkpoint = TlogCheckpoint.parse(note.text());
        assertThat(checkpoint.treeSize()).isEqualTo(7);
        assertThat(checkpoint.origin()).isEqualTo(NAME);
    }

    @Test
    void alteredTextOrSignatureFails_unknownKeysAreIgnored() throws Exception {
        NoteVerifier key = NoteVerifier.parse(GO_VERIFIER_KEY);
        SignedNote altered = SignedNote.parse(GO_SIGNED.replace("\n7\n", "\n8\n"));
        assertThatThrownBy(() -> altered.verifiedBy(List.of(key)))
                .isInstanceOf(SignedNote.InvalidSignatureException.class);

        NoteSigner other = NoteSigner.fromSeed("other.example/log", NoteSigner.generateSeed());
        SignedNote note = SignedNote.parse(GO_SIGNED);
        assertThat(note.verifiedBy(List.of(other.verifier()))).isEmpty();
        // Same name, other key: a different key ID, so the line is not this key's.
        NoteSigner impostor = NoteSigner.fromSeed(NAME, NoteSigner.generateSeed());
        assertThat(note.verifiedBy(List.of(impostor.verifier()))).isEmpty();
    }

    @Test
    void malformedNotesAndKeysAreRejected() {
        for (String bad : List.of(
                "",
                "text\n",
                "text\n\n",
                "text\n\n\u2014 name\n",
                "text\n\n- name AAAAAAAA\n",
                "text\n\n\u2014 name AAAA\n",
                "text\r\n\n\u2014 name AAAAAAAA\n",
                "text\n\n\u2014 name AAAAAAAA",
                "text\n\n\u2014 na+me AAAAAAAA\n",
                "text\n\n\u2014 name !!!!\n")) {
            assertThatThrownBy(() -> SignedNote.parse(bad)).as(bad).isInstanceOf(NoteFormatException.class);
        }
        assertThatThrownBy(() -> SignedNote.parse(new byte[] {'a', (byte) 0xC0, (byte) 0xAF, '\n', '\n'}))
                .isInstanceOf(NoteFormatException.class);
        for (String bad : List.of(
                "name+0ab0e4df",
                GO_VERIFIER_KEY.replace("0ab0e4df", "0ab0e4de"),
                GO_VERIFIER_KEY.replace("+Add", "+Ad"),
                "na me+0ab0e4df+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea")) {
            assertThatThrownBy(() -> NoteVerifier.parse(bad)).as(bad).isInstanceOf(NoteFormatException.class);
        }
    }

    @Test
    void checkpointParsingIsStrict() {
        for (String bad : List.of(
                "o\n07\nq2LjUwK9nvrIWs7Q7mzYS6bJgz5d7Ok3u5iPvCAJYMk=\n",
                "o\n7\nq2Lj\n",
                "o\n-1\nq2LjUwK9nvrIWs7Q7mzYS6bJgz5d7Ok3u5iPvCAJYMk=\n",
                "o\n7\n",
                "\n7\nq2LjUwK9nvrIWs7Q7mzYS6bJgz5d7Ok3u5iPvCAJYMk=\n",
                "o\n7\nq2LjUwK9nvrIWs7Q7mzYS6bJgz5d7Ok3u5iPvCAJYMk=")) {
            assertThatThrownBy(() -> TlogCheckpoint.parse(bad)).as(bad).isInstanceOf(NoteFormatException.class);
        }
    }

    @Test
    void cosignatureVerifiesAgainstItsWitnessKey_andBindsTheTimestamp() throws Exception {
        NoteSigner witness = NoteSigner.fromSeed("witness.example/w1", NoteSigner.generateSeed());
        SignedNote note = SignedNote.parse(GO_SIGNED);
        SignedNote cosigned = note.withSignature(Cosignature.sign(witness, 1_700_000_000L, note.text()));
        NoteVerifier witnessKey = NoteVerifier.parse(Cosignature.verifierKey(witness));
        assertThat(witnessKey.isCosignatureKey()).isTrue();
        SignedNote reparsed = SignedNote.parse(cosigned.encoded());
        assertThat(reparsed.verifiedBy(List.of(witnessKey, NoteVerifier.parse(GO_VERIFIER_KEY))))
                .hasSize(2);
        assertThat(Cosignature.timestamp(reparsed.signatures().get(1))).isEqualTo(1_700_000_000L);
        // The witness key as a plain note key (algorithm 0x01) has another key ID: it does not match the line.
        assertThat(reparsed.verifiedBy(List.of(witness.verifier()))).isEmpty();

        byte[] sig = reparsed.signatures().get(1).signature();
        sig[7] ^= 1; // another timestamp
        SignedNote forged = note.withSignature(new SignedNote.Line(witness.name(), witnessKey.keyId(), sig));
        assertThatThrownBy(() -> forged.verifiedBy(List.of(witnessKey)))
                .isInstanceOf(SignedNote.InvalidSignatureException.class);
    }
}
