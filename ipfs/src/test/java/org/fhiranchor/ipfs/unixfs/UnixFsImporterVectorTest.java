package org.fhiranchor.ipfs.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.fhiranchor.ipfs.cid.Cid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Byte-exact CIDs that Kubo publishes. Where a vector comes from is written next to it. The content of the
 * larger vectors is Kubo's deterministic ChaCha20 stream ({@link KuboDeterministicBytes}).
 *
 * <p>Kubo publishes no ChaCha20 vector for exactly our pinned parameters (CIDv1, raw leaves, 256 KiB, 174
 * links). The pinned import is the cross product of what these vectors fix: the 256 KiB / 174-link balanced
 * layout over two levels (unixfs-v0-2015 vectors, dag-pb leaves) and raw leaves under CIDv1 dag-pb parents
 * (unixfs-v1-2025 vectors). The small vectors fix the pinned parameters directly.
 */
class UnixFsImporterVectorTest {
    private static final int KIB_256 = 262_144;

    @Test
    void helloWorldUnderEveryProfile() throws IOException {
        // ipfs/kubo test/cli/add_test.go: shortStringCidV1, shortStringCidV0, shortStringCidV1NoRawLeaves.
        assertCid(
                "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
                ImportParams.KUBO_CIDV1_RAW_256K,
                hello());
        assertCid("Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD", ImportParams.KUBO_UNIXFS_V0_2015, hello());
        assertCid(
                "bafybeihykld7uyxzogax6vgyvag42y7464eywpf55gxi5qpoisibh3c5wa",
                new ImportParams(KIB_256, 174, false, 1),
                hello());
    }

    @Test
    void emptyFile() throws IOException {
        // ipfs/kubo test/sharness/t0040-add-and-cat.sh: "zero length file has correct hash" (with --raw-leaves)
        assertCid(
                "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
                ImportParams.KUBO_CIDV1_RAW_256K,
                new ByteArrayInputStream(new byte[0]));
        // same file, line 224 (default CIDv0 import)
        assertCid(
                "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
                ImportParams.KUBO_UNIXFS_V0_2015,
                new ByteArrayInputStream(new byte[0]));
    }

    @Test
    void v0ProfileAtAndOverChunkSize() throws IOException {
        // ipfs/kubo test/cli/cid_profiles_test.go, unixfsV02015 FileAtChunkSizeCID / FileOverChunkSizeCID.
        assertCid(
                "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE",
                ImportParams.KUBO_UNIXFS_V0_2015,
                new KuboDeterministicBytes(KIB_256, "chunk-v0-seed"));
        assertCid(
                "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ",
                ImportParams.KUBO_UNIXFS_V0_2015,
                new KuboDeterministicBytes(KIB_256 + 1, "chunk-v0-seed"));
    }

    @Test
    void v0ProfileAtAndOverMaxLinksBuildsSecondLevel() throws IOException {
        // ipfs/kubo test/cli/cid_profiles_test.go, unixfsV02015 FileAtMaxLinksCID / FileOverMaxLinksCID:
        // 174 * 256 KiB fills one level; one more byte forces a root with two children.
        assertCid(
                "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2",
                ImportParams.KUBO_UNIXFS_V0_2015,
                new KuboDeterministicBytes(174L * KIB_256, "v0-seed"));
        assertCid(
                "QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW",
                ImportParams.KUBO_UNIXFS_V0_2015,
                new KuboDeterministicBytes(174L * KIB_256 + 1, "v0-seed"));
    }

    @Test
    void v1ProfileRawLeavesAtAndOverChunkSize() throws IOException {
        // ipfs/kubo test/cli/cid_profiles_test.go, unixfsV12025 FileAtChunkSizeCID / FileOverChunkSizeCID.
        assertCid(
                "bafkreiacndfy443ter6qr2tmbbdhadvxxheowwf75s6zehscklu6ezxmta",
                ImportParams.KUBO_UNIXFS_V1_2025,
                new KuboDeterministicBytes(1_048_576, "chunk-v1-seed"));
        assertCid(
                "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64",
                ImportParams.KUBO_UNIXFS_V1_2025,
                new KuboDeterministicBytes(1_048_577, "chunk-v1-seed"));
    }

    /** 1 GiB each: a few seconds per vector; run with {@code -Dipfs.slowVectors=true}. */
    @Test
    @EnabledIfSystemProperty(named = "ipfs.slowVectors", matches = "true")
    void slowVectors() throws IOException {
        // ipfs/kubo test/cli/cid_profiles_test.go, unixfsV12025 FileAtMaxLinksCID / FileOverMaxLinksCID.
        assertCid(
                "bafybeihmf37wcuvtx4hpu7he5zl5qaf2ineo2lqlfrapokkm5zzw7zyhvm",
                ImportParams.KUBO_UNIXFS_V1_2025,
                new KuboDeterministicBytes(1024L * 1_048_576, "v1-2025-seed"));
        assertCid(
                "bafybeibdsi225ugbkmpbdohnxioyab6jsqrmkts3twhpvfnzp77xtzpyhe",
                ImportParams.KUBO_UNIXFS_V1_2025,
                new KuboDeterministicBytes(1024L * 1_048_576 + 1, "v1-2025-seed"));
        // ipfs/kubo test/cli/add_test.go: 262144KiB of seed "hello world", 256 KiB chunks, --max-file-links 1024.
        assertCid(
                "QmbBftNHWmjSWKLC49dMVrfnY8pjrJYntiAXirFJ7oJrNk",
                new ImportParams(KIB_256, 1024, false, 0),
                new KuboDeterministicBytes(262_144L * 1024, "hello world"));
    }

    private static InputStream hello() {
        return new ByteArrayInputStream("hello world".getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertCid(String expected, ImportParams params, InputStream content) throws IOException {
        assertEquals(Cid.parse(expected), new UnixFsImporter(params).computeCid(content));
    }
}
