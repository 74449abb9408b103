package org.fhiranchor.anchor.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.fhiranchor.anchor.log.InMemorySubtreeHashes;
import org.fhiranchor.anchor.log.MerkleHash;
import org.fhiranchor.anchor.log.MerkleTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The witness client and the witness server against each other over loopback HTTP, and against bad witnesses. */
class WitnessTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_796_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final NoteSigner log = NoteSigner.fromSeed("hospital-a.example/log", NoteSigner.generateSeed());
    private final InMemorySubtreeHashes tree = new InMemorySubtreeHashes();
    private final WitnessClient.ConsistencyProofs proofs = (m, n) -> MerkleTree.consistencyPath(m, n, tree);
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void cosignsAConsistentlyGrowingLog_resyncsOn409_andKeepsItsStateAcrossRestarts() throws Exception {
        NoteSigner witnessKey = NoteSigner.fromSeed("hospital-b.example/witness", NoteSigner.generateSeed());
        Path state = dir.resolve("state");
        WitnessServer server = start(new Witness(witnessKey, List.of(log.verifier()), state, CLOCK));
        WitnessClient client = client(server, witnessKey);

        SignedNote first = checkpointAfter(5);
        SignedNote.Line line = client.cosign(first, proofs);
        assertThat(Cosignature.timestamp(line)).isEqualTo(1_796_000_000L);
        assertThat(first.withSignature(line).verifiedBy(List.of(Cosignature.verifier(witnessKey))))
                .hasSize(1);

        SignedNote second = checkpointAfter(13);
        assertThat(second.withSignature(client.cosign(second, proofs))
                        .verifiedBy(List.of(Cosignature.verifier(witnessKey))))
                .hasSize(1);

        // A client that does not know the witness's size starts from 0, gets 409 with 13, and retries with a proof.
        server.close();
        WitnessServer restarted = start(new Witness(witnessKey, List.of(log.verifier()), state, CLOCK));
        SignedNote third = checkpointAfter(20);
        assertThat(client(restarted, witnessKey).cosign(third, proofs)).isNotNull();

        // An older checkpoint than the witness holds: refused, with the reason.
        WitnessClient fresh = client(restarted, witnessKey);
        assertThatThrownBy(() -> fresh.cosign(second, proofs))
                .isInstanceOf(WitnessClient.WitnessException.class)
                .hasMessageContaining("already cosigned size 20");
    }

    @Test
    void refusesForksUnknownLogsForeignSignaturesAndGarbage() throws Exception {
        NoteSigner witnessKey = NoteSigner.fromSeed("w.example/1", NoteSigner.generateSeed());
        Witness witness = new Witness(witnessKey, List.of(log.verifier()), dir.resolve("state"), CLOCK);
        SignedNote seven = checkpointAfter(7);
        assertThat(witness.addCheckpoint(new AddCheckpointRequest(0, List.of(), seven).encoded())
                        .status())
                .isEqualTo(200);

        // A fork: another tree of 9 leaves, its "proof" from 7 cannot verify.
        InMemorySubtreeHashes fork = new InMemorySubtreeHashes();
        for (int i = 0; i < 9; i++) {
            fork.append(MerkleHash.leaf(new byte[] {(byte) (100 + i)}));
        }
        SignedNote forked = note(log, 9, MerkleTree.root(9, fork));
        Witness.Response refused = witness.addCheckpoint(
                new AddCheckpointRequest(7, MerkleTree.consistencyPath(7, 9, fork), forked).encoded());
        assertThat(refused.status()).isEqualTo(422);
        // Same size, other root: 409 with the size the witness holds (its state did not move).
        Witness.Response sameSize =
                witness.addCheckpoint(new AddCheckpointRequest(7, List.of(), note(log, 7, new byte[32])).encoded());
        assertThat(sameSize.status()).isEqualTo(409);
        assertThat(sameSize.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(new String(sameSize.body(), StandardCharsets.US_ASCII)).isEqualTo("7\n");

        NoteSigner impostor = NoteSigner.fromSeed(log.name(), NoteSigner.generateSeed());
        assertThat(witness.addCheckpoint(
                                new AddCheckpointRequest(7, List.of(), note(impostor, 7, new byte[32])).encoded())
                        .status())
                .isEqualTo(403);
        NoteSigner stranger = NoteSigner.fromSeed("other.example/log", NoteSigner.generateSeed());
        assertThat(witness.addCheckpoint(
                                new AddCheckpointRequest(0, List.of(), note(stranger, 1, new byte[32])).encoded())
                        .status())
                .isEqualTo(404);
        assertThat(witness.addCheckpoint(new AddCheckpointRequest(8, List.of(), seven).encoded())
                        .status())
                .isEqualTo(400);
        assertThat(witness.addCheckpoint("old 01\n\nx".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);
        assertThat(witness.addCheckpoint(new byte[0]).status()).isEqualTo(400);
    }

    @Test
    void clientRejectsGarbage_wrongCosignatures_andBad409s_policyCountsTheQuorum() throws Exception {
        NoteSigner goodKey = NoteSigner.fromSeed("good.example/w", NoteSigner.generateSeed());
        NoteSigner otherGoodKey = NoteSigner.fromSeed("good.example/w2", NoteSigner.generateSeed());
        WitnessClient good =
                client(start(new Witness(goodKey, List.of(log.verifier()), dir.resolve("a"), CLOCK)), goodKey);
        WitnessClient good2 = client(
                start(new Witness(otherGoodKey, List.of(log.verifier()), dir.resolve("b"), CLOCK)), otherGoodKey);

        NoteSigner liarKey = NoteSigner.fromSeed("liar.example/w", NoteSigner.generateSeed());
        SignedNote checkpoint = checkpointAfter(3);
        // Answers 200 with garbage; with a cosignature by another key under its name; 409 without a size.
        WitnessClient garbage = client(fake(200, "text/plain", "hello\n"), liarKey);
        String forged = Cosignature.sign(
                        NoteSigner.fromSeed(liarKey.name(), NoteSigner.generateSeed()), 1, checkpoint.text())
                .encoded();
        WitnessClient wrongKey = client(fake(200, "text/plain", forged), liarKey);
        WitnessClient bad409 = client(fake(409, "text/plain", "soon\n"), liarKey);
        for (WitnessClient bad : List.of(garbage, wrongKey, bad409)) {
            assertThatThrownBy(() -> bad.cosign(checkpoint, proofs)).isInstanceOf(WitnessClient.WitnessException.class);
        }
        assertThatThrownBy(() -> garbage.cosign(checkpoint, proofs)).hasMessageContaining("without signature lines");
        assertThatThrownBy(() -> wrongKey.cosign(checkpoint, proofs))
                .hasMessageContaining("no cosignature by its configured key");

        WitnessPolicy twoOfThree = new WitnessPolicy(List.of(good, garbage, good2), 2);
        WitnessPolicy.Outcome outcome = twoOfThree.cosign(checkpoint, proofs);
        assertThat(outcome.quorumMet()).isTrue();
        assertThat(outcome.cosignatures()).isEqualTo(2);
        assertThat(outcome.failures()).singleElement().asString().contains("liar.example/w");
        assertThat(twoOfThree.satisfiedBy(outcome.checkpoint())).isTrue();
        assertThat(twoOfThree.satisfiedBy(checkpoint)).isFalse();

        SignedNote next = checkpointAfter(4);
        WitnessPolicy allThree = new WitnessPolicy(List.of(good, garbage, good2), 3);
        assertThat(allThree.cosign(next, proofs).quorumMet()).isFalse();
        assertThatThrownBy(() -> new WitnessPolicy(List.of(good), 2)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Appends leaves up to {@code size} and returns the log's signed checkpoint of that size. */
    private SignedNote checkpointAfter(long size) throws Exception {
        while (tree.size() < size) {
            tree.append(MerkleHash.leaf(new byte[] {(byte) tree.size()}));
        }
        return note(log, size, MerkleTree.root(size, tree));
    }

    private static SignedNote note(NoteSigner signer, long size, byte[] root) throws NoteFormatException {
        return SignedNote.parse(signer.sign(new TlogCheckpoint(signer.name(), size, root).text()));
    }

    private WitnessServer start(Witness witness) throws Exception {
        WitnessServer server = WitnessServer.start(new InetSocketAddress("127.0.0.1", 0), witness);
        servers.add(server);
        return server;
    }

    private static WitnessClient client(WitnessServer server, NoteSigner key) {
        return client(server.url(), key);
    }

    private static WitnessClient client(String url, NoteSigner key) {
        return new WitnessClient(URI.create(url), Cosignature.verifier(key), Duration.ofSeconds(10));
    }

    /** A "witness" that always gives the same answer. */
    private String fake(int status, String contentType, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        servers.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
