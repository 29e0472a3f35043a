package dev.switchboard.llamacpp.preset;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LlamaArgsTest {

    @Test
    void presetKeysAreNamesWithoutDashesAndEnvNames() {
        assertThat(LlamaArgs.byPresetKey("c")).contains(LlamaArgs.CTX_SIZE);
        assertThat(LlamaArgs.byPresetKey("ctx-size")).contains(LlamaArgs.CTX_SIZE);
        assertThat(LlamaArgs.byPresetKey("LLAMA_ARG_CTX_SIZE")).contains(LlamaArgs.CTX_SIZE);
        assertThat(LlamaArgs.byPresetKey("hf")).contains(LlamaArgs.HF_REPO);
    }

    @Test
    void presetOnlyKeysHaveTheirPseudoEnvNames() {
        assertThat(LlamaArgs.byPresetKey("load-on-startup")).contains(LlamaArgs.LOAD_ON_STARTUP);
        assertThat(LlamaArgs.byPresetKey("__PRESET_STOP_TIMEOUT")).contains(LlamaArgs.STOP_TIMEOUT);
        assertThat(LlamaArgs.byPresetKey("dedup-cache-models")).contains(LlamaArgs.DEDUP_CACHE_MODELS);
    }

    @Test
    void negatedNamesFindTheirFlag() {
        assertThat(LlamaArgs.byPresetKey("no-mmap")).map(LlamaArg::mainName).contains("--mmap");
        assertThat(LlamaArgs.byCommandLineName("-nkvo")).map(LlamaArg::mainName).contains("--kv-offload");
    }

    @Test
    void theMainNameIsTheLastLongName() {
        assertThat(LlamaArgs.N_GPU_LAYERS.mainName()).isEqualTo("--n-gpu-layers");
        assertThat(LlamaArgs.HF_REPO.mainName()).isEqualTo("--hf-repo");
    }

    @Test
    void unknownNamesAreNotFound() {
        assertThat(LlamaArgs.byPresetKey("context")).isEmpty();
        assertThat(LlamaArgs.byCommandLineName("--load-on-startup")).isEmpty();
    }
}
