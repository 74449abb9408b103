package org.fhiranchor.server.archive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fhiranchor.ipfs.cid.Cid;
import org.fhiranchor.ipfs.unixfs.ImportParams;
import org.fhiranchor.ipfs.unixfs.UnixFsImporter;

/**
 * Just enough of the Kubo RPC API on 127.0.0.1 ({@code add}, {@code cat}) to test kubo mode without a daemon: it
 * computes real CIDs, or, when told to lie, answers every add with another CID. Can be stopped and started again on
 * the same port, like a node that goes away.
 */
final class FakeKuboNode implements AutoCloseable {

    /** A CID of other bytes: what a lying node answers. */
    static final String WRONG_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

    private final Map<Cid, byte[]> objects = new ConcurrentHashMap<>();
    private final UnixFsImporter importer = new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K);
    private volatile boolean lying;
    private int port;
    private HttpServer server;

    static FakeKuboNode start() throws IOException {
        FakeKuboNode node = new FakeKuboNode();
        node.startOn(0);
        return node;
    }

    synchronized void startOn(int wanted) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 0);
        server.createContext("/api/v0/add", this::add);
        server.createContext("/api/v0/cat", this::cat);
        server.start();
        port = server.getAddress().getPort();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    synchronized void restart() throws IOException {
        startOn(port);
    }

    void lie(boolean lie) {
        this.lying = lie;
    }

    URI apiUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int objectCount() {
        return objects.size();
    }

    private void add(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String boundary = exchange.getRequestHeaders().getFirst("Content-Type").replaceAll(".*boundary=", "");
        int start = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
        int end = body.length - ("\r\n--" + boundary + "--\r\n").length();
        byte[] content = Arrays.copyOfRange(body, start, end);
        Cid cid = importer.computeCid(new ByteArrayInputStream(content));
        String answered = cid.toString();
        if (lying) {
            answered = WRONG_CID;
        } else {
            objects.put(cid, content);
        }
        reply(
                exchange,
                200,
                ("{\"Name\":\"file\",\"Hash\":\"" + answered + "\",\"Size\":\"" + content.length + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private void cat(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String arg = null;
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            if (pair.startsWith("arg=")) {
                arg = URLDecoder.decode(pair.substring(4), StandardCharsets.UTF_8);
            }
        }
        byte[] content = objects.get(Cid.parse(arg));
        if (content == null) {
            reply(
                    exchange,
                    500,
                    "{\"Message\":\"block not found\",\"Code\":0,\"Type\":\"error\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            reply(exchange, 200, content);
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no multipart header end");
    }

    @Override
    public void close() {
        stop();
    }
}
