package org.fhiranchor.server.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.fhiranchor.anchor.chain.LedgerReader;
import org.fhiranchor.anchor.chain.LedgerSettings;
import org.fhiranchor.anchor.chain.OnChainCheckpoint;
import org.fhiranchor.anchor.chain.Web3jLedger;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.log.MerkleTree;
import org.fhiranchor.anchor.tlog.NoteVerifier;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TilePath;
import org.fhiranchor.anchor.tlog.Tiles;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.server.anchoring.ChainConnection;
import org.fhiranchor.server.security.Role;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The signed checkpoint, tiles and entry bundles over HTTP, as a mirror or witness without a token sees them. */
class TlogEndpointsTest extends TlogHttpTest {

    @Autowired
    ChainConnection chain;

    @Test
    void checkpointIsPublic_signed_andTheRootAnchoredOnChain() throws Exception {
        writeAndAwaitCheckpoint(3);
        HttpResponse<byte[]> response = getOutsideFhir("/log/checkpoint", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=5");

        SignedNote note = SignedNote.parse(response.body());
        NoteVerifier key = NoteVerifier.parse(notes.verifierKey());
        assertThat(note.verifiedBy(List.of(key))).containsExactly(key);
        TlogCheckpoint checkpoint = TlogCheckpoint.parse(note.text());
        assertThat(checkpoint.origin()).isEqualTo(notes.origin()).startsWith("fhir-anchor.local/log/");
        assertThat(checkpoint.treeSize()).isPositive();
        assertThat(checkpoint.rootHash()).isEqualTo(MerkleTree.root(checkpoint.treeSize(), subtrees));
        try (LedgerReader reader = Web3jLedger.readOnly(
                LedgerSettings.forUrl(chain.rpcUrl()), chain.ledger().contractAddress())) {
            OnChainCheckpoint onChain =
                    reader.checkpointBySize(checkpoint.treeSize()).orElseThrow();
            assertThat(onChain.root()).isEqualTo(checkpoint.rootHash());
        }
    }

    @Test
    void hashTilesArePublic_andHoldTheLeafHashes() throws Exception {
        writeAndAwaitCheckpoint(2);
        long size = log.head().treeSize();
        long lastTile = (size - 1) / 256;
        int width = Tiles.widthAt(0, lastTile, size);
        HttpResponse<byte[]> tile = getOutsideFhir("/log/" + new TilePath(0, lastTile, width).path(), null);
        assertThat(tile.statusCode()).isEqualTo(200);
        assertThat(tile.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(tile.body()).hasSize(32 * width);
        long firstLeaf = lastTile * 256;
        for (int i = 0; i < width; i++) {
            assertThat(Arrays.copyOfRange(tile.body(), 32 * i, 32 * i + 32))
                    .isEqualTo(log.findByLeafIndex(firstLeaf + i).orElseThrow().leafHash());
        }
        if (width < 256) {
            assertThat(tile.headers().firstValue("Cache-Control")).hasValue("public, max-age=5");
            // A narrower width of the same tile is its prefix; a wider one, or the full tile, does not exist yet.
            HttpResponse<byte[]> narrower = getOutsideFhir("/log/" + new TilePath(0, lastTile, 1).path(), null);
            assertThat(narrower.body()).isEqualTo(Arrays.copyOf(tile.body(), 32));
            assertThat(getOutsideFhir("/log/" + new TilePath(0, lastTile, 256).path(), null)
                            .statusCode())
                    .isEqualTo(404);
        }
        if (lastTile > 0) {
            HttpResponse<byte[]> full = getOutsideFhir("/log/tile/0/000", null);
            assertThat(full.statusCode()).isEqualTo(200);
            assertThat(full.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        }
    }

    @Test
    void entryBundlesNeedAVerifierToken_andHashToTheLeaves() throws Exception {
        writeAndAwaitCheckpoint(2);
        String path = "/log/"
                + new TilePath(
                                TilePath.ENTRIES,
                                0,
                                Tiles.widthAt(0, 0, log.head().treeSize()))
                        .path();
        assertThat(getOutsideFhir(path, null).statusCode()).isEqualTo(401);
        // Writing every resource is not enough: the salts are for verifiers.
        assertThat(getOutsideFhir(path, token(Role.EHR)).statusCode()).isEqualTo(403);
        HttpResponse<byte[]> bundle = getOutsideFhir(path, token(Role.AUDITOR));
        assertThat(bundle.statusCode()).isEqualTo(200);
        List<byte[]> entries = Tiles.parseEntryBundle(bundle.body());
        assertThat(entries).isNotEmpty();
        for (int i = 0; i < entries.size(); i++) {
            assertThat(MerkleHash.leaf(entries.get(i)))
                    .isEqualTo(log.findByLeafIndex(i).orElseThrow().leafHash());
        }
    }

    @Test
    void malformedAndOutOfRangeRequestsAreClear4xx() {
        for (String bad : List.of(
                "/log/tile/0/1",
                "/log/tile/00/000",
                "/log/tile/0/000.p/0",
                "/log/tile/0/000.p/256",
                "/log/tile/64/000",
                "/log/tile/0/x000/001",
                "/log/tile/0/abc")) {
            HttpResponse<byte[]> response = getOutsideFhir(bad, null);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(new String(response.body(), StandardCharsets.UTF_8))
                    .as(bad)
                    .startsWith("malformed tile path: ");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
        }
        HttpResponse<byte[]> beyond = getOutsideFhir("/log/tile/0/x999/x999/999", null);
        assertThat(beyond.statusCode()).isEqualTo(404);
        assertThat(new String(beyond.body(), StandardCharsets.UTF_8)).contains("not that large");
        assertThat(getOutsideFhir("/log/tile/5/000.p/1", null).statusCode()).isEqualTo(404);
        assertThat(getOutsideFhir("/log/nothing", token).statusCode()).isEqualTo(404);
    }
}
