package dev.switchboard.app.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.llamacpp.discovery.HubCacheFixture;
import dev.switchboard.simulator.SimulatorCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models from the download cache next to a preset, as llama-server's router tests check them
 * ({@code test_router_dedup_cache_models} in {@code tools/server/tests/unit/test_router.py}). The
 * cache is found through {@code LLAMA_CACHE}, read from the environment, so the gateway runs as a
 * process of its own here.
 */
class RouterCacheParityTest {
    private static final String MAIN = HubCacheFixture.commit("main");
    private static final String CACHED = "ggml-org/test-model-stories260K:F32";
    private static final String OTHER_CACHED = "ggml-org/tinygemma3-GGUF:Q8_0";
    private static final String PRESET = """
            [model-dedup]
            hf-repo = ggml-org/test-model-stories260K
            """;

    @TempDir
    Path dir;

    private Path preset;
    private GatewayProcess gateway;
    private RouterClient api;

    @BeforeEach
    void fillTheCache() throws IOException {
        HubCacheFixture cache = new HubCacheFixture(Files.createDirectories(dir.resolve("cache")));
        cache.repo("ggml-org/test-model-stories260K").ref("main", MAIN).file(MAIN, "stories260K-F32.gguf", "f32");
        cache.repo("ggml-org/tinygemma3-GGUF").ref("main", MAIN).file(MAIN, "tinygemma3-Q8_0.gguf", "q8");
        preset = dir.resolve("presets.ini");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(String presetText) throws IOException {
        Files.writeString(preset, presetText);
        Map<String, String> env = new HashMap<>(new EngineJournal(dir.resolve("engines.journal")).engineEnvironment());
        env.put("LLAMA_CACHE", dir.resolve("cache").toString());
        Path llamaServer = SimulatorCommand.writeLauncher(dir.resolve("llama-server"));
        gateway = GatewayProcess.start(
                dir, env, "--models-preset", preset.toString(), "--llama-server", llamaServer.toString());
        api = gateway.client();
    }

    // test_router_dedup_cache_models, first part
    @Test
    void dedupCacheModelsHidesTheCachedModelBehindAPresetButKeepsItUsable() throws IOException {
        start(PRESET + "dedup-cache-models = 1\n");

        assertThat(api.modelIds(false)).contains("model-dedup", OTHER_CACHED).doesNotContain(CACHED);
        assertThat(api.post("/v1/chat/completions", RouterClient.chat(CACHED, 4))
                        .status())
                .isEqualTo(200);
    }

    // test_router_dedup_cache_models, with the preset edited and the list reloaded
    @Test
    void aReloadAppliesDedupCacheModelsAsThePresetNowSaysIncludingFromTheGlobalSection() throws IOException {
        start(PRESET + "dedup-cache-models = 1\n");

        Files.writeString(preset, PRESET);
        assertThat(api.modelIds(true)).contains(CACHED);

        Files.writeString(preset, "[*]\ndedup-cache-models = 1\n\n" + PRESET);
        assertThat(api.modelIds(true)).contains("model-dedup").doesNotContain(CACHED);
    }
}
