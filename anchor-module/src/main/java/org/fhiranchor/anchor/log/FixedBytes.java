package org.fhiranchor.anchor.log;

import java.util.Objects;

/** The length check and defensive copy of fixed-length byte values (hashes, salts) held by records. */
public final class FixedBytes {

    private FixedBytes() {}

    /**
     * A copy of {@code bytes}, which must be {@code length} long.
     *
     * @throws NullPointerException when {@code bytes} is null (the message names {@code what})
     * @throws IllegalArgumentException when it has another length
     */
    public static byte[] copy(byte[] bytes, int length, String what) {
        Objects.requireNonNull(bytes, what);
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + bytes.length);
        }
        return bytes.clone();
    }
}
