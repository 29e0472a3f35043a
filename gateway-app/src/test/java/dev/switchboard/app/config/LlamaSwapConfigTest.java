package dev.switchboard.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.switchboard.core.lifecycle.GroupPolicy;
import dev.switchboard.core.spi.BackendConfig;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.RequestFilters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** llama-swap configuration files, run as they are on the command backend. */
class LlamaSwapConfigTest {
    @TempDir
    Path dir;

    private AppConfig load(String yaml) {
        return ConfigLoader.withEnvironment(Map.of("HOME", "/home/me")).load("config.yaml", yaml, dir);
    }

    private static ModelDescriptor model(AppConfig config, String id) {
        return config.gateway().models().stream()
                .filter(m -> m.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void runsEveryModelOnOneCommandBackend() {
        AppConfig config = load("""
                healthCheckTimeout: 300
                models:
                  llama:
                    cmd: llama-server --port ${PORT} -m llama.gguf
                """);

        assertThat(config.gateway().backends())
                .containsExactly(new BackendConfig("llama-swap", "command", Map.of("startTimeout", "300s"), dir));
        assertThat(model(config, "llama").backend()).isEqualTo("llama-swap");
        assertThat(model(config, "llama").options())
                .containsOnly(entry("cmd", "llama-server --port ${PORT} -m llama.gguf"));
    }

    @Test
    void keepsTheCommandSettingsOfEachModel() {
        ModelDescriptor model = model(load("""
                        models:
                          docker-llama:
                            cmd: docker run --name ${MODEL_ID} -p ${PORT}:8080 ghcr.io/ggml-org/llama.cpp:server
                            proxy: http://127.0.0.1:${PORT}
                            checkEndpoint: /custom-endpoint
                            cmdStop: docker stop ${MODEL_ID}
                            useModelName: openai/gpt-oss-120B
                            concurrencyLimit: 4
                        """), "docker-llama");

        assertThat(model.options())
                .containsOnly(
                        entry(
                                "cmd",
                                "docker run --name docker-llama -p ${PORT}:8080 ghcr.io/ggml-org/llama.cpp:server"),
                        entry("proxy", "http://127.0.0.1:${PORT}"),
                        entry("checkEndpoint", "/custom-endpoint"),
                        entry("cmdStop", "docker stop docker-llama"),
                        entry("useModelName", "openai/gpt-oss-120B"));
        assertThat(model.concurrencyLimit()).isEqualTo(4);
    }

    @Test
    void substitutesMacrosLikeLlamaSwap() {
        ModelDescriptor model = model(load("""
                        macros:
                          "latest-llama": /opt/llama-server --port ${PORT}
                          "default_ctx": 4096
                          "default_args": "--ctx-size ${default_ctx}"
                          "models_dir": "${env.HOME}/models"
                        models:
                          qwen:
                            macros:
                              "default_ctx": 16384
                            cmd: ${latest-llama} -m ${models_dir}/${MODEL_ID}.gguf ${default_args}
                        """), "qwen");

        assertThat(model.options().get("cmd"))
                .isEqualTo("/opt/llama-server --port ${PORT} -m /home/me/models/qwen.gguf --ctx-size 16384");
    }

    @Test
    void rejectsAnUnknownMacro() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("models:\n  m:\n    cmd: llama-server ${nope} --port ${PORT}\n"));

        assertThat(e).hasMessage("config.yaml:3: models.m.cmd: unknown macro ${nope}");
    }

