package org.fhiranchor.anchor.proof;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fhiranchor.anchor.canonical.JsonObject;
import org.fhiranchor.anchor.canonical.JsonString;
import org.fhiranchor.anchor.canonical.JsonValue;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.LeafEntry;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.tlog.Cosignature;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TilePath;
import org.fhiranchor.anchor.tlog.Tiles;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.anchor.tlog.TlogProof;

/** docs/test-vectors/tlog.json: the C2SP view (docs/verification.md section 7) of the 7-leaf tree of tree.json. */
final class TlogVectors {

    /** RFC 8032 section 7.1 test 1 and test 2 secret keys: published test keys, never to be used for a real log. */
    static final byte[] LOG_SEED =
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    static final byte[] WITNESS_SEED =
            HexFormat.of().parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    static final String ORIGIN = "fhir-anchor.example/log";
    static final String WITNESS = "witness.example/w1";
    static final long COSIGNED_AT = 1_796_000_000L;

    private TlogVectors() {}

    static JsonObject generate() {
        List<LeafEntry> entries = TestVectors.treeEntries();
        InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
        List<byte[]> entryBytes = new ArrayList<>();
        for (LeafEntry entry : entries) {
            tree.append(entry.leafHash());
            entryBytes.add(entry.encode());
        }
        long size = entries.size();
        NoteSigner log = NoteSigner.fromSeed(ORIGIN, LOG_SEED);
        NoteSigner witness = NoteSigner.fromSeed(WITNESS, WITNESS_SEED);
        TlogCheckpoint checkpoint = new TlogCheckpoint(ORIGIN, size, MerkleTree.root(size, tree));
        String signed = log.sign(checkpoint.text());
        SignedNote note = parse(signed);
        SignedNote cosigned = note.withSignature(Cosignature.sign(witness, COSIGNED_AT, note.text()));
        TilePath hashTile = new TilePath(0, 0, Tiles.widthAt(0, 0, size));
        TilePath entryTile = new TilePath(TilePath.ENTRIES, 0, Tiles.widthAt(0, 0, size));
        long index = 3;
        TlogProof proof = new TlogProof(
                entries.get((int) index).encode(), index, MerkleTree.inclusionPath(index, size, tree), note);

        Map<String, JsonValue> tiles = new LinkedHashMap<>();
        tiles.put(hashTile.path(), new JsonString(HexFormat.of().formatHex(Tiles.hashTile(hashTile, tree))));
        tiles.put(entryTile.path(), new JsonString(HexFormat.of().formatHex(Tiles.entryBundle(entryBytes))));
        return obj(
                "description",
                "The C2SP formats (docs/verification.md section 7) for the 7-leaf tree of tree.json."
                        + " The keys are the RFC 8032 section 7.1 test 1 (log) and test 2 (witness) keys: public test"
                        + " keys, never to be used for a real log. Ed25519 is deterministic, so every signature is exact.",
                "logKey",
                obj(
                        "name",
                        ORIGIN,
                        "seed",
                        HexFormat.of().formatHex(LOG_SEED),
                        "publicKey",
                        HexFormat.of().formatHex(log.publicKey()),
                        "keyId",
                        String.format("%08x", log.keyId()),
                        "verifierKey",
                        log.verifierKey()),
                "checkpoint",
                obj("text", checkpoint.text(), "signedNote", signed),
                "tiles",
                new JsonObject(tiles),
                "witnessKey",
                obj(
                        "name",
                        WITNESS,
                        "seed",
                        HexFormat.of().formatHex(WITNESS_SEED),
                        "publicKey",
                        HexFormat.of().formatHex(witness.publicKey()),
                        "verifierKey",
                        Cosignature.verifierKey(witness)),
                "cosigned",
                obj("timestamp", COSIGNED_AT, "signedNote", cosigned.encoded()),
                "tlogProof",
                obj(
                        "leafIndex",
                        index,
                        "resource",
                        entries.get((int) index).ref().toString(),
                        "text",
                        proof.encoded()));
    }

    private static SignedNote parse(String note) {
        try {
            return SignedNote.parse(note);
        } catch (NoteFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject obj(Object... pairs) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            members.put(
                    (String) pairs[i],
                    v instanceof JsonValue json
                            ? json
                            : v instanceof String s
                                    ? new JsonString(s)
                                    : org.fhiranchor.anchor.canonical.JsonNumber.of((Long) v));
        }
        return new JsonObject(members);
    }
}
