package org.fhiranchor.ipfs.kubo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.cid.Multibase;
import org.fhiranchor.ipfs.unixfs.ChunkedBytes;
import org.fhiranchor.ipfs.unixfs.ImportParams;
import org.fhiranchor.ipfs.unixfs.UnixFsImporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against canned answers from an in-test HTTP server on 127.0.0.1 (a narrow unit test). */
class KuboClientTest {
    private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);
    private static final String HELLO_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
    private static final String OTHER_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    private HttpServer server;
    private KuboClient client;
    private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();

    record Recorded(
            String method,
            String path,
            String query,
            String protocol,
            String contentType,
            String contentLength,
            byte[] body) {}

    record Canned(int status, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v0/", this::handle);
        server.start();
        client = new KuboClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        requests.add(new Recorded(
                exchange.getRequestMethod(),
                path,
                exchange.getRequestURI().getRawQuery(),
                exchange.getProtocol(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Content-Length"),
                body));
        Canned canned = "POST".equals(exchange.getRequestMethod())
                ? answers.getOrDefault(path, new Canned(404, "404 page not found"))
                : new Canned(405, "405 - Method Not Allowed");
        byte[] reply = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(canned.status(), reply.length == 0 ? -1 : reply.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
        }
    }

    private Recorded last() {
        return requests.get(requests.size() - 1);
    }

    @Test
    void addSendsPinnedParametersAndAcceptsTheMatchingCid() throws IOException {
        answers.put(
                "/api/v0/add",
                new Canned(
                        200,
                        "{\"Name\":\"file\",\"Bytes\":11}\n{\"Name\":\"file\",\"Hash\":\"" + HELLO_CID
                                + "\",\"Size\":\"11\"}\n"));
        assertEquals(Cid.parse(HELLO_CID), client.add(HELLO));

        Recorded request = last();
        assertEquals("POST", request.method());
        assertEquals("HTTP/1.1", request.protocol());
        for (String param : List.of(
                "cid-version=1",
                "raw-leaves=true",
                "chunker=size-262144",
                "hash=sha2-256",
                "pin=true",
                "cid-base=base32",
                "trickle=false")) {
            assertTrue(request.query().contains(param), "query has " + param + ": " + request.query());
        }
        assertTrue(request.contentType().startsWith("multipart/form-data; boundary="));
        String body = new String(request.body(), StandardCharsets.US_ASCII);
        assertTrue(body.contains("name=\"file\""));
        assertTrue(body.contains("\r\n\r\nhello world\r\n--"));
    }

    @Test
    void chunkedContentIsUploadedWholeWithItsLength() throws IOException {
        byte[] content = new byte[200_003]; // several ChunkedBytes chunks, one UnixFS chunk
        new Random(3).nextBytes(content);
        Cid expected =
                new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K).computeCid(new ByteArrayInputStream(content));
        answers.put("/api/v0/add", new Canned(200, "{\"Name\":\"file\",\"Hash\":\"" + expected + "\"}\n"));

        assertEquals(expected, client.add(ChunkedBytes.of(content)));

        Recorded request = last();
        String body = new String(request.body(), StandardCharsets.ISO_8859_1);
        int start = body.indexOf("\r\n\r\n") + 4;
        assertArrayEquals(content, Arrays.copyOfRange(request.body(), start, start + content.length));
        assertTrue(body.startsWith("\r\n--", start + content.length), "multipart tail follows the content");
        assertEquals(Integer.toString(request.body().length), request.contentLength(), "length known, not chunked");
    }

    @Test
    void base58AnswerFromJsIpfsIsTheSameCid() throws IOException {
        String base58 = Cid.parse(HELLO_CID).toString(Multibase.BASE58BTC);
        answers.put("/api/v0/add", new Canned(200, "{\"Name\":\"file\",\"Hash\":\"" + base58 + "\",\"Size\":11}\n"));
        assertEquals(Cid.parse(HELLO_CID), client.add(HELLO));
    }

    @Test
    void wrongCidFromTheNodeIsAMismatch() {
        answers.put("/api/v0/add", new Canned(200, "{\"Name\":\"file\",\"Hash\":\"" + OTHER_CID + "\"}\n"));
        CidMismatchException mismatch = assertThrows(CidMismatchException.class, () -> client.add(HELLO));
        assertEquals(Cid.parse(HELLO_CID), mismatch.expected());
        assertEquals(Cid.parse(OTHER_CID), mismatch.actual());
    }

    @Test
    void twoHundredWithoutHashIsAFailure() {
        // What a client sees when Kubo fails mid-stream and reports it as an X-Stream-Error trailer.
        answers.put("/api/v0/add", new Canned(200, "{\"Name\":\"file\",\"Bytes\":262144}\n"));
        KuboException failure = assertThrows(KuboException.class, () -> client.add(HELLO));
        assertFalse(failure instanceof CidMismatchException);
        assertTrue(failure.getMessage().contains("without a Hash"));
    }

    @Test
    void errorObjectInTheStreamIsAFailure() {
        answers.put(
                "/api/v0/add",
                new Canned(200, "{\"Message\":\"blockstore: disk full\",\"Code\":0,\"Type\":\"error\"}\n"));
        KuboException failure = assertThrows(KuboException.class, () -> client.add(HELLO));
        assertTrue(failure.getMessage().contains("disk full"));
    }

    @Test
    void serverErrorCarriesStatusAndMessage() {
        answers.put(
                "/api/v0/add",
                new Canned(500, "{\"Message\":\"unrecognized chunker option\",\"Code\":0,\"Type\":\"error\"}"));
        KuboException failure = assertThrows(KuboException.class, () -> client.add(HELLO));
        assertEquals(500, failure.status());
        assertTrue(failure.getMessage().contains("unrecognized chunker option"));
    }

    @Test
    void addOfAFileStreamsItAndChecksTheCid(@TempDir Path dir) throws IOException {
        byte[] content = new byte[262_144 * 2 + 5];
        new java.util.Random(9).nextBytes(content);
        Path file = Files.write(dir.resolve("bundle.bin"), content);
        Cid expected =
                new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K).computeCid(new ByteArrayInputStream(content));
        answers.put("/api/v0/add", new Canned(200, "{\"Name\":\"file\",\"Hash\":\"" + expected + "\"}\n"));
        assertEquals(expected, client.add(file));
        int framing = last().body().length - content.length;
        assertTrue(framing > 0 && framing < 400, "multipart body is the whole file plus framing: " + framing);
    }

    @Test
    void catSendsATimeoutAndVerifiesTheBytes() throws IOException {
        answers.put("/api/v0/cat", new Canned(200, "hello world"));
        assertArrayEquals(HELLO, client.cat(Cid.parse(HELLO_CID), Duration.ofSeconds(5)));
        assertTrue(last().query().contains("timeout=5000ms"), last().query());
        assertTrue(last().query().contains("arg=" + HELLO_CID));

        answers.put("/api/v0/cat", new Canned(200, "hello World"));
        assertThrows(CidMismatchException.class, () -> client.cat(Cid.parse(HELLO_CID), Duration.ofSeconds(5)));

        answers.put("/api/v0/cat", new Canned(500, "{\"Message\":\"context deadline exceeded\",\"Type\":\"error\"}"));
        KuboException timeout =
                assertThrows(KuboException.class, () -> client.cat(Cid.parse(HELLO_CID), Duration.ofSeconds(5)));
        assertTrue(timeout.getMessage().contains("deadline"));
    }

    @Test
    void versionAndPinAdd() throws IOException {
        answers.put("/api/v0/version", new Canned(200, "{\"Version\":\"0.66.1\",\"Commit\":\"\",\"Repo\":\"12\"}"));
        assertEquals("0.66.1", client.version());

        answers.put("/api/v0/pin/add", new Canned(200, "{\"Pins\":[\"" + HELLO_CID + "\"]}"));
        client.pinAdd(Cid.parse(HELLO_CID));
        assertTrue(last().query().contains("recursive=true"));

        answers.put("/api/v0/pin/add", new Canned(200, "{\"Pins\":[\"" + OTHER_CID + "\"]}"));
        assertThrows(CidMismatchException.class, () -> client.pinAdd(Cid.parse(HELLO_CID)));

        for (Recorded request : requests) {
            assertEquals("POST", request.method());
        }
    }

    @Test
    void dagImportUploadsTheCarAndChecksRoots() throws IOException {
        byte[] car = {1, 2, 3};
        answers.put(
                "/api/v0/dag/import",
                new Canned(200, "{\"Root\":{\"Cid\":{\"/\":\"" + HELLO_CID + "\"},\"PinErrorMsg\":\"\"}}\n"));
        assertEquals(List.of(Cid.parse(HELLO_CID)), client.dagImport(car, List.of(Cid.parse(HELLO_CID))));
        assertTrue(last().query().contains("pin-roots=true"));
        assertTrue(last().contentType().startsWith("multipart/form-data"));

        assertThrows(KuboException.class, () -> client.dagImport(car, List.of(Cid.parse(OTHER_CID))));

        answers.put(
                "/api/v0/dag/import",
                new Canned(
                        200,
                        "{\"Root\":{\"Cid\":{\"/\":\"" + HELLO_CID
                                + "\"},\"PinErrorMsg\":\"block was not found locally\"}}\n"));
        assertThrows(KuboException.class, () -> client.dagImport(car, List.of(Cid.parse(HELLO_CID))));
    }
}
