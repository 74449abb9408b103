package org.fhiranchor.anchor.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
    void eachCopyChangesOnlyItsOwnFields() throws Exception {
        AnvilNode.Options port = ALL_SET.withPort(1);
        assertThat(changed(ALL_SET, port)).containsExactly("port");
        assertThat(port.port()).isEqualTo(1);

        AnvilNode.Options chain = ALL_SET.withChainId(1);
        assertThat(changed(ALL_SET, chain)).containsExactly("chainId");
        assertThat(chain.chainId()).isEqualTo(1);

        AnvilNode.Options state = ALL_SET.withState(Path.of("other.json"), 1);
        assertThat(changed(ALL_SET, state)).containsExactly("stateFile", "stateIntervalSeconds");
        assertThat(state.stateFile()).isEqualTo(Path.of("other.json"));
        assertThat(state.stateIntervalSeconds()).isEqualTo(1);

        AnvilNode.Options blocks = ALL_SET.withBlockTime(1);
        assertThat(changed(ALL_SET, blocks)).containsExactly("blockTimeSeconds");
        assertThat(blocks.blockTimeSeconds()).isEqualTo(1);

        AnvilNode.Options gas = ALL_SET.withGasLimit(1);
        assertThat(changed(ALL_SET, gas)).containsExactly("gasLimit");
        assertThat(gas.gasLimit()).isEqualTo(1);

        AnvilNode.Options binary = ALL_SET.withBinary(Path.of("/bin/x"));
        assertThat(changed(ALL_SET, binary)).containsExactly("binary");
        assertThat(binary.binary()).isEqualTo(Path.of("/bin/x"));

        AnvilNode.Options log = ALL_SET.withLogFile(Path.of("x.log"));
        assertThat(changed(ALL_SET, log)).containsExactly("logFile");
        assertThat(log.logFile()).isEqualTo(Path.of("x.log"));
    }

    @Test
    void aCopyLeavesTheOriginalAsItWas() {
        AnvilNode.Options defaults = AnvilNode.Options.defaults();
        defaults.withPort(1234).withChainId(5);
        assertThat(defaults).isEqualTo(AnvilNode.Options.defaults());
        assertThat(defaults.port()).isZero();
        assertThat(defaults.chainId()).isEqualTo(31337);
    }

    /** The names of the record components whose values differ between the two options. */
    private static Set<String> changed(AnvilNode.Options before, AnvilNode.Options after) throws Exception {
        Set<String> names = new TreeSet<>();
        for (RecordComponent component : AnvilNode.Options.class.getRecordComponents()) {
            Object was = component.getAccessor().invoke(before);
            Object is = component.getAccessor().invoke(after);
            if (!Objects.equals(was, is)) {
                names.add(component.getName());
            }
        }
        return names;
    }
}
