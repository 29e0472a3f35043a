package dev.switchboard.llamacpp.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PresetOptionsTest {

    private static PresetOptions cli(String... args) {
        return PresetOptions.fromCommandLine(List.of(args));
    }

    @Test
    void readsACommandLine() {
        PresetOptions options = cli("-c", "4096", "--jinja", "-ngl", "-1", "--no-mmap");

        assertThat(options.toArgs())
                .containsExactly("--ctx-size", "4096", "--jinja", "--n-gpu-layers", "-1", "--no-mmap");
    }

    @Test
    void anUnknownArgumentIsRefused() {
        assertThatThrownBy(() -> cli("--context", "4096")).hasMessage("invalid argument: --context");
    }

    @Test
    void aMissingValueIsRefused() {
        assertThatThrownBy(() -> cli("-c")).hasMessage("expected value for argument: -c");
    }

    @Test
    void presetOnlyKeysAreNotCommandLineArguments() {
        assertThatThrownBy(() -> cli("--stop-timeout", "5")).hasMessage("invalid argument: --stop-timeout");
    }

    @Test
    void rendersFlagsLikeLlamaCpp() {
        PresetOptions options = PresetOptions.empty()
                .with(LlamaArgs.byPresetKey("jinja").orElseThrow(), "true")
                .with(LlamaArgs.byPresetKey("mmap").orElseThrow(), "false")
                .with(LlamaArgs.byPresetKey("mlock").orElseThrow(), "false")
                .with(LlamaArgs.STOP_TIMEOUT, "5");

        assertThat(options.toArgs()).containsExactly("--jinja", "--no-mmap");
    }

    @Test
    void sectionWinsOverGlobalAndRouterWinsOverAll() {
        PresetOptions merged = PresetOptions.merge(
                PresetOptions.empty(),
                cli("-c", "1", "-np", "2", "-t", "8"),
                Optional.of(cli("-c", "3", "-np", "4")),
                cli("-c", "5"));

        assertThat(merged.toArgs()).containsExactly("--ctx-size", "5", "--parallel", "4", "--threads", "8");
    }

    @Test
    void globalDoesNotReplaceTheFilesOfADiscoveredModelWithoutSection() {
        PresetOptions merged = PresetOptions.merge(
                cli("-m", "/dir/a.gguf"), cli("-m", "/other.gguf", "-c", "1"), Optional.empty(), PresetOptions.empty());

        assertThat(merged.get(LlamaArgs.MODEL)).contains("/dir/a.gguf");
        assertThat(merged.get(LlamaArgs.CTX_SIZE)).contains("1");
    }

    @Test
    void aSectionOverridesADiscoveredModel() {
        PresetOptions merged = PresetOptions.merge(
                cli("-m", "/dir/a.gguf", "-c", "1"),
                PresetOptions.empty(),
                Optional.of(cli("-m", "/better/a.gguf")),
                PresetOptions.empty());

        assertThat(merged.toArgs()).containsExactly("--model", "/better/a.gguf", "--ctx-size", "1");
    }

    @Test
    void withoutDropsOptions() {
        assertThat(cli("-c", "1", "--port", "8080")
                        .without(List.of(LlamaArgs.PORT))
                        .toArgs())
                .containsExactly("--ctx-size", "1");
    }
}
