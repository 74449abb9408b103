package org.fhiranchor.ipfs.kubo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A lock that processes of any kind can share, so that one package directory is installed by one of them at a time
 * (CI starts the js-ipfs install early, in the background, and a test that gets there first waits for it): a
 * directory, created atomically, holding its owner's process id in a file {@code pid}. A lock whose owner is no
 * longer running is taken over.
 */
final class InstallLock implements AutoCloseable {
    private static final Duration POLL = Duration.ofSeconds(1);

    private final Path dir;

    private InstallLock(Path dir) {
        this.dir = dir;
    }

    static InstallLock acquire(Path dir, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                Files.createDirectory(dir);
                Files.writeString(
                        dir.resolve("pid"),
                        Long.toString(ProcessHandle.current().pid()));
                return new InstallLock(dir);
            } catch (FileAlreadyExistsException held) {
                if (ownerGone(dir)) {
                    remove(dir);
                    continue;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(dir + " was held for longer than " + timeout);
                }
                pause();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** True if the lock names an owner that is not running; false while the owner has not written its id yet. */
    private static boolean ownerGone(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NoSuchFileException | NumberFormatException notYet) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an install", e);
        }
    }

    private static void remove(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("pid"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        remove(dir);
    }
}
