package org.fhiranchor.ipfs.unixfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes of Kubo's former {@code random-data -size=N -seed=S} (ipfs/go-test before its math/rand/v2 switch):
 * Go's math/rand additive lagged Fibonacci source seeded with S, read 7 bytes per Int63 value, low byte first.
 * Go seeds that generator from a table of 607 constants ({@code rngCooked} in Go's src/math/rand/rng.go) that this
 * repository does not carry; {@link #loadTable} reads it from a copy of that file.
 */
final class GoMathRandBytes extends InputStream {
    private static final int LENGTH = 607;
    private static final int TAP = 273;
    private static final int INT32_MAX = Integer.MAX_VALUE;

    private final long[] vec = new long[LENGTH];
    private int tap;
    private int feed = LENGTH - TAP;
    private long remaining;
    private long value;
    private int bytesLeftInValue;

    GoMathRandBytes(long[] cookedTable, long seed, long size) {
        this.remaining = size;
        seed %= INT32_MAX;
        if (seed < 0) {
            seed += INT32_MAX;
        }
        if (seed == 0) {
            seed = 89_482_311;
        }
        int x = (int) seed;
        for (int i = -20; i < LENGTH; i++) {
            x = next(x);
            if (i >= 0) {
                long u = (long) x << 40;
                x = next(x);
                u ^= (long) x << 20;
                x = next(x);
                u ^= x;
                vec[i] = u ^ cookedTable[i];
            }
        }
    }

    /** The 607 signed 64-bit constants of {@code rngCooked}, in order, from Go's rng.go. */
    static long[] loadTable(Path rngGo) throws IOException {
        String source = Files.readString(rngGo);
        int start = source.indexOf("rngCooked [rngLen]int64 = [...]int64{");
        if (start < 0) {
            throw new IOException("no rngCooked table in " + rngGo);
        }
        Matcher numbers = Pattern.compile("-?\\d{6,}").matcher(source.substring(start, source.indexOf('}', start)));
        long[] table = new long[LENGTH];
        int count = 0;
        while (numbers.find()) {
            if (count == LENGTH) {
                throw new IOException("more than 607 numbers in the rngCooked table");
            }
            table[count++] = Long.parseLong(numbers.group());
        }
        if (count != LENGTH) {
            throw new IOException("expected 607 numbers in the rngCooked table, found " + count);
        }
        return table;
    }

    /** Park-Miller minimal standard step, x * 48271 mod (2^31 - 1), by Schrage's method as Go does it. */
    private static int next(int x) {
        int hi = x / 44_488;
        int lo = x % 44_488;
        x = 48_271 * lo - 3_399 * hi;
        return x < 0 ? x + INT32_MAX : x;
    }

    long int63() {
        if (--tap < 0) {
            tap += LENGTH;
        }
        if (--feed < 0) {
            feed += LENGTH;
        }
        long x = vec[feed] + vec[tap];
        vec[feed] = x;
        return x & Long.MAX_VALUE;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int offset, int length) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(length, remaining);
        for (int i = 0; i < n; i++) {
            if (bytesLeftInValue == 0) {
                value = int63();
                bytesLeftInValue = 7;
            }
            out[offset + i] = (byte) value;
            value >>= 8;
            bytesLeftInValue--;
        }
        remaining -= n;
        return n;
    }
}
