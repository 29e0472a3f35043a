package dev.switchboard.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.llamacpp.discovery.CacheDirectories;
import dev.switchboard.llamacpp.discovery.HfCacheSource;
import dev.switchboard.llamacpp.discovery.HubCacheFixture;
import dev.switchboard.llamacpp.discovery.ModelMetadata;
import dev.switchboard.llamacpp.discovery.ModelsDirSource;
import dev.switchboard.llamacpp.preset.PresetException;
import dev.switchboard.llamacpp.preset.PresetOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterCatalogTest {

    private static final String MAIN = HubCacheFixture.commit("main");
    private static final String CACHED = "ggml-org/gemma-3-4b-it-GGUF:Q4_K_M";

    @TempDir
    Path temp;

    private Path modelsDir;
    private Path preset;
    private Path cachedFile;
    private Path localFile;

    @BeforeEach
    void setUp() throws IOException {
        HubCacheFixture cache = new HubCacheFixture(Files.createDirectories(temp.resolve("cache")));
        cachedFile = cache.repo("ggml-org/gemma-3-4b-it-GGUF")
                .ref("main", MAIN)
                .file(MAIN, "gemma-3-4b-it-Q4_K_M.gguf", "c");
        modelsDir = Files.createDirectories(temp.resolve("models"));
        localFile = Files.writeString(modelsDir.resolve("qwen3-8b.gguf"), "l");
        preset = temp.resolve("models.ini");
    }

    private RouterCatalog catalog(String presetText, String... routerArgs) throws IOException {
        Files.writeString(preset, presetText);
        return new RouterCatalog(
                "llama",
                Optional.of(new HfCacheSource(CacheDirectories.of(temp.resolve("cache")), "llama")),
                Optional.of(new ModelsDirSource(modelsDir, "llama")),
                Optional.of(preset),
                PresetOptions.fromCommandLine(List.of(routerArgs)));
    }

    private static ModelDescriptor model(List<ModelDescriptor> models, String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void listsEveryModelOfEverySourceOnce() throws IOException {
        List<ModelDescriptor> models =
                catalog("[custom]\nmodel = /srv/custom.gguf\n").scan();

        assertThat(models).extracting(ModelDescriptor::id).containsExactly(CACHED, "qwen3-8b", "custom");
        assertThat(models)
                .extracting(m -> m.metadata().get(ModelMetadata.ORIGIN))
                .containsExactly(ModelMetadata.CACHE, ModelMetadata.MODELS_DIR, ModelMetadata.PRESET);
    }

    @Test
    void aSectionNamedLikeADiscoveredModelConfiguresIt() throws IOException {
        ModelDescriptor qwen =
                model(catalog("[qwen3-8b]\nc = 4096\njinja = on\n").scan(), "qwen3-8b");

        assertThat(qwen.args()).containsExactly("--model", localFile.toString(), "--ctx-size", "4096", "--jinja");
        assertThat(qwen.files()).containsExactly(localFile);
        assertThat(qwen.metadata()).containsEntry(ModelMetadata.ORIGIN, ModelMetadata.PRESET);
    }

    @Test
    void theStarSectionAppliesToEveryModel() throws IOException {
        List<ModelDescriptor> models = catalog("[*]\nc = 8192\n").scan();

        assertThat(model(models, CACHED).args())
                .containsExactly("--model", cachedFile.toString(), "--ctx-size", "8192");
        assertThat(model(models, "qwen3-8b").args()).contains("--ctx-size", "8192");
    }

    @Test
    void routerArgumentsWinOverPresetValues() throws IOException {
        ModelDescriptor qwen = model(
                catalog("[*]\nc = 8192\n[qwen3-8b]\nc = 4096\n", "-c", "2048").scan(), "qwen3-8b");

        assertThat(qwen.args()).containsExactly("--model", localFile.toString(), "--ctx-size", "2048");
    }

    @Test
    void routerArgumentsCannotChooseTheModelOrItsAlias() throws IOException {
        ModelDescriptor qwen = model(
                catalog("", "-m", "/other.gguf", "--alias", "x", "--temp", "0").scan(), "qwen3-8b");

        assertThat(qwen.args()).containsExactly("--model", localFile.toString(), "--temp", "0");
        assertThat(qwen.aliases()).isEmpty();
    }

    @Test
    void optionsTheRouterOwnsAreDropped() throws IOException {
        ModelDescriptor qwen = model(
                catalog("[*]\napi-key = secret\nmodels-max = 2\nport = 9999\n[qwen3-8b]\nssl-key-file = /k.pem\n")
                        .scan(),
                "qwen3-8b");

        assertThat(qwen.args()).containsExactly("--model", localFile.toString());
    }

    @Test
    void aSectionWithAModelPathDefinesANewModel() throws IOException {
        Path file = Files.writeString(temp.resolve("custom-Q4_K_M.gguf"), "12345");
        Path mmproj = Files.writeString(temp.resolve("mmproj.gguf"), "123");

        ModelDescriptor custom = model(
                catalog("[custom]\nmodel = " + file + "\nmmproj = " + mmproj + "\n")
                        .scan(),
                "custom");

        assertThat(custom.source()).isEqualTo(file.toString());
        assertThat(custom.files()).containsExactly(file, mmproj);
        assertThat(custom.metadata()).containsEntry(ModelMetadata.SIZE_BYTES, 8L);
    }

    @Test
    void aSectionWithACachedHfRepoLoadsItByRepoAndKnowsItsFiles() throws IOException {
        ModelDescriptor gemma = model(
                catalog("[gemma]\nhf-repo = ggml-org/gemma-3-4b-it-GGUF\n").scan(), "gemma");

        assertThat(gemma.source()).isEqualTo("ggml-org/gemma-3-4b-it-GGUF");
        assertThat(gemma.args()).containsExactly("--hf-repo", "ggml-org/gemma-3-4b-it-GGUF");
        assertThat(gemma.files()).containsExactly(cachedFile);
        assertThat(gemma.metadata())
                .containsEntry(ModelMetadata.ORIGIN, ModelMetadata.PRESET)
                .containsEntry(ModelMetadata.QUANTIZATION, "Q4_K_M");
    }

    @Test
    void aSectionWithAnHfRepoNotYetDownloadedHasNoFiles() throws IOException {
        ModelDescriptor coder =
                model(catalog("[coder]\nhf = unsloth/Qwen3-Coder-GGUF:Q4_K_M\n").scan(), "coder");

        assertThat(coder.files()).isEmpty();
        assertThat(coder.args()).containsExactly("--hf-repo", "unsloth/Qwen3-Coder-GGUF:Q4_K_M");
    }

    @Test
    void aSectionThatNamesNoModelIsSkipped() throws IOException {
        assertThat(catalog("[ghost]\nc = 4096\n").scan())
                .extracting(ModelDescriptor::id)
                .doesNotContain("ghost");
    }

    @Test
    void routerKeysBecomeDescriptorFields() throws IOException {
        ModelDescriptor qwen = model(
                catalog(
                                "[qwen3-8b]\nalias = coder, qwen ,coder\ntags = code,moe\nload-on-startup = true\nstop-timeout = 30\n")
                        .scan(),
                "qwen3-8b");

        assertThat(qwen.aliases()).containsExactly("coder", "qwen");
        assertThat(qwen.tags()).containsExactly("code", "moe");
        assertThat(qwen.loadOnStartup()).isTrue();
        assertThat(qwen.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(qwen.args()).containsExactly("--model", localFile.toString());
    }

    @Test
    void stopTimeoutDefaultsToTenSeconds() throws IOException {
        assertThat(model(catalog("").scan(), "qwen3-8b").stopTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anAliasThatIsAnotherModelsNameIsAnError() throws IOException {
        RouterCatalog catalog = catalog("\n[custom]\nmodel = /m.gguf\nalias = qwen3-8b\n");

        assertThatThrownBy(catalog::scan)
                .isInstanceOfSatisfying(
                        PresetException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageEndingWith("alias 'qwen3-8b' for model 'custom' conflicts with existing model name");
    }

    @Test
    void anAliasUsedTwiceIsAnError() throws IOException {
        RouterCatalog catalog = catalog("[a]\nmodel = /a.gguf\nalias = x\n[b]\nmodel = /b.gguf\nalias = x\n");

        assertThatThrownBy(catalog::scan)
                .hasMessageEndingWith("alias 'x' for model 'b' conflicts with alias of model 'a'");
    }

    @Test
    void dedupHidesTheCachedModelThatAPresetLoads() throws IOException {
        List<ModelDescriptor> models = catalog(
                        "[*]\ndedup-cache-models = true\n[gemma]\nhf-repo = ggml-org/gemma-3-4b-it-GGUF:Q4_K_M\n")
                .scan();

        assertThat(model(models, CACHED).unlisted()).isTrue();
        assertThat(model(models, "gemma").unlisted()).isFalse();
    }

    @Test
    void withoutDedupTheCachedModelStaysListed() throws IOException {
        List<ModelDescriptor> models = catalog("[gemma]\nhf-repo = ggml-org/gemma-3-4b-it-GGUF:Q4_K_M\n")
                .scan();

        assertThat(model(models, CACHED).unlisted()).isFalse();
    }

    @Test
    void eachSourceListsTheModelsThatEndUpFromIt() throws IOException {
        List<ModelSource> sources =
                catalog("[qwen3-8b]\nc = 1\n[custom]\nmodel = /c.gguf\n").sources();

        assertThat(sources)
                .extracting(ModelSource::describe)
                .containsExactly(
                        "hf-cache " + temp.resolve("cache"), "models-dir " + modelsDir, "models-preset " + preset);
        assertThat(sources.get(0).scan()).extracting(ModelDescriptor::id).containsExactly(CACHED);
        assertThat(sources.get(1).scan()).isEmpty();
        assertThat(sources.get(2).scan()).extracting(ModelDescriptor::id).containsExactly("qwen3-8b", "custom");
    }
}
