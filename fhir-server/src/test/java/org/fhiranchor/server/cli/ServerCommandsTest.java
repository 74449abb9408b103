package org.fhiranchor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The jar's dispatch: commands run (with generated help and completion), anything else starts the server. */
class ServerCommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void configurationArgumentsAreNotACommand() throws Exception {
        assertThat(run()).isNull();
        assertThat(run("--server.port=0", "--fhir-anchor.data-dir=x")).isNull();
    }

    @Test
    void helpListsEveryCommand_andEachCommandHasItsOwn() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out())
                .contains("usage: fhir-anchor-server")
                .contains("token")
                .contains("sweep")
                .contains("restore")
                .contains("benchmark")
                .contains("user")
                .contains("client")
                .contains("generate-completion");
        out.reset();
        assertThat(run("sweep", "--help")).isZero();
        assertThat(out())
                .contains("usage: sweep")
                .contains("--page=N")
                .contains("default: 1000")
                .contains("http://127.0.0.1:8080/fhir");
        out.reset();
        assertThat(run("help", "restore")).isZero();
        assertThat(out()).contains("--archive-key-file=FILE");
        assertThat(run("help", "nope")).isEqualTo(2);
        out.reset();
        assertThat(run("client", "add", "--help")).isZero();
        assertThat(out()).contains("usage: client add").contains("--scope");
    }

    @Test
    void completionScriptKnowsTheCommandsAndTheirOptions() throws Exception {
        assertThat(run("generate-completion")).isZero();
        assertThat(out())
                .contains("complete -F")
                .contains("--archive-key-file")
                .contains("--verify-leaves")
                .contains("--create-key")
                .contains("reset-password")
                .contains("--jwks-file");
    }

    @Test
    void optionMistakesAreUsageErrors() throws Exception {
        assertThat(run("sweep", "--page", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--page").contains("usage: sweep");
        assertThat(run("sweep", "--pages", "10")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'--pages'");
        assertThat(run("benchmark", "--rounds")).isEqualTo(2);
    }

    private Integer run(String... args) throws Exception {
        return ServerCommands.run(
                args,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
