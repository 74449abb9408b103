package org.fhiranchor.ipfs.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.fhiranchor.ipfs.cid.Cid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Kubo's vectors for exactly the archive's pinned import ({@code ipfs add --cid-version=1}: raw leaves, 256 KiB,
 * 174 links), from ipfs/kubo test/sharness/t0040-add-and-cat.sh as of commit affb14828 (the parent of
 * 4d210882c, which moved the test data to math/rand/v2): test_add_cat_5MB and test_add_cat_expensive. 100 MB is
 * 400 chunks, so the tree has two levels. The content needs Go's seed table, so this runs only with
 * {@code -Dipfs.goRngGo=/path/to/go/src/math/rand/rng.go}; it passed when these vectors were added.
 */
@EnabledIfSystemProperty(named = "ipfs.goRngGo", matches = ".+")
class PinnedParamsGoVectorTest {
    @Test
    void fiveMegabytesSeed41() throws Exception {
        check(
                41,
                5_242_880,
                "5b8c4bc8f87ea2fcfc3d55708b8cac2aadf12862",
                "bafybeifwdkm32fmukqwh3jofm6ma76bcqvn6opxstsnzmya7utboi4cb2m");
    }

    @Test
    void hundredMegabytesSeed42TwoLevels() throws Exception {
        check(
                42,
                104_857_600,
                "1e8c04d7cd019cc0acf0311a8ca6cf2c18413c96",
                "bafybeibdfw7nsmb3erhej2k6v4eopaswsf5yfv2ikweqa3qsc5no4jywqu");
    }

    private static void check(long seed, long size, String sha1OfContent, String expectedCid) throws Exception {
        long[] table = GoMathRandBytes.loadTable(Path.of(System.getProperty("ipfs.goRngGo")));
        // The sharness test pins the content by SHA-1 too: proves the generator before trusting the CID comparison.
        assertEquals(sha1OfContent, sha1(new GoMathRandBytes(table, seed, size)));
        Cid cid =
                new UnixFsImporter(ImportParams.KUBO_CIDV1_RAW_256K).computeCid(new GoMathRandBytes(table, seed, size));
        assertEquals(Cid.parse(expectedCid), cid);
    }

    private static String sha1(InputStream content) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        try (InputStream in = new DigestInputStream(content, sha1)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha1.digest());
    }
}
