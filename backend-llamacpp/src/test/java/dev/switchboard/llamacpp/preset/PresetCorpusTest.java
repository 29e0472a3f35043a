package dev.switchboard.llamacpp.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Real-world-looking preset files under {@code src/test/resources/presets}. */
class PresetCorpusTest {

    private static Path preset(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(PresetCorpusTest.class.getResource("/presets/" + name))
                .toURI());
    }

    private static PresetFile parse(String name) throws IOException, URISyntaxException {
        return PresetParser.parse(preset(name));
    }

    @Test
    void readsTheExampleFromTheLlamaServerReadme() throws Exception {
        PresetFile file = parse("good/readme-example.ini");

        assertThat(file.global().toArgs()).containsExactly("--ctx-size", "8192", "--n-gpu-layers", "8");
        assertThat(file.sections())
                .extracting(PresetSection::name)
                .containsExactly("ggml-org/MY-MODEL-GGUF:Q8_0", "custom_model");
        assertThat(file.section("ggml-org/MY-MODEL-GGUF:Q8_0")
                        .orElseThrow()
                        .options()
                        .toArgs())
                .containsExactly(
                        "--chat-template",
                        "chatml",
                        "--n-gpu-layers",
                        "123",
                        "--jinja",
                        "--ctx-size",
                        "4096",
                        "--cache-ram",
                        "0",
                        "--model-draft",
                        "/Users/abc/my-models/draft.gguf");
    }

    @Test
    void readsAHomelabSetupWithAliasesTagsAndRouterKeys() throws Exception {
        PresetFile file = parse("good/homelab.ini");

        assertThat(file.global().toArgs())
                .containsExactly("--ctx-size", "16384", "--flash-attn", "on", "--jinja", "--no-mmap");
        assertThat(file.global().get(LlamaArgs.STOP_TIMEOUT)).contains("30");
        PresetOptions coder = file.section("qwen3-coder").orElseThrow().options();
        assertThat(coder.get(LlamaArgs.ALIAS)).contains("coder, qwen-coder");
        assertThat(coder.get(LlamaArgs.TAGS)).contains("code,moe");
        assertThat(coder.get(LlamaArgs.LOAD_ON_STARTUP)).contains("true");
        assertThat(file.section("embed").orElseThrow().options().toArgs())
                .containsExactly(
                        "--hf-repo",
                        "ggml-org/embeddinggemma-300M-GGUF",
                        "--embeddings",
                        "--ubatch-size",
                        "2048",
                        "--batch-size",
                        "2048",
                        "--mmap");
    }

    @Test
    void readsMultiGpuOptionsUnderTheirShortNames() throws Exception {
        PresetFile file = parse("good/gpu-split.ini");

        assertThat(file.global().get(LlamaArgs.N_GPU_LAYERS)).contains("999");
        assertThat(file.section("llama-3.3-70b").orElseThrow().options().toArgs())
                .containsExactly(
                        "--model",
                        "/models/Llama-3.3-70B-Instruct-Q4_K_M-00001-of-00002.gguf",
                        "--tensor-split",
                        "3,1",
                        "--main-gpu",
                        "0",
                        "--split-mode",
                        "layer",
                        "--parallel",
                        "4",
                        "--cont-batching",
                        "--no-kv-offload");
    }

    @Test
    void readsWindowsLineEndingsAndPaths() throws Exception {
        PresetFile file = parse("good/windows-line-endings.ini");

        assertThat(file.section("phi-4").orElseThrow().options().get(LlamaArgs.MODEL))
                .contains("C:\\models\\phi-4-Q8_0.gguf");
    }

    @Test
    void readsTheDedupSwitchInTheDefaults() throws Exception {
        assertThat(parse("good/dedup.ini").global().get(LlamaArgs.DEDUP_CACHE_MODELS))
                .contains("true");
    }

    @Test
    void rejectsAnOptionLlamaServerDoesNotHave() {
        assertThatThrownBy(() -> parse("bad/unknown-key.ini"))
                .isInstanceOfSatisfying(PresetException.class, e -> {
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.key()).contains("context-size");
                })
                .hasMessageEndingWith("unknown-key.ini:6: option 'context-size' not recognized in preset 'mistral'");
    }

    @Test
    void rejectsAnUnknownEnvironmentName() {
        assertThatThrownBy(() -> parse("bad/unknown-env-key.ini"))
                .hasMessageEndingWith("unknown-env-key.ini:2: option 'LLAMA_ARG_CONTEXT' not recognized in preset '*'");
    }

    @Test
    void rejectsYesAsABoolean() {
        assertThatThrownBy(() -> parse("bad/bad-boolean.ini"))
                .hasMessageContaining("bad-boolean.ini:3: option 'jinja'");
    }

    @Test
    void rejectsAStopTimeoutWithAUnit() {
        assertThatThrownBy(() -> parse("bad/bad-stop-timeout.ini"))
                .hasMessageEndingWith("bad-stop-timeout.ini:2: option 'stop-timeout' takes whole seconds, got '10s'");
    }

    @Test
    void rejectsKeysWrittenWithDashes() {
        assertThatThrownBy(() -> parse("bad/dashed-key.ini"))
                .hasMessageContaining("dashed-key.ini:2: cannot parse line");
    }

    @Test
    void rejectsARepeatedSection() {
        assertThatThrownBy(() -> parse("bad/duplicate-section.ini"))
                .hasMessageEndingWith("duplicate-section.ini:4: section [mistral] appears twice");
    }
}
