package org.fhiranchor.ipfs.unixfs;

/**
 * Every parameter that changes the CID of an imported file. Kubo's defaults have changed over the years
 * (CIDv0 to CIDv1, and the {@code unixfs-v1-2025} profile uses 1 MiB chunks and 1024 links), so the archive
 * never relies on a default: it pins {@link #KUBO_CIDV1_RAW_256K} and passes each value explicitly to Kubo.
 */
public record ImportParams(int chunkSize, int maxLinks, boolean rawLeaves, int cidVersion) {
    /** {@code ipfs add --cid-version=1 --raw-leaves --chunker=size-262144} with 174 links: the archive's rule. */
    public static final ImportParams KUBO_CIDV1_RAW_256K = new ImportParams(262_144, 174, true, 1);
    /** Kubo's legacy {@code unixfs-v0-2015} profile; kept because Kubo publishes vectors for it. */
    public static final ImportParams KUBO_UNIXFS_V0_2015 = new ImportParams(262_144, 174, false, 0);
    /** Kubo's {@code unixfs-v1-2025} profile; kept because Kubo publishes vectors for it. */
    public static final ImportParams KUBO_UNIXFS_V1_2025 = new ImportParams(1_048_576, 1024, true, 1);

    /** go-unixfs refuses leaves over 1 MiB; more would also exceed the usual 2 MiB bitswap block limit. */
    public static final int MAX_CHUNK_SIZE = 1_048_576;

    public ImportParams {
        if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize out of range: " + chunkSize);
        }
        if (maxLinks < 2) {
            throw new IllegalArgumentException("maxLinks must be at least 2: " + maxLinks);
        }
        if (cidVersion != 0 && cidVersion != 1) {
            throw new IllegalArgumentException("cidVersion must be 0 or 1: " + cidVersion);
        }
    }
}
