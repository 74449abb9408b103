package org.fhiranchor.anchor.tlog;

/**
 * A tile or entry bundle address (c2sp.org/tlog-tiles): {@code tile/<L>/<N>[.p/<W>]} or
 * {@code tile/entries/<N>[.p/<W>]}, where {@code N} is written in zero-padded 3-digit path elements, all but
 * the last starting with {@code x} ({@code 1234067} is {@code x001/x234/067}). Parsing is strict: a path
 * has exactly one spelling.
 *
 * @param level 0..63 for hash tiles; {@link #ENTRIES} for an entry bundle
 * @param index the tile's index within its level
 * @param width 1..256; 256 is a full tile (no {@code .p/} suffix)
 */
public record TilePath(int level, long index, int width) {

    public static final int ENTRIES = -1;
    public static final int HEIGHT = 8;
    public static final int FULL_WIDTH = 1 << HEIGHT;

    public TilePath {
        if (level < ENTRIES || level > 63) {
            throw new IllegalArgumentException("tile level must be 0..63");
        }
        if (index < 0) {
            throw new IllegalArgumentException("negative tile index");
        }
        if (width < 1 || width > FULL_WIDTH) {
            throw new IllegalArgumentException("tile width must be 1..256");
        }
    }

    public boolean isEntries() {
        return level == ENTRIES;
    }

    public boolean isPartial() {
        return width < FULL_WIDTH;
    }

    /** The path below the log's prefix, e.g. {@code tile/0/x001/234.p/7}. */
    public String path() {
        StringBuilder path = new StringBuilder("tile/")
                .append(isEntries() ? "entries" : Integer.toString(level))
                .append('/');
        String digits = Long.toString(index);
        int groups = (digits.length() + 2) / 3;
        digits = "0".repeat(groups * 3 - digits.length()) + digits;
        for (int g = 0; g < groups; g++) {
            if (g < groups - 1) {
                path.append('x');
            }
            path.append(digits, g * 3, g * 3 + 3);
            if (g < groups - 1) {
                path.append('/');
            }
        }
        if (isPartial()) {
            path.append(".p/").append(width);
        }
        return path.toString();
    }

    /** Parses a path of the form {@link #path()} returns. */
    public static TilePath parse(String path) throws NoteFormatException {
        if (!path.startsWith("tile/")) {
            throw new NoteFormatException("a tile path starts with tile/");
        }
        String[] parts = path.substring(5).split("/", -1);
        if (parts.length < 2) {
            throw new NoteFormatException("a tile path is tile/<L>/<N>[.p/<W>]");
        }
        int level;
        if (parts[0].equals("entries")) {
            level = ENTRIES;
        } else if (parts[0].matches("0|[1-9][0-9]?") && Integer.parseInt(parts[0]) <= 63) {
            level = Integer.parseInt(parts[0]);
        } else {
            throw new NoteFormatException("tile level must be entries or 0..63 without leading zeros");
        }
        int end = parts.length;
        int width = FULL_WIDTH;
        if (parts.length >= 3 && parts[parts.length - 2].endsWith(".p")) {
            String w = parts[parts.length - 1];
            if (!w.matches("[1-9][0-9]{0,2}") || Integer.parseInt(w) > 255) {
                throw new NoteFormatException("partial tile width must be 1..255 without leading zeros");
            }
            width = Integer.parseInt(w);
            end = parts.length - 1;
            parts[end - 1] = parts[end - 1].substring(0, parts[end - 1].length() - 2);
        }
        int groups = end - 1;
        if (groups > 7) {
            throw new NoteFormatException("tile index too large");
        }
        long index = 0;
        for (int g = 1; g < end; g++) {
            String element = parts[g];
            boolean last = g == end - 1;
            if (!(last ? element.matches("[0-9]{3}") : element.matches("x[0-9]{3}"))) {
                throw new NoteFormatException(
                        "tile index must be 3-digit path elements, all but the last starting with x");
            }
            index = index * 1000 + Integer.parseInt(last ? element : element.substring(1));
        }
        if (groups > 1 && parts[1].equals("x000")) {
            throw new NoteFormatException("tile index has a leading zero group");
        }
        if (index >= 1L << 56) {
            throw new NoteFormatException("tile index too large");
        }
        return new TilePath(level, index, width);
    }
}
