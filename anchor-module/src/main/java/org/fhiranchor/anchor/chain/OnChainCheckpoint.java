package org.fhiranchor.anchor.chain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A log head as the contract stores it.
 *
 * @param treeSize number of leaves
 * @param root RFC 9162 root hash, 32 bytes
 * @param blockNumber block the checkpoint transaction was mined in
 * @param timestamp that block's timestamp, Unix seconds
 */
public record OnChainCheckpoint(long treeSize, byte[] root, long blockNumber, long timestamp) {
    public OnChainCheckpoint {
        root = Bytes32.copyOf(root, "root");
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    /** Whether this checkpoint has exactly this root. */
    public boolean hasRoot(byte[] otherRoot) {
        return Arrays.equals(root, otherRoot);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnChainCheckpoint c
                && c.treeSize == treeSize
                && Arrays.equals(c.root, root)
                && c.blockNumber == blockNumber
                && c.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(treeSize) * 31 + Arrays.hashCode(root);
    }

    @Override
    public String toString() {
        return "OnChainCheckpoint[treeSize=" + treeSize + ", root="
                + HexFormat.of().formatHex(root) + ", blockNumber=" + blockNumber + ", timestamp=" + timestamp + "]";
    }
}
