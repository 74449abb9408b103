package org.fhiranchor.ipfs.kubo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallLockTest {

    @TempDir
    Path dir;

    @Test
    void theHolderIsNamed_andReleasingRemovesTheLock() throws Exception {
        Path lock = dir.resolve(JsIpfsNode.INSTALL_LOCK);
        try (InstallLock held = InstallLock.acquire(lock, Duration.ofSeconds(5))) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(lock.resolve("pid")));
        }
        assertFalse(Files.exists(lock));
    }

    @Test
    void aLockHeldByARunningProcess_isWaitedFor_untilReleased() throws Exception {
        Path lock = dir.resolve("lock");
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            holdFor(lock, other.pid());
            IllegalStateException timedOut =
                    assertThrows(IllegalStateException.class, () -> InstallLock.acquire(lock, Duration.ofSeconds(2)));
            assertTrue(timedOut.getMessage().contains("held"), timedOut.getMessage());

            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1500);
                    Files.delete(lock.resolve("pid"));
                    Files.delete(lock);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (InstallLock mine = InstallLock.acquire(lock, Duration.ofSeconds(30))) {
                release.join(); // released by the other, not taken from it
                assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(lock.resolve("pid")));
            }
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aLockWhoseOwnerIsGone_isTakenOver() throws Exception {
        Path lock = dir.resolve("lock");
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        holdFor(lock, gone.pid());
        try (InstallLock mine = InstallLock.acquire(lock, Duration.ofSeconds(2))) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(lock.resolve("pid")));
        }
    }

    private static void holdFor(Path lock, long pid) throws Exception {
        Files.createDirectory(lock);
        Files.writeString(lock.resolve("pid"), Long.toString(pid));
    }
}
