package org.fhiranchor.anchor.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void aKeyFileIsOwnerOnly_complete_andNeverOverwritten() throws Exception {
        Path file = dir.resolve("keys").resolve("hmac.key");
        assertTrue(OwnerOnlyFiles.createIfAbsent(file, bytes("first")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(OwnerOnlyFiles.createIfAbsent(file, bytes("second")));
        assertThrows(FileAlreadyExistsException.class, () -> OwnerOnlyFiles.createNew(file, bytes("third")));
        assertArrayEquals(bytes("first"), Files.readAllBytes(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
        OwnerOnlyFiles.replace(file, bytes("replaced"));
        assertArrayEquals(bytes("replaced"), Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Path keys = dir.resolve("private-dir");
        OwnerOnlyFiles.createDirectory(keys);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
    }

    @Test
    void ofManyConcurrentCreators_exactlyOneWins_andEveryoneReadsItsKey() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path file = dir.resolve("race-" + round + ".key");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Boolean>> created = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] content = bytes("key of creator " + i);
                created.add(pool.submit((Callable<Boolean>) () -> OwnerOnlyFiles.createIfAbsent(file, content)));
            }
            int winners = 0;
            for (Future<Boolean> c : created) {
                winners += c.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, winners);
            assertTrue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).startsWith("key of creator "));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