    @Test
    void rejectsAReservedMacroName() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("macros:\n  PORT: 9000\nmodels:\n  m: { cmd: serve }\n"));

        assertThat(e).hasMessage("config.yaml:2: macros.PORT: is a reserved macro name");
    }

    @Test
    void readsAliasesEnvironmentAndListing() {
        ModelDescriptor model = model(load("""
                        models:
                          gpt-oss:
                            cmd: serve
                            aliases:
                              - gpt-4o-mini
                              - id: gpt-4o
                                name: GPT-4o
                            env: ["CUDA_VISIBLE_DEVICES=0,1,2"]
                            unlisted: true
                            name: gpt-oss 120B
                            description: A thinking model from ${MODEL_ID}
                            metadata: { family: gpt-oss }
                        """), "gpt-oss");

        assertThat(model.aliases()).containsExactly("gpt-4o-mini", "gpt-4o");
        assertThat(model.env()).containsOnly(entry("CUDA_VISIBLE_DEVICES", "0,1,2"));
        assertThat(model.unlisted()).isTrue();
        assertThat(model.metadata())
                .containsOnly(
                        entry("name", "gpt-oss 120B"),
                        entry("description", "A thinking model from gpt-oss"),
                        entry("family", "gpt-oss"));
    }

    @Test
    void mapsTimeToLiveAndUnloadTimeouts() {
        AppConfig config = load("""
                globalTTL: 600
                unloadTimeout: 15
                models:
                  global: { cmd: a }
                  explicit: { cmd: b, ttl: -1 }
                  never: { cmd: c, ttl: 0 }
                  short: { cmd: d, ttl: 60, unloadTimeout: 30 }
                """);

        assertThat(config.gateway().scheduler().idleTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.gateway().scheduler().stopTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(model(config, "global").ttl()).isNull();
        assertThat(model(config, "explicit").ttl()).isNull();
        assertThat(model(config, "never").ttl()).isEqualTo(Duration.ZERO);
        assertThat(model(config, "short").ttl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(model(config, "short").stopTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void raisesAHealthCheckTimeoutBelowFifteenSecondsAsLlamaSwapDoes() {
        assertThat(load("healthCheckTimeout: 5\nmodels:\n  m: { cmd: serve }\n")
                        .gateway()
                        .backends()
                        .getFirst()
                        .options())
                .containsEntry("startTimeout", "15s");
    }

    @Test
    void putsUngroupedModelsInLlamaSwapsSwappingExclusiveDefaultGroup() {
        AppConfig config = load("models:\n  a: { cmd: a }\n  b: { cmd: b }\n  c: { cmd: c }\n");

        assertThat(config.gateway().scheduler().maxLoaded()).isZero();
        assertThat(config.gateway().scheduler().groups())
                .containsExactly(entry("(default)", GroupPolicy.LLAMA_SWAP_DEFAULT));
        assertThat(config.gateway().models()).extracting(ModelDescriptor::group).containsOnly("(default)");
    }

    @Test
    void keepsEachGroupsSwapExclusiveAndPersistentRules() {
        AppConfig config = load("""
                models:
                  llm-a: { cmd: a }
                  llm-b: { cmd: b }
                  embed: { cmd: c }
                  rerank: { cmd: d }
                  solo: { cmd: e }
                groups:
                  llms:
                    swap: true
                    exclusive: true
                    members: [llm-a, llm-b]
                  helpers:
                    swap: false
                    exclusive: false
                    persistent: true
                    members: [embed, rerank]
                """);

        assertThat(config.gateway().scheduler().groups())
                .containsEntry("llms", new GroupPolicy(true, true, false))
                .containsEntry("helpers", new GroupPolicy(false, false, true))
                .containsEntry("(default)", GroupPolicy.LLAMA_SWAP_DEFAULT);
        assertThat(model(config, "embed").group()).isEqualTo("helpers");
        assertThat(model(config, "embed").priority()).isEqualTo(1);
        assertThat(model(config, "llm-a").group()).isEqualTo("llms");
        assertThat(model(config, "llm-a").priority()).isZero();
        assertThat(model(config, "solo").group()).isEqualTo("(default)");
        assertThat(config.warnings()).noneMatch(w -> w.contains("groups"));
    }

    @Test
    void rejectsAGroupMemberThatIsNoModel() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("models:\n  a: { cmd: a }\ngroups:\n  g:\n    members: [a, b]\n"));

        assertThat(e).hasMessage("config.yaml:5: groups.g.members[1]: no model named 'b'");
    }

    @Test
    void rejectsAModelInTwoGroups() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> load("models:\n  a: { cmd: a }\ngroups:\n  g: { members: [a] }\n  h: { members: [a] }\n"));

        assertThat(e).hasMessage("config.yaml:5: groups.h.members[0]: model 'a' is already in group 'g'");
    }

    @Test
    void preloadsModelsNamedByTheStartupHook() {
        AppConfig config = load("""
                models:
                  a: { cmd: a, aliases: [first] }
                  b: { cmd: b }
                hooks:
                  on_startup:
                    preload: [first, missing]
                """);

        assertThat(model(config, "a").loadOnStartup()).isTrue();
        assertThat(model(config, "b").loadOnStartup()).isFalse();
        assertThat(config.warnings())
                .contains("config.yaml:6: hooks.on_startup.preload[1]: no model named 'missing'; not preloaded");
    }

    @Test
    void keepsRequestFiltersAndServesSetParamsByIdKeysAsAliases() {
        ModelDescriptor model = model(load("""
                        models:
                          gpt:
                            cmd: serve
                            filters:
                              stripParams: "temperature, top_p, model"
                              setParams: { temperature: 0.7 }
                              setParamsByID:
                                "${MODEL_ID}:high": { chat_template_kwargs: { reasoning_effort: high } }
                        """), "gpt");

        assertThat(model.aliases()).containsExactly("gpt:high");
        assertThat(model.filters())
                .isEqualTo(RequestFilters.of(List.of("temperature", "top_p"), Map.of("temperature", 0.7)));
    }

    @Test
    void rejectsANegativeConcurrencyLimitAtStartUp() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("models:\n  m:\n    cmd: serve\n    concurrencyLimit: -2\n"));

        assertThat(e).hasMessage("config.yaml:4: models.m.concurrencyLimit: must be 0 or more, got -2");
    }

    @Test
    void takesApiKeysForTheServer() {
        assertThat(load("apiKeys: [sk-hunter2]\nmodels:\n  m: { cmd: serve }\n")
                        .server()
                        .apiKeys())
                .containsExactly("sk-hunter2");
    }

    @Test
    void leavesGpuChoiceToTheCommands() {
        assertThat(load("models:\n  m: { cmd: serve }\n").gpus()).isEqualTo(new GpuSetting.None());
    }

    @Test
    void warnsAboutEachDocumentedSettingItDoesNotSupport() {
        AppConfig config = load("""
                logLevel: info
                startPort: 10001
                models:
                  m:
                    cmd: serve
                    sendLoadingState: true
                """);

        assertThat(config.warnings())
                .containsExactly(
                        "config.yaml:1: logLevel: not supported by Switchboard; ignored",
                        "config.yaml:2: startPort: not supported by Switchboard; ignored",
                        "config.yaml:6: models.m.sendLoadingState: not supported by Switchboard; ignored");
    }

    @Test
    void rejectsAnUndocumentedSetting() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("models:\n  m:\n    cmd: serve\n    command: serve\n"));

        assertThat(e).hasMessageStartingWith("config.yaml:4: models.m.command: unknown key; expected one of: cmd,");
    }

    @Test
    void rejectsAnAliasThatNamesAnotherModel() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("models:\n  a: { cmd: a }\n  b: { cmd: b, aliases: [a] }\n"));

        assertThat(e).hasMessage("config.yaml:3: models.b: alias 'a' is already a name of model 'a'");
    }

    @Test
    void requiresACommand() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> load("logLevel: info\nmodels:\n  m:\n    proxy: http://x\n"));

        assertThat(e).hasMessage("config.yaml:4: models.m.cmd: is required");
    }
}
