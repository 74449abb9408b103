package org.fhiranchor.anchor.tlog;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A witness's HTTP interface: {@code POST <prefix>/add-checkpoint} (tlog-witness) on the JDK's HTTP server.
 * Requests larger than 64 KiB are refused. The caller closes it.
 */
public final class WitnessServer implements AutoCloseable {

    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;

    private WitnessServer(HttpServer server) {
        this.server = server;
    }

    public static WitnessServer start(InetSocketAddress address, Witness witness) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, witness);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return new WitnessServer(server);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The submission prefix to configure in a log: {@code http://host:port}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, Witness witness) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/add-checkpoint")) {
            send(exchange, Witness.Response.text(404, "not found: this witness serves POST /add-checkpoint"));
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, Witness.Response.text(405, "add-checkpoint takes POST"));
            return;
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            send(exchange, Witness.Response.text(413, "request larger than " + MAX_BODY + " bytes"));
            return;
        }
        Witness.Response response;
        try {
            response = witness.addCheckpoint(body);
        } catch (RuntimeException e) {
            response = Witness.Response.text(500, "witness error");
        }
        send(exchange, response);
    }

    private static void send(HttpExchange exchange, Witness.Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), response.body().length);
        exchange.getResponseBody().write(response.body());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
