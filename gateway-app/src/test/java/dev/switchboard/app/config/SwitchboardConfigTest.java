package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.switchboard.app.ServerSettings;
import dev.switchboard.app.activity.ActivitySettings;
import dev.switchboard.core.lifecycle.SchedulerConfig;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.RequestFilters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Switchboard's own configuration files, read into an {@link AppConfig}. */
class SwitchboardConfigTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    Path dir;

    private AppConfig load(String yaml) {
        return ConfigLoader.withEnvironment(Map.of("HOME", "/home/me", "KEY", "sk-from-env"))
                .load("config.yaml", yaml, dir);
    }

    private static ModelDescriptor onlyModel(AppConfig config) {
        assertThat(config.gateway().models()).hasSize(1);
        return config.gateway().models().getFirst();
    }

    @Test
    void anEmptyFileMeansDefaultsEverywhere() {
        AppConfig config = load("");

        assertThat(config.server()).isEqualTo(ServerSettings.defaults());
        assertThat(config.gateway().scheduler())
                .hasToString(SchedulerConfig.ofDefaults().toString());
        assertThat(config.gpus()).isEqualTo(new GpuSetting.Auto());
        assertThat(config.gateway().backends()).isEmpty();
        assertThat(config.gateway().models()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void readsServerSettings() {
        AppConfig config = load("""
                server:
                  host: 0.0.0.0
                  port: 9000
                  apiKeys: [sk-one, "${env.KEY}"]
                  maxBodySize: 8MiB
                  webUi: false
                """);

        assertThat(config.server())
                .isEqualTo(new ServerSettings("0.0.0.0", 9000, List.of("sk-one", "sk-from-env"), 8L << 20, false));
    }

    @Test
    void readsActivitySettingsAndWritesThemBack() {
        AppConfig config = load("""
                activity:
                  enabled: false
                  size: 50
                  capture: true
                  captureSize: 4KiB
                """);

        assertThat(config.activity()).isEqualTo(new ActivitySettings(false, 50, true, 4096));
        assertThat(load(config.toYaml()).activity()).isEqualTo(config.activity());
        assertThat(load("").activity()).isEqualTo(ActivitySettings.defaults());
    }

    @Test
    void readsSchedulerSettings() {
        SchedulerConfig scheduler = load("""
                        scheduler:
                          maxLoaded: 2
                          queue: { maxWaiting: 16, timeout: 30s }
                          idleTtl: 10m
                          stopTimeout: 20
                          restartBackoff: 500ms
                          autoload: false
                        """).gateway().scheduler();

        assertThat(scheduler.maxLoaded()).isEqualTo(2);
        assertThat(scheduler.maxWaiting()).isEqualTo(16);
        assertThat(scheduler.queueTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(scheduler.idleTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(scheduler.stopTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(scheduler.restartBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(scheduler.autoload()).isFalse();
    }

    @Test
    void readsDeclaredGpus() {
        AppConfig config = load("""
                gpus:
                  - { id: 0, memory: 80GiB, name: H100 }
                  - { id: 1, memory: 24GiB }
                """);

        assertThat(config.gpus())
                .isEqualTo(new GpuSetting.Fixed(List.of(
                        new GpuInfo(0, "", "H100", 80 * GIB, 0, 80 * GIB),
                        new GpuInfo(1, "", "GPU 1", 24 * GIB, 0, 24 * GIB))));
    }

    @Test
    void readsGpusNoneAndAnNvidiaSmiCommand() {
        assertThat(load("gpus: none").gpus()).isEqualTo(new GpuSetting.None());
        assertThat(load("gpus: { nvidiaSmi: [ssh, gpu-box, nvidia-smi] }").gpus())
                .isEqualTo(new GpuSetting.NvidiaSmi(List.of("ssh", "gpu-box", "nvidia-smi")));
    }

    @Test
    void readsBackendsWithTheirOptionsAndTheFileDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.yaml"), """
                backends:
                  llama:
                    type: llamacpp
                    modelsDir: ${env.HOME}/models
                    hfCache: true
                    routerArgs: [-ngl, 99]
                  vllm: { type: vllm, port: 8000 }
                """);

        List<BackendConfig> backends = ConfigLoader.withEnvironment(Map.of("HOME", "/home/me"))
                .load(file)
                .gateway()
                .backends();

        assertThat(backends)
                .containsExactly(
                        new BackendConfig(
                                "llama",
                                "llamacpp",
                                Map.of(
                                        "modelsDir",
                                        "/home/me/models",
                                        "hfCache",
                                        true,
                                        "routerArgs",
                                        List.of("-ngl", 99)),
                                dir.toAbsolutePath()),
                        new BackendConfig("vllm", "vllm", Map.of("port", 8000), dir.toAbsolutePath()));
    }

    @Test
    void readsEveryModelSetting() {
        ModelDescriptor model = onlyModel(load("""
                backends:
                  vllm: { type: vllm }
                models:
                  qwen-coder:
                    backend: vllm
                    source: Qwen/Qwen2.5-Coder-7B-Instruct
                    aliases: [coder]
                    tags: [code]
                    args: [--max-model-len, "8192"]
                    env: { VLLM_USE_V1: "1" }
                    metadata: { family: qwen2, params: 7.6 }
                    ttl: 10m
                    gpus: [1]
                    priority: 5
                    group: coding
                    unlisted: true
                    loadOnStartup: true
                    stopTimeout: 30s
                    options: { enableSleepMode: true }
                """));

        assertThat(model)
                .isEqualTo(ModelDescriptor.builder("qwen-coder", "vllm")
                        .source("Qwen/Qwen2.5-Coder-7B-Instruct")
                        .aliases(List.of("coder"))
                        .tags(List.of("code"))
                        .args(List.of("--max-model-len", "8192"))
                        .env(Map.of("VLLM_USE_V1", "1"))
                        .metadata(Map.of("family", "qwen2", "params", 7.6))
                        .ttl(Duration.ofMinutes(10))
                        .gpus(List.of(1))
                        .priority(5)
                        .group("coding")
                        .unlisted(true)
                        .loadOnStartup(true)
                        .stopTimeout(Duration.ofSeconds(30))
                        .options(Map.of("enableSleepMode", true))
                        .build());
    }

    @Test
    void putsCommandBackendSettingsIntoTheModelOptions() {
        ModelDescriptor model = onlyModel(load("""
                backends:
                  run: { type: command }
                models:
                  tiny:
                    cmd: llama-server --port ${PORT} -m tiny.gguf
                    proxy: http://127.0.0.1:${PORT}
                    checkEndpoint: /health
                    cmdStop: kill ${PID}
                    useModelName: tiny-1b
                    memory: 2GiB
                """));

        assertThat(model.options())
                .containsOnly(
                        entry("cmd", "llama-server --port ${PORT} -m tiny.gguf"),
                        entry("proxy", "http://127.0.0.1:${PORT}"),
                        entry("checkEndpoint", "/health"),
                        entry("cmdStop", "kill ${PID}"),
                        entry("useModelName", "tiny-1b"),
                        entry("memory", "2GiB"));
    }

    @Test
    void aModelMayLeaveOutTheBackendWhenThereIsOnlyOne() {
        assertThat(onlyModel(load("backends:\n  run: { type: command }\nmodels:\n  m: { cmd: serve }\n"))
                        .backend())
                .isEqualTo("run");
    }

    @Test
    void splitsArgsGivenAsOneStringLikeAShell() {
        ModelDescriptor model = onlyModel(load("""
                backends:
                  llama: { type: llamacpp }
                models:
                  m:
                    args: >-
                      -c 8192 --chat-template-kwargs '{"enable_thinking": false}'
                """));

        assertThat(model.args())
                .containsExactly("-c", "8192", "--chat-template-kwargs", "{\"enable_thinking\": false}");
    }

    @Test
    void readsEnvironmentAsAListOfAssignments() {
        ModelDescriptor model = onlyModel(load("""
                backends:
                  run: { type: command }
                models:
                  m:
                    cmd: serve
                    env: ["CUDA_VISIBLE_DEVICES=0,1", "OPTS=a=b"]
                """));

        assertThat(model.env()).containsOnly(entry("CUDA_VISIBLE_DEVICES", "0,1"), entry("OPTS", "a=b"));
    }

    @Test
    void honoursYamlAnchorsAndMergeKeys() {
        AppConfig config = load("""
                backends:
                  run: { type: command }
                models:
                  base: &base
                    cmd: serve
                    ttl: 5m
                    unlisted: true
                  derived:
                    <<: *base
                    unlisted: false
                """);

        ModelDescriptor derived = config.gateway().models().get(1);
        assertThat(derived.ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(derived.unlisted()).isFalse();
        assertThat(derived.options()).containsEntry("cmd", "serve");
    }

    @Test
    void keepsEnvironmentReferencesWhenAskedTo() {
        AppConfig config = ConfigLoader.keepingEnvironmentReferences()
                .load("config.yaml", "server:\n  apiKeys: [\"${env.SECRET}\"]\n", dir);

        assertThat(config.server().apiKeys()).containsExactly("${env.SECRET}");
    }

    @Test
    void readsAFileWithModelsStartedByCommandsAndNoBackendsAsLlamaSwap() {
        AppConfig config = load("models:\n  m:\n    cmd: llama-server --port ${PORT}\n");

        assertThat(onlyModel(config).backend()).isEqualTo("llama-swap");
    }

    @Test
    void readsConcurrencyLimitFiltersAndFallbackOnceIntoTypedValues() {
        ModelDescriptor model = onlyModel(load("""
                backends:
                  run: { type: command }
                models:
                  m:
                    cmd: serve
                    options:
                      concurrencyLimit: 3
                      filters: { stripParams: [top_k, " top_p"], setParams: { temperature: 0.5 } }
                      fallback: gpt-4o
                      keep: this
                """));

        assertThat(model.concurrencyLimit()).isEqualTo(3);
        assertThat(model.filters()).isEqualTo(RequestFilters.of(List.of("top_k", "top_p"), Map.of("temperature", 0.5)));
        assertThat(model.fallback()).isEqualTo("gpt-4o");
        assertThat(model.options()).containsOnly(entry("cmd", "serve"), entry("keep", "this"));
    }
}
