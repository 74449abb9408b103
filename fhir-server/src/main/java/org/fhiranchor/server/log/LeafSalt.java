package org.fhiranchor.server.log;

import java.security.SecureRandom;

/** The random salt of a leaf entry (docs/verification.md section 2): 32 bytes, new for every version. */
public final class LeafSalt {

    public static final int LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private LeafSalt() {}

    public static byte[] next() {
        byte[] salt = new byte[LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
