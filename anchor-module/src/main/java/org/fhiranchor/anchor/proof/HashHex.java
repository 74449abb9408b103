package org.fhiranchor.anchor.proof;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A 32-byte hash as FHIR Anchor formats write it: exactly 64 lowercase hex digits. {@link HexFormat} does the
 * decoding; this only refuses the other spellings it would accept (uppercase), because two spellings of one hash
 * invite mismatched comparisons.
 */
public final class HashHex {

    private static final Pattern LOWERCASE_64 = Pattern.compile("[0-9a-f]{64}");

    private HashHex() {}

    /** The 32 bytes of {@code hex}; throws {@link IllegalArgumentException} unless it is 64 lowercase hex digits. */
    public static byte[] parse(String hex) {
        if (hex == null || !LOWERCASE_64.matcher(hex).matches()) {
            throw new IllegalArgumentException("expected 64 lowercase hex digits, got "
                    + (hex == null ? "nothing" : hex.length() + " characters"));
        }
        return HexFormat.of().parseHex(hex);
    }
}
