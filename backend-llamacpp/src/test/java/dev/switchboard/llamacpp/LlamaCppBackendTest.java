package dev.switchboard.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.llamacpp.discovery.HubCacheFixture;
import dev.switchboard.llamacpp.gguf.GgmlType;
import dev.switchboard.llamacpp.gguf.GgufFixtures;
import dev.switchboard.llamacpp.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaCppBackendTest {

    private static final String MAIN = HubCacheFixture.commit("main");

    @TempDir
    Path temp;

    private Path cacheDir;
    private Path modelsDir;

    @BeforeEach
    void setUp() throws IOException {
        cacheDir = Files.createDirectories(temp.resolve("cache"));
        modelsDir = Files.createDirectories(temp.resolve("models"));
        new HubCacheFixture(cacheDir)
                .repo("ggml-org/gemma-3-4b-it-GGUF")
                .ref("main", MAIN)
                .file(MAIN, "gemma-3-4b-it-Q4_K_M.gguf", "not really a model");
        GgufFixtures.llama(modelsDir.resolve("tiny.gguf"), GgufFixtures.TINY);
    }

    private static Backend create(Map<String, Object> options) {
        BackendFactory factory = ServiceLoader.load(BackendFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.type().equals("llamacpp"))
                .findFirst()
                .orElseThrow();
        return factory.create(BackendConfig.of("llama", "llamacpp", options));
    }

    private Backend backend(Map<String, Object> extra) {
        Map<String, Object> options =
                new HashMap<>(Map.of("cacheDir", cacheDir.toString(), "modelsDir", modelsDir.toString()));
        options.putAll(extra);
        return create(options);
    }

    private static List<ModelDescriptor> scanAll(Backend backend) throws IOException {
        List<ModelDescriptor> models = new ArrayList<>();
        for (ModelSource source : backend.sources()) {
            models.addAll(source.scan());
        }
        return models;
    }

    private static ModelDescriptor model(Backend backend, String id) throws IOException {
        return scanAll(backend).stream()
                .filter(m -> m.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void isFoundThroughTheServiceLoaderAsLlamacpp() {
        assertThat(create(Map.of("hfCache", false))).isInstanceOf(LlamaCppBackend.class);
    }

    @Test
    void listsTheCacheAndTheModelsDirectory() throws IOException {
        Backend backend = backend(Map.of());

        assertThat(backend.sources()).hasSize(2);
        assertThat(scanAll(backend))
                .extracting(ModelDescriptor::id)
                .containsExactly("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M", "tiny");
        assertThat(scanAll(backend)).allSatisfy(m -> assertThat(m.backend()).isEqualTo("llama"));
    }

    @Test
    void theCacheCanBeLeftOut() throws IOException {
        assertThat(scanAll(backend(Map.of("hfCache", false))))
                .extracting(ModelDescriptor::id)
                .containsExactly("tiny");
    }

    @Test
    void aPresetConfiguresModelsAndRouterArgumentsWin() throws IOException {
        Path preset = Files.writeString(temp.resolve("models.ini"), "[*]\nc = 8192\n[tiny]\nc = 4096\nalias = t\n");

        ModelDescriptor tiny = model(
                backend(Map.of("modelsPreset", preset.toString(), "routerArgs", List.of("-c", "2048", "--jinja"))),
                "tiny");

        assertThat(tiny.args())
                .containsExactly("--model", modelsDir.resolve("tiny.gguf").toString(), "--ctx-size", "2048", "--jinja");
        assertThat(tiny.aliases()).containsExactly("t");
    }

    @Test
    void malformedRouterArgumentsAreRefusedAtCreation() {
        assertThatThrownBy(() -> backend(Map.of("routerArgs", List.of("--no-such-flag"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("backend 'llama': option 'routerArgs': invalid argument: --no-such-flag");
    }

    @Test
    void estimatesAModelFromItsGgufHeaders() throws IOException {
        Backend backend = backend(Map.of("routerArgs", List.of("-c", "1024")));

        MemoryEstimate estimate = backend.estimate(model(backend, "tiny"));

        long kvPerToken = 4L * 2 * 2 * 32 * 2; // layers × (K and V) × KV heads × head size × f16 bytes
        assertThat(estimate.kvCacheBytes()).isEqualTo(1024 * kvPerToken);
        assertThat(estimate.weightsBytes()).isPositive();
    }

    @Test
    void estimatesASplitModelFromAllItsShards() throws IOException {
        Path split = Files.createDirectories(modelsDir.resolve("split"));
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", 2)
                .tensor("blk.0.ffn_up.weight", GgmlType.F16, 1024, 1024)
                .write(split.resolve("split-F16-00001-of-00002.gguf"));
        new GgufWriter()
                .tensor("blk.1.ffn_up.weight", GgmlType.F16, 1024, 1024)
                .write(split.resolve("split-F16-00002-of-00002.gguf"));
        Backend backend = backend(Map.of("hfCache", false));

        assertThat(backend.estimate(model(backend, "split")).weightsBytes()).isEqualTo(2L * 1024 * 1024 * 2);
    }

    @Test
    void launchesTheConfiguredBinaryOnThePlacement() throws IOException {
        Backend backend = backend(Map.of("binary", "/opt/llama.cpp/build/bin/llama-server"));
        ModelDescriptor tiny = model(backend, "tiny");

        LaunchSpec spec = backend.launch(
                tiny, new Placement(List.of(1), List.of(), Map.of(1, 1L << 30)), new LaunchContext(40001, 8080));

        assertThat(spec.command()).startsWith("/opt/llama.cpp/build/bin/llama-server", "--model");
        assertThat(spec.command()).endsWith("--host", "127.0.0.1", "--port", "40001", "--alias", "tiny");
        assertThat(spec.environment())
                .containsEntry("CUDA_VISIBLE_DEVICES", "1")
                .containsEntry("LLAMA_SERVER_ROUTER_PORT", "8080");
    }
}
