package org.fhiranchor.server.tlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;
import org.fhiranchor.anchor.tlog.NoteSigner;

/**
 * The log's Ed25519 note key: 32 random bytes (the RFC 8032 private key) as hex in a file readable by its owner
 * only, created on first start. Never logged; only the public verifier key is shown.
 */
final class NoteKeyFile {

    private NoteKeyFile() {}

    static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                OwnerOnlyFiles.createIfAbsent(
                        file,
                        HexFormat.of().formatHex(NoteSigner.generateSeed()).getBytes(StandardCharsets.US_ASCII));
            }
            String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                // Never echo the content: it is the key.
                throw new IllegalStateException("the note key file " + file + " must hold 64 hex digits");
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the note key file " + file, e);
        }
    }
}
