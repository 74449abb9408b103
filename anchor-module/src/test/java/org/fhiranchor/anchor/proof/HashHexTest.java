package org.fhiranchor.anchor.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A hash in a proof or export is exactly 64 lowercase hex digits; every other spelling is refused. */
class HashHexTest {

    @Test
    void lowercaseRoundTripsAndOtherSpellingsAreRefused() {
        byte[] hash = new byte[32];
        for (int i = 0; i < hash.length; i++) {
            hash[i] = (byte) (0xa0 + i);
        }
        String hex = HexFormat.of().formatHex(hash);
        assertArrayEquals(hash, HashHex.parse(hex));
        assertThrows(IllegalArgumentException.class, () -> HashHex.parse(hex.toUpperCase()));
        assertThrows(IllegalArgumentException.class, () -> HashHex.parse(hex.substring(2)));
        assertThrows(IllegalArgumentException.class, () -> HashHex.parse(hex + "00"));
        assertThrows(IllegalArgumentException.class, () -> HashHex.parse(null));
    }
}
