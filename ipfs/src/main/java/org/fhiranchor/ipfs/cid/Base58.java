package org.fhiranchor.ipfs.cid;

import java.math.BigInteger;
import java.util.Arrays;

/** Bitcoin base58 (multibase prefix {@code z}; CIDv0 is base58btc without a prefix). */
public final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);

    private Base58() {}

    public static String encode(byte[] data) {
        int leadingZeros = 0;
        while (leadingZeros < data.length && data[leadingZeros] == 0) {
            leadingZeros++;
        }
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, data);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(FIFTY_EIGHT);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        out.append("1".repeat(leadingZeros));
        return out.reverse().toString();
    }

    public static byte[] decode(String text) {
        BigInteger value = BigInteger.ZERO;
        int leadingOnes = 0;
        while (leadingOnes < text.length() && text.charAt(leadingOnes) == '1') {
            leadingOnes++;
        }
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("invalid base58 character: '" + text.charAt(i) + "'");
            }
            value = value.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = value.toByteArray();
        // BigInteger may add a sign byte; strip it.
        if (magnitude.length > 1 && magnitude[0] == 0) {
            magnitude = Arrays.copyOfRange(magnitude, 1, magnitude.length);
        }
        if (value.signum() == 0) {
            magnitude = new byte[0];
        }
        byte[] out = new byte[leadingOnes + magnitude.length];
        System.arraycopy(magnitude, 0, out, leadingOnes, magnitude.length);
        return out;
    }
}
