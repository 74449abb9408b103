package org.fhiranchor.server.anchoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

class ChainAccountKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void createdOnce_ownerOnly_reusedAfterwards() throws Exception {
        Path file = dir.resolve("keys").resolve("chain-signer.key");
        String first = ChainAccountKeyFile.loadOrCreate(file);
        assertThat(first).matches("[0-9a-f]{64}");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(ChainAccountKeyFile.loadOrCreate(file)).isEqualTo(first);
    }

    @Test
    void encryptedKeystore_unlocksWithItsPassword_only() throws Exception {
        var keys = Keys.createEcKeyPair();
        String name = WalletUtils.generateWalletFile("correct horse", keys, dir.toFile(), false);
        Path keystore = dir.resolve(name);
        String key = ChainAccountKeyFile.unlockKeystore(keystore, "correct horse");
        assertThat(Credentials.create(key).getAddress())
                .isEqualTo(Credentials.create(keys).getAddress());
        assertThatThrownBy(() -> ChainAccountKeyFile.unlockKeystore(keystore, "wrong"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("wrong");
    }
}
