package org.fhiranchor.server.research;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fhiranchor.anchor.export.ExportFile;
import org.fhiranchor.anchor.export.RecipientBox;
import org.fhiranchor.server.archive.ArchiveStore;

/**
 * NDJSON lines into files of at most {@code maxLines} lines, each sealed to the researcher and stored in IPFS as
 * soon as it is full, so that an export holds at most one file's plaintext in memory. Files are named
 * {@code <prefix>-<n>.ndjson.enc} (n from 1), or {@code <prefix>.ndjson.enc} for a series of one by design.
 */
final class EncryptedFileSeries {

    private final String prefix;
    private final boolean numbered;
    private final ExportFile.Role role;
    private final String type;
    private final int maxLines;
    private final UnaryOperator<byte[]> seal;
    private final ArchiveStore store;
    private final List<ExportFile> files;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    private int lines;
    private int fileNumber;

    EncryptedFileSeries(
            String prefix,
            boolean numbered,
            ExportFile.Role role,
            String type,
            int maxLines,
            UnaryOperator<byte[]> seal,
            ArchiveStore store,
            List<ExportFile> files) {
        this.prefix = prefix;
        this.numbered = numbered;
        this.role = role;
        this.type = type;
        this.maxLines = numbered ? maxLines : Integer.MAX_VALUE;
        this.seal = seal;
        this.store = store;
        this.files = files;
    }

    void add(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        buffer.write(bytes, 0, bytes.length);
        buffer.write('\n');
        if (++lines == maxLines) {
            flush();
        }
    }

    /** Stores what is left; a series that got no line leaves no file. */
    void close() {
        if (lines > 0) {
            flush();
        }
    }

    private void flush() {
        byte[] plaintext = buffer.toByteArray();
        byte[] sealed = seal.apply(plaintext);
        String cid;
        try {
            cid = store.put(sealed).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("the IPFS store refused an export file", e);
        }
        fileNumber++;
        String name = numbered ? prefix + "-" + fileNumber + ".ndjson.enc" : prefix + ".ndjson.enc";
        files.add(new ExportFile(
                name, role, type, lines, cid, RecipientBox.sha256Hex(sealed), RecipientBox.sha256Hex(plaintext)));
        buffer.reset();
        lines = 0;
    }
}
