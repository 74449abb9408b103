package org.fhiranchor.anchor.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Key files (signing keys, HMAC keys, archive keys, note keys, research keys): readable and writable by their owner
 * only from the moment they exist, complete when they appear, and never overwritten. The content goes to an
 * owner-only temporary file in the same directory, which is then hard-linked to its name: {@code link(2)} fails if
 * the name exists, so of two processes creating the same key at once exactly one wins and both read its key. On a
 * file system without POSIX permissions the files get the directory's defaults.
 */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {}

    /**
     * Creates {@code file} with {@code content} unless it exists; returns whether this call created it. The parent
     * directories are created as needed (with default permissions; see {@link #createDirectory} for a key directory).
     */
    public static boolean createIfAbsent(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(file)) {
            return false;
        }
        Path temp = ownerOnlyTempFile(dir);
        try {
            Files.write(temp, content);
            try {
                Files.createLink(file.toAbsolutePath(), temp);
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(temp, file); // fails if the name exists meanwhile
                return true;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates {@code file} with {@code content}; refuses (FileAlreadyExistsException) if it exists. */
    public static void createNew(Path file, byte[] content) throws IOException {
        if (!createIfAbsent(file, content)) {
            throw new FileAlreadyExistsException(file.toString(), null, "exists already, not overwritten");
        }
    }

    /** Writes {@code file} whole, replacing what is there (an atomic rename of an owner-only temporary file). */
    public static void replace(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = ownerOnlyTempFile(dir);
        try {
            Files.write(temp, content);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates {@code dir} accessible by its owner only, unless it exists (then its permissions stay its own). */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // created by another process meanwhile
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }

    private static Path ownerOnlyTempFile(Path dir) throws IOException {
        try {
            return Files.createTempFile(
                    dir,
                    ".key-",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(dir, ".key-", ".tmp");
        }
    }
}
