package dev.switchboard.simulator.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void tellsEnginesApartByHowTheyAreLaunched() {
        assertThat(Personality.detect(List.of("serve", "Qwen/X"))).isEqualTo(Personality.VLLM);
        assertThat(Personality.detect(List.of("-m", "sglang.launch_server", "--model-path", "X")))
                .isEqualTo(Personality.SGLANG);
        assertThat(Personality.detect(List.of("-m", "model.gguf"))).isEqualTo(Personality.LLAMA_CPP);
    }

    @Test
    void findsEachEnginesModelWhereItsCommandLineNamesIt() {
        Personality vllm = Personality.VLLM;
        CommandLine line = CommandLine.parse(vllm.engineArgs(List.of("serve", "Qwen/X", "--port", "1")), Set.of());

        assertThat(vllm.model(line)).hasValue("Qwen/X");
    }

    @Test
    void takesTheNextTokenAsValueUnlessItIsAFlag() {
        CommandLine line = CommandLine.parse(List.of("--port", "8080", "--embeddings", "--ctx-size", "512"), Set.of());

        assertThat(line.flags()).isEqualTo(Map.of("--port", "8080", "--embeddings", "", "--ctx-size", "512"));
    }

    @Test
    void readsEqualsFormAndNegativeNumbersAsValues() {
        CommandLine line = CommandLine.parse(List.of("--sim-crash-at-start=3", "--main-gpu", "-1"), Set.of());

        assertThat(line.integer(0, "--sim-crash-at-start")).isEqualTo(3);
        assertThat(line.integer(0, "-mg", "--main-gpu")).isEqualTo(-1);
    }

    @Test
    void neverGivesSwitchesAValue() {
        CommandLine line =
                CommandLine.parse(List.of("serve", "--enable-sleep-mode", "Qwen/X"), Set.of("--enable-sleep-mode"));

        assertThat(line.positionals()).containsExactly("serve", "Qwen/X");
    }

    @Test
    void keepsFlagsItDoesNotKnow() {
        CommandLine line = CommandLine.parse(List.of("--flash-attn", "on", "--temp", "0"), Set.of());

        assertThat(line.value("--flash-attn")).hasValue("on");
        assertThat(line.value("--temp")).hasValue("0");
    }

    @Test
    void rejectsNumbersThatAreNot() {
        CommandLine line = CommandLine.parse(List.of("--port", "eighty"), Set.of());

        assertThatThrownBy(() -> line.integer(8080, "--port")).isInstanceOf(UsageException.class);
    }

    @Test
    void takesKnobsFromTheEnvironmentUnlessAFlagSetsThem() {
        CommandLine line = CommandLine.parse(List.of("--sim-load-ms", "5"), Knobs.SWITCHES);

        Knobs knobs = Knobs.from(line, Map.of("SIM_LOAD_MS", "900", "SIM_TOKENS_PER_SECOND", "7", "SIM_HANG", "1"));

        assertThat(knobs.load().toMillis()).isEqualTo(5);
        assertThat(knobs.tokensPerSecond()).isEqualTo(7);
        assertThat(knobs.hang()).isTrue();
        assertThat(knobs.protocol()).isEqualTo(ProtocolForm.NEW);
    }
}
