package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.config.AppConfig;
import dev.switchboard.app.config.ConfigLoader;
import dev.switchboard.app.config.GpuSetting;
import dev.switchboard.core.backend.BackendRegistry;
import dev.switchboard.core.command.CommandLine;
import dev.switchboard.core.lifecycle.GroupPolicy;
import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.BackendFactory;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example file loads, and its backends start where their jars are on the classpath. */
class ExampleConfigsTest {
    private static final Path EXAMPLES = Path.of("src/main/resources");
    private static final Map<String, String> ENV = Map.of(
            "HOME", "/home/demo",
            "SWITCHBOARD_API_KEY", "sk-example",
            "LLAMA_SWAP_KEY", "sk-swap",
            "SWITCHBOARD_SIMULATOR", "java -cp simulator.jar dev.switchboard.simulator.Main");
    private static final BackendRegistry REGISTRY = BackendRegistry.discover();

    private static AppConfig load(String name) {
        return ConfigLoader.withEnvironment(ENV).load(EXAMPLES.resolve(name));
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static ModelDescriptor model(AppConfig config, String id) {
        return config.gateway().models().stream()
                .filter(m -> m.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void loadsAndItsAvailableBackendsAcceptTheirOptions(Path file) throws IOException {
        AppConfig config = ConfigLoader.withEnvironment(ENV).load(file);

        assertThat(config.gateway().models()).isNotEmpty();
        for (BackendConfig backend : config.gateway().backends()) {
            Optional<BackendFactory> factory = REGISTRY.factory(backend.type());
            if (factory.isPresent()) {
                try (Backend created = factory.get().create(backend)) {
                    for (ModelSource source : created.sources()) {
                        source.scan();
                    }
                }
            }
        }
    }

    @Test
    void theModelsPresetListsItsSectionsAsModels() throws IOException {
        BackendConfig llama = load("multi-engine.yaml").gateway().backends().getFirst();
        BackendFactory factory = REGISTRY.factory("llamacpp").orElseThrow();

        List<String> ids = new ArrayList<>();
        try (Backend backend = factory.create(llama)) {
            for (ModelSource source : backend.sources()) {
                source.scan().forEach(model -> ids.add(model.id()));
            }
        }

        assertThat(ids).contains("gemma-3-4b-it", "qwen3-8b");
    }

    @Test
    void theDemoRunsFourModelsOnTheSimulatorTwoAtATime() {
        AppConfig demo = load("demo.yaml");

        assertThat(demo.gateway().scheduler().maxLoaded()).isEqualTo(2);
        assertThat(demo.gateway().backends()).singleElement().satisfies(backend -> {
            assertThat(backend.type()).isEqualTo("command");
            assertThat(backend.options())
                    .containsEntry("macros", Map.of("SIMULATOR", ENV.get("SWITCHBOARD_SIMULATOR")));
        });
        assertThat(demo.gateway().models())
                .hasSize(4)
                .allSatisfy(model ->
                        assertThat(model.options().get("cmd").toString()).startsWith("${SIMULATOR} "));
    }

    @Test
    void multiEngineUsesEveryEngineKindOnDeclaredGpus() {
        AppConfig config = load("multi-engine.yaml");

        assertThat(config.gateway().backends())
                .extracting(BackendConfig::type)
                .containsExactly("llamacpp", "vllm", "sglang", "command");
        assertThat(config.gpus())
                .isInstanceOfSatisfying(
                        GpuSetting.Fixed.class,
                        fixed -> assertThat(fixed.gpus()).hasSize(2));
        assertThat(config.server().apiKeys()).containsExactly("sk-example");
        assertThat(model(config, "qwen2.5-coder-7b").gpus()).containsExactly(0);
        assertThat(model(config, "llama-3.1-8b").args())
                .containsExactly("--mem-fraction-static", "0.4", "--context-length", "8192");
    }

    @Test
    void theLlamaSwapExampleRunsOnTheCommandBackend() {
        AppConfig config = load("llama-swap.yaml");

        ModelDescriptor gptOss = model(config, "gpt-oss-120b");
        assertThat(CommandLine.split(gptOss.options().get("cmd").toString()))
                .containsExactly(
                        "/opt/llama.cpp/build/bin/llama-server",
                        "--port",
                        "${PORT}",
                        "--model",
                        "/home/demo/models/gpt-oss-120B.gguf",
                        "--ctx-size",
                        "16384",
                        "--temperature",
                        "0.7");
        assertThat(gptOss.aliases()).containsExactly("gpt-4o-mini", "gpt-oss-120b:high");
        assertThat(model(config, "docker-llama").options()).containsEntry("cmdStop", "docker stop docker-llama");
        assertThat(model(config, "embedding").loadOnStartup()).isTrue();
        // llms swap (one at a time) and push out everything but the persistent helpers
        assertThat(config.gateway().scheduler().groups())
                .containsEntry("llms", new GroupPolicy(true, true, false))
                .containsEntry("helpers", new GroupPolicy(false, false, true));
        assertThat(model(config, "qwen-unlisted").group()).isEqualTo("llms");
        assertThat(config.server().apiKeys()).containsExactly("sk-hunter2", "sk-swap");
    }

    @Test
    void theLlamaSwapExampleWarnsAboutEachSettingSwitchboardIgnores() {
        List<String> warnings = load("llama-swap.yaml").warnings();

        assertThat(warnings)
                .filteredOn(w -> w.endsWith("not supported by Switchboard; ignored"))
                .extracting(w -> w.split(": ")[1])
                .containsExactly(
                        "logLevel",
                        "logToStdout",
                        "metricsMaxInMemory",
                        "startPort",
                        "sendLoadingState",
                        "includeAliasesInList");
    }
}
