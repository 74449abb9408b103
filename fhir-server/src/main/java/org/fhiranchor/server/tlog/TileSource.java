package org.fhiranchor.server.tlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fhiranchor.anchor.tlog.TilePath;
import org.fhiranchor.anchor.tlog.Tiles;
import org.fhiranchor.server.log.JdbcSubtreeHashes;
import org.fhiranchor.server.log.LogEntry;
import org.fhiranchor.server.log.LogRepository;

/**
 * Tiles and entry bundles read from the log's tables: hash tiles from the stored subtree hashes, entry bundles
 * from the sequenced entries. A tile exists at a width once the sequenced tree is large enough for it; every
 * narrower width of it exists too (it is a prefix, and what it holds never changes).
 */
public final class TileSource {

    private final LogRepository log;
    private final JdbcSubtreeHashes subtrees;

    public TileSource(LogRepository log, JdbcSubtreeHashes subtrees) {
        this.log = log;
        this.subtrees = subtrees;
    }

    /** The tile's bytes, or empty when the log is not (yet) large enough for it at that width. */
    public Optional<byte[]> read(TilePath tile) {
        long treeSize = log.head().treeSize();
        if (Tiles.widthAt(Math.max(tile.level(), 0), tile.index(), treeSize) < tile.width()) {
            return Optional.empty();
        }
        if (!tile.isEntries()) {
            return Optional.of(Tiles.hashTile(tile, subtrees));
        }
        long first = tile.index() * TilePath.FULL_WIDTH;
        List<LogEntry> entries = log.sequencedFrom(first, tile.width());
        List<byte[]> bytes = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).leafIndex() != first + i) {
                throw new IllegalStateException("leaf " + (first + i) + " is missing from the log table");
            }
            bytes.add(entries.get(i).leaf().encode());
        }
        if (bytes.size() != tile.width()) {
            throw new IllegalStateException(
                    "the log table holds " + bytes.size() + " of " + tile.width() + " leaves from " + first);
        }
        return Optional.of(Tiles.entryBundle(bytes));
    }
}
