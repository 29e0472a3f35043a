package dev.switchboard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineCommandTest {

    @Test
    void putsTheModelArgsLast() {
        List<String> command = EngineCommand.withModelArgs(List.of("--enforce-eager"))
                .add("serve", "org/model")
                .option("--host", "127.0.0.1")
                .build();

        assertThat(command).containsExactly("serve", "org/model", "--host", "127.0.0.1", "--enforce-eager");
    }

    @Test
    void leavesOutOptionsTheModelArgsSet() {
        List<String> command = EngineCommand.withModelArgs(List.of("--host=0.0.0.0"))
                .option("--host", "127.0.0.1")
                .build();

        assertThat(command).containsExactly("--host=0.0.0.0");
    }

    @Test
    void leavesOutOptionsTheModelArgsSetThroughAnAlias() {
        List<String> command = EngineCommand.withModelArgs(List.of("-tp", "4"))
                .option("--tensor-parallel-size", 2, "-tp")
                .build();

        assertThat(command).containsExactly("-tp", "4");
    }

    @Test
    void addsASwitchOnce() {
        List<String> command = EngineCommand.withModelArgs(List.of("--enable-sleep-mode"))
                .flag("--enable-sleep-mode")
                .build();

        assertThat(command).containsExactly("--enable-sleep-mode");
    }

    @Test
    void refusesModelArgsThatSetAnOwnedFlag() {
        EngineCommand command = EngineCommand.withModelArgs(List.of("--port", "8000"));

        assertThatThrownBy(() -> command.owned("--port", 41234))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--port");
    }
}
