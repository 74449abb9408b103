package org.fhiranchor.anchor.chain;

import java.util.Arrays;
import java.util.List;

/** Checks and copies for the 32-byte values (hashes, HMAC keys) the contract stores. */
final class Bytes32 {
    static final int LENGTH = 32;

    private Bytes32() {}

    static byte[] copyOf(byte[] value, String what) {
        if (value == null || value.length != LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be " + LENGTH + " bytes, got " + (value == null ? "null" : value.length));
        }
        return value.clone();
    }

    static List<byte[]> copyOf(List<byte[]> values, String what) {
        return values.stream().map(v -> copyOf(v, what)).toList();
    }

    static boolean isZero(byte[] value) {
        return Arrays.equals(value, new byte[LENGTH]);
    }
}
