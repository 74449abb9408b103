package org.fhiranchor.server.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.fhiranchor.anchor.files.OwnerOnlyFiles;
import org.fhiranchor.ipfs.crypto.KeyRing;

/**
 * Archive keys on disk: one file per key, {@code archive-<keyid>.key}, holding the 32-byte key in hex, owner-only.
 * The key id is the file name's middle part, so rotating is dropping in a file with a later id; old files stay so
 * that old envelopes still open. Key bytes are never logged or put in exception messages.
 */
public final class ArchiveKeys {

    static final String PREFIX = "archive-";
    static final String SUFFIX = ".key";

    private ArchiveKeys() {}

    /**
     * The server's ring: every key file in the keys directory, plus the configured file or key; if there is none at
     * all, a new key is generated in the keys directory (the embedded default).
     */
    public static KeyRing load(ArchiveProperties properties, Path dataDir) {
        Path keysDir = properties.keysDir() != null ? properties.keysDir() : dataDir.resolve("keys");
        TreeMap<String, byte[]> keys = new TreeMap<>();
        readDirectory(keysDir, keys);
        if (properties.keyFile() != null) {
            keys.put(keyIdOf(properties.keyFile()), readKeyFile(properties.keyFile()));
        }
        if (properties.key() != null && !properties.key().isBlank()) {
            if (properties.keyId() == null || properties.keyId().isBlank()) {
                throw new IllegalStateException("fhir-anchor.archive.key needs fhir-anchor.archive.key-id");
            }
            keys.put(properties.keyId(), parseKey(properties.key(), "fhir-anchor.archive.key"));
        }
        if (keys.isEmpty()) {
            String keyId = LocalDate.now(ZoneOffset.UTC) + "-" + HexFormat.of().formatHex(KeyRing.generateKey(), 0, 3);
            byte[] key = KeyRing.generateKey();
            writeKeyFile(keysDir.resolve(PREFIX + keyId + SUFFIX), key);
            keys.put(keyId, key);
        }
        String current =
                properties.keyId() != null && !properties.keyId().isBlank() ? properties.keyId() : keys.lastKey();
        if (!keys.containsKey(current)) {
            throw new IllegalStateException(
                    "archive key id " + current + " is configured but no key with that id was found");
        }
        return ring(keys, current);
    }

    /** A ring of the given key files (for restore); the current key is irrelevant there, the greatest id is used. */
    public static KeyRing fromFiles(Iterable<Path> files) {
        TreeMap<String, byte[]> keys = new TreeMap<>();
        for (Path file : files) {
            keys.put(keyIdOf(file), readKeyFile(file));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no archive key file given");
        }
        return ring(keys, keys.lastKey());
    }

    private static KeyRing ring(TreeMap<String, byte[]> keys, String current) {
        KeyRing ring = KeyRing.of(current, keys.get(current));
        for (var e : keys.entrySet()) {
            if (!e.getKey().equals(current)) {
                ring = ring.withKey(e.getKey(), e.getValue());
            }
        }
        return ring;
    }

    private static void readDirectory(Path dir, TreeMap<String, byte[]> keys) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(ArchiveKeys::isKeyFile).forEach(f -> keys.put(keyIdOf(f), readKeyFile(f)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list archive keys in " + dir, e);
        }
    }

    static boolean isKeyFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() > PREFIX.length() + SUFFIX.length();
    }

    /** {@code archive-2026-11-21-ab12cd.key} has key id {@code 2026-11-21-ab12cd}. */
    public static String keyIdOf(Path file) {
        if (!isKeyFile(file)) {
            throw new IllegalArgumentException(
                    "an archive key file is named archive-<keyid>.key: " + file.getFileName());
        }
        String name = file.getFileName().toString();
        return name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    }

    public static byte[] readKeyFile(Path file) {
        try {
            return parseKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read archive key file " + file, e);
        }
    }

    /** Writes a new key file, owner-only from the moment it exists; refuses to overwrite. */
    public static void writeKeyFile(Path file, byte[] key) {
        try {
            OwnerOnlyFiles.createNew(file, (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("archive key file exists already, not overwritten: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write archive key file " + file, e);
        }
    }

    private static byte[] parseKey(String text, String source) {
        String hex = text.trim();
        if (hex.length() != KeyRing.KEY_BYTES * 2) {
            throw new IllegalArgumentException(
                    "archive key in " + source + " must be " + KeyRing.KEY_BYTES * 2 + " hex digits");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            // the message of HexFormat may quote key material: do not chain it
            throw new IllegalArgumentException("archive key in " + source + " is not hex");
        }
    }
}
