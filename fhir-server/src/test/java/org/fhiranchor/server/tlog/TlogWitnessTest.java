package org.fhiranchor.server.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.fhiranchor.anchor.tlog.Cosignature;
import org.fhiranchor.anchor.tlog.NoteSigner;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TlogCheckpoint;
import org.fhiranchor.anchor.tlog.Witness;
import org.fhiranchor.anchor.tlog.WitnessServer;
import org.fhiranchor.server.support.TestDataDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A server with two witnesses and a quorum of one: a real witness (the verifier jar's, on loopback) and one that
 * answers garbage. The served checkpoint carries the real witness's cosignature, and only checkpoints it cosigned
 * are served. Its own context: the log key and the witnesses are fixed before the server starts.
 */
class TlogWitnessTest extends TlogHttpTest {

    private static final byte[] LOG_SEED = NoteSigner.generateSeed();
    private static final String ORIGIN = "witnessed.fhir-anchor.test/log";
    private static final NoteSigner LOG = NoteSigner.fromSeed(ORIGIN, LOG_SEED);
    private static final NoteSigner WITNESS_KEY =
            NoteSigner.fromSeed("partner.test/witness", NoteSigner.generateSeed());
    private static final NoteSigner LIAR_KEY = NoteSigner.fromSeed("liar.test/witness", NoteSigner.generateSeed());
    private static Path stateFile;
    private static WitnessServer witness;
    private static HttpServer liar;

    @DynamicPropertySource
    static void witnessed(DynamicPropertyRegistry registry) throws Exception {
        Path dir = TestDataDirectory.root().resolve("witnessed-keys");
        Files.createDirectories(dir);
        Path keyFile =
                Files.writeString(dir.resolve("tlog-note.key"), HexFormat.of().formatHex(LOG_SEED));
        stateFile = dir.resolve("witness.state");
        Files.deleteIfExists(stateFile);
        witness = WitnessServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                new Witness(WITNESS_KEY, List.of(LOG.verifier()), stateFile, Clock.systemUTC()));
        liar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        liar.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] body = "\u2014 liar.test/witness AAAAAAAAAAAA\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        liar.start();
        registry.add("fhir-anchor.test.context-name", () -> "witnessed");
        registry.add("fhir-anchor.tlog.origin", () -> ORIGIN);
        registry.add("fhir-anchor.tlog.key-file", keyFile::toString);
        registry.add("fhir-anchor.tlog.witnesses[0].url", witness::url);
        registry.add("fhir-anchor.tlog.witnesses[0].key", () -> Cosignature.verifierKey(WITNESS_KEY));
        registry.add(
                "fhir-anchor.tlog.witnesses[1].url",
                () -> "http://127.0.0.1:" + liar.getAddress().getPort());
        registry.add("fhir-anchor.tlog.witnesses[1].key", () -> Cosignature.verifierKey(LIAR_KEY));
        registry.add("fhir-anchor.tlog.witness-quorum", () -> "1");
    }

    @AfterAll
    static void stopWitnesses() {
        witness.close();
        liar.stop(0);
    }

    @Test
    void servedCheckpointCarriesTheQuorumOfValidCosignatures() throws Exception {
        long size = writeAndAwaitCheckpoint(3);
        await("a checkpoint cosigned at or above " + size)
                .atMost(Duration.ofSeconds(90))
                .until(() -> {
                    HttpResponse<byte[]> response = getOutsideFhir("/log/checkpoint", null);
                    return response.statusCode() == 200
                            && TlogCheckpoint.parse(SignedNote.parse(response.body())
                                                    .text())
                                            .treeSize()
                                    >= size;
                });
        SignedNote note =
                SignedNote.parse(getOutsideFhir("/log/checkpoint", null).body());
        assertThat(note.verifiedBy(List.of(LOG.verifier(), Cosignature.verifier(WITNESS_KEY))))
                .extracting(v -> v.name())
                .containsExactly(ORIGIN, "partner.test/witness");
        assertThat(note.signatures()).extracting(SignedNote.Line::name).doesNotContain("liar.test/witness");
        assertThat(notes.verifierKey()).isEqualTo(LOG.verifierKey());
        // The witness persisted what it cosigned before answering.
        long served = TlogCheckpoint.parse(note.text()).treeSize();
        String state = Files.readString(stateFile);
        assertThat(state).startsWith(ORIGIN + " ");
        assertThat(Long.parseLong(state.split(" ")[1])).isGreaterThanOrEqualTo(served);
    }
}
