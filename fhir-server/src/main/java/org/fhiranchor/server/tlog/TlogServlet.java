package org.fhiranchor.server.tlog;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.fhiranchor.anchor.tlog.NoteFormatException;
import org.fhiranchor.anchor.tlog.SignedNote;
import org.fhiranchor.anchor.tlog.TilePath;

/**
 * {@code /log/checkpoint}, {@code /log/tile/<L>/<N>[.p/<W>]} and {@code /log/tile/entries/<N>[.p/<W>]}
 * (c2sp.org/tlog-tiles). Errors are short plain-text messages: these are not FHIR endpoints.
 */
final class TlogServlet extends HttpServlet {

    static final String PREFIX = "/log";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final transient CheckpointNotes checkpoints;
    private final transient TileSource tiles;
    private final String shortCache;

    TlogServlet(CheckpointNotes checkpoints, TileSource tiles, TlogProperties properties) {
        this.checkpoints = checkpoints;
        this.tiles = tiles;
        Duration maxAge = properties.checkpointMaxAge();
        this.shortCache = (properties.requireToken() ? "private" : "public") + ", max-age=" + maxAge.toSeconds();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.equals("/checkpoint")) {
            checkpoint(response);
        } else if (path.startsWith("/tile/")) {
            tile(path.substring(1), response);
        } else {
            text(response, 404, "not found: the log serves /log/checkpoint and /log/tile/...");
        }
    }

    private void checkpoint(HttpServletResponse response) throws IOException {
        Optional<SignedNote> note = checkpoints.latest();
        if (note.isEmpty()) {
            response.setHeader("Retry-After", "5");
            text(
                    response,
                    503,
                    checkpoints.quorum() == 0
                            ? "no checkpoint of the log has been anchored yet"
                            : "no anchored checkpoint has been cosigned by " + checkpoints.quorum() + " witnesses yet");
            return;
        }
        response.setHeader("Cache-Control", shortCache);
        text(response, 200, note.get().encoded());
    }

    private void tile(String path, HttpServletResponse response) throws IOException {
        TilePath tile;
        try {
            tile = TilePath.parse(path);
        } catch (NoteFormatException e) {
            text(response, 400, "malformed tile path: " + e.getMessage());
            return;
        }
        Optional<byte[]> bytes = tiles.read(tile);
        if (bytes.isEmpty()) {
            text(response, 404, "no such tile: the log is not that large yet");
            return;
        }
        response.setStatus(200);
        response.setContentType("application/octet-stream");
        response.setHeader("Cache-Control", tile.isPartial() ? shortCache : IMMUTABLE);
        response.setContentLength(bytes.get().length);
        response.getOutputStream().write(bytes.get());
    }

    private static void text(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.endsWith("\n")
                ? body.getBytes(StandardCharsets.UTF_8)
                : (body + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(TEXT);
        if (status != 200) {
            response.setHeader("Cache-Control", "no-store");
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
