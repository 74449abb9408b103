package org.fhiranchor.anchor.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeafEntryTest {

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void encodesTheDocumentedByteLayout() {
        LeafEntry entry = new LeafEntry(
                Operation.UPDATE, ResourceRef.parse("Patient/123/_history/2"), filled(0xaa), filled(0x55));
        String ref = "Patient/123/_history/2";
        String expected = "01" + "02" + "0016"
                + HexFormat.of().formatHex(ref.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + "aa".repeat(32)
                + "55".repeat(32);
        assertEquals(expected, HexFormat.of().formatHex(entry.encode()));
        assertEquals(4 + 22 + 64, entry.encode().length);
        byte[] prefixed = new byte[entry.encode().length + 1];
        System.arraycopy(entry.encode(), 0, prefixed, 1, entry.encode().length);
        assertArrayEquals(MerkleHash.sha256(prefixed), entry.leafHash(), "leaf hash = SHA-256(0x00 || entry)");
    }

    @Test
    void decodeInvertsEncode() {
        LeafEntry entry = new LeafEntry(
                Operation.CREATE, ResourceRef.parse("Observation/a-b.c/_history/17"), filled(1), filled(2));
        assertEquals(entry, LeafEntry.decode(entry.encode()));
        LeafEntry delete =
                new LeafEntry(Operation.DELETE, ResourceRef.parse("Observation/x/_history/3"), new byte[32], filled(9));
        assertEquals(delete, LeafEntry.decode(delete.encode()));
    }

    @Test
    void decodeRejectsMalformedEntries() {
        byte[] good = new LeafEntry(Operation.CREATE, ResourceRef.parse("Patient/1/_history/1"), filled(1), filled(2))
                .encode();
        byte[] badVersion = good.clone();
        badVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> LeafEntry.decode(badVersion));
        byte[] badOperation = good.clone();
        badOperation[1] = 4;
        assertThrows(IllegalArgumentException.class, () -> LeafEntry.decode(badOperation));
        assertThrows(IllegalArgumentException.class, () -> LeafEntry.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> LeafEntry.decode(Arrays.copyOf(good, good.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> LeafEntry.decode(new byte[3]));
    }

    @Test
    void everyFieldChangesTheLeafHash() {
        byte[] base = new LeafEntry(Operation.CREATE, ResourceRef.parse("Patient/1/_history/1"), filled(1), filled(2))
                .leafHash();
        assertNotEquals(
                HexFormat.of().formatHex(base),
                HexFormat.of()
                        .formatHex(new LeafEntry(
                                        Operation.UPDATE,
                                        ResourceRef.parse("Patient/1/_history/1"),
                                        filled(1),
                                        filled(2))
                                .leafHash()));
        assertNotEquals(
                HexFormat.of().formatHex(base),
                HexFormat.of()
                        .formatHex(new LeafEntry(
                                        Operation.CREATE,
                                        ResourceRef.parse("Patient/1/_history/2"),
                                        filled(1),
                                        filled(2))
                                .leafHash()));
        assertNotEquals(
                HexFormat.of().formatHex(base),
                HexFormat.of()
                        .formatHex(new LeafEntry(
                                        Operation.CREATE,
                                        ResourceRef.parse("Patient/1/_history/1"),
                                        filled(3),
                                        filled(2))
                                .leafHash()));
        assertNotEquals(
                HexFormat.of().formatHex(base),
                HexFormat.of()
                        .formatHex(new LeafEntry(
                                        Operation.CREATE,
                                        ResourceRef.parse("Patient/1/_history/1"),
                                        filled(1),
                                        filled(3))
                                .leafHash()));
    }

    @Test
    void deleteHasTheZeroContentHashAndNothingElseDoes() {
        ResourceRef ref = ResourceRef.parse("Patient/1/_history/2");
        assertThrows(IllegalArgumentException.class, () -> new LeafEntry(Operation.DELETE, ref, filled(1), filled(2)));
        assertThrows(
                IllegalArgumentException.class, () -> new LeafEntry(Operation.UPDATE, ref, new byte[32], filled(2)));
        assertThrows(
                IllegalArgumentException.class, () -> new LeafEntry(Operation.UPDATE, ref, new byte[31], filled(2)));
        assertThrows(
                IllegalArgumentException.class, () -> new LeafEntry(Operation.UPDATE, ref, filled(1), new byte[33]));
    }

    @Test
    void entryIsImmutable() {
        byte[] hash = filled(1);
        LeafEntry entry = new LeafEntry(Operation.CREATE, ResourceRef.parse("Patient/1/_history/1"), hash, filled(2));
        hash[0] = 0;
        entry.contentHash()[1] = 0;
        assertArrayEquals(filled(1), entry.contentHash());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Patient/123/_history/2", "Observation/a.b-C9/_history/1", "MedicationRequest/x/_history/12345"})
    void acceptsWellFormedReferences(String ref) {
        assertEquals(ref, ResourceRef.parse(ref).toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Patient/123",
                "Patient/123/_history/",
                "Patient/123/_history/02",
                "Patient/123/_history/0",
                "Patient/123/_history/1a",
                "patient/123/_history/1",
                "Pa tient/1/_history/1",
                "Patient/a_b/_history/1",
                "Patient//_history/1",
                "/123/_history/1",
                "Patient/123/_history/1/x",
                "Patient/\u00e9/_history/1",
                "Patient/12345678901234567890123456789012345678901234567890123456789012345/_history/1",
                "Patient/123/history/1",
                "http://x/Patient/1/_history/1"
            })
    void rejectsMalformedReferences(String ref) {
        assertThrows(IllegalArgumentException.class, () -> ResourceRef.parse(ref));
    }
}
