package org.fhiranchor.ipfs.cid;

/** The two multibase encodings IPFS nodes print CIDs in: base32 lower ({@code b}) and base58btc ({@code z}). */
public enum Multibase {
    BASE32('b'),
    BASE58BTC('z');

    private final char prefix;

    Multibase(char prefix) {
        this.prefix = prefix;
    }

    public char prefix() {
        return prefix;
    }

    public String encode(byte[] data) {
        return prefix + (this == BASE32 ? Base32.encode(data) : Base58.encode(data));
    }

    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty multibase string");
        }
        String body = text.substring(1);
        return switch (text.charAt(0)) {
            case 'b' -> Base32.decode(body);
            case 'B' -> Base32.decode(body);
            case 'z' -> Base58.decode(body);
            default -> throw new IllegalArgumentException("unsupported multibase prefix: '" + text.charAt(0) + "'");
        };
    }
}
