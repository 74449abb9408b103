package org.fhiranchor.anchor.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each {@code with...} copy of {@link AnvilNode.Options} changes its own fields and keeps every other one. */
class AnvilNodeOptionsTest {

    private static final AnvilNode.Options ALL_SET = new AnvilNode.Options(
            Path.of("/opt/anvil"),
            8545,
            7,
            Path.of("state.json"),
            5,
            2,
            30_000_000L,
            Path.of("anvil.log"),
            Duration.ofSeconds(9));

    @Test
    void eachCopyChangesOnlyItsOwnFields() {
        assertThat(ALL_SET.withPort(1))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/opt/anvil"),
                        1,
                        7,
                        Path.of("state.json"),
                        5,
                        2,
                        30_000_000L,
                        Path.of("anvil.log"),
                        Duration.ofSeconds(9)));
        assertThat(ALL_SET.withChainId(1))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/opt/anvil"),
                        8545,
                        1,
                        Path.of("state.json"),
                        5,
                        2,
                        30_000_000L,
                        Path.of("anvil.log"),
                        Duration.ofSeconds(9)));
        assertThat(ALL_SET.withState(Path.of("other.json"), 1))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/opt/anvil"),
                        8545,
                        7,
                        Path.of("other.json"),
                        1,
                        2,
                        30_000_000L,
                        Path.of("anvil.log"),
                        Duration.ofSeconds(9)));
        assertThat(ALL_SET.withBlockTime(1))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/opt/anvil"),
                        8545,
                        7,
                        Path.of("state.json"),
                        5,
                        1,
                        30_000_000L,
                        Path.of("anvil.log"),
                        Duration.ofSeconds(9)));
        assertThat(ALL_SET.withGasLimit(1))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/opt/anvil"),
                        8545,
                        7,
                        Path.of("state.json"),
                        5,
                        2,
                        1L,
                        Path.of("anvil.log"),
                        Duration.ofSeconds(9)));
        assertThat(ALL_SET.withBinary(Path.of("/bin/x")))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/bin/x"),
                        8545,
                        7,
                        Path.of("state.json"),
                        5,
                        2,
                        30_000_000L,
                        Path.of("anvil.log"),
                        Duration.ofSeconds(9)));
        assertThat(ALL_SET.withLogFile(Path.of("x.log")))
                .isEqualTo(new AnvilNode.Options(
                        Path.of("/opt/anvil"),
                        8545,
                        7,
                        Path.of("state.json"),
                        5,
                        2,
                        30_000_000L,
                        Path.of("x.log"),
                        Duration.ofSeconds(9)));
    }

    @Test
    void aCopyLeavesTheOriginalAsItWas() {
        AnvilNode.Options defaults = AnvilNode.Options.defaults();
        defaults.withPort(1234).withChainId(5);
        assertThat(defaults).isEqualTo(AnvilNode.Options.defaults());
        assertThat(defaults.port()).isZero();
        assertThat(defaults.chainId()).isEqualTo(31337);
    }
}
